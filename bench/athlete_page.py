"""Time the coach's athlete page with its charts for an athlete with a season of logs, and
count what a first load transfers.

Run: make bench   (or: python -m bench.athlete_page [--weeks N] [--requests N])
Seeds a small squad on a throwaway SQLite database (or RUNSTRONG_DATABASE_URL naming a
database with "bench" in its name, which is wiped), each athlete on a plan published `weeks`
ago with every past session logged (15 % missed, a few in pain) and four test days.

Server time: the page rendered through Django's test client (every middleware, no network),
by the wall clock and in CPU time (steadier on a machine shared with other work).
Transferred on a first load: the HTML as served, plus every script and stylesheet it references
as whitenoise serves them from collectstatic's output (the .gz file collectstatic wrote beside
it, when whitenoise would use it). Targets: median under 150 ms; first load under 1.5 MB.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.overview_latency import _configure, coach_client, fresh_database

TARGET_MS = 150.0
TARGET_BYTES = 1_500_000
FIGURE = re.compile(rb'<script type="application/json" id="chart-[^"]+">(.*?)</script>', re.S)
ASSET = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+\.(?:js|css))"')


def seed(weeks: int, rng: random.Random) -> tuple[Any, Any]:
    from django.utils import timezone

    from bench.logged_squad import log_sessions, make_squad, monday_weeks_ago, publish_from
    from runstrong.web.coaching.models import BenchmarkResult, PlannedSession

    today = timezone.localdate()
    coach_user, athletes = make_squad(3, rng, users=False)
    start = monday_weeks_ago(today, weeks)
    # to the races make_squad sets 3 to 13 weeks ahead, so each plan has its taper
    publish_from(athletes, start, weeks + 14, today=start)
    past = PlannedSession.objects.filter(date__lt=today).prefetch_related("items")
    sessions, sets = log_sessions(past.order_by("date", "pk"), rng, pain_rate=0.05, short_rate=0.1)
    BenchmarkResult.objects.bulk_create(
        [
            BenchmarkResult(
                athlete=athlete,
                movement=movement,
                date=today - timedelta(weeks=week),
                left=rng.randint(18, 30),
                right=rng.randint(18, 30),
            )
            for athlete in athletes
            for week in range(2, weeks, max(1, weeks // 4))
            for movement in ("heel-raise", "single-leg-squat-box")
        ]
    )
    print(
        f"seeded {len(athletes)} athletes on a {weeks}-week season so far: "
        f"{sessions:,} logged sessions, {sets:,} set logs"
    )
    return coach_user, athletes[0]


def served_bytes(url: str) -> tuple[int, int]:
    """(bytes on the wire, bytes uncompressed) of a static URL as whitenoise serves it."""
    from django.conf import settings

    name = url.split(settings.STATIC_URL, 1)[1].split("?", 1)[0]
    path = Path(settings.STATIC_ROOT) / name
    raw = path.stat().st_size
    packed = path.with_name(path.name + ".gz")
    # whitenoise keeps a .gz only when it is smaller: serve that to any gzip-capable browser.
    return (packed.stat().st_size if packed.exists() else raw), raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=24, help="weeks of logs so far")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    _configure()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fresh_database()
    coach_user, athlete = seed(args.weeks, random.Random(1))
    client: Any = coach_client(coach_user)
    url = f"/coach/athletes/{athlete.pk}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    timings, cpu = [], []
    for _ in range(args.requests):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    html = response.content
    drawn = FIGURE.findall(html)
    figures = sum(len(figure) for figure in drawn)
    words = html.partition(b'class="chart-words"')[2].partition(b"</ul>")[0].count(b"<li ")
    print(
        f"athlete page ({len(drawn)} charts drawn, {words} told in words) on "
        f"{connection.vendor}: median {median:.0f} ms, p95 {p95:.0f} ms over {args.requests} "
        f"requests, {len(queries)} queries; median/target({TARGET_MS:.0f} ms) = "
        f"{median / TARGET_MS:.2f}"
    )
    # On a shared machine the wall clock includes waiting for a core; CPU time does not.
    print(
        f"  CPU time (this process, SQLite included): median {statistics.median(cpu):.0f} ms; "
        f"median/target = {statistics.median(cpu) / TARGET_MS:.2f}"
    )

    assets = sorted(set(ASSET.findall(html.decode())))
    sizes = {asset: served_bytes(asset) for asset in assets}
    wire = len(html) + sum(packed for packed, _ in sizes.values())
    raw = len(html) + sum(size for _, size in sizes.values())
    for asset, (packed, size) in sizes.items():
        print(f"  {asset.rsplit('/', 1)[-1]}: {packed / 1000:,.1f} KB gzip ({size / 1000:,.1f} KB)")
    print(
        f"  HTML: {len(html) / 1000:,.1f} KB, of which chart JSON {figures / 1000:,.1f} KB "
        f"({figures / max(1, len(drawn)) / 1000:.1f} KB a chart)"
    )
    print(
        f"first load: {wire / 1e6:.2f} MB transferred ({raw / 1e6:.2f} MB uncompressed), "
        f"{len(assets)} scripts and stylesheets; transferred/target(1.5 MB) = "
        f"{wire / TARGET_BYTES:.2f}"
    )


if __name__ == "__main__":
    main()
