"""Split a season into weeks and give each its phase from the A races [S5, S7, S12, S13].

Phases are laid out day by day, counted from each A race: the taper is the catalog's taper days
before the race (the race day ends it), the transition the weeks after it, and competition the
weeks before the taper, cut short when the lead-in is short so that preparation keeps its share.
A week takes the phase most of its days are in (ties go to the later phase of a race's run-up).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from runstrong.engine.catalog import Rules
from runstrong.engine.model import Phase, Reason
from runstrong.engine.profile import Season
from runstrong.engine.wording import count, ordinal, percent

# Paint order is precedence: a later phase overwrites an earlier one where windows overlap.
_PREPARATION, _COMPETITION, _TRANSITION, _TAPER = 0, 1, 2, 3
_PHASES: tuple[Phase, ...] = ("preparation", "competition", "transition", "taper")
_PLAIN_WEEK = bytes(7)


@dataclass(frozen=True, slots=True)
class WeekFrame:
    index: int
    start: date
    phase: Phase
    deload: bool
    reason: Reason


@dataclass(frozen=True, slots=True)
class RaceRun:
    """How one A race shapes the days before and after it."""

    race: date
    competition_start: date
    competition_weeks: int
    taper_start: date
    transition_end: date
    lead_in_weeks: int


def race_runs(season: Season, rules: Rules) -> list[RaceRun]:
    """Each A race's competition, taper and transition, in date order [S5, S7, S12, S13]."""
    phases = rules.phases
    taper_days = rules.taper.days
    transition_days = 7 * phases.transition_weeks
    runs: list[RaceRun] = []
    lead_start = season.start
    for race in sorted({race.date for race in season.races if race.priority == "A"}):
        taper_start = race - timedelta(days=taper_days)
        lead_days = max(0, (taper_start - lead_start).days)
        # Whole weeks of competition, at most the share of the lead-in preparation can spare.
        spare = math.floor(lead_days * (1 - phases.min_preparation_share) / 7 + 1e-9)
        weeks = min(phases.competition_weeks, spare)
        runs.append(
            RaceRun(
                race=race,
                competition_start=taper_start - timedelta(days=7 * weeks),
                competition_weeks=weeks,
                taper_start=taper_start,
                transition_end=race + timedelta(days=transition_days),
                lead_in_weeks=lead_days // 7,
            )
        )
        lead_start = max(lead_start, race + timedelta(days=transition_days + 1))
    return runs


def season_weeks(season: Season, rules: Rules) -> list[WeekFrame]:
    runs = race_runs(season, rules)
    codes = _week_codes(season, runs)
    races = [run.race for run in runs]
    every = rules.deload.every_weeks
    frames: list[WeekFrame] = []
    preparation_run = 0
    # Weeks of one phase before one race share their reason, so a season holds a handful.
    reasons: dict[tuple[str, date | None], Reason] = {}
    week = timedelta(days=7)
    start = season.start - week
    for index, most in enumerate(codes, start=1):
        start += week
        run: RaceRun | None = None
        if most == _PREPARATION:
            preparation_run += 1
            deload = preparation_run % every == 0
        else:
            preparation_run = 0
            deload = False
            # The race this phase leads to, or (transition) the race it follows.
            if most == _TRANSITION:
                behind = bisect_left(races, start + week) - 1
                run = runs[behind] if behind >= 0 else None
            else:
                ahead = bisect_left(races, start)
                run = runs[ahead] if ahead < len(runs) else None
        phase = _PHASES[most]
        key = ("deload" if deload else phase, run.race if run else None)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = _phase_reason(key[0], run, rules)
        frames.append(WeekFrame(index, start, phase, deload, reason))
    return frames


def _week_codes(season: Season, runs: list[RaceRun]) -> list[int]:
    """Each week's phase code: the phase most of its days are in."""
    codes = [_PREPARATION] * season.weeks
    if not runs:
        return codes
    length = 7 * season.weeks
    days = bytearray(length)
    one_day = timedelta(days=1)
    windows = [
        *((_COMPETITION, r.competition_start, r.taper_start - one_day) for r in runs),
        *((_TRANSITION, r.race + one_day, r.transition_end) for r in runs),
        *((_TAPER, r.taper_start, r.race) for r in runs),
    ]
    touched_low, touched_high = length, 0
    for code, first, last in windows:
        low = max(0, (first - season.start).days)
        high = min(length, (last - season.start).days + 1)
        if high > low:
            days[low:high] = bytes((code,)) * (high - low)
            touched_low, touched_high = min(touched_low, low), max(touched_high, high)
    for index in range(touched_low // 7, (touched_high + 6) // 7):
        week = bytes(days[7 * index : 7 * index + 7])
        if week != _PLAIN_WEEK:
            codes[index] = _most(week)
    return codes


def _most(week: bytes) -> int:
    """The phase most days of the week are in; a tie goes to the later phase."""
    return max(range(len(_PHASES)), key=lambda code: (week.count(code), code))


def _phase_reason(phase: str, run: RaceRun | None, rules: Rules) -> Reason:
    per_week = rules.sessions_per_week
    race = run.race if run else None
    if phase == "taper":
        low, high = rules.taper.volume_cut_percent
        return Reason(
            f"Taper: the {count(rules.taper.days, 'day')} before the A race on {race}, sets cut "
            f"{low}–{high} %, loads kept until the last {count(rules.taper.no_load_days, 'day')}"
            f"; {count(per_week.taper, 'session')} a week.",
            ("S7", "S12", "S14"),
        )
    if phase == "transition":
        wanted = per_week.transition
        doing = (
            "a break from lifting keeps the gains"
            if wanted == 0
            else f"{count(wanted, 'session')} a week"
        )
        return Reason(f"Transition after the A race on {race}: {doing}.", ("S7", "S13"))
    if phase == "competition":
        text = (
            f"Competition phase before the A race on {race}: "
            f"{count(per_week.competition, 'session')} a week "
            f"{_verb(per_week.competition, 'maintain')} strength."
        )
        phases = rules.phases
        if run is not None and run.competition_weeks < phases.competition_weeks:
            text += (
                f" It lasts {count(run.competition_weeks, 'week')}, not "
                f"{phases.competition_weeks}: preparation keeps at least "
                f"{percent(phases.min_preparation_share)} of the "
                f"{count(run.lead_in_weeks, 'week')} before the taper."
            )
        return Reason(text, ("S5", "S7"))
    if phase == "deload":
        every = rules.deload.every_weeks
        return Reason(
            f"Deload week (every {ordinal(every)} week of preparation): same exercises, "
            f"{count(rules.deload.set_reduction, 'set')} fewer.",
            rules.deload.sources,
        )
    return Reason(
        f"Preparation: {count(per_week.preparation, 'session')} a week "
        f"{_verb(per_week.preparation, 'build')} strength.",
        ("S5", "S7"),
    )


def _verb(number: int, verb: str) -> str:
    return f"{verb}s" if number == 1 else verb
