"""Sessions as iCalendar that Google, Apple and Outlook calendars import or subscribe to."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from runstrong.engine.model import Plan

PRODUCT_ID = "-//runstrong//season plan//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day session; `identity` keeps its UID stable so updates replace, not duplicate."""

    identity: str
    day: date
    title: str
    lines: tuple[str, ...]
    url: str = ""


def calendar_bytes(
    name: str, events: Iterable[CalendarEvent], *, stamp: datetime, time_zone: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # A calendar's name and an event's title are one line: a line break typed into an
    # athlete's or a race's name becomes a space (icalendar would refuse it in X-WR-CALNAME).
    calendar.add("x-wr-calname", _one_line(name))
    if time_zone:
        calendar.add("x-wr-timezone", time_zone)
    for entry in events:
        event = Event()
        uid = hashlib.sha256(entry.identity.encode()).hexdigest()[:32]
        event.add("uid", f"{uid}@runstrong")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", _one_line(entry.title))
        event.add("description", "\n".join(entry.lines))
        if entry.url:
            event.add("url", entry.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def plan_calendar(plan: Plan, *, stamp: datetime) -> bytes:
    """All-day events, one per session of an engine plan."""
    events = [
        CalendarEvent(
            identity=f"{plan.athlete_name}|{plan.event_group}|{session.day.isoformat()}",
            day=session.day,
            title=session_title(session.kind, [item.name for item in session.items]),
            lines=(
                *(f"{item.label()}: {item.dose_text()}" for item in session.items),
                "",
                session.placement.text,
            ),
        )
        for session in plan.sessions()
    ]
    return calendar_bytes(f"runstrong: {plan.athlete_name}", events, stamp=stamp)


def session_title(kind: str, names: Sequence[str], shown: int = 2) -> str:
    """`Strength: Banded Spanish squat, Crouching crawl +2`: what the session is, at a glance."""
    title = "Light strength" if kind == "light" else "Strength"
    if not names:
        return title
    more = len(names) - shown
    return f"{title}: {', '.join(names[:shown])}{f' +{more}' if more > 0 else ''}"
