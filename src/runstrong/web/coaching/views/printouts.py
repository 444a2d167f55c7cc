"""Downloads to print or load: session card, season overview, test sheet, watch workout."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from runstrong.web.coaching.access import (
    athlete_get_for_coach,
    coach_for,
    session_get_for_athlete,
    session_get_for_user,
    test_day_get_for_coach,
)
from runstrong.web.coaching.printouts import (
    season_pdf,
    session_card_pdf,
    test_day_sheet_pdf,
    workout_download,
)
from runstrong.web.coaching.standards import club_catalog


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_safe
def session_card(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get_for_athlete(user=request.user, session_id=session_id)
    return _pdf(session_card_pdf(session), f"session-{session.date}.pdf")


@login_required
@require_safe
def season(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    return _pdf(season_pdf(athlete), f"season-{athlete.pk}.pdf")


@login_required
@require_safe
def test_day_sheet(request: HttpRequest, test_day_id: int) -> HttpResponse:
    day = test_day_get_for_coach(user=request.user, test_day_id=test_day_id)
    catalog = club_catalog(coach_for(request.user).club)
    return _pdf(test_day_sheet_pdf(day, catalog), f"test-day-{day.date}.pdf")


@login_required
@require_safe
def session_workout(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session as a FIT workout file, for the athlete's watch (their coach may fetch it)."""
    return workout_download(session_get_for_user(user=request.user, session_id=session_id))
