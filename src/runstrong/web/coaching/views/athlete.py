"""The athlete's phone pages: today's session, logging it, and what changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from runstrong.web.coaching.access import athlete_of, session_get_for_athlete
from runstrong.web.coaching.athlete_screens import latest_changes
from runstrong.web.coaching.forms import MissedForm, SessionLogForm
from runstrong.web.coaching.models import PlannedItem, PlannedSession
from runstrong.web.coaching.session_log import (
    SessionAlreadyLogged,
    SetEntry,
    same_set_logged,
    session_finish_if_all_logged,
    session_log_done,
    session_log_missed,
    set_record,
)

CHANGES_KEY = "runstrong:last-changes"


def _with_items(sessions: object) -> object:
    return sessions.prefetch_related(  # type: ignore[attr-defined]
        Prefetch(
            "items",
            queryset=PlannedItem.objects.select_related("text").prefetch_related("set_logs"),
        )
    )


@login_required
def today(request: HttpRequest) -> HttpResponse:
    athlete = athlete_of(request.user)
    day = timezone.localdate()
    published = PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
    session = (
        _with_items(published.filter(date__gte=day, log__isnull=True))  # type: ignore[attr-defined]
        .order_by("date")
        .first()
    )
    recent = published.filter(date__lt=day).select_related("log").order_by("-date")[:5]
    form = SessionLogForm(session=session) if session else None
    return render(
        request,
        "coaching/today.html",
        {
            "athlete": athlete,
            "session": session,
            "form": form,
            "is_today": session is not None and session.date == day,
            "recent": recent,
            "changes": request.session.pop(CHANGES_KEY, None),
            # Kept across reloads: the latest plan change to each exercise of that session.
            "latest_changes": latest_changes(
                athlete, [item.name for item in session.items.all()] if session else [], day
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get_for_athlete(user=request.user, session_id=session_id)
    session = _with_items(PlannedSession.objects.filter(pk=session.pk)).get()  # type: ignore[attr-defined]
    form = SessionLogForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            changes = session_log_done(
                session=session,
                sets=[SetEntry(*entry) for entry in form.entries()],
                reps_in_reserve=form.cleaned_data["reps_in_reserve"],
                pain=form.cleaned_data["pain"],
                pain_where=form.cleaned_data["pain_where"],
                notes=form.cleaned_data["notes"],
            )
        except SessionAlreadyLogged as error:
            messages.info(request, str(error))
            return redirect("coaching:today")
        request.session[CHANGES_KEY] = [change.as_data() for change in changes]
        messages.success(request, "Session saved.")
        return redirect("coaching:today")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/session_log.html",
        {"session": session, "form": form, "missed": MissedForm()},
        status=status,
    )


@login_required
@require_POST
def session_set(request: HttpRequest, session_id: int) -> HttpResponse:
    """One tap on a set (htmx): save that set alone and show it as done."""
    session = session_get_for_athlete(user=request.user, session_id=session_id)
    session = _with_items(PlannedSession.objects.filter(pk=session.pk)).get()  # type: ignore[attr-defined]
    form = SessionLogForm(request.POST, session=session)
    prefix = request.POST.get("prefix", "")
    row = next((row for row in form.rows if row["prefix"] == prefix), None)
    if row is None:
        return HttpResponse("Unknown set.", status=400)
    form.is_valid()
    done = form.cleaned_data.get(f"{prefix}-done")
    load = form.cleaned_data.get(f"{prefix}-load")
    if done is None or f"{prefix}-done" in form.errors or f"{prefix}-load" in form.errors:
        return render(
            request,
            "coaching/_partials/set_row.html",
            {"form": form, "row": row},
            status=400,
        )
    entry = SetEntry(row["item"].pk, row["number"], row["side"], done, load)
    if set_record(entry) is None and same_set_logged(entry) is None:
        return HttpResponse(
            "This session is already finished: its sets stay as they were logged.", status=409
        )
    session_finish_if_all_logged(session_id=session.pk)
    row["logged"] = True
    return render(request, "coaching/_partials/set_row.html", {"form": form, "row": row})


@login_required
@require_POST
def session_missed(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get_for_athlete(user=request.user, session_id=session_id)
    form = MissedForm(request.POST)
    if form.is_valid():
        try:
            session_log_missed(session=session, reason=form.cleaned_data["reason"])
        except SessionAlreadyLogged as error:
            messages.info(request, str(error))
        else:
            messages.info(request, "Marked as missed: the same prescription comes next time.")
        return redirect("coaching:today")
    session = _with_items(PlannedSession.objects.filter(pk=session.pk)).get()  # type: ignore[attr-defined]
    return render(
        request,
        "coaching/session_log.html",
        {"session": session, "form": SessionLogForm(session=session), "missed": form},
        status=400,
    )
