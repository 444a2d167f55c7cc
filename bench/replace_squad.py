"""Re-placing a 300-athlete squad's strength sessions after a calendar sync moves a hard run.

Seeds a squad with 16-week seasons published from this week, every athlete subscribed to the
coach's running plan (intervals Tuesday, tempo Thursday, easy and steady runs between: five
runs a week), served by a local HTTP server on 127.0.0.1:8885 (or RUNSTRONG_BENCH_FEED_PORT).
Then times the worker's scheduled sync (`sync_due_running_calendars`) after the coach moves
next week's intervals from Tuesday to Wednesday: the feed fetched (once for the shared URL),
each athlete's runs stored and classified again, the hard days compared, and every athlete's
future unlogged sessions re-placed by S9–S11 with the moves recorded.

Run: make bench   (or: python -m bench.replace_squad [--athletes N])
Uses a throwaway SQLite database unless RUNSTRONG_DATABASE_URL names a PostgreSQL database
whose name contains "bench" (it is wiped).
Target: the squad re-placed in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from bench.logged_squad import analyze, make_squad, publish_from
from bench.overview_latency import _configure

TARGET_SECONDS = 5.0
WEEKS = 16
PORT = int(os.environ.get("RUNSTRONG_BENCH_FEED_PORT", "8885"))  # the feed's local port


def calendar(start: date, moved: bool, zone: ZoneInfo) -> bytes:
    from icalendar import Calendar, Event

    runs: list[tuple[date, str, int]] = []
    for week in range(WEEKS):
        monday = start + timedelta(days=7 * week)
        interval = 2 if moved and week == 1 else 1
        for offset, title, minutes in (
            (interval, "6 x 800 m intervals", 60),
            (3, "Tempo 3 x 10 min", 55),
            (6, "Steady 70", 70),
            (0, "Easy 40", 40),
            (4, "Easy 45", 45),
        ):
            runs.append((monday + timedelta(days=offset), title, minutes))
    feed = Calendar()
    feed.add("prodid", "-//runstrong bench//EN")
    feed.add("version", "2.0")
    for index, (day, title, minutes) in enumerate(runs):
        event = Event()
        event.add("uid", f"bench-{index}")
        event.add("summary", title)
        begins = datetime(day.year, day.month, day.day, 7, tzinfo=zone)
        event.add("dtstart", begins)
        event.add("dtend", begins + timedelta(minutes=minutes))
        feed.add_component(event)
    return feed.to_ical()


@contextmanager
def serving(feeds: dict[str, bytes]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = feeds["plan"]
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{PORT}/plan.ics"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=300)
    args = parser.parse_args()
    os.environ["RUNSTRONG_FETCH_ALLOW_LOOPBACK"] = "1"  # the feed is served on this machine
    _configure()
    from django.db import connection
    from django.utils import timezone

    from bench.overview_latency import fresh_database
    from runstrong.web.coaching.models import Athlete, PlanChange
    from runstrong.web.coaching.running_models import RunningCalendar
    from runstrong.web.coaching.running_plan import calendar_set_url
    from runstrong.web.coaching.tasks import sync_due_running_calendars

    fresh_database()
    rng = random.Random(15)
    zone = ZoneInfo(str(timezone.get_current_timezone()))
    began = time.perf_counter()
    _, athletes = make_squad(args.athletes, rng, users=False)
    # Strength days derived from the hard runs, so a moved run moves sessions.
    Athlete.objects.filter(pk__in=[a.pk for a in athletes]).update(
        strength_days=[], hard_run_days=["tue", "thu"]
    )
    athletes = list(Athlete.objects.filter(pk__in=[a.pk for a in athletes]).select_related("squad"))
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday())
    publish_from(athletes, start, weeks=WEEKS, today=today)
    feeds = {"plan": calendar(start, False, zone)}
    with serving(feeds) as url:
        for athlete in athletes:
            assert calendar_set_url(athlete, url) is None
        sync_due_running_calendars.call()
        analyze()
        print(
            f"seeded {args.athletes} athletes in {time.perf_counter() - began:.1f} s: "
            f"{WEEKS}-week seasons and {WEEKS * 5} planned runs each, one subscription"
        )
        changes_before = PlanChange.objects.count()
        feeds["plan"] = calendar(start, True, zone)
        RunningCalendar.objects.update(tried_at=None)  # all due now
        began = time.perf_counter()
        synced = sync_due_running_calendars.call()
        seconds = time.perf_counter() - began
    moved = PlanChange.objects.filter(what="Session days").exclude(pk__lte=changes_before)
    assert synced == args.athletes, synced
    assert moved.count() == args.athletes, (moved.count(), args.athletes)
    print(
        f"scheduled calendar sync re-placing {args.athletes} athletes on {connection.vendor}: "
        f"{PlanChange.objects.count() - changes_before:,} plan changes recorded"
    )
    print(
        f"total   {seconds:6.2f} s  ({seconds * 1000 / args.athletes:.1f} ms an athlete); "
        f"total/target({TARGET_SECONDS:.0f} s) = {seconds / TARGET_SECONDS:.2f}"
    )


if __name__ == "__main__":
    main()
