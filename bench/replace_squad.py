"""Re-placing a 300-athlete squad's strength sessions after a calendar sync moves a hard run.

Seeds a squad with 16-week seasons published from this week and a running-plan calendar each
(intervals Tuesday, tempo Thursday, easy and steady runs between: five runs a week). Then
times what the scheduled sync does when every athlete's calendar changes: next week's
intervals move from Tuesday to Wednesday, so each athlete's runs are read and classified again,
the hard days compared, and the future unlogged sessions re-placed by S9–S11 with the moves
recorded. The calendars are served as the fetched bytes; the network is not timed.

Run: make bench   (or: python -m bench.replace_squad [--athletes N])
Uses a throwaway SQLite database unless RUNSTRONG_DATABASE_URL names a PostgreSQL database
whose name contains "bench" (it is wiped).
Target: the squad re-placed in under 5 s.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.logged_squad import analyze, make_squad, publish_from
from bench.overview_latency import _configure

TARGET_SECONDS = 5.0
WEEKS = 16


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=300)
    args = parser.parse_args()
    _configure()
    from django.db import connection
    from django.utils import timezone

    from bench.overview_latency import fresh_database
    from runstrong.engine.catalog import load_catalog
    from runstrong.web.coaching.models import Athlete, PlanChange
    from runstrong.web.coaching.running_plan import calendar_upload

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
    catalog = load_catalog()
    first, second = calendar(start, False, zone), calendar(start, True, zone)
    for athlete in athletes:
        assert calendar_upload(athlete, first, catalog).ok
    analyze()
    print(
        f"seeded {args.athletes} athletes in {time.perf_counter() - began:.1f} s: "
        f"{WEEKS}-week seasons and {WEEKS * 5} planned runs each"
    )
    changes_before = PlanChange.objects.count()
    began = time.perf_counter()
    moved = 0
    for athlete in athletes:
        result = calendar_upload(athlete, second, catalog)
        moved += bool(result.changes)
    seconds = time.perf_counter() - began
    recorded = PlanChange.objects.count() - changes_before
    assert moved == args.athletes, (moved, args.athletes)
    print(
        f"calendar sync re-placing {args.athletes} athletes on {connection.vendor}: "
        f"{recorded:,} plan changes recorded"
    )
    print(
        f"total   {seconds:6.2f} s  ({seconds * 1000 / args.athletes:.1f} ms an athlete); "
        f"total/target({TARGET_SECONDS:.0f} s) = {seconds / TARGET_SECONDS:.2f}"
    )


if __name__ == "__main__":
    main()
