"""Seeding for the benches of the plan following the log: a squad, its plans, its past logged.

Shared by bench/complete_session.py and bench/publish_squad.py. Athletes vary a little (event
group, kettlebells, problems, days) so the engine's shared ladders are not all one entry; sets
are logged as prescribed, a few short, some sessions missed, a few with pain.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

GROUPS = ("800-1500m", "5k", "10k")
KETTLEBELLS = ((8, 12, 16), (12, 16), (8, 12, 16, 20), (6, 10))
PROBLEMS = ((), (), ("knee",), ("calf",), ("shin",), ("lower-back", "knee"))
DAYS = (
    (("tue", "thu", "sat"), ("tue", "thu")),
    (("mon", "wed", "fri"), ("tue", "sat")),
    (("tue", "fri", "sun"), ("wed", "sat")),
)


def monday_weeks_ago(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday() + 7 * weeks)


def make_squad(count: int, rng: random.Random, *, users: bool) -> tuple[Any, list[Any]]:
    """The coach's login and `count` athletes in one squad, each with a race 3 to 13 weeks
    away; with `users`, each athlete has a login of their own (no password)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from runstrong.web.coaching.models import Athlete, Club, Coach, Race, Squad

    today = timezone.localdate()
    user_model = get_user_model()
    coach_user = user_model.objects.create_user("benchcoach", password="bench-password-1")
    club = Club.objects.create(name="Bench club")
    coach = Coach.objects.create(user=coach_user, club=club)
    squad = Squad.objects.create(club=club, coach=coach, name="Bench squad")
    logins: Sequence[Any] = [None] * count
    if users:
        made = [user_model(username=f"benchathlete{index:03d}") for index in range(count)]
        for login in made:
            login.set_unusable_password()
        logins = user_model.objects.bulk_create(made)
    rows = []
    for index in range(count):
        strength, hard = DAYS[index % len(DAYS)]
        rows.append(
            Athlete(
                squad=squad,
                user=logins[index],
                name=f"Athlete {index:03d}",
                event_group=GROUPS[index % len(GROUPS)],
                experience="experienced" if index % 4 == 0 else "some",
                equipment=["band", "ghd", "kettlebells", "bench"],
                kettlebells_kg=list(rng.choice(KETTLEBELLS)),
                problems=list(rng.choice(PROBLEMS)),
                strength_days=list(strength),
                hard_run_days=list(hard),
            )
        )
    athletes = Athlete.objects.bulk_create(rows)
    Race.objects.bulk_create(
        [Race(athlete=a, date=today + timedelta(days=rng.randrange(20, 90))) for a in athletes]
    )
    return coach_user, athletes


def publish_from(
    athletes: Iterable[Any], start: date, weeks: int, today: date | None = None
) -> None:
    """Publish a season from `start` for each athlete as the coach would on `today` (default:
    the real today), so from that day on it follows each athlete's log so far."""
    from runstrong.web.coaching.plans import plan_generate, plan_publish

    drafts, problems = plan_generate(athletes=athletes, start=start, weeks=weeks, today=today)
    assert not problems, problems
    for draft in drafts:
        plan_publish(plan=draft, today=today)


def log_past(share: float, rng: random.Random) -> tuple[int, int]:
    """Log each athlete's oldest `share` of the sessions before today, as logged on the day
    (15% of them missed); returns (sessions, sets) logged."""
    from django.utils import timezone

    from runstrong.web.coaching.models import PlannedSession

    past = PlannedSession.objects.filter(date__lt=timezone.localdate())
    by_athlete: dict[int, list[Any]] = {}
    for row in past.prefetch_related("items").order_by("date", "pk"):
        by_athlete.setdefault(row.athlete_id, []).append(row)
    chosen = [row for rows in by_athlete.values() for row in rows[: round(share * len(rows))]]
    return log_sessions(chosen, rng, pain_rate=0.02, short_rate=0.1)


def log_sessions(
    sessions: Iterable[Any], rng: random.Random, *, pain_rate: float, short_rate: float
) -> tuple[int, int]:
    """Log these sessions as an athlete would: 15% missed, `pain_rate` of them with pain 4/10,
    `short_rate` of exercises one short of the target; returns (sessions, sets) logged."""
    from runstrong.web.coaching.models import PainReport, SessionLog, SetLog

    logs, sets, pains = [], [], []
    for session in sessions:
        if rng.random() < 0.15:
            logs.append(SessionLog(session=session, status="missed", missed_reason="busy"))
            continue
        pain = 4 if rng.random() < pain_rate else 0
        logs.append(SessionLog(session=session, status="done", reps_in_reserve=2, pain=pain))
        if pain:
            pains.append(
                PainReport(
                    athlete_id=session.athlete_id, session=session, date=session.date, score=pain
                )
            )
        for item in session.items.all():
            short = rng.random() < short_rate and item.target > 1
            done = item.target - 1 if short else item.target
            for number in range(1, item.sets + 1):
                for side in ("left", "right") if item.per_side else ("",):
                    sets.append(
                        SetLog(
                            item=item,
                            set_number=number,
                            side=side,
                            done=done,
                            load_kg=item.load_kg,
                        )
                    )
    SessionLog.objects.bulk_create(logs, batch_size=2000)
    SetLog.objects.bulk_create(sets, batch_size=5000)
    PainReport.objects.bulk_create(pains)
    return len(logs), len(sets)


def analyze() -> None:
    """Leave the tables just filled as autovacuum would have by the time a real squad had
    logged this much: planner statistics, and the visibility map index-only scans need (else
    each also reads the table). SQLite needs nothing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
