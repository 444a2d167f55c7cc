"""Completed runs on the pages: the athlete's own (phone) and a coach's athlete's.

Both upload run files and show the last weeks of running beside strength. A few files are
imported in the request; many go to the worker, and the page polls the upload's state (htmx).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from runstrong.running.archive import Member
from runstrong.web.coaching.access import athlete_get_for_coach, athlete_of
from runstrong.web.coaching.completed_runs import upload_runs
from runstrong.web.coaching.forms import RunUploadForm
from runstrong.web.coaching.models import Athlete, RunUpload
from runstrong.web.coaching.request_types import HtmxHttpRequest
from runstrong.web.coaching.run_weeks import running_weeks

WEEKS_SHOWN = 4


def _upload_of(athlete: Athlete, upload_id: int | str | None) -> RunUpload | None:
    if not upload_id or not str(upload_id).isdigit():
        return None
    return RunUpload.objects.filter(athlete=athlete, pk=int(upload_id)).first()


def _context(
    athlete: Athlete, form: RunUploadForm, upload: RunUpload | None, *, mine: bool
) -> dict[str, Any]:
    if upload is None:
        poll = ""
    elif mine:
        poll = reverse("coaching:my-run-upload", args=[upload.pk])
    else:
        poll = reverse("coaching:athlete-run-upload", args=[athlete.pk, upload.pk])
    return {
        "poll_url": poll,
        "athlete": athlete,
        "form": form,
        "upload": upload,
        "weeks": running_weeks(athlete, timezone.localdate(), WEEKS_SHOWN),
        "today": timezone.localdate(),
    }


def _post(
    request: HttpRequest, athlete: Athlete, page: str, template: str, *, mine: bool
) -> HttpResponse:
    form = RunUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, _context(athlete, form, None, mine=mine), status=400)
    files = [Member(f.name or "upload", f.read()) for f in form.cleaned_data["files"]]
    upload = upload_runs(athlete, files, by=request.user)
    if upload.state == "refused":
        # Re-shown with the refusals beside the form; nothing was stored.
        return render(
            request, template, _context(athlete, RunUploadForm(), upload, mine=mine), status=400
        )
    return redirect(f"{page}?upload={upload.pk}")


@login_required
@require_safe
def my_runs(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    upload = _upload_of(athlete, request.GET.get("upload"))
    return render(
        request, "coaching/me/runs.html", _context(athlete, RunUploadForm(), upload, mine=True)
    )


@login_required
@require_POST
def my_runs_upload(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    return _post(request, athlete, reverse("coaching:my-runs"), "coaching/me/runs.html", mine=True)


@login_required
@require_safe
def my_run_upload(request: HtmxHttpRequest, upload_id: int) -> HttpResponse:
    athlete = athlete_of(request.user)
    return _status(request, athlete, upload_id)


@login_required
@require_safe
def athlete_runs(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    upload = _upload_of(athlete, request.GET.get("upload"))
    return render(
        request,
        "coaching/athlete_runs.html",
        _context(athlete, RunUploadForm(), upload, mine=False),
    )


@login_required
@require_POST
def athlete_runs_upload(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    page = reverse("coaching:athlete-runs", args=[athlete.pk])
    return _post(request, athlete, page, "coaching/athlete_runs.html", mine=False)


@login_required
@require_safe
def athlete_run_upload(request: HtmxHttpRequest, athlete_id: int, upload_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    return _status(request, athlete, upload_id)


def _status(request: HtmxHttpRequest, athlete: Athlete, upload_id: int) -> HttpResponse:
    """The upload's card, polled by the page while the worker imports it."""
    upload = _upload_of(athlete, upload_id)
    if upload is None:
        raise Http404
    response = render(
        request,
        "coaching/runs/_upload_status.html",
        {"upload": upload, "athlete": athlete, "poll_url": request.path},
    )
    if upload.finished and request.htmx:
        # The weeks below change with the import: reload the page once to show them.
        response["HX-Refresh"] = "true"
    return response
