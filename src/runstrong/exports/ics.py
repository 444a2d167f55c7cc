"""A season plan as an iCalendar file that Google, Apple and Outlook calendars import."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from runstrong.engine.model import Plan, Session

PRODUCT_ID = "-//runstrong//season plan//EN"


def plan_calendar(plan: Plan, *, stamp: datetime) -> bytes:
    """All-day events, one per session; UIDs are stable so a re-import updates, not duplicates."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"runstrong: {plan.athlete_name}")
    for session in plan.sessions():
        calendar.add_component(_event(plan, session, stamp))
    return calendar.to_ical()


def _event(plan: Plan, session: Session, stamp: datetime) -> Event:
    event = Event()
    identity = f"{plan.athlete_name}|{plan.event_group}|{session.day.isoformat()}"
    event.add("uid", hashlib.sha256(identity.encode()).hexdigest()[:32] + "@runstrong")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.day)
    event.add("dtend", session.day + timedelta(days=1))
    title = "Light strength session" if session.kind == "light" else "Strength session"
    event.add("summary", f"{title} ({len(session.items)} exercises)")
    lines = [f"{item.slot} {item.name}: {item.dose_text()}" for item in session.items]
    lines += ["", session.placement.text]
    event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    return event
