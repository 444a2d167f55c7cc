"""Builders for web tests: the shared ones (bench/builders.py, which the benches use too)
and a few only the tests need."""

from __future__ import annotations

from datetime import date, timedelta

from bench.builders import PASSWORD, make_athlete, make_coach, publish_plan

from runstrong.web.coaching.models import Athlete, Race

__all__ = ["PASSWORD", "add_race", "make_athlete", "make_coach", "monday_before", "publish_plan"]


def add_race(athlete: Athlete, day: date, priority: str = "A") -> Race:
    return Race.objects.create(athlete=athlete, name="Race", date=day, priority=priority)


def monday_before(day: date) -> date:
    return day - timedelta(days=day.weekday())
