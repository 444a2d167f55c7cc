"""The request that completes a session, replan of the athlete's future included.

Seeds N athletes, each with a published 52-week plan that began 26 weeks ago, the older half
of their past sessions logged and the future already following that log. Then each timed
session is an athlete's oldest one still unlogged (athletes in turn, each catching up in date
order, so every completion moves the log's end and the doses ahead): it is fetched and its
sets saved first (not timed), then `POST /api/v1/sessions/{id}/complete` goes through Django's
WSGI handler in this process with the athlete's bearer token, as bench/set_log_cost.py does.

Run: make bench   (or: python -m bench.complete_session [--athletes N] [--requests N]
[--budget SECONDS]: timing stops early, with fewer requests, when they take longer than that)
Uses a throwaway SQLite database unless RUNSTRONG_DATABASE_URL names a PostgreSQL database
whose name contains "bench" (it is wiped), e.g.
RUNSTRONG_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/runstrong_bench
Target: p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import time
from typing import Any

from bench.logged_squad import analyze, log_past, make_squad, monday_weeks_ago, publish_from
from bench.overview_latency import _configure
from bench.set_log_cost import _environ

TARGET_MS = 50.0
WARM_UP = 10


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, round(share * len(ordered)) - 1)]


def _to_complete(count: int, rng: random.Random) -> list[Any]:
    """`count` unlogged past sessions: each athlete's oldest, athletes in turn."""
    from django.utils import timezone

    from runstrong.web.coaching.models import PlannedSession
    from runstrong.web.coaching.session_rows import unlogged

    rows = unlogged(PlannedSession.objects.filter(date__lt=timezone.localdate()))
    by_athlete: dict[int, list[Any]] = {}
    for row in rows.select_related("athlete__user").order_by("date", "pk"):
        by_athlete.setdefault(row.athlete_id, []).append(row)
    queues = list(by_athlete.values())
    rng.shuffle(queues)
    chosen: list[Any] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} unlogged past sessions: seed more athletes")
    return chosen


def _log_sets(session: Any) -> None:
    from runstrong.web.coaching.session_log import SetEntry, set_record

    for item in session.items.all():
        for number in range(1, item.sets + 1):
            for side in ("left", "right") if item.per_side else ("",):
                set_record(SetEntry(item.pk, number, side, item.target, item.load_kg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--budget", type=float, default=60.0, help="stop timing after this many seconds"
    )
    args = parser.parse_args()
    os.environ["RUNSTRONG_API_RATE"] = "100000000/s"  # one process completes for everyone
    _configure()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.overview_latency import fresh_database
    from runstrong.web.coaching.models import PlannedItem, PlannedSession
    from runstrong.web.coaching.tokens import token_create

    fresh_database()
    from runstrong.web.coaching.session_rows import superseded_purge
    from runstrong.web.config.wsgi import application  # after collectstatic, for whitenoise

    rng = random.Random(3)
    began = time.perf_counter()
    _, athletes = make_squad(args.athletes, rng, users=True)
    start = monday_weeks_ago(timezone.localdate(), 26)
    publish_from(athletes, start, weeks=52, today=start)
    logged, sets = log_past(0.5, rng)
    publish_from(athletes, start, weeks=52)  # the future follows the log from here on
    superseded_purge()  # what `runstrong worker` does after that publish
    analyze()
    future = PlannedSession.objects.filter(date__gte=timezone.localdate())
    print(
        f"seeded {args.athletes} athletes in {time.perf_counter() - began:.1f} s: {logged:,} past "
        f"sessions and {sets:,} sets logged, {future.count():,} sessions and "
        f"{PlannedItem.objects.filter(session__in=future).count():,} items ahead"
    )
    bearers = {
        athlete.pk: {
            "HTTP_AUTHORIZATION": "Bearer "
            + token_create(user=athlete.user, name="bench", read_only=False)[1]
        }
        for athlete in athletes
    }
    sessions = _to_complete(WARM_UP + args.requests + 1, rng)
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    body = json.dumps({"reps_in_reserve": 2, "pain": 0}).encode()

    def send(method: str, session: Any, path: str = "", data: bytes = b"") -> float:
        environ = _environ(
            method, f"/api/v1/sessions/{session.pk}{path}", data, bearers[session.athlete_id]
        )
        began = time.perf_counter()
        response = application(environ, start_response)
        b"".join(response)
        response.close()
        elapsed = (time.perf_counter() - began) * 1000
        assert statuses[-1].startswith("200"), statuses[-1]
        return elapsed

    def prepare(session: Any) -> None:
        """The athlete opens the session on the phone and logs every set."""
        send("GET", session)
        _log_sets(session)

    # A served worker holds none of the seed's objects, and gunicorn freezes what it loaded
    # before forking (web/config/gunicorn.py): its collections walk only a request's garbage.
    # This process holds the whole seed, so it freezes it the same way.
    gc.collect()
    gc.freeze()
    timings: list[float] = []
    stop = time.perf_counter() + args.budget
    for number, session in enumerate(sessions[:-1]):
        prepare(session)
        elapsed = send("POST", session, "/complete", body)
        if number >= WARM_UP:
            timings.append(elapsed)
        if time.perf_counter() > stop and len(timings) >= 20:
            break  # a slow build still ends in minutes; the count printed says so
    timings.sort()
    prepare(sessions[-1])
    with CaptureQueriesContext(connection) as queries:
        one = send("POST", sessions[-1], "/complete", body)
    writes = [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    p50, p95, p99 = (_percentile(timings, share) for share in (0.50, 0.95, 0.99))
    print(
        f"POST complete on {connection.vendor}, {len(timings)} requests in-process "
        f"(sets logged beforehand, not timed), {args.athletes} athletes"
    )
    print(
        f"p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms  max {timings[-1]:.1f} ms; "
        f"p95/target({TARGET_MS:.0f} ms) = {p95 / TARGET_MS:.2f}"
    )
    print(
        f"one request ({one:.1f} ms with query capture): {len(queries)} SQL statements, "
        f"{len(queries) - len(writes)} SELECT, {len(writes)} other"
    )


if __name__ == "__main__":
    main()
