"""Split a season into weeks and give each its phase from the A races [S7]."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from runstrong.engine.catalog import Rules
from runstrong.engine.model import Phase, Reason
from runstrong.engine.profile import Season


@dataclass(frozen=True, slots=True)
class WeekFrame:
    index: int
    start: date
    phase: Phase
    deload: bool
    reason: Reason


def season_weeks(season: Season, rules: Rules) -> list[WeekFrame]:
    a_races = sorted(race.date for race in season.races if race.priority == "A")
    taper_days = rules.taper.days
    competition_days = taper_days + 7 * rules.phases.competition_weeks
    transition_days = 7 * rules.phases.transition_weeks
    every = rules.deload.every_weeks
    frames: list[WeekFrame] = []
    preparation_run = 0
    # Weeks of one phase before one race share their reason, so a season holds a handful.
    reasons: dict[tuple[str, date | None], Reason] = {}
    passed = 0  # A races before this week's start; weeks only move forward
    for index in range(season.weeks):
        start = season.start + timedelta(days=7 * index)
        while passed < len(a_races) and a_races[passed] < start:
            passed += 1
        upcoming = a_races[passed] if passed < len(a_races) else None
        previous = a_races[passed - 1] if passed else None
        days_out = (upcoming - start).days if upcoming else None
        phase: Phase
        race: date | None = None
        if days_out is not None and days_out < taper_days:
            phase, race = "taper", upcoming
        elif previous is not None and (start - previous).days <= transition_days:
            phase, race = "transition", previous
        elif days_out is not None and days_out < competition_days:
            phase, race = "competition", upcoming
        else:
            phase = "preparation"
        preparation_run = preparation_run + 1 if phase == "preparation" else 0
        deload = phase == "preparation" and preparation_run % every == 0
        key = ("deload" if deload else phase, race)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = _phase_reason(key[0], race, rules)
        frames.append(WeekFrame(index + 1, start, phase, deload, reason))
    return frames


def _phase_reason(phase: str, race: date | None, rules: Rules) -> Reason:
    if phase == "taper":
        return Reason(
            f"Taper: A race on {race}; volume about halved, loads kept until the last "
            f"{rules.taper.no_load_days} days.",
            ("S7", "S12", "S14"),
        )
    if phase == "transition":
        return Reason(
            f"Transition after the A race on {race}: a break from lifting keeps the gains.",
            ("S7", "S13"),
        )
    if phase == "competition":
        return Reason(
            f"Competition phase before the A race on {race}: one session a week maintains "
            f"strength.",
            ("S5", "S7"),
        )
    if phase == "deload":
        every = rules.deload.every_weeks
        return Reason(
            f"Deload week (every {every}th week of preparation): same exercises, fewer sets.",
            rules.deload.sources,
        )
    return Reason("Preparation: two sessions a week build strength.", ("S5", "S7"))
