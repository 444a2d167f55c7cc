"""The athlete's pages beyond today: history, progress, the weeks ahead, tests and races.

Each page reads the signed-in athlete's own record (access.athlete_of), so anyone else gets a
404 and there is no id in the URL to try another athlete's data with.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from runstrong.web.coaching import athlete_screens as screens
from runstrong.web.coaching.access import athlete_of, session_get_for_athlete
from runstrong.web.coaching.charts import exercise_charts
from runstrong.web.coaching.models import PlannedSession
from runstrong.web.coaching.progress import athlete_progress
from runstrong.web.coaching.session_rows import EDIT_DAYS
from runstrong.web.coaching.standards import club_catalog

HISTORY_PAGE = 20
# Rows of each exercise's numbers shown at once; older ones fold away.
PROGRESS_ROWS = 6


@login_required
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    today = timezone.localdate()
    pages = Paginator(screens.history_sessions(athlete, today), HISTORY_PAGE)
    page = pages.get_page(request.GET.get("page"))
    sessions = screens.with_items(
        PlannedSession.objects.filter(pk__in=[session.pk for session in page.object_list])
    ).order_by("-date")
    return render(
        request,
        "coaching/me/history.html",
        {
            "athlete": athlete,
            "page": page,
            "sessions": [screens.past_session(session, today) for session in sessions],
            "edit_days": EDIT_DAYS,
        },
    )


@login_required
@require_safe
def history_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get_for_athlete(user=request.user, session_id=session_id)
    session = screens.with_items(PlannedSession.objects.filter(pk=session.pk)).get()
    today = timezone.localdate()
    return render(
        request,
        "coaching/me/history_session.html",
        {
            "past": screens.past_session(session, today),
            "edit_days": EDIT_DAYS,
            "today": today,
        },
    )


@login_required
@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    today = timezone.localdate()
    found = athlete_progress(athlete=athlete, today=today)
    points = found["progress"]
    races = [race.date for race in found["races"]]
    charts = exercise_charts(progress=points, sessions=found["sessions"], races=races, today=today)
    tables = []
    for name, rows in points.items():
        newest = rows[::-1]
        mine = [chart for chart in charts if chart.exercise == name]
        tables.append(
            {
                "key": mine[0].key,
                "title": name,
                "charts": mine,
                "recent": newest[:PROGRESS_ROWS],
                "earlier": newest[PROGRESS_ROWS:],
            }
        )
    drawn = any(chart.figure for chart in charts)
    return render(
        request,
        "coaching/me/progress.html",
        {"athlete": athlete, "tables": tables, "drawn": drawn},
    )


@login_required
@require_safe
def upcoming(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    today = timezone.localdate()
    weeks = screens.upcoming_weeks(athlete, today)
    names = [item.name for week in weeks for s in week.sessions for item in s.items.all()]
    return render(
        request,
        "coaching/me/upcoming.html",
        {
            "athlete": athlete,
            "weeks": weeks,
            "today": today,
            "this_monday": weeks[0].monday,
            "changes": screens.latest_changes(athlete, names, today),
        },
    )


@login_required
@require_safe
def tests(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    catalog = club_catalog(athlete.squad.club)
    return render(
        request,
        "coaching/me/tests.html",
        {
            "athlete": athlete,
            "group": catalog.group(athlete.event_group),
            "movements": screens.benchmark_results(athlete, catalog),
            "test_days": [
                {"date": day.date, "names": [catalog.movement(slug).name for slug in day.movements]}
                for day in screens.next_test_days(athlete, timezone.localdate())
            ],
        },
    )


@login_required
@require_safe
def races(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    coming, past = screens.races(athlete, timezone.localdate())
    return render(
        request, "coaching/me/races.html", {"athlete": athlete, "coming": coming, "past": past}
    )
