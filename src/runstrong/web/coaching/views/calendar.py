"""Calendar subscriptions: an athlete's own sessions, a coach's whole squad; and the feeds."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from runstrong.web.coaching.access import athlete_of
from runstrong.web.coaching.calendar_feed import (
    feed_athlete,
    feed_create,
    feed_ics,
    feed_revoke,
    squad_feed_coach,
    squad_feed_create,
    squad_feed_ics,
    squad_feed_revoke,
)
from runstrong.web.coaching.models import CalendarFeed, Coach, SquadFeed
from runstrong.web.coaching.request_types import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A coach gets the squad feed, an athlete their own; anyone else 404.

    Switching a link off asks first: calendars subscribed to it stop updating.
    """
    create: Callable[[], str]
    revoke: Callable[[], None]
    coach = Coach.objects.filter(user=request.user).first()
    if coach is not None:
        active = SquadFeed.objects.filter(coach=coach, revoked_at__isnull=True).exists()
        create, revoke, route = (
            lambda: squad_feed_create(coach=coach),
            lambda: squad_feed_revoke(coach=coach),
            "squad-calendar-feed",
        )
    else:
        athlete = athlete_of(request.user)
        active = CalendarFeed.objects.filter(athlete=athlete, revoked_at__isnull=True).exists()
        create, revoke, route = (
            lambda: feed_create(athlete=athlete),
            lambda: feed_revoke(athlete=athlete),
            "calendar-feed",
        )
    url = None
    confirming = False
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke" and active:
            if request.POST.get("confirm") != "1":
                confirming = True
            else:
                revoke()
                messages.success(
                    request, "Link switched off: calendars subscribed to it stop updating."
                )
                return redirect("coaching:calendar")
        elif action == "create":
            url = request.build_absolute_uri(reverse(route, args=[create()]))
            active = True
    return render(
        request,
        "coaching/calendar.html",
        {
            "url": url,
            "webcal": "webcal://" + url.split("://", 1)[1] if url else None,
            "active": active,
            "confirming": confirming,
            "squad": coach is not None,
        },
    )


def _ics(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="runstrong.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    athlete = feed_athlete(token=token)
    return _ics(feed_ics(athlete=athlete, base_url=request.build_absolute_uri("/").rstrip("/")))


@require_safe
def squad_feed(request: HttpRequest, token: str) -> HttpResponse:
    coach = squad_feed_coach(token=token)
    return _ics(squad_feed_ics(coach=coach, base_url=request.build_absolute_uri("/").rstrip("/")))
