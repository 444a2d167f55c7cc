"""The demo club: a coach, 24 athletes over the catalog's event groups, 8 weeks of logs."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from runstrong.engine.profile import EQUIPMENT
from runstrong.web.coaching.models import (
    Athlete,
    BenchmarkResult,
    Club,
    Coach,
    PlannedSession,
    Race,
    Squad,
)
from runstrong.web.coaching.plans import plan_generate, plan_publish
from runstrong.web.coaching.session_log import (
    PainEntry,
    SetEntry,
    session_log_done,
    session_log_missed,
)
from runstrong.web.coaching.site_catalog import site_catalog

DEMO_CLUB = "Riverside Harriers (demo)"
DEMO_PASSWORD = "demo"
FIRST_NAMES = [
    "Maya", "Tom", "Ines", "Sam", "Jonas", "Aisha", "Leo", "Priya", "Owen", "Chloe", "Mateo",
    "Freya", "Kofi", "Lena", "Ravi", "Nora", "Eli", "Sofia", "Yusuf", "Hanna", "Finn", "Zara",
    "Ivan", "Amara",
]  # fmt: skip
MISSED_REASONS = ["Work ran late", "Felt ill", "Travel", "Exam week", "Gym closed"]
Progress = Callable[[str, int, int], None]


def demo_exists() -> bool:
    return Club.objects.filter(name=DEMO_CLUB).exists()


def seed_demo(*, today: date, athletes: int = 24, progress: Progress | None = None) -> Club:
    """Create the demo club as of `today`; the caller checks `demo_exists` first."""
    report = progress or (lambda _step, _done, _total: None)
    rng = random.Random(2027)
    users = get_user_model()
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        club = Club.objects.create(name=DEMO_CLUB)
        coach_user = users.objects.create(
            username="coach", first_name="Casey", last_name="Coach", password=password
        )
        coach = Coach.objects.create(user=coach_user, club=club)
        squad = Squad.objects.create(club=club, coach=coach, name="Endurance squad")
        members = [_athlete(squad, index, rng, today, password, users) for index in range(athletes)]
    start = today - timedelta(days=today.weekday() + 7 * 8)
    for done, athlete in enumerate(members, start=1):
        drafts, _ = plan_generate(athletes=[athlete], start=start, weeks=20)
        for draft in drafts:
            plan_publish(plan=draft, today=start)
        _log_history(athlete, today, rng)
        report("Seeding athletes", done, len(members))
    _test_day(members, today - timedelta(days=12), rng)
    return club


def _athlete(
    squad: Squad, index: int, rng: random.Random, today: date, password: str, users: type[User]
) -> Athlete:
    groups = site_catalog().groups
    group = groups[index % len(groups)].slug
    user = users.objects.create(
        username=f"athlete{index + 1}", first_name=FIRST_NAMES[index % 24], password=password
    )
    hard = rng.choice([["tue", "thu"], ["tue", "sat"], ["wed", "sat"], ["mon", "thu"]])
    athlete = Athlete.objects.create(
        squad=squad,
        user=user,
        name=f"{FIRST_NAMES[index % 24]} {chr(65 + index % 26)}.",
        email=f"athlete{index + 1}@example.invalid",
        event_group=group,
        sex=rng.choice(["female", "male"]),
        body_mass_kg=round(rng.uniform(48, 78), 1),
        experience=rng.choice(["new", "some", "some", "experienced"]),
        leg_length=rng.choice(["short", "average", "average", "long"]),
        stride_goal=rng.choice(["keep", "lengthen"]),
        problems=rng.sample(["knee", "shin", "calf", "lower-back"], rng.choice([0, 0, 1])),
        equipment=list(EQUIPMENT)
        if rng.random() > 0.2
        else [code for code in EQUIPMENT if code != "ghd"],
        kettlebells_kg=[8, 8, 12, 12, 16, 20],
        strength_days=sorted(set(hard) | {rng.choice(["mon", "wed", "fri"])}),
        hard_run_days=hard,
    )
    Race.objects.create(
        athlete=athlete,
        name="County championships",
        date=today + timedelta(days=rng.randrange(50, 90)),
        priority="A",
    )
    Race.objects.create(
        athlete=athlete,
        name="Club league",
        date=today + timedelta(days=rng.randrange(10, 40)),
        priority="C",
    )
    return athlete


# Where a sore session hurt, and the exercise it hurt in.
SORE_SPOTS = [
    ("knee", "banded-spanish-squat"),
    ("shin", "crouching-crawl"),
    ("lower-back", "glute-ham-iso-row"),
]


def _log_history(athlete: Athlete, today: date, rng: random.Random) -> None:
    # Items are read per session, after the previous session's log has moved them on.
    sessions = PlannedSession.objects.filter(athlete=athlete, date__lt=today).order_by("date")
    reliable = rng.uniform(0.7, 0.98)
    for session in sessions:
        # Each logged on its day, so the sessions after it follow it as they would have.
        on_the_day = session.date + timedelta(days=1)
        if rng.random() > reliable:
            session_log_missed(session=session, reason=rng.choice(MISSED_REASONS), today=on_the_day)
            continue
        sore = rng.random() < 0.015
        entries = []
        for item in session.items.all():
            sides = ["left", "right"] if item.per_side else [""]
            for number in range(1, item.sets + 1):
                for side in sides:
                    short = rng.random() < 0.15
                    entries.append(
                        SetEntry(
                            item.pk,
                            number,
                            side,
                            max(1.0, item.target - (1 if short else 0)),
                            item.load_kg,
                        )
                    )
        # A sore session hurts in one exercise; otherwise a niggle elsewhere, now and then.
        area, exercise = rng.choice(SORE_SPOTS)
        exercises = {item.exercise for item in session.items.all()}
        score = rng.choice([3, 4]) if sore else rng.choice([0, 0, 0, 1])
        side = "" if area == "lower-back" else rng.choice(["left", "right"])
        pains = [PainEntry(score, area, side, exercise if sore and exercise in exercises else "")]
        session_log_done(
            session=session,
            sets=entries,
            reps_in_reserve=rng.choice([1, 2, 2, 3, 3]),
            pains=pains,
            notes="",
            today=on_the_day,
        )


def _heel_raise_target(group: str) -> float:
    """The group's heel-raise standard: the demo squad tests around it."""
    standards = site_catalog().group(group).standards
    return next((s.target for s in standards if s.movement == "heel-raise"), 25.0)


def _test_day(members: list[Athlete], day: date, rng: random.Random) -> None:
    results = []
    for athlete in members:
        base = round(_heel_raise_target(athlete.event_group)) - 1
        left = base + rng.randint(-5, 5)
        results += [
            BenchmarkResult(
                athlete=athlete,
                movement="heel-raise",
                date=day,
                left=left,
                right=left + rng.randint(-4, 3),
            ),
            BenchmarkResult(
                athlete=athlete,
                movement="single-leg-squat-box",
                date=day,
                left=rng.randint(13, 22),
                right=rng.randint(13, 22),
            ),
            BenchmarkResult(
                athlete=athlete, movement="glute-ham-hold", date=day, value=rng.randint(150, 230)
            ),
        ]
        # Each exercise's own benchmark: loads are kettlebell sizes, the row is timed per arm.
        squat_kg = rng.choice([8, 12])
        results += [
            BenchmarkResult(
                athlete=athlete, movement="spanish-squat-goblet", date=day, value=squat_kg
            ),
            BenchmarkResult(
                athlete=athlete,
                movement="crouching-crawl-carry",
                date=day,
                value=rng.choice([8, 12]),
            ),
            BenchmarkResult(
                athlete=athlete,
                movement="goblet-single-leg-squat",
                date=day,
                left=squat_kg,
                right=squat_kg if rng.random() > 0.2 else squat_kg - 4,
            ),
            BenchmarkResult(
                athlete=athlete,
                movement="glute-ham-row-timed",
                date=day,
                left=rng.randint(35, 70),
                right=rng.randint(35, 70),
            ),
        ]
        if rng.random() < 0.5:  # the hop screen is optional: about half the squad did it
            hop = rng.randint(140, 200)
            results.append(
                BenchmarkResult(
                    athlete=athlete,
                    movement="hop-symmetry",
                    date=day,
                    left=hop,
                    right=hop - rng.randint(0, 25),
                )
            )
    BenchmarkResult.objects.bulk_create(results)
