"""The athlete's calendar feed: published sessions at a secret URL that calendar apps poll."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from runstrong.exports.ics import CalendarEvent, calendar_bytes, session_title
from runstrong.web.coaching.models import Athlete, CalendarFeed, PlannedItem, PlannedSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, athlete: Athlete) -> str:
    """A new secret for the athlete's feed; the previous URL stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        athlete=athlete, defaults={"token_hash": _digest(token), "revoked_at": None}
    )
    return token


def feed_revoke(*, athlete: Athlete) -> None:
    CalendarFeed.objects.filter(athlete=athlete).update(revoked_at=timezone.now())


def feed_athlete(*, token: str) -> Athlete:
    try:
        feed = CalendarFeed.objects.select_related("athlete").get(
            token_hash=_digest(token), revoked_at__isnull=True
        )
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    return feed.athlete


def feed_ics(*, athlete: Athlete) -> bytes:
    """Every published session, rebuilt on each poll so plan changes show up."""
    sessions = (
        PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
        .prefetch_related(Prefetch("items", PlannedItem.objects.select_related("text")))
        .order_by("date")
    )
    events = [
        CalendarEvent(
            identity=f"athlete-{athlete.pk}|{session.date.isoformat()}",
            day=session.date,
            title=session_title(session.kind, len(session.items.all())),
            lines=(
                *(f"{item.label}: {item.dose_text}" for item in session.items.all()),
                "",
                str(session.placement.get("text", "")),
            ),
        )
        for session in sessions
    ]
    return calendar_bytes(
        f"runstrong: {athlete.name}", events, stamp=timezone.now(), time_zone=settings.TIME_ZONE
    )
