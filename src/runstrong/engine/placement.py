"""Which days of a week take a strength session, around hard runs and races [S9–S11, S14]."""

from __future__ import annotations

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


@dataclass(slots=True)
class RaceCalendar:
    """Race days of the season, and which A races already had their last light session."""

    race_days: frozenset[date]
    a_races: tuple[date, ...]
    light_done: set[date]

    @classmethod
    def of(cls, season: Season) -> RaceCalendar:
        return cls(
            frozenset(race.date for race in season.races),
            tuple(race.date for race in season.races if race.priority == "A"),
            set(),
        )

    def next_a_race(self, day: date) -> date | None:
        return next((race for race in self.a_races if race >= day), None)


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def choose_days(
    *,
    week_start: date,
    wanted: int,
    athlete: Athlete,
    season: Season,
    races: RaceCalendar,
    rules: Rules,
) -> tuple[list[DaySlot], list[Reason]]:
    """Up to `wanted` session days in the week, hard-run days first, at least 48 h apart.

    Returns the chosen days and a note for each strength day that had to be skipped.
    """
    candidates: list[DaySlot] = []
    notes: list[Reason] = []
    if wanted == 0:
        return [], notes
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        if day > season.end or weekday(day) not in athlete.strength_days:
            continue
        slot, blocked = _judge(day, athlete, races, rules)
        if blocked is not None:
            notes.append(blocked)
        elif slot is not None:
            candidates.append(slot)
    hard = set(athlete.hard_run_days)
    candidates.sort(
        key=lambda slot: (slot.kind != "light", weekday(slot.day) not in hard, slot.day)
    )
    chosen: list[DaySlot] = []
    for slot in candidates:
        if len(chosen) == wanted:
            break
        if slot.kind == "light" and (slot.a_race in races.light_done):
            continue
        if all(abs((slot.day - other.day).days) >= MIN_GAP_DAYS for other in chosen):
            chosen.append(slot)
            if slot.kind == "light" and slot.a_race is not None:
                races.light_done.add(slot.a_race)
    if len(chosen) < wanted:
        notes.append(
            Reason(
                f"Only {len(chosen)} of {wanted} planned sessions fit this week: strength days "
                f"must not fall the day before a hard run or race and need 48 h between them.",
                ("S11",),
            )
        )
    chosen.sort(key=lambda slot: slot.day)
    return chosen, notes


def _judge(
    day: date, athlete: Athlete, races: RaceCalendar, rules: Rules
) -> tuple[DaySlot | None, Reason | None]:
    name = DAY_NAMES[weekday(day)]
    tomorrow = day + timedelta(days=1)
    if day in races.race_days:
        return None, Reason(f"{name} {day}: race day, no strength session.", ("S11",))
    if tomorrow in races.race_days:
        return None, Reason(f"{name} {day}: the day before a race, no strength session.", ("S11",))
    if weekday(tomorrow) in athlete.hard_run_days:
        return None, Reason(
            f"{name} {day}: the day before a hard run ({DAY_NAMES[weekday(tomorrow)]}), "
            f"no strength session.",
            ("S11",),
        )
    a_race = races.next_a_race(day)
    taper = rules.taper
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
            f"{name} {day}: {days_out} days before the A race; only one light session "
            f"{low}–{high} days out.",
            ("S14",),
        )
    if weekday(day) in athlete.hard_run_days:
        placement = rules.placement
        return DaySlot(
            day,
            "strength",
            Reason(
                f"{name} is a hard-run day: lift after the run, at least "
                f"{placement.min_hours_after_run} h later (better "
                f"{placement.better_hours_after_run} h): hard days hard, easy days easy.",
                ("S9", "S10"),
            ),
        ), None
    return DaySlot(
        day,
        "strength",
        Reason(f"{name}: not the day before a hard run or race.", ("S11",)),
    ), None
