"""Sessions as iCalendar that Google, Apple and Outlook calendars import or subscribe to."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
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


def calendar_bytes(
    name: str, events: Iterable[CalendarEvent], *, stamp: datetime, time_zone: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if time_zone:
        calendar.add("x-wr-timezone", time_zone)
    for entry in events:
        event = Event()
        uid = hashlib.sha256(entry.identity.encode()).hexdigest()[:32]
        event.add("uid", f"{uid}@runstrong")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.title)
        event.add("description", "\n".join(entry.lines))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def plan_calendar(plan: Plan, *, stamp: datetime) -> bytes:
    """All-day events, one per session of an engine plan."""
    events = [
        CalendarEvent(
            identity=f"{plan.athlete_name}|{plan.event_group}|{session.day.isoformat()}",
            day=session.day,
            title=session_title(session.kind, len(session.items)),
            lines=(
                *(f"{item.label()}: {item.dose_text()}" for item in session.items),
                "",
                session.placement.text,
            ),
        )
        for session in plan.sessions()
    ]
    return calendar_bytes(f"runstrong: {plan.athlete_name}", events, stamp=stamp)


def session_title(kind: str, exercises: int) -> str:
    title = "Light strength session" if kind == "light" else "Strength session"
    return f"{title} ({exercises} exercises)"
