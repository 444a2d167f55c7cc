"""The coach reviews and publishes 16-week drafts for a 300-athlete squad.

Seeds the squad with a plan published 8 weeks ago and every session since logged, drafts a
16-week season for every athlete (`plan_generate`, as "Generate drafts" does), then times the
requests a coach makes, through Django's test client (server time, no network):
the review page (drafts by build and one week of one draft), another week of the draft
(the htmx pane), the publish confirmation of all 300, and the publish itself (POST).

Run: make bench   (or: python -m bench.plan_review [--athletes N] [--requests N])
Uses a throwaway SQLite database unless RUNSTRONG_DATABASE_URL names a PostgreSQL database
whose name contains "bench" (it is wiped).
Targets: review page < 300 ms; publish < 3 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from bench.logged_squad import analyze, log_past, make_squad, monday_weeks_ago, publish_from
from bench.overview_latency import _configure, coach_client

REVIEW_TARGET_MS = 300.0
PUBLISH_TARGET_S = 3.0
WEEKS = 16


def _median_ms(client: Any, url: str, requests: int, **headers: Any) -> tuple[float, int]:
    """The median milliseconds of `requests` GETs of `url`, and the SQL statements of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    return statistics.median(timings), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    _configure()
    from django.db import connection
    from django.utils import timezone

    from bench.overview_latency import fresh_database
    from runstrong.web.coaching.models import Athlete, Plan, PlannedItem
    from runstrong.web.coaching.plans import plan_generate

    fresh_database()
    rng = random.Random(13)
    began = time.perf_counter()
    coach, athletes = make_squad(args.athletes, rng, users=False)
    start = monday_weeks_ago(timezone.localdate(), 8)
    publish_from(athletes, start, weeks=WEEKS + 8, today=start)
    logged, _ = log_past(1.0, rng)
    drafts, _ = plan_generate(
        athletes=list(Athlete.objects.filter(squad__coach__user=coach)),
        start=timezone.localdate(),
        weeks=WEEKS,
    )
    analyze()
    items = PlannedItem.objects.filter(session__plan__in=drafts).count()
    print(
        f"seeded {args.athletes} athletes in {time.perf_counter() - began:.1f} s: "
        f"{logged:,} sessions logged, {len(drafts)} drafts of {WEEKS} weeks ({items:,} items)"
    )
    client: Any = coach_client(coach)
    middle = sorted(drafts, key=lambda d: d.pk)[len(drafts) // 2]
    review, review_sql = _median_ms(client, "/coach/plans/review/", args.requests)
    pane, pane_sql = _median_ms(
        client,
        f"/coach/plans/review/?plan={middle.pk}&week={WEEKS - 2}",
        args.requests,
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="draft-pane",
    )
    confirm, confirm_sql = _median_ms(client, "/coach/plans/publish/", 3)
    began = time.perf_counter()
    response = client.post("/coach/plans/publish/")
    publish_s = time.perf_counter() - began
    assert response.status_code == 302, response.status_code
    assert not Plan.objects.filter(published_at__isnull=True).exists()
    vendor = connection.vendor
    print(f"plan review of {args.athletes} athletes × {WEEKS} weeks on {vendor}:")
    print(
        f"review page   median {review:6.0f} ms  {review_sql:3} queries  "
        f"median/target({REVIEW_TARGET_MS:.0f} ms) = {review / REVIEW_TARGET_MS:.2f}"
    )
    print(
        f"another week  median {pane:6.0f} ms  {pane_sql:3} queries  "
        f"median/target({REVIEW_TARGET_MS:.0f} ms) = {pane / REVIEW_TARGET_MS:.2f}"
    )
    print(f"confirm all   median {confirm:6.0f} ms  {confirm_sql:3} queries")
    print(
        f"publish all   {publish_s:6.2f} s  "
        f"publish/target({PUBLISH_TARGET_S:.0f} s) = {publish_s / PUBLISH_TARGET_S:.2f}"
    )


if __name__ == "__main__":
    main()
