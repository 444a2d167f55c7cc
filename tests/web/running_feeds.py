"""A local calendar server for the subscription tests: feeds set per path, on the helper's
ports (8880–8889), some slow, huge, broken, or redirecting."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from icalendar import Calendar, Event


@dataclass
class Feed:
    body: bytes = b""
    status: int = 200
    location: str = ""
    delay_s: float = 0.0
    trickle_s: float = 0.0  # pause between 1-byte writes
    declare_length: bool = True


@dataclass
class FeedServer:
    port: int
    feeds: dict[str, Feed] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def ics(runs: list[tuple[str, date | datetime, int | None]], uid_prefix: str = "run") -> bytes:
    """A calendar with one event per (title, start, minutes); dates are all-day events."""
    calendar = Calendar()
    calendar.add("prodid", "-//runstrong tests//EN")
    calendar.add("version", "2.0")
    for index, (title, start, minutes) in enumerate(runs):
        event = Event()
        event.add("uid", f"{uid_prefix}-{index}@tests")
        event.add("summary", title)
        event.add("dtstart", start)
        if minutes is not None and isinstance(start, datetime):
            event.add("dtend", start + timedelta(minutes=minutes))
        calendar.add_component(event)
    return calendar.to_ical()


@contextmanager
def feed_server(port: int) -> Iterator[FeedServer]:
    server = FeedServer(port)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            feed = server.feeds.get(self.path)
            if feed is None:
                self.send_response(404)
                self.end_headers()
                return
            time.sleep(feed.delay_s)
            self.send_response(feed.status)
            if feed.location:
                self.send_header("Location", feed.location)
            self.send_header("Content-Type", "text/calendar")
            if feed.declare_length and not feed.trickle_s:
                self.send_header("Content-Length", str(len(feed.body)))
            self.end_headers()
            try:
                if feed.trickle_s:
                    for byte in feed.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(feed.trickle_s)
                else:
                    self.wfile.write(feed.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


def seed_running_plan(athlete: object, today: date) -> None:
    """Four weeks of a running plan for pages to show: intervals, tempo, a long run and easy
    runs, a race, one run the coach set hard, and a failed fetch after the good copy."""
    from django.utils import timezone

    from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
    from runstrong.web.coaching.running_plan import calendar_upload

    zone = timezone.get_current_timezone()
    monday = today - timedelta(days=today.weekday())
    week = [
        (0, "Easy 40 min", 40),
        (1, "6 x 800 m intervals, 90 s jog", 65),
        (3, "Tempo 3 x 10 min at threshold", 55),
        (4, "Recovery jog", 30),
        (6, "Long run, hilly route", 105),
    ]
    runs: list[tuple[str, date | datetime, int | None]] = []
    for index in range(4):
        for offset, title, minutes in week:
            day = monday + timedelta(days=7 * index + offset)
            runs.append((title, datetime(day.year, day.month, day.day, 7, tzinfo=zone), minutes))
    race = monday + timedelta(days=26)
    runs.append(("parkrun race", datetime(race.year, race.month, race.day, 9, tzinfo=zone), 25))
    calendar_upload(athlete, ics(runs))  # type: ignore[arg-type]
    steady = PlannedRun.objects.filter(athlete=athlete, title="Recovery jog").order_by("date")
    first = steady.filter(date__gte=today).first()
    if first is not None:
        first.override, first.override_by = "hard", "coach"
        first.save(update_fields=["override", "override_by"])
    RunningCalendar.objects.filter(athlete=athlete).update(
        url="https://plans.example.com/feeds/ana.ics",
        tried_at=timezone.now(),
        error="the server took too long to answer",
        error_at=timezone.now(),
    )
