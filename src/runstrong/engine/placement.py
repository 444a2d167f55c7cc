"""Which days of a week take a strength session, around hard runs and races [S9–S11, S14]."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from runstrong.engine.catalog import Rules
from runstrong.engine.model import Reason
from runstrong.engine.profile import WEEKDAYS, Athlete, Season

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
MIN_GAP_DAYS = 2


@dataclass(frozen=True, slots=True)
class DaySlot:
    day: date
    kind: Literal["strength", "light"]
    placement: Reason
    a_race: date | None = None


class WeekPlacer:
    """Chooses session days week by week for one athlete's season.

    Built once per plan: weekday sets, race days and the reasons that do not depend on the date
    are worked out up front, because this runs for every week of every athlete.
    """

    def __init__(self, athlete: Athlete, season: Season, rules: Rules) -> None:
        self._rules = rules
        self._end = season.end
        self._strength = {WEEKDAYS.index(day) for day in athlete.strength_days}
        self._hard = {WEEKDAYS.index(day) for day in athlete.hard_run_days}
        self._race_days = frozenset(race.date for race in season.races)
        self._a_races = tuple(race.date for race in season.races if race.priority == "A")
        self._race_list = sorted(self._race_days)
        self._light_done: set[date] = set()
        self._patterns: dict[int, tuple[tuple[tuple[int, Reason], ...], tuple[Reason, ...]]] = {}
        placement = rules.placement
        self._on_hard_day = {
            index: Reason(
                f"{DAY_NAMES[WEEKDAYS[index]]} is a hard-run day: lift after the run, at least "
                f"{placement.min_hours_after_run} h later (better "
                f"{placement.better_hours_after_run} h): hard days hard, easy days easy.",
                ("S9", "S10"),
            )
            for index in self._hard
        }
        self._on_easy_day = {
            index: Reason(
                f"{DAY_NAMES[WEEKDAYS[index]]}: not the day before a hard run or race.", ("S11",)
            )
            for index in self._strength
        }
        # Skipped-day notes name the weekday, not the date: the week they sit in dates them.
        self._before_hard = {
            index: Reason(
                f"{DAY_NAMES[WEEKDAYS[index]]}: the day before a hard run "
                f"({DAY_NAMES[WEEKDAYS[(index + 1) % 7]]}), no strength session.",
                ("S11",),
            )
            for index in self._strength
            if (index + 1) % 7 in self._hard
        }

    def choose(self, week_start: date, wanted: int) -> tuple[list[DaySlot], list[Reason]]:
        """Up to `wanted` session days in the week, hard-run days first, at least 48 h apart.

        Returns the chosen days and a note for each strength day that had to be skipped.
        """
        if not self._quiet(week_start):
            return self._choose(week_start, wanted)
        # Weeks with no race nearby differ only in their dates, so the choice made for the first
        # such week is reused by offset for the rest of the season.
        pattern = self._patterns.get(wanted)
        if pattern is None:
            chosen, notes = self._choose(week_start, wanted)
            pattern = (
                tuple(((slot.day - week_start).days, slot.placement) for slot in chosen),
                tuple(notes),
            )
            self._patterns[wanted] = pattern
        offsets, static_notes = pattern
        slots = [
            DaySlot(week_start + timedelta(days=offset), "strength", placement)
            for offset, placement in offsets
        ]
        return slots, list(static_notes)

    def _quiet(self, week_start: date) -> bool:
        """No race from this week to the day after it, no A race in reach, wholly in season."""
        last = week_start + timedelta(days=6)
        if last > self._end:
            return False
        index = bisect_left(self._race_list, week_start)
        if index < len(self._race_list) and self._race_list[index] <= last + timedelta(days=1):
            return False
        index = bisect_left(self._a_races, week_start)
        reach = last + timedelta(days=self._rules.taper.no_load_days)
        return not (index < len(self._a_races) and self._a_races[index] <= reach)

    def _choose(self, week_start: date, wanted: int) -> tuple[list[DaySlot], list[Reason]]:
        notes: list[Reason] = []
        if wanted == 0:
            return [], notes
        candidates: list[tuple[tuple[bool, bool], DaySlot]] = []
        first = week_start.weekday()
        for offset in range(7):
            index = (first + offset) % 7
            if index not in self._strength:
                continue
            day = week_start + timedelta(days=offset)
            if day > self._end:
                break
            slot, blocked = self._judge(day, index)
            if blocked is not None:
                notes.append(blocked)
            elif slot is not None:
                rank = (slot.kind != "light", index not in self._hard)
                candidates.append((rank, slot))
        candidates.sort(key=lambda ranked: (ranked[0], ranked[1].day))
        chosen: list[DaySlot] = []
        for _, slot in candidates:
            if len(chosen) == wanted:
                break
            if slot.kind == "light" and slot.a_race in self._light_done:
                continue
            if all(abs((slot.day - other.day).days) >= MIN_GAP_DAYS for other in chosen):
                chosen.append(slot)
                if slot.a_race is not None:
                    self._light_done.add(slot.a_race)
        if len(chosen) < wanted:
            notes.append(
                Reason(
                    f"Only {len(chosen)} of {wanted} planned sessions fit this week: strength "
                    f"days must not fall the day before a hard run or race and need 48 h "
                    f"between them.",
                    ("S11",),
                )
            )
        chosen.sort(key=lambda slot: slot.day)
        return chosen, notes

    def _judge(self, day: date, index: int) -> tuple[DaySlot | None, Reason | None]:
        tomorrow = day + timedelta(days=1)
        if day in self._race_days:
            return None, Reason(f"{_named(day)}: race day, no strength session.", ("S11",))
        if tomorrow in self._race_days:
            return None, Reason(
                f"{_named(day)}: the day before a race, no strength session.", ("S11",)
            )
        before_hard = self._before_hard.get(index)
        if before_hard is not None:
            return None, before_hard
        a_race = next((race for race in self._a_races if race >= day), None)
        taper = self._rules.taper
        if a_race is not None and (a_race - day).days <= taper.no_load_days:
            days_out = (a_race - day).days
            low, high = taper.last_light_session_days
            if low <= days_out <= high:
                return DaySlot(
                    day,
                    "light",
                    Reason(
                        f"Last light session, {days_out} days before the A race on {a_race}: "
                        f"no loads, about half the sets.",
                        ("S12", "S14"),
                    ),
                    a_race,
                ), None
            return None, Reason(
                f"{_named(day)}: {days_out} days before the A race; only one light session "
                f"{low}–{high} days out.",
                ("S14",),
            )
        if index in self._hard:
            return DaySlot(day, "strength", self._on_hard_day[index]), None
        return DaySlot(day, "strength", self._on_easy_day[index]), None


def _named(day: date) -> str:
    return f"{DAY_NAMES[WEEKDAYS[day.weekday()]]} {day}"
