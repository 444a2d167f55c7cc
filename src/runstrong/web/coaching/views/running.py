"""The running plan's pages: where it comes from, its runs hard or easy, and what moved.

The coach sees it from the athlete's page and may override a run's hard/easy; the athlete sees
their own from the phone and may upload or subscribe too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from runstrong.engine.wording import weekday_date
from runstrong.web.coaching.access import athlete_get_for_coach, athlete_of
from runstrong.web.coaching.models import Athlete
from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
from runstrong.web.coaching.running_plan import (
    SyncResult,
    calendar_fetch,
    calendar_set_url,
    calendar_upload,
    run_override,
    running_load_jumps,
)
from runstrong.web.coaching.standards import club_catalog

CHANGES_SHOWN = 5


class CalendarUrlForm(forms.Form):
    url = forms.CharField(
        label="Subscription URL (https://… .ics link from TrainingPeaks, Final Surge, Runna or a "
        "shared calendar)",
        max_length=2000,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )

    def __init__(self, *args: Any, athlete: Athlete, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.athlete = athlete

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        problem = calendar_set_url(self.athlete, url) if url else None
        if problem:
            raise forms.ValidationError(f"{url[:80]}: {problem}.")
        return url


class CalendarFileForm(forms.Form):
    ics = forms.FileField(label="Running plan file (.ics)")

    def clean_ics(self) -> bytes:
        upload = self.cleaned_data["ics"]
        limit = settings.RUNSTRONG_FETCH_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"{upload.name}: larger than {limit // 1000} kB.")
        data: bytes = upload.read()
        return data


def _page(request: HttpRequest, athlete: Athlete, *, coach: bool) -> HttpResponse:
    calendar, _ = RunningCalendar.objects.get_or_create(athlete=athlete)
    url_form = CalendarUrlForm(initial={"url": calendar.url}, athlete=athlete)
    file_form = CalendarFileForm()
    catalog = club_catalog(athlete.squad.club)
    if request.method == "POST":
        action = request.POST.get("action")
        result: SyncResult | None = None
        if action == "url":
            url_form = CalendarUrlForm(request.POST, athlete=athlete)
            if url_form.is_valid():
                url = url_form.cleaned_data["url"]
                if not url:
                    calendar.url = ""
                    calendar.save(update_fields=["url"])
                    messages.success(request, "Subscription removed; the runs stay as fetched.")
                    return redirect(request.path)
                result = calendar_fetch(athlete, catalog)
        elif action == "fetch":
            result = calendar_fetch(athlete, catalog)
        elif action == "upload":
            file_form = CalendarFileForm(request.POST, request.FILES)
            if file_form.is_valid():
                result = calendar_upload(athlete, file_form.cleaned_data["ics"], catalog)
                if not result.ok:
                    name = getattr(request.FILES.get("ics"), "name", "the file")
                    file_form.add_error("ics", f"{name}: {result.error}.")
                    result = None
        if result is not None:
            if result.ok:
                moved = " Strength sessions moved: see below." if result.changes else ""
                messages.success(request, f"Running plan read: {result.runs} runs.{moved}")
                return redirect(request.path)
            messages.error(request, f"Not fetched: {result.error}. The last good copy is kept.")
            return redirect(request.path)
    today = timezone.localdate()
    calendar.refresh_from_db()
    runs = list(PlannedRun.objects.filter(athlete=athlete, date__gte=today)[:120])
    return render(
        request,
        "coaching/running.html",
        {
            "athlete": athlete,
            "coach_view": coach,
            "calendar": calendar,
            "url_form": url_form,
            "file_form": file_form,
            "runs": runs,
            "jumps": running_load_jumps([athlete], catalog, today).get(athlete.pk, []),
            "moved": list(athlete.plan_changes.filter(what="Session days")[:CHANGES_SHOWN]),
            "max_kb": settings.RUNSTRONG_FETCH_MAX_BYTES // 1000,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def coach_running(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    return _page(request, athlete, coach=True)


@login_required
@require_http_methods(["GET", "POST"])
def my_running(request: HttpRequest) -> HttpResponse:
    return _page(request, athlete_of(request.user), coach=False)


@login_required
@require_POST
def run_override_view(request: HttpRequest, athlete_id: int, run_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    run = get_object_or_404(PlannedRun, pk=run_id, athlete=athlete)
    kind = request.POST.get("override", "")
    if kind not in ("", "hard", "easy"):
        messages.error(request, "Override: choose hard, easy or the engine's call.")
        return redirect("coaching:athlete-running", athlete_id=athlete.pk)
    _, changes = run_override(
        athlete, run.pk, kind, request.user.get_username(), club_catalog(athlete.squad.club)
    )
    said = f"set {kind} by you" if kind else "back to the engine's call"
    moved = " Strength sessions moved." if changes else ""
    messages.success(request, f"{run.title or 'Run'} on {weekday_date(run.date)} {said}.{moved}")
    return redirect("coaching:athlete-running", athlete_id=athlete.pk)
