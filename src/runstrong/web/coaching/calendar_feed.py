"""Calendar feeds: published sessions and races at a secret URL that calendar apps poll.

An athlete subscribes to their own sessions; a coach to every athlete of their squads (one
link per coach). Each link is stored as a hash and can be replaced or switched off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from runstrong.exports.ics import CalendarEvent, calendar_bytes, session_title
from runstrong.web.coaching.models import (
    Athlete,
    CalendarFeed,
    Coach,
    ItemText,
    PlannedSession,
    Race,
    SquadFeed,
)
from runstrong.web.coaching.secret_links import new_secret, secret_digest


def _create(model: type[Model], **owner: Any) -> str:
    token = new_secret()
    model._default_manager.update_or_create(
        **owner, defaults={"token_hash": secret_digest(token), "revoked_at": None}
    )
    return token


def feed_create(*, athlete: Athlete) -> str:
    """A new secret for the athlete's feed; the previous URL stops working."""
    return _create(CalendarFeed, athlete=athlete)


def feed_revoke(*, athlete: Athlete) -> None:
    CalendarFeed.objects.filter(athlete=athlete).update(revoked_at=timezone.now())


def _owner(model: Any, token: str, owner: str, *related: str) -> Any:
    """Whose feed this secret opens (athlete or coach); a revoked or unknown one is a 404, and
    so is one whose owner's login was deactivated (or deleted): the URL dies with the account."""
    try:
        feed = model.objects.select_related(*related).get(
            token_hash=secret_digest(token),
            revoked_at__isnull=True,
            **{f"{owner}__user__is_active": True},
        )
    except model.DoesNotExist:
        raise Http404 from None
    return getattr(feed, owner)


def feed_athlete(*, token: str) -> Athlete:
    athlete: Athlete = _owner(CalendarFeed, token, "athlete", "athlete")
    return athlete


def squad_feed_create(*, coach: Coach) -> str:
    """A new secret for the coach's squad feed; the previous URL stops working."""
    return _create(SquadFeed, coach=coach)


def squad_feed_revoke(*, coach: Coach) -> None:
    SquadFeed.objects.filter(coach=coach).update(revoked_at=timezone.now())


def squad_feed_coach(*, token: str) -> Coach:
    coach: Coach = _owner(SquadFeed, token, "coach", "coach__user")
    return coach


def feed_ics(*, athlete: Athlete, base_url: str) -> bytes:
    """Every published session and race, rebuilt on each poll so plan changes show up; each
    session links back to the athlete's own page for it."""
    events = _events(
        athletes=[athlete],
        session_url=lambda pk: base_url + reverse("coaching:session-log", args=[pk]),
        named=False,
    )
    return calendar_bytes(
        f"runstrong: {athlete.name}", events, stamp=timezone.now(), time_zone=settings.TIME_ZONE
    )


def squad_feed_ics(*, coach: Coach, base_url: str) -> bytes:
    """The coach's view: every athlete of their squads, each event named for its athlete and
    linked to the coach's page for the session."""
    athletes = list(Athlete.objects.filter(squad__coach=coach).order_by("name"))
    events = _events(
        athletes=athletes,
        session_url=lambda pk: base_url + reverse("coaching:session", args=[pk]),
        named=True,
    )
    return calendar_bytes(
        f"runstrong: {coach}'s squad", events, stamp=timezone.now(), time_zone=settings.TIME_ZONE
    )


def _events(
    *, athletes: list[Athlete], session_url: Callable[[int], str], named: bool
) -> Iterable[CalendarEvent]:
    names = {athlete.pk: athlete.name for athlete in athletes}
    sessions = list(
        PlannedSession.objects.filter(athlete__in=athletes, plan__published_at__isnull=False)
        .prefetch_related("items")
        .order_by("date", "athlete_id")
    )
    # A squad's items share a few hundred texts: read each one's ladder (bells, tempo) once.
    text_ids = {item.text_id for session in sessions for item in session.items.all()}
    texts = {text.pk: text for text in ItemText.objects.filter(pk__in=text_ids).only("ladder")}
    for session in sessions:
        items = session.items.all()
        for item in items:
            item.text = texts[item.text_id]
        who = f"{names[session.athlete_id]} · " if named else ""
        url = session_url(session.pk)
        yield CalendarEvent(
            identity=f"athlete-{session.athlete_id}|{session.date.isoformat()}",
            day=session.date,
            title=who + session_title(session.kind, [item.name for item in items]),
            lines=(
                *(f"{item.label}: {item.dose_text}" for item in items),
                "",
                str(session.placement.get("text", "")),
                "",
                f"Open in runstrong: {url}",
            ),
            url=url,
        )
    for race in Race.objects.filter(athlete__in=athletes).order_by("date", "athlete_id"):
        who = f"{names[race.athlete_id]} · " if named else ""
        yield CalendarEvent(
            identity=f"race-{race.pk}",
            day=race.date,
            title=f"{who}Race: {race.name} ({race.priority})",
            lines=(f"Priority {race.get_priority_display()}.",),
        )
