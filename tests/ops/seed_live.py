"""Seed a database for a test that runs the real server: `python -m tests.ops.seed_live N`.

Runs in its own process with the server's environment (RUNSTRONG_* names the database),
migrates, and prints one JSON line: the coach's login, the test day, and each athlete's token
and today's session with its sets.
"""

from __future__ import annotations

import json
import sys

import django


def main(athletes: int) -> None:
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from runstrong.web.coaching.calendar_feed import feed_create
    from runstrong.web.coaching.models import TestDay
    from runstrong.web.coaching.tokens import token_create
    from tests.web.factories import PASSWORD, make_athlete, make_coach, publish_plan

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    coach = make_coach("opscoach")
    seeded = []
    for number in range(athletes):
        athlete = make_athlete(coach, f"opsathlete{number}")
        publish_plan(athlete, start=today, weeks=2)
        session = athlete.sessions.filter(date=today).get()
        sets = [
            {"item_id": item.pk, "set_number": n, "side": side}
            for item in session.items.order_by("slot")
            for n in range(1, item.sets + 1)
            for side in (("left", "right") if item.per_side else ("",))
        ]
        token = token_create(user=athlete.user, name="ops", read_only=False)[1]
        seeded.append(
            {
                "id": athlete.pk,
                "username": athlete.user.username,
                "token": token,
                "session": session.pk,
                "sets": sets,
            }
        )
    test_day = TestDay.objects.create(
        squad=coach.squads.get(), date=today, movements=["heel-raise"]
    )
    print(
        json.dumps(
            {
                "coach": {"username": "opscoach", "password": PASSWORD},
                "password": PASSWORD,
                "test_day": test_day.pk,
                "feed": feed_create(athlete=athlete),
                "athletes": seeded,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
