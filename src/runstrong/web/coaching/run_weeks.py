"""Weeks of running and strength side by side: each day's completed runs (hard or easy, and
why) beside its strength session, for the athlete's phone and the coach's athlete page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch

from runstrong.web.coaching.athlete_screens import published_sessions
from runstrong.web.coaching.completed_runs import JudgedRun, runs_by_day
from runstrong.web.coaching.models import Athlete, PlannedItem, PlannedSession


@dataclass
class Day:
    date: date
    runs: list[JudgedRun] = field(default_factory=list)
    sessions: list[PlannedSession] = field(default_factory=list)

    @property
    def hard(self) -> bool:
        return any(run.hard for run in self.runs)


@dataclass
class RunWeek:
    monday: date
    days: list[Day]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def busy_days(self) -> list[Day]:
        return [day for day in self.days if day.runs or day.sessions]

    @property
    def hard_days(self) -> int:
        return sum(1 for day in self.days if day.hard)

    @property
    def kilometres(self) -> float:
        return sum(run.run.distance_m for day in self.days for run in day.runs) / 1000


def running_weeks(athlete: Athlete, today: date, weeks: int = 4) -> list[RunWeek]:
    """This week first, then the `weeks - 1` before it."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    span = weeks * 7
    runs = runs_by_day(athlete, first, span)
    sessions: dict[date, list[PlannedSession]] = {}
    rows = (
        published_sessions(athlete)
        .filter(date__gte=first, date__lt=first + timedelta(days=span))
        .select_related("log")
        .prefetch_related(Prefetch("items", queryset=PlannedItem.objects.only("session", "name")))
        .order_by("date")
    )
    for session in rows:
        sessions.setdefault(session.date, []).append(session)
    found = []
    for n in range(weeks):
        monday = this_monday - timedelta(weeks=n)
        days = [monday + timedelta(days=d) for d in range(7)]
        found.append(
            RunWeek(
                monday,
                [Day(day, runs.get(day, []), sessions.get(day, [])) for day in days],
            )
        )
    return found
