"""The athlete's phone pages: today's session, logging it, and what changed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from runstrong.api.errors import Conflict
from runstrong.api.idempotency import run_once
from runstrong.web.coaching.access import athlete_of, session_get_for_athlete
from runstrong.web.coaching.athlete_screens import latest_changes
from runstrong.web.coaching.forms import MissedForm, SessionLogForm
from runstrong.web.coaching.models import PainReport, PlannedItem, PlannedSession, SetLog
from runstrong.web.coaching.phone import late_sessions, offline_pages, session_status
from runstrong.web.coaching.session_log import (
    SessionAlreadyLogged,
    SetEntry,
    item_moved,
    same_set_logged,
    session_finish_if_all_logged,
    session_log_done,
    session_log_missed,
    set_record,
)
from runstrong.web.coaching.site_catalog import site_catalog

CHANGES_KEY = "runstrong:last-changes"
UNKNOWN_SET = "This set is no longer in the session (the plan changed): reload the page."
FINISHED = "This session is already finished: its sets stay as they were logged."


def _with_items(sessions: QuerySet[PlannedSession]) -> QuerySet[PlannedSession]:
    return sessions.prefetch_related(
        Prefetch(
            "items",
            queryset=PlannedItem.objects.select_related("text").prefetch_related("set_logs"),
        )
    )


def _page(
    request: HttpRequest, session: PlannedSession, form: SessionLogForm | None = None, **extra: Any
) -> dict[str, Any]:
    """What the session's log form needs: the form, where the session stands, the missed box,
    and the pages the phone keeps for offline use."""
    day = timezone.localdate()
    form = form or SessionLogForm(session=session)
    status = session_status(session, form.rows, day)
    if status.finished:
        form.lock()
    return {
        "session": session,
        "form": form,
        "status": status,
        "missed": MissedForm(),
        "pain_reports": (
            list(PainReport.objects.filter(session=session).named().order_by("-score", "pk"))
            if status.state == "done"
            else []
        ),
        "offline_pages": offline_pages(session.athlete, day),
        "effort_range": site_catalog().rules.effort.reps_in_reserve,
        **extra,
    }


def _session_with_items(session_id: int) -> PlannedSession:
    return _with_items(PlannedSession.objects.filter(pk=session_id).select_related("athlete")).get()


# The phone pages are compressed here (each set row repeats its markup): a repeat visit with
# the service worker fetches only the page, and gzip brings it to a fifth. Django's gzip adds
# random bytes to each response against length attacks on the CSRF token (HTB).
@gzip_page
@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    """Today's session (shown done once it is), else the next one; sessions of the last
    LATE_DAYS days not yet logged stay listed so they can be logged late."""
    athlete = athlete_of(request.user)
    day = timezone.localdate()
    published = PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
    session = (
        _with_items(published.filter(date=day)).first()
        or _with_items(published.filter(date__gt=day, log__isnull=True)).order_by("date").first()
    )
    recent = published.filter(date__lt=day).select_related("log").order_by("-date")[:5]
    page: dict[str, Any] = (
        _page(request, session) if session else {"offline_pages": offline_pages(athlete, day)}
    )
    following = (
        published.filter(date__gt=session.date, log__isnull=True).order_by("date").first()
        if session is not None and page["status"].finished
        else None
    )
    return render(
        request,
        "coaching/today.html",
        {
            **page,
            "athlete": athlete,
            "is_today": session is not None and session.date == day,
            "following": following,
            "late": late_sessions(athlete, day),
            "recent": recent,
            "changes": request.session.pop(CHANGES_KEY, None),
            # Kept across reloads: the latest plan change to each exercise of that session.
            "latest_changes": latest_changes(
                athlete, [item.name for item in session.items.all()] if session else [], day
            ),
        },
    )


@gzip_page
@login_required
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session on its own page; posting it saves every set shown and finishes it, or adds
    effort, pain and notes to a session its last set finished."""
    session = session_get_for_athlete(user=request.user, session_id=session_id)
    session = _session_with_items(session.pk)
    form = SessionLogForm(request.POST or None, session=session)
    page = _page(request, session, form)
    if request.method == "POST" and page["status"].state in ("done", "missed"):
        messages.info(request, f"This session is already marked {page['status'].log.status}.")
        return redirect("coaching:session-log", session.pk)
    if request.method == "POST" and form.is_valid():
        try:
            changes = session_log_done(
                session=session,
                sets=[SetEntry(*entry) for entry in form.entries()],
                reps_in_reserve=form.cleaned_data["reps_in_reserve"],
                pains=form.pain_entries(),
                notes=form.cleaned_data["notes"],
            )
        except SessionAlreadyLogged as error:
            messages.info(request, str(error))
            return redirect("coaching:today")
        request.session[CHANGES_KEY] = [change.as_data() for change in changes]
        messages.success(request, "Session saved.")
        return redirect("coaching:today")
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/session_log.html", page, status=status)


@gzip_page
@login_required
@require_POST
def session_set(request: HttpRequest, session_id: int) -> HttpResponse:
    """One tap on a set's ✓: save that set alone.

    The page's script asks for JSON and sends an Idempotency-Key, so a tap queued offline and
    sent twice is stored once; without JavaScript the ✓ posts the whole form here and the page
    comes back with the set's message next to it.
    """
    prefix = request.POST.get("prefix", "")
    body = {name: request.POST.get(name, "") for name in (f"{prefix}-done", f"{prefix}-load")}
    data: Mapping[str, Any] = request.POST
    moved = ""
    try:
        session = session_get_for_athlete(user=request.user, session_id=session_id)
    except Http404:
        session, prefix, data = _set_moved(request, session_id, prefix)
        moved = MOVED
    try:
        code, answer = run_once(
            user=request.user,
            key=request.headers.get("Idempotency-Key"),
            path=request.path,
            body={"prefix": request.POST.get("prefix", ""), **body},
            action=lambda: set_save(session.pk, prefix, data),
        )
    except Conflict as error:
        code, answer = 409, {"saved": False, "prefix": prefix, "message": error.reason}
    if moved and answer.get("saved"):
        answer = answer | {"message": moved, "moved": True}
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(answer, status=code)
    session = _session_with_items(session.pk)
    form = SessionLogForm(request.POST, session=session)
    page = _page(request, session, form, set_answer=answer)
    return render(request, "coaching/session_log.html", page, status=code)


MOVED = "Saved in the session that replaced this one: your coach published a new plan."
PARTS = ("done", "load")
_SET_PREFIX = re.compile(r"set-([0-9]{1,18})-([0-9]{1,2})((?:-left|-right)?)")


def _set_moved(
    request: HttpRequest, session_id: int, prefix: str
) -> tuple[PlannedSession, str, dict[str, str]]:
    """A set of a session a publish replaced, as the form of the session that took over that
    day would send it; 404 when no session took over with that exercise."""
    match = _SET_PREFIX.fullmatch(prefix)
    item = match and item_moved(user=request.user, session_id=session_id, item_id=int(match[1]))
    if not match or item is None:
        raise Http404
    moved = f"set-{item.pk}-{match[2]}{match[3]}"
    data = {f"{moved}-{part}": request.POST.get(f"{prefix}-{part}", "") for part in PARTS}
    return item.session, moved, data


def set_save(session_id: int, prefix: str, data: Any) -> tuple[int, dict[str, Any]]:
    """Validate and save the set `prefix` from posted `data`: the status code and an answer
    the page shows next to the set (errors by field, or the session's new standing)."""
    session = _session_with_items(session_id)
    form = SessionLogForm(data, session=session)
    row = next((row for row in form.rows if row["prefix"] == prefix), None)
    if row is None:
        message = "Tap ✓ next to a set to save it." if not prefix else UNKNOWN_SET
        return 400, {"saved": False, "prefix": prefix, "message": message}
    form.is_valid()
    errors = {
        part: [str(error) for error in form.errors.get(f"{prefix}-{part}", [])]
        for part in ("done", "load")
    }
    if errors["done"] or errors["load"]:
        message = " ".join(errors["done"] + errors["load"])
        return 400, {"saved": False, "prefix": prefix, "errors": errors, "message": message}
    done, load = form.cleaned_data[f"{prefix}-done"], form.cleaned_data[f"{prefix}-load"]
    entry = SetEntry(row["item"].pk, row["number"], row["side"], done, load)
    if set_record(entry) is None and same_set_logged(entry) is None:
        return 409, {"saved": False, "prefix": prefix, "message": FINISHED}
    session_finish_if_all_logged(session_id=session_id)
    logged = SetLog.objects.filter(
        item__session_id=session_id, set_number__lte=F("item__sets")
    ).count()
    status = session_status(session, form.rows, timezone.localdate(), logged=logged)
    return 200, {
        "saved": True,
        "prefix": prefix,
        "done": done,
        "load_kg": load,
        "message": "Saved.",
        "session": {
            "state": status.state,
            "logged": status.logged,
            "total": status.total,
            "text": status.text,
        },
    }


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
    page = _page(request, _session_with_items(session.pk)) | {"missed": form}
    return render(request, "coaching/session_log.html", page, status=400)
