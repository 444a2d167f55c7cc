"""The athlete's calendar subscription page and the feed itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from runstrong.web.coaching.access import athlete_of
from runstrong.web.coaching.calendar_feed import feed_athlete, feed_create, feed_ics, feed_revoke
from runstrong.web.coaching.models import CalendarFeed


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed_revoke(athlete=athlete)
        else:
            token = feed_create(athlete=athlete)
            url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
    active = CalendarFeed.objects.filter(athlete=athlete, revoked_at__isnull=True).exists()
    return render(request, "coaching/calendar.html", {"url": url, "active": active})


def feed(request: HttpRequest, token: str) -> HttpResponse:
    athlete = feed_athlete(token=token)
    response = HttpResponse(feed_ics(athlete=athlete), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="runstrong.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
