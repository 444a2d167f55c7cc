"""Seed a 300-athlete squad with a year of logs and time the coach's overview page.

Run: make bench   (or: python -m bench.overview_latency [--athletes N] [--requests N])
Uses a throwaway SQLite database under a temporary folder unless RUNSTRONG_DATABASE_URL is set
(for PostgreSQL, a database whose name contains "bench": it is wiped first), e.g.
RUNSTRONG_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/runstrong_bench
Target: median under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from typing import Any

TARGET_MS = 300.0


def _configure() -> None:
    os.environ.setdefault("RUNSTRONG_DATA_DIR", tempfile.mkdtemp(prefix="runstrong-bench-"))
    os.environ.setdefault("RUNSTRONG_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["RUNSTRONG_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runstrong.web.config.settings")
    import django

    django.setup()


def fresh_database() -> None:
    """Migrate and empty the bench database, refusing anything not meant for benches."""
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        raise SystemExit(f"refusing to wipe database {name!r}: use one whose name has 'bench'")
    if connection.vendor == "postgresql":
        _create_postgres_database(connection.settings_dict)
    call_command("migrate", verbosity=0)
    call_command("flush", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def _create_postgres_database(settings: dict[str, object]) -> None:
    """Create the bench database on a fresh server, through the maintenance database."""
    import psycopg
    from psycopg import sql

    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:  # type: ignore[arg-type]
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]
        ).fetchone()
        if exists is None:
            admin.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(settings["NAME"])))
            )


def coach_client(user: object) -> object:
    """A test client signed in as the bench coach, with templates and caches warmed."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
    for _ in range(3):
        assert client.get("/coach/").status_code == 200
    return client


def seed(athletes: int, rng: random.Random) -> object:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bench.logged_squad import log_sessions
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

    today = timezone.localdate()
    start = today - timedelta(days=today.weekday() + 7 * 52)
    user = get_user_model().objects.create_user("benchcoach", password="bench-password-1")
    club = Club.objects.create(name="Bench club")
    coach = Coach.objects.create(user=user, club=club)
    squad = Squad.objects.create(club=club, coach=coach, name="Big squad")
    groups = ["800-1500m", "5k", "10k"]
    rows = Athlete.objects.bulk_create(
        [
            Athlete(
                squad=squad,
                name=f"Athlete {index:03d}",
                event_group=groups[index % 3],
                equipment=["band", "ghd", "kettlebells", "bench"],
                kettlebells_kg=[8, 12, 16],
                strength_days=["tue", "thu", "sat"],
                hard_run_days=["tue", "thu"],
            )
            for index in range(athletes)
        ]
    )
    Race.objects.bulk_create(
        [Race(athlete=a, date=today + timedelta(days=rng.randrange(20, 90))) for a in rows]
    )
    began = time.perf_counter()
    drafts, _ = plan_generate(athletes=rows, start=start, weeks=60)
    for draft in drafts:
        plan_publish(plan=draft, today=start)
    planned = time.perf_counter() - began
    past = list(
        PlannedSession.objects.filter(date__lt=today).prefetch_related("items").order_by("pk")
    )
    _, sets = log_sessions(past, rng, pain_rate=0.01, short_rate=0.0)
    BenchmarkResult.objects.bulk_create(
        [
            BenchmarkResult(
                athlete=a,
                movement="heel-raise",
                date=today - timedelta(days=days),
                left=rng.randint(18, 32),
                right=rng.randint(18, 32),
            )
            for a in rows
            for days in (40, 130, 220, 310)
        ]
    )
    print(
        f"seeded {athletes} athletes: {len(past):,} past sessions, {sets:,} set logs "
        f"(plans generated and published in {planned:.1f} s)"
    )
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=300)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    _configure()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fresh_database()
    client: Any = coach_client(seed(args.athletes, random.Random(1)))
    timings = []
    for _ in range(args.requests):
        began = time.perf_counter()
        response = client.get("/coach/")
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/coach/")
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    vendor = connection.vendor
    print(
        f"overview of {args.athletes} athletes on {vendor}: median {median:.0f} ms, "
        f"p95 {p95:.0f} ms over {args.requests} requests, {len(queries)} queries; "
        f"median/target({TARGET_MS:.0f} ms) = {median / TARGET_MS:.2f}"
    )


if __name__ == "__main__":
    main()
