"""The coach's season calendar for one athlete: every week from Monday, sessions and races."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


@dataclass
class Week:
    monday: date
    sessions: list[Any] = field(default_factory=list)
    races: list[Any] = field(default_factory=list)

    @property
    def entries(self) -> list[tuple[str, Any]]:
        """Sessions and races in date order, each as ("session", row) or ("race", row)."""
        both = [("session", s) for s in self.sessions] + [("race", r) for r in self.races]
        return sorted(both, key=lambda entry: (entry[1].date, entry[0] == "session"))


def season_weeks(sessions: Sequence[Any], races: Sequence[Any]) -> list[Week]:
    """One row per week, labelled by its Monday, from the first session's week to the last
    session or race: weeks without a session are kept (a taper, a race week, a gap in the
    plan show as such), and races sit in their weeks. No sessions, no calendar."""
    if not sessions:
        return []
    first = _monday(min(s.date for s in sessions))
    shown_races = [race for race in races if race.date >= first]
    last = _monday(max([s.date for s in sessions] + [race.date for race in shown_races]))
    weeks = {
        first + timedelta(weeks=n): Week(first + timedelta(weeks=n))
        for n in range((last - first).days // 7 + 1)
    }
    for session in sorted(sessions, key=lambda s: s.date):
        weeks[_monday(session.date)].sessions.append(session)
    for race in sorted(shown_races, key=lambda r: r.date):
        weeks[_monday(race.date)].races.append(race)
    return list(weeks.values())


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
