"""An athlete's running plan: its calendar (upload or subscription), a sync now, the planned
runs hard or easy with reasons, and the coach's override of one."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from runstrong.api.errors import Conflict
from runstrong.api.form_errors import refused
from runstrong.api.schemas import ErrorOut, PlanChangeOut, ReasonOut, RowId
from runstrong.engine.errors import ProfileError
from runstrong.web.coaching.access import athlete_get_for_user
from runstrong.web.coaching.models import Coach, PlanChange
from runstrong.web.coaching.request_types import AuthenticatedHttpRequest
from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
from runstrong.web.coaching.running_plan import (
    calendar_fetch,
    calendar_set_url,
    calendar_upload,
    run_override,
)
from runstrong.web.coaching.standards import club_catalog

router = Router(tags=["running plan"])
ICS_MAX_CHARS = 2_000_000


class RunningCalendarIn(Schema):
    """Either a subscription URL (fetched now; "" stops it) or an .ics file's text."""

    url: str | None = Field(default=None, max_length=2000)
    ics: str | None = Field(default=None, max_length=ICS_MAX_CHARS)


class RunningCalendarOut(Schema):
    url: str
    last_good_at: datetime | None
    last_good_from: str
    tried_at: datetime | None
    error: str
    error_at: datetime | None
    runs_from_today: int


class SyncOut(Schema):
    ok: bool
    runs: int
    error: str
    moved: list[PlanChangeOut]


class PlannedRunOut(Schema):
    id: int
    date: date
    start: time | None
    minutes: int | None
    title: str
    description: str
    hard: bool
    race: bool
    engine_hard: bool
    override: Literal["hard", "easy"] | None
    override_by: str
    reasons: list[ReasonOut]
    rule_keys: list[str]


class OverrideIn(Schema):
    """hard or easy over the engine's call; null gives the call back to the engine."""

    override: Literal["hard", "easy"] | None


def _calendar_out(calendar: RunningCalendar) -> dict[str, Any]:
    return {
        "url": calendar.url,
        "last_good_at": calendar.good_at,
        "last_good_from": calendar.good_from,
        "tried_at": calendar.tried_at,
        "error": calendar.error,
        "error_at": calendar.error_at,
        "runs_from_today": PlannedRun.objects.filter(
            athlete=calendar.athlete, date__gte=timezone.localdate()
        ).count(),
    }


def run_out(run: PlannedRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "date": run.date,
        "start": run.start,
        "minutes": run.minutes,
        "title": run.title,
        "description": run.description,
        "hard": run.is_hard,
        "race": run.race and run.is_hard,
        "engine_hard": run.hard,
        "override": run.override or None,
        "override_by": run.override_by,
        "reasons": run.reasons,
        "rule_keys": run.rule_keys,
    }


def _changes(changes: list[PlanChange]) -> list[PlanChange]:
    return [change for change in changes if change.what == "Session days"] or changes


@router.get(
    "/athletes/{athlete_id}/running-calendar",
    response=RunningCalendarOut,
    operation_id="running_calendar_get",
)
def calendar_get(request: HttpRequest, athlete_id: RowId) -> dict[str, Any]:
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    calendar, _ = RunningCalendar.objects.get_or_create(athlete=athlete)
    return _calendar_out(calendar)


@router.put(
    "/athletes/{athlete_id}/running-calendar",
    response={200: RunningCalendarOut, 400: ErrorOut, 422: ErrorOut},
    operation_id="running_calendar_put",
)
def calendar_put(
    request: HttpRequest, athlete_id: RowId, payload: RunningCalendarIn
) -> dict[str, Any]:
    """A URL is kept and fetched at once (a failed fetch is in `error`, the last good copy
    kept); an .ics text replaces the runs, or is refused with why, changing nothing."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    if (payload.url is None) == (payload.ics is None):
        refused([("url", "give exactly one of url and ics")])
    catalog = club_catalog(athlete.squad.club)
    if payload.ics is not None:
        result = calendar_upload(athlete, payload.ics.encode("utf-8"), catalog)
        if not result.ok:
            raise ProfileError("ics", "(file)", result.error)
    else:
        url = payload.url or ""
        problem = calendar_set_url(athlete, url)
        if problem:
            refused([("url", problem)])
        if url:
            calendar_fetch(athlete, catalog)
        else:
            RunningCalendar.objects.filter(athlete=athlete).update(url="")
    return _calendar_out(RunningCalendar.objects.get(athlete=athlete))


@router.post(
    "/athletes/{athlete_id}/running-calendar/sync",
    response={200: SyncOut, 409: ErrorOut},
    operation_id="running_calendar_sync",
)
def calendar_sync(request: HttpRequest, athlete_id: RowId) -> dict[str, Any]:
    """Fetch the subscription now; `ok` false with the reason keeps the last good copy."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    calendar = RunningCalendar.objects.filter(athlete=athlete).first()
    if calendar is None or not calendar.url:
        raise Conflict("url", "no subscription URL is set")
    result = calendar_fetch(athlete, club_catalog(athlete.squad.club))
    return {
        "ok": result.ok,
        "runs": result.runs,
        "error": result.error,
        "moved": _changes(result.changes),
    }


@router.get(
    "/athletes/{athlete_id}/planned-runs",
    response=list[PlannedRunOut],
    operation_id="planned_runs_list",
)
def planned_runs(
    request: HttpRequest, athlete_id: RowId, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """The runs from `since` (default today) to `until`, at most a year of them."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    rows = PlannedRun.objects.filter(athlete=athlete, date__gte=since or timezone.localdate())
    if until is not None:
        rows = rows.filter(date__lte=until)
    return [run_out(run) for run in rows[:400]]


@router.patch(
    "/athletes/{athlete_id}/planned-runs/{run_id}",
    response={200: PlannedRunOut, 403: ErrorOut},
    operation_id="planned_run_override",
)
def planned_run_override(
    request: AuthenticatedHttpRequest, athlete_id: RowId, run_id: RowId, payload: OverrideIn
) -> dict[str, Any]:
    """The coach's hard or easy over the engine's call; strength sessions follow."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    if not Coach.objects.filter(user=request.user).exists():
        raise PermissionDenied("Only the coach overrides a run's hard or easy.")
    run, _ = run_override(
        athlete,
        get_object_or_404(PlannedRun, pk=run_id, athlete=athlete).pk,
        payload.override or "",
        request.user.get_username(),
        club_catalog(athlete.squad.club),
    )
    return run_out(run)
