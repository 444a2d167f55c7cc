"""Which days of a week take a strength session, around hard runs and races [S9–S14].

An athlete who names no strength days gets them from their hard-run days: after the run on hard
days ("hard days hard", S9), never the day before a hard run (S11), spread at least 48 h apart
around the whole week, Sunday to Monday too.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations
from typing import Literal

from runstrong.engine.catalog import Rules
from runstrong.engine.model import Reason
from runstrong.engine.profile import WEEKDAYS, Athlete, Season, Weekday
from runstrong.engine.wording import count, listed

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


@dataclass(frozen=True, slots=True)
class DaySlot:
    day: date
    kind: Literal["strength", "light"]
    placement: Reason
    a_race: date | None = None
    taper: bool = False  # in the taper days before an A race: fewer sets, same load [S12]


@dataclass(frozen=True, slots=True)
class StrengthDays:
    """The weekdays a plan uses: `chosen` first, `spare` only when races block those."""

    chosen: tuple[int, ...]
    spare: tuple[int, ...]
    derived: bool


def most_sessions_a_week(rules: Rules) -> int:
    per_week = rules.sessions_per_week
    return max(per_week.preparation, per_week.competition, per_week.taper, per_week.transition)


def strength_days(athlete: Athlete, rules: Rules) -> StrengthDays:
    """The athlete's own strength days, or days derived from their hard-run days [S9, S11]."""
    hard = frozenset(WEEKDAYS.index(day) for day in athlete.hard_run_days)
    if athlete.strength_days:
        given = tuple(WEEKDAYS.index(day) for day in athlete.strength_days)
        return StrengthDays(given, (), derived=False)
    chosen, spare = _derive(hard, most_sessions_a_week(rules), rules.placement.min_gap_days)
    return StrengthDays(chosen, spare, derived=True)


Clash = Literal["race", "before-race", "before-hard"]


def run_clash(day: date, hard: Collection[int], race_days: Collection[date]) -> Clash | None:
    """Why `day` cannot take hard leg work [S11]: a race that day, a race the next day, or a
    hard run (weekday index in `hard`) the next day. Strength sessions and test days share it."""
    tomorrow = day + timedelta(days=1)
    if day in race_days:
        return "race"
    if tomorrow in race_days:
        return "before-race"
    if tomorrow.weekday() in hard:
        return "before-hard"
    return None


def weekday_names(days: tuple[int, ...]) -> tuple[Weekday, ...]:
    return tuple(WEEKDAYS[index] for index in sorted(days))


@lru_cache(maxsize=512)
def _derive(hard: frozenset[int], wanted: int, gap: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Up to `wanted` weekdays none the day before a hard run, `gap` days apart around the week.

    Most hard days first (lift after the run), then the widest spacing, then the earliest days;
    the other allowed days are kept as spares for weeks when a race blocks a chosen one.
    """
    allowed = tuple(day for day in range(7) if (day + 1) % 7 not in hard)
    for size in range(min(wanted, len(allowed)), 0, -1):
        best: tuple[int, ...] = ()
        best_score = (-1, -1)
        for days in combinations(allowed, size):
            spacing = _cyclic_gap(days)
            if spacing < gap:
                continue
            score = (sum(day in hard for day in days), spacing)
            if score > best_score:
                best, best_score = days, score
        if best:
            return best, tuple(day for day in allowed if day not in best)
    return (), allowed


def _cyclic_gap(days: tuple[int, ...]) -> int:
    """The fewest days between two of `days`, counting from Sunday round to Monday."""
    if len(days) == 1:
        return 7
    return min((days[(i + 1) % len(days)] - day) % 7 for i, day in enumerate(days))


class WeekPlacer:
    """Chooses session days week by week for one athlete's season, in order.

    Built once per plan: weekday sets, race days and the reasons that do not depend on the date
    are worked out up front, because this runs for every week of every athlete. It remembers the
    last session it placed, so 48 h hold across the end of a week too [S11].
    """

    def __init__(self, athlete: Athlete, season: Season, rules: Rules) -> None:
        self._rules = rules
        self._end = season.end
        days = strength_days(athlete, rules)
        self.days = days
        self._chosen = frozenset(days.chosen)
        self._strength = self._chosen | frozenset(days.spare)
        self._hard = {WEEKDAYS.index(day) for day in athlete.hard_run_days}
        self._given_days = not days.derived
        self._most = most_sessions_a_week(rules)
        self._running = season.running
        calendar_races = season.running.races if season.running is not None else frozenset()
        self._race_days = frozenset(race.date for race in season.races) | calendar_races
        self._a_races = tuple(sorted({race.date for race in season.races if race.priority == "A"}))
        self._race_list = sorted(self._race_days)
        self._light_done: set[date] = set()
        self._last: date | None = None
        self._gap = rules.placement.min_gap_days
        self._patterns: dict[
            tuple[int, int], tuple[tuple[tuple[int, Reason], ...], tuple[Reason, ...]]
        ] = {}
        per_week = rules.sessions_per_week
        # With no sessions in the transition, the days after an A race in its own week rest too.
        self._transition_days = 7 * rules.phases.transition_weeks if not per_week.transition else 0
        self._reach_ahead = max(rules.taper.days, rules.taper.no_load_days)
        self._reach_behind = max(rules.after_race.no_load_days, self._transition_days)
        self._busy = self._busy_weeks(season)
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
                f"{DAY_NAMES[WEEKDAYS[index]]}: not the day before a hard run or race, "
                f"{self._gap * 24} h from other sessions.",
                ("S11",),
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

    def choose(self, week_start: date, wanted: int) -> tuple[list[DaySlot], list[Reason], bool]:
        """Up to `wanted` session days in the week, hard-run days first, 48 h apart.

        Returns the chosen days, a note for each strength day that had to be skipped, and
        whether the week is plain (no race, taper or race recovery in reach), so that what it
        holds is down to the athlete's days alone.
        """
        quiet = self.quiet(week_start)
        if not quiet:
            slots, notes = self._choose(week_start, wanted)
        else:
            # Weeks with no race nearby differ only in their dates (and in whether last week's
            # session blocks their first days), so each choice is reused by offset.
            carry = 0 if self._last is None else max(0, self._gap - (week_start - self._last).days)
            pattern = self._patterns.get((wanted, carry))
            if pattern is None:
                chosen, found = self._choose(week_start, wanted)
                pattern = (
                    tuple(((slot.day - week_start).days, slot.placement) for slot in chosen),
                    tuple(found),
                )
                self._patterns[(wanted, carry)] = pattern
            offsets, static_notes = pattern
            slots = [
                DaySlot(week_start + timedelta(days=offset), "strength", placement)
                for offset, placement in offsets
            ]
            notes = list(static_notes)
        if slots:
            self._last = slots[-1].day
        return slots, notes, quiet

    def quiet(self, week_start: date) -> bool:
        """No race from this week to the day after it, and no A race in reach either side."""
        return week_start not in self._busy

    def _busy_weeks(self, season: Season) -> frozenset[date]:
        """The starts of the weeks a race reaches: worked out once, asked every week."""
        spans = [(race - timedelta(days=1), race) for race in self._race_list]
        spans += [
            (race - timedelta(days=self._reach_ahead), race + timedelta(days=self._reach_behind))
            for race in self._a_races
        ]
        if season.running is not None:
            # Weeks the running plan reaches have hard days of their own, not the pattern's.
            spans.append((season.running.first - timedelta(days=1), season.running.last))
        busy: set[date] = set()
        for first, last in spans:
            low = max(0, (first - season.start).days // 7)
            high = min(season.weeks - 1, (last - season.start).days // 7)
            busy.update(season.start + timedelta(days=7 * week) for week in range(low, high + 1))
        return frozenset(busy)

    def _choose(self, week_start: date, wanted: int) -> tuple[list[DaySlot], list[Reason]]:
        notes: list[Reason] = []
        if wanted == 0:
            return [], notes
        candidates: list[tuple[tuple[bool, bool, bool], DaySlot]] = []
        first = week_start.weekday()
        chosen_days, strength = self._week_days(week_start)
        for offset in range(7):
            index = (first + offset) % 7
            if index not in strength:
                continue
            day = week_start + timedelta(days=offset)
            if day > self._end:
                break
            slot, blocked = self._judge(day, index)
            if blocked is not None:
                if index in chosen_days:
                    notes.append(blocked)
            elif slot is not None:
                # The last light session before an A race first, then the athlete's days.
                rank = (slot.a_race is None, index not in chosen_days, not self._is_hard(day))
                candidates.append((rank, slot))
        candidates.sort(key=lambda ranked: (ranked[0], ranked[1].day))
        chosen: list[DaySlot] = []
        last = self._last
        for _, slot in candidates:
            if len(chosen) == wanted:
                break
            if slot.a_race is not None and slot.a_race in self._light_done:
                continue
            if last is not None and (slot.day - last).days < self._gap:
                continue
            if all(abs((slot.day - other.day).days) >= self._gap for other in chosen):
                chosen.append(slot)
                if slot.a_race is not None:
                    self._light_done.add(slot.a_race)
        if len(chosen) < wanted:
            notes.append(
                Reason(
                    f"Only {len(chosen)} of {count(wanted, 'planned session')} fit this week: "
                    f"strength days must not fall the day before a hard run or race and need "
                    f"{self._gap * 24} h between them.",
                    ("S11",),
                )
            )
        chosen.sort(key=lambda slot: slot.day)
        return chosen, notes

    def _is_hard(self, day: date) -> bool:
        """A hard run that day: by date where the running plan covers it, else by weekday."""
        running = self._running
        if running is not None and running.covers(day):
            return day in running.hard or day in running.races
        return day.weekday() in self._hard

    def _week_days(self, week_start: date) -> tuple[frozenset[int], frozenset[int]]:
        """The weekdays a week prefers and may use: the profile's, or, where the running
        plan covers the week, derived afresh from that week's hard runs [S9, S11]."""
        running = self._running
        week_end = week_start + timedelta(days=6)
        if (
            self._given_days
            or running is None
            or running.last < week_start
            or running.first > week_end
        ):
            return self._chosen, self._strength
        hard = frozenset(
            (week_start + timedelta(days=offset)).weekday()
            for offset in range(7)
            if self._is_hard(week_start + timedelta(days=offset))
        )
        chosen, spare = _derive(hard, self._most, self._gap)
        return frozenset(chosen), frozenset(chosen) | frozenset(spare)

    def _clash(self, day: date) -> Clash | None:
        tomorrow = day + timedelta(days=1)
        if day in self._race_days:
            return "race"
        if tomorrow in self._race_days:
            return "before-race"
        if self._is_hard(tomorrow):
            return "before-hard"
        return None

    def _judge(self, day: date, index: int) -> tuple[DaySlot | None, Reason | None]:
        clash = self._clash(day)
        if clash == "race":
            return None, Reason(f"{_named(day)}: race day, no strength session.", ("S11",))
        if clash == "before-race":
            return None, Reason(
                f"{_named(day)}: the day before a race, no strength session.", ("S11",)
            )
        if clash == "before-hard":
            return None, self._before_hard_reason(day, index)
        rules = self._rules
        a_races = self._a_races
        behind = bisect_right(a_races, day) - 1
        after = rules.after_race
        since = (day - a_races[behind]).days if behind >= 0 else None
        if since is not None and since <= after.rest_days:
            return None, Reason(
                f"{_named(day)}: {count(since, 'day')} after the A race on {a_races[behind]}; "
                f"no strength session for {count(after.rest_days, 'day')} after an A race.",
                after.sources,
            )
        if since is not None and since <= self._transition_days:
            return None, Reason(
                f"{_named(day)}: the transition after the A race on {a_races[behind]} has "
                f"begun, a break from lifting.",
                ("S7", "S13"),
            )
        ahead = behind + 1  # a race day never gets here, so the next A race is after today
        a_race = a_races[ahead] if ahead < len(a_races) else None
        taper = rules.taper
        days_out = (a_race - day).days if a_race is not None else None
        if a_race is not None and days_out is not None and days_out <= taper.no_load_days:
            low, high = taper.last_light_session_days
            cut_low, cut_high = taper.volume_cut_percent
            if low <= days_out <= high:
                return DaySlot(
                    day,
                    "light",
                    Reason(
                        f"Last light session, {count(days_out, 'day')} before the A race on "
                        f"{a_race}: no loads, sets cut {cut_low}–{cut_high} % as in the taper.",
                        ("S12", "S14"),
                    ),
                    a_race,
                ), None
            return None, Reason(
                f"{_named(day)}: {count(days_out, 'day')} before the A race; no loads in the "
                f"last {count(taper.no_load_days, 'day')}, only one light session "
                f"{low}–{high} days out.",
                ("S14",),
            )
        if since is not None and since <= after.no_load_days:
            return DaySlot(
                day,
                "light",
                Reason(
                    f"{count(since, 'day')} after the A race on {a_races[behind]}: no loads "
                    f"until {count(after.no_load_days, 'day')} after it.",
                    after.sources,
                ),
            ), None
        in_taper = days_out is not None and days_out <= taper.days
        if self._is_hard(day):
            return DaySlot(day, "strength", self._hard_day_reason(day, index), taper=in_taper), None
        return DaySlot(day, "strength", self._easy_day_reason(day, index), taper=in_taper), None

    def _planned(self, day: date) -> bool:
        return self._running is not None and self._running.covers(day)

    def _before_hard_reason(self, day: date, index: int) -> Reason:
        tomorrow = day + timedelta(days=1)
        known = self._before_hard.get(index)
        if known is not None and not self._planned(tomorrow):
            return known
        return Reason(
            f"{_named(day)}: the day before a hard run in the running plan "
            f"({_named(tomorrow)}), no strength session.",
            ("S11",),
        )

    def _hard_day_reason(self, day: date, index: int) -> Reason:
        known = self._on_hard_day.get(index)
        if known is not None and not self._planned(day):
            return known
        placement = self._rules.placement
        return Reason(
            f"{DAY_NAMES[WEEKDAYS[index]]}: a hard run in the running plan: lift after the run, "
            f"at least {placement.min_hours_after_run} h later (better "
            f"{placement.better_hours_after_run} h): hard days hard, easy days easy.",
            ("S9", "S10"),
        )

    def _easy_day_reason(self, day: date, index: int) -> Reason:
        known = self._on_easy_day.get(index)
        if known is not None and not self._planned(day):
            return known
        return Reason(
            f"{DAY_NAMES[WEEKDAYS[index]]}: no hard run in the running plan that day or the "
            f"next, {self._gap * 24} h from other sessions.",
            ("S11",),
        )

    def explain(self, wanted: int) -> str:
        """Why a plain week holds fewer than `wanted` sessions on these days."""
        named = listed(DAY_NAMES[WEEKDAYS[index]] for index in sorted(self._strength))
        source = "derived from the hard-run days" if self.days.derived else "given"
        parts = [f"strength days {named} ({source})"]
        before = sorted(index for index in self._strength if index in self._before_hard)
        if before:
            parts.append(
                f"{listed(DAY_NAMES[WEEKDAYS[i]] for i in before)} "
                f"{'falls' if len(before) == 1 else 'fall'} the day before a hard run"
            )
        usable = tuple(sorted(index for index in self._strength if index not in self._before_hard))
        held = _most_spaced(usable, self._gap)
        if usable and held < wanted:
            parts.append(
                f"{'the rest' if before else 'they'} hold {count(held, 'session')} a week "
                f"{self._gap * 24} h apart, not {wanted}"
            )
        if not self._strength:
            parts = ["every day falls the day before a hard run"]
        return "; ".join(parts)


def _most_spaced(days: tuple[int, ...], gap: int) -> int:
    """How many of `days` a week can hold week after week, `gap` days apart all round."""
    for size in range(len(days), 0, -1):
        if any(_cyclic_gap(combo) >= gap for combo in combinations(days, size)):
            return size
    return 0


def _named(day: date) -> str:
    return f"{DAY_NAMES[WEEKDAYS[day.weekday()]]} {day}"
