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
    a_races = [race.date for race in season.races if race.priority == "A"]
    taper_days = rules.taper.days
    competition_days = taper_days + 7 * rules.phases.competition_weeks
    transition_days = 7 * rules.phases.transition_weeks
    every = rules.deload.every_weeks
    frames: list[WeekFrame] = []
    preparation_run = 0
    for index in range(season.weeks):
        start = season.start + timedelta(days=7 * index)
        upcoming = next((race for race in a_races if race >= start), None)
        previous = next((race for race in reversed(a_races) if race < start), None)
        days_out = (upcoming - start).days if upcoming else None
        phase: Phase
        if days_out is not None and days_out < taper_days:
            phase = "taper"
            reason = Reason(
                f"Taper: A race on {upcoming}; volume about halved, loads kept until the last "
                f"{rules.taper.no_load_days} days.",
                ("S7", "S12", "S14"),
            )
        elif previous is not None and (start - previous).days <= transition_days:
            phase = "transition"
            reason = Reason(
                f"Transition after the A race on {previous}: a break from lifting keeps the gains.",
                ("S7", "S13"),
            )
        elif days_out is not None and days_out < competition_days:
            phase = "competition"
            reason = Reason(
                f"Competition phase before the A race on {upcoming}: one session a week "
                f"maintains strength.",
                ("S5", "S7"),
            )
        else:
            phase = "preparation"
            reason = Reason(
                "Preparation: two sessions a week build strength.",
                ("S5", "S7"),
            )
        preparation_run = preparation_run + 1 if phase == "preparation" else 0
        deload = phase == "preparation" and preparation_run % every == 0
        if deload:
            reason = Reason(
                f"Deload week (every {every}th week of preparation): same exercises, fewer sets.",
                ("S19",),
            )
        frames.append(WeekFrame(index + 1, start, phase, deload, reason))
    return frames
