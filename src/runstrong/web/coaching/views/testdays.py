"""Test days: schedule one for a squad or group, then fill in the results grid."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from runstrong.engine.testdays import default_test_movements
from runstrong.engine.wording import sentence, weekday_date
from runstrong.web.coaching.access import coach_for, test_day_get_for_coach
from runstrong.web.coaching.forms import TestDayForm, TestDayMoveForm
from runstrong.web.coaching.models import BenchmarkResult, Squad, TestDay
from runstrong.web.coaching.standards import club_catalog
from runstrong.web.coaching.testday import (
    MoveRefused,
    clash_words,
    grid_cells,
    grid_columns,
    grid_save,
    results_open,
    suggestion_words,
    test_day_athletes,
    test_day_checks,
    test_day_groups,
    test_day_move,
    test_day_movement_choices,
    test_day_schedule,
    test_day_squad,
)
from runstrong.web.coaching.verdicts import latest_verdicts

# Athletes a page of a test day's grid shows.
GRID_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def test_days(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    catalog = club_catalog(coach.club)
    squad = Squad.objects.filter(coach=coach).first()
    if squad is None:
        raise Http404
    today = timezone.localdate()
    data = request.POST.copy() if request.method == "POST" else None
    taken = request.POST.get("take", "")
    if data is not None and taken:
        # "Take Thu 3 Dec": the suggested day replaces the one typed, and is scheduled as is.
        data["date"] = taken
    form = TestDayForm(
        data,
        movements=test_day_movement_choices(catalog),
        initial={"date": today, "movements": default_test_movements(catalog)},
    )
    checked = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["date"]
        test_day, checked = test_day_schedule(
            squad=squad,
            day=day,
            event_group=form.cleaned_data["event_group"],
            movements=form.cleaned_data["movements"],
            catalog=catalog,
            today=today,
            confirmed=request.POST.get("confirm") == "1" or bool(taken),
        )
        if test_day is not None:
            why = f": {clash_words(checked)}" if taken else ""
            messages.success(request, sentence(f"Test day on {weekday_date(day)} scheduled{why}"))
            return redirect("coaching:test-day", test_day_id=test_day.pk)
    return render(
        request,
        "coaching/test_days.html",
        {
            "form": form,
            "checked": checked,
            "suggestion_words": (
                suggestion_words(checked.suggestion) if checked and checked.suggestion else ""
            ),
            "days": TestDay.objects.filter(squad=squad),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def test_day(request: HttpRequest, test_day_id: int) -> HttpResponse:
    day = test_day_get_for_coach(user=request.user, test_day_id=test_day_id)
    catalog = club_catalog(coach_for(request.user).club)
    today = timezone.localdate()
    is_open = results_open(day, today)
    squad = test_day_squad(day)
    # A page of the squad at a time: a save posts that page's cells (blank ones are skipped).
    # Only that page's athletes are read whole.
    page = Paginator(squad, GRID_PAGE).get_page(request.GET.get("page"))
    athletes = list(page.object_list)
    data = request.POST if request.method == "POST" else None
    rows = grid_cells(day, catalog, data, athletes)
    status = 200
    if request.method == "POST":
        if not is_open:
            status = 400
            messages.error(
                request,
                f"Nothing saved: this test day is on {weekday_date(day.date)}, and results count "
                "from that day on. If the athletes tested today, move the test day to today.",
            )
        else:
            saved = grid_save(test_day=day, rows=rows, catalog=catalog)
            if any(cell.errors for row in rows for cell in row):
                status = 400
                messages.error(
                    request,
                    f"Saved {saved} results; fix the marked cells, which keep what you typed.",
                )
            else:
                messages.success(request, f"Saved {saved} results.")
                back = reverse("coaching:test-day", args=[day.pk])
                return redirect(f"{back}?page={page.number}" if page.number > 1 else back)
    verdicts = latest_verdicts(
        athletes={a.pk: (a.event_group, a.body_mass_kg) for a in athletes},
        today=day.date,
        catalog=catalog,
    )
    for row in rows:
        for cell in row:
            cell.judged = verdicts.get((cell.athlete.pk, cell.movement.slug))
    has_results = BenchmarkResult.objects.filter(test_day=day).exists()
    checked = None
    if athletes and not has_results and day.date > today:
        checked = test_day_checks(athletes=list(squad), day=day.date, catalog=catalog, today=today)
    return render(
        request,
        "coaching/test_day.html",
        {
            "day": day,
            "rows": rows,
            "page": page,
            "columns": grid_columns(day, catalog, test_day_groups(day)),
            "is_open": is_open,
            "today": today,
            "checked": checked,
            "suggestion_words": (
                suggestion_words(checked.suggestion) if checked and checked.suggestion else ""
            ),
            "group_name": catalog.group(day.event_group).name if day.event_group else "",
        },
        status=status,
    )


@login_required
@require_POST
def test_day_move_view(request: HttpRequest, test_day_id: int) -> HttpResponse:
    """Move a test day not yet held: to the suggested good day, or to today."""
    day = test_day_get_for_coach(user=request.user, test_day_id=test_day_id)
    form = TestDayMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a date to move the test day to.")
        return redirect("coaching:test-day", test_day_id=day.pk)
    new_day: date = form.cleaned_data["date"]
    today = timezone.localdate()
    try:
        before = test_day_move(test_day=day, day=new_day, today=today)
    except MoveRefused as refused:
        messages.error(request, str(refused))
        return redirect("coaching:test-day", test_day_id=day.pk)
    if before != new_day:
        athletes = test_day_athletes(day)
        checked = test_day_checks(
            athletes=athletes, day=new_day, catalog=club_catalog(day.squad.club), today=today
        )
        messages.success(
            request,
            sentence(
                f"Moved the test day from {weekday_date(before)} to {weekday_date(new_day)}: "
                f"{clash_words(checked)}"
            ),
        )
    return redirect("coaching:test-day", test_day_id=day.pk)
