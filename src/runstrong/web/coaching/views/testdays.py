"""Test days: schedule one for a squad or group, then fill in the results grid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from runstrong.engine.benchmarks import ENTRY_UNITS
from runstrong.engine.testdays import benchmarks_and_screens, default_test_movements
from runstrong.engine.wording import weekday_date
from runstrong.web.coaching.access import coach_for, test_day_get_for_coach
from runstrong.web.coaching.forms import TestDayForm
from runstrong.web.coaching.models import Athlete, Squad, TestDay
from runstrong.web.coaching.standards import club_catalog
from runstrong.web.coaching.testday import (
    grid_cells,
    grid_save,
    test_day_athletes,
    test_day_checks,
    test_day_create,
)
from runstrong.web.coaching.verdicts import latest_verdicts


@login_required
@require_http_methods(["GET", "POST"])
def test_days(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    catalog = club_catalog(coach.club)
    squad = Squad.objects.filter(coach=coach).first()
    if squad is None:
        raise Http404
    benchmarks, screens = benchmarks_and_screens(catalog)
    choices: list[tuple[str, list[tuple[str, str]]]] = [
        ("Benchmarks", [(m.slug, m.title) for m in benchmarks])
    ]
    if screens:
        choices.append(("Optional screens", [(m.slug, m.title) for m in screens]))
    form = TestDayForm(
        request.POST or None,
        movements=choices,
        initial={"date": timezone.localdate(), "movements": default_test_movements(catalog)},
    )
    conflicts: list[tuple[Athlete, object]] = []
    if request.method == "POST" and form.is_valid():
        day, group = form.cleaned_data["date"], form.cleaned_data["event_group"]
        athletes = Athlete.objects.filter(squad=squad)
        if group:
            athletes = athletes.filter(event_group=group)
        checks = test_day_checks(athletes=list(athletes), day=day)
        conflicts = [(a, checks[a.pk]) for a in athletes if not checks[a.pk].ok]
        if not conflicts or request.POST.get("confirm") == "1":
            test_day = test_day_create(
                squad=squad, day=day, event_group=group, movements=form.cleaned_data["movements"]
            )
            messages.success(request, f"Test day on {weekday_date(day)} ready for results.")
            return redirect("coaching:test-day", test_day_id=test_day.pk)
    return render(
        request,
        "coaching/test_days.html",
        {"form": form, "conflicts": conflicts, "days": TestDay.objects.filter(squad=squad)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def test_day(request: HttpRequest, test_day_id: int) -> HttpResponse:
    day = test_day_get_for_coach(user=request.user, test_day_id=test_day_id)
    catalog = club_catalog(coach_for(request.user).club)
    rows = grid_cells(day, catalog, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        saved = grid_save(test_day=day, rows=rows)
        if any(cell.errors for row in rows for cell in row):
            status = 400
            messages.error(
                request, f"Saved {saved} results; fix the marked cells, which keep what you typed."
            )
        else:
            messages.success(request, f"Saved {saved} results.")
            return redirect("coaching:test-day", test_day_id=day.pk)
    athletes = test_day_athletes(day)
    verdicts = latest_verdicts(
        athletes={a.pk: (a.event_group, a.body_mass_kg) for a in athletes},
        today=day.date,
        catalog=catalog,
    )
    for row in rows:
        for cell in row:
            cell.judged = verdicts.get((cell.athlete.pk, cell.movement.slug))  # type: ignore[attr-defined]
    return render(
        request,
        "coaching/test_day.html",
        {
            "day": day,
            "rows": rows,
            "movements": [
                (catalog.movement(m), ENTRY_UNITS[catalog.movement(m).measure])
                for m in day.movements
            ],
        },
        status=status,
    )
