from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from runstrong.web.coaching.models import Athlete, Coach, PlannedSession
from tests.web.factories import make_athlete, make_coach, publish_plan


@dataclass
class World:
    """Two coaches; X coaches athletes A and B, Y coaches athlete C. A and B have plans."""

    coach_x: Coach
    coach_y: Coach
    athlete_a: Athlete
    athlete_b: Athlete
    athlete_c: Athlete
    today: date

    def next_session(self, athlete: Athlete) -> PlannedSession:
        return (
            PlannedSession.objects.filter(athlete=athlete, date__gte=self.today)
            .order_by("date")
            .first()
        )  # type: ignore[return-value]


@pytest.fixture
def world(db: None) -> World:
    today = timezone.localdate()
    coach_x, coach_y = make_coach("coachx"), make_coach("coachy")
    a = make_athlete(coach_x, "athletea")
    b = make_athlete(coach_x, "athleteb", event_group="10k")
    c = make_athlete(coach_y, "athletec", event_group="800-1500m")
    for athlete in (a, b, c):
        publish_plan(athlete, start=today, weeks=6)
    return World(coach_x, coach_y, a, b, c, today)


def login(client: Client, athlete_or_coach: Athlete | Coach) -> Client:
    user = athlete_or_coach.user
    assert user is not None
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
