"""A running-plan calendar (.ics) read into runs: date, start time, minutes, title, description.

Repeating events are expanded into their occurrences within a window around today; each
occurrence is known by its event's UID and its date, so a coach's override of one run survives
the next fetch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import recurring_ical_events
from django.utils import timezone
from icalendar import Calendar

MAX_RUNS = 2000
TITLE_MAX = 300
DESCRIPTION_MAX = 4000
PAST_DAYS = 35  # the 28-day load average needs the weeks behind today
FUTURE_DAYS = 366


class CalendarInvalid(Exception):
    """Why a file is not a calendar this app can read."""


@dataclass(frozen=True)
class RunEvent:
    uid: str
    date: date
    start: time | None
    minutes: int | None
    title: str
    description: str


@lru_cache(maxsize=16)
def runs_from_ics(data: bytes, today: date) -> tuple[RunEvent, ...]:
    """The runs in `data` from PAST_DAYS before `today` to FUTURE_DAYS after it.

    Kept for the last few calendars: a squad subscribed to one coach's plan is read once.
    """
    if not data.strip():
        raise CalendarInvalid("the file is empty")
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarInvalid(f"not an iCalendar file ({_short(error)})") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise CalendarInvalid("not an iCalendar file (no VCALENDAR)")
    start = today - timedelta(days=PAST_DAYS)
    end = today + timedelta(days=FUTURE_DAYS)
    try:
        events = recurring_ical_events.of(calendar).between(start, end)
    except Exception as error:  # the library raises many kinds for a broken rule
        raise CalendarInvalid(f"a repeating event could not be read ({_short(error)})") from None
    runs: dict[tuple[str, date], RunEvent] = {}
    for event in events:
        run = _run(event)
        if run is not None:
            runs[(run.uid, run.date)] = run
        if len(runs) > MAX_RUNS:
            raise CalendarInvalid(f"more than {MAX_RUNS} runs in a year")
    return tuple(sorted(runs.values(), key=lambda run: (run.date, run.start or time.min, run.uid)))


def _run(event: Any) -> RunEvent | None:
    begins = event.get("DTSTART")
    if begins is None:
        return None
    first = begins.dt
    ends = event.get("DTEND")
    duration = event.get("DURATION")
    title = str(event.get("SUMMARY", "") or "")[:TITLE_MAX]
    description = str(event.get("DESCRIPTION", "") or "")[:DESCRIPTION_MAX]
    if isinstance(first, datetime):
        local = timezone.localtime(first) if timezone.is_aware(first) else first
        day, start = local.date(), local.time().replace(second=0, microsecond=0)
        last = ends.dt if ends is not None else None
        if last is None and duration is not None:
            last = first + duration.dt
        minutes = (
            round((last - first).total_seconds() / 60)
            if isinstance(last, datetime) and last > first
            else None
        )
    else:
        day, start, minutes = first, None, None
    uid = str(event.get("UID", "") or "")
    if not uid:
        uid = hashlib.blake2b(f"{title}|{day}".encode(), digest_size=8).hexdigest()
    return RunEvent(uid[:255], day, start, minutes, title, description)


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text[:120]
