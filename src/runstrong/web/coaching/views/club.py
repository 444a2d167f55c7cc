"""Coach pages for the club: benchmark standards, pain flags (the roster is in roster.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from runstrong.engine.benchmarks import UNIT_NAMES
from runstrong.engine.testdays import benchmarks_and_screens
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.forms import StandardsForm
from runstrong.web.coaching.models import Athlete
from runstrong.web.coaching.pain_flags import pain_flag_resolve
from runstrong.web.coaching.site_catalog import group_names
from runstrong.web.coaching.standards import (
    MAX_FILE_BYTES,
    StandardsFileError,
    StandardsJsonError,
    club_catalog,
    standard_cells,
    standards_data,
    standards_load,
    standards_parse,
    standards_save,
)
from runstrong.web.coaching.verdicts import Judged, latest_verdicts

# Athletes a page of the benchmark matrix shows.
MATRIX_PAGE = 50


@login_required
@require_safe
def standards_json(request: HttpRequest) -> JsonResponse:
    coach = coach_for(request.user)
    response = JsonResponse(standards_data(coach.club), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = 'attachment; filename="runstrong-standards.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def standards(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    upload_error = None
    upload = request.FILES.get("file")
    if request.method == "POST" and upload is not None:
        try:
            # Read one byte past the limit: a bigger file is refused without reading it all.
            data = standards_load(upload.read(MAX_FILE_BYTES + 1))
            standards_save(club=coach.club, targets=standards_parse(coach.club, data))
        except StandardsJsonError as error:
            upload_error = f"The file is not valid JSON ({error})."
        except StandardsFileError as error:
            upload_error = f"Nothing imported. {error}"
        else:
            messages.success(request, "Imported the standards file.")
            return redirect("coaching:standards")
    bound = request.POST if request.method == "POST" and "file" not in request.FILES else None
    form = StandardsForm(bound, cells=standard_cells(coach.club))
    if bound is not None and form.is_valid():
        standards_save(club=coach.club, targets=form.targets())
        messages.success(request, "Saved the club's standards.")
        return redirect("coaching:standards")
    groups = group_names()
    by_group: dict[str, list[object]] = {}
    for cell, field in form.rows:
        by_group.setdefault(groups[cell.group], []).append((cell, field))
    return render(
        request,
        "coaching/standards.html",
        {"form": form, "by_group": by_group, "upload_error": upload_error},
        status=400 if upload_error else 200,
    )


@login_required
@require_POST
def flag_resolve(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = pain_flag_resolve(coach=coach_for(request.user), flag_id=flag_id)
    messages.success(request, "Flag resolved.")
    if request.POST.get("back") == "session" and flag.session_id is not None:
        return redirect("coaching:session", session_id=flag.session_id)
    return redirect("coaching:athlete", athlete_id=flag.athlete_id)


@login_required
@require_safe
def benchmark_matrix(request: HttpRequest) -> HttpResponse:
    """Athletes × movements, coloured by verdict against the club's group standards (by sex
    where a source gives them). Benchmarks come first; optional screens follow and an
    untested screen is shown as optional, not as missing."""
    coach = coach_for(request.user)
    catalog = club_catalog(coach.club)
    # A page of athletes at a time: only those shown are read, judged and rendered.
    page = Paginator(
        Athlete.objects.filter(squad__coach=coach).order_by("event_group", "name", "pk"),
        MATRIX_PAGE,
    ).get_page(request.GET.get("page"))
    athletes = list(page.object_list)
    judged = latest_verdicts(
        athletes={a.pk: (a.event_group, a.body_mass_kg) for a in athletes},
        today=timezone.localdate(),
        catalog=catalog,
    )
    benchmarks, screens = benchmarks_and_screens(catalog)
    movements = [*benchmarks, *screens]
    names = {group.slug: group.name for group in catalog.groups}
    groups: dict[str, list[tuple[Athlete, list[Judged | None]]]] = {
        name: [] for name in names.values()
    }
    for athlete in athletes:
        cells = [judged.get((athlete.pk, movement.slug)) for movement in movements]
        groups.setdefault(names.get(athlete.event_group, athlete.event_group), []).append(
            (athlete, cells)
        )
    groups = {name: rows for name, rows in groups.items() if rows}
    return render(
        request,
        "coaching/benchmark_matrix.html",
        {
            "groups": groups,
            "page": page,
            "movements": movements,
            # Each column says what its numbers are: a load test reads in kg per kg body mass.
            "columns": [(movement, UNIT_NAMES[movement.measure]) for movement in movements],
            "close_within_pct": catalog.benchmarking.close_within_pct,
            "symmetry_limit_pct": catalog.benchmarking.symmetry_limit_pct,
        },
    )
