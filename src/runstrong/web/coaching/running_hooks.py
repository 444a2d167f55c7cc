"""What runs done tell the running plan: the one place completed runs plug in."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from runstrong.web.coaching import completed_runs
from runstrong.web.coaching.models import Athlete, CompletedRun


def completed_hard_days(athlete: Athlete, start: date, end: date) -> set[date]:
    """The days from `start` to `end` (inclusive) with a completed run classified hard."""
    if end < start:
        return set()
    return set(completed_runs.completed_hard_days(athlete, start, end))


def completed_hard_days_many(
    athletes: dict[int, Athlete], ranges: dict[int, tuple[date, date]]
) -> dict[int, set[date]]:
    """`completed_hard_days` for many athletes, each over their own range, in one query."""
    return completed_runs.hard_days_many(athletes, ranges)


def completed_minutes(
    athlete_ids: list[int], start: date, end: date
) -> dict[int, dict[date, float]]:
    """Per athlete, minutes of running done each day from `start` to `end`, for the
    load-jump check: one query for a squad."""
    minutes: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for athlete_id, day, seconds in CompletedRun.objects.filter(
        athlete__in=athlete_ids, date__gte=start, date__lte=end
    ).values_list("athlete_id", "date", "duration_s"):
        minutes[athlete_id][day] += seconds / 60
    return {athlete_id: dict(days) for athlete_id, days in minutes.items()}
