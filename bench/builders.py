"""Small builders shared by the tests and the benches: a coach with a club and a squad, an
athlete, a published plan. Users get one known password, so both can sign in as them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from runstrong.engine.profile import EQUIPMENT
from runstrong.web.coaching.models import Athlete, Club, Coach, Plan, Squad
from runstrong.web.coaching.plans import plan_generate, plan_publish

PASSWORD = "correct horse battery"


def make_coach(username: str) -> Coach:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    club = Club.objects.create(name=f"{username}'s club")
    coach = Coach.objects.create(user=user, club=club)
    Squad.objects.create(club=club, coach=coach, name=f"{username}'s squad")
    return coach


def make_athlete(coach: Coach, username: str | None, **fields: Any) -> Athlete:
    user = (
        get_user_model().objects.create_user(username=username, password=PASSWORD)
        if username
        else None
    )
    data: dict[str, Any] = {
        "name": (username or "athlete").title(),
        "event_group": "5k",
        "equipment": list(EQUIPMENT),
        "kettlebells_kg": [8, 12, 16],
        # Every day is a strength day and none is a hard day, so a session can fall on any day.
        "strength_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "hard_run_days": [],
    }
    data.update(fields)
    return Athlete.objects.create(squad=coach.squads.get(), user=user, **data)


def publish_plan(athlete: Athlete, start: date, weeks: int = 8, today: date | None = None) -> Plan:
    drafts, problems = plan_generate(athletes=[athlete], start=start, weeks=weeks)
    assert not problems, problems
    return plan_publish(plan=drafts[0], today=today or start)
