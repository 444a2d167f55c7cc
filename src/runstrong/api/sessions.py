"""Sessions and set logs: read for athlete and coach; logging is the athlete's own."""

from datetime import date
from typing import Any, NoReturn

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from runstrong.api.errors import Conflict
from runstrong.api.idempotency import run_once
from runstrong.api.pagination import Page
from runstrong.api.schemas import (
    ChangeOut,
    CompleteIn,
    ErrorOut,
    MissedIn,
    PainReportOut,
    RowId,
    SessionDetailOut,
    SessionOut,
    SetLogIn,
    SetLogOut,
)
from runstrong.engine.errors import ProfileError
from runstrong.web.coaching.access import (
    AnyUser,
    athletes_visible_to,
    session_get_for_user,
    sessions_visible_to,
)
from runstrong.web.coaching.models import (
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.session_log import (
    PainEntry,
    PainRefused,
    SessionAlreadyLogged,
    SetEntry,
    same_set_logged,
    session_finish_if_all_logged,
    session_log_done,
    session_log_missed,
    set_record_own,
)
from runstrong.web.coaching.site_catalog import site_catalog

router = Router(tags=["sessions"])


class SessionFilter(Schema):
    athlete: RowId | None = None
    date_from: date | None = None
    date_to: date | None = None


def _status(session: PlannedSession) -> str:
    log = getattr(session, "log", None)
    return "planned" if log is None else str(log.status)


def log_out(log: SessionLog | None) -> dict[str, Any] | None:
    if log is None:
        return None
    return {
        "status": log.status,
        "reps_in_reserve": log.reps_in_reserve,
        "pain": log.pain,
        "pain_where": log.pain_where,
        "notes": log.notes,
        "missed_reason": log.missed_reason,
        "logged_at": log.logged_at,
    }


def session_out(session: PlannedSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "athlete_id": session.athlete_id,
        "plan_id": session.plan_id,
        "date": session.date,
        "week_index": session.week_index,
        "phase": session.phase,
        "deload": session.deload,
        "kind": session.kind,
        "placement": session.placement,
        "status": _status(session),
        "log": log_out(getattr(session, "log", None)),
    }


def item_out(item: PlannedItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "slot": item.slot,
        "exercise": item.exercise,
        "name": item.name,
        "sets": item.sets,
        "measure": item.measure,
        "target": item.target,
        "per_side": item.per_side,
        "load_kg": item.load_kg,
        "rest_s": item.rest_s,
        # Reps in reserve apply to rep-counted work only: none on metres or holds.
        "reps_in_reserve": [item.rir_low, item.rir_high] if item.measure == "reps" else [],
        "footwear": item.footwear or None,
        "cues": item.cues,
        "reasons": item.reasons,
        "edited_by_coach": item.edited_by_coach,
    }


def set_out(entry: SetLog) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "item_id": entry.item_id,
        "set_number": entry.set_number,
        "side": entry.side,
        "done": entry.done,
        "load_kg": entry.load_kg,
    }


@router.get("/sessions", response=list[SessionOut])
@paginate(Page)
def sessions(request: HttpRequest, filters: Query[SessionFilter]) -> list[dict[str, Any]]:
    rows: QuerySet[PlannedSession] = sessions_visible_to(request.user).select_related("log")
    if filters.athlete is not None:
        rows = rows.filter(athlete_id=filters.athlete)
    if filters.date_from is not None:
        rows = rows.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        rows = rows.filter(date__lte=filters.date_to)
    return [session_out(s) for s in rows.order_by("date", "pk")]


@router.get("/sessions/{session_id}", response=SessionDetailOut)
def session(request: HttpRequest, session_id: RowId) -> dict[str, Any]:
    found = session_get_for_user(user=request.user, session_id=session_id)
    threshold = site_catalog().rules.progression.pain_regress_at
    reports = PainReport.objects.filter(session=found).named().order_by("-score", "pk")
    return session_out(found) | {
        "items": [item_out(item) for item in found.items.select_related("text")],
        "pains": [pain_out(report, threshold) for report in reports],
    }


@router.get("/sessions/{session_id}/sets", response=list[SetLogOut])
def session_sets(request: HttpRequest, session_id: RowId) -> list[dict[str, Any]]:
    found = session_get_for_user(user=request.user, session_id=session_id)
    return [set_out(e) for e in SetLog.objects.filter(item__session=found).order_by("pk")]


@router.post(
    "/sessions/{session_id}/sets",
    response={201: SetLogOut, 400: ErrorOut, 409: ErrorOut},
)
def log_set(
    request: HttpRequest,
    session_id: RowId,
    payload: SetLogIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Record one set. Logging the same set again updates it; an Idempotency-Key makes a
    retried request return the first response instead of writing again."""
    fields = payload.dict()
    entry = SetEntry(**fields)

    def record() -> tuple[int, dict[str, Any]]:
        set_id = set_record_own(user=request.user, session_id=session_id, entry=entry)
        if set_id is None:
            set_id = _replayed_or_refused(request.user, session_id, payload, entry)
        else:
            session_finish_if_all_logged(session_id=session_id)
        return 201, {"id": set_id} | fields

    status, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=record
    )
    return Status(status, body)


def _replayed_or_refused(user: AnyUser, session_id: int, payload: SetLogIn, entry: SetEntry) -> int:
    """A set refused by the finished-session rule but already logged exactly so is a replay
    (a retried last tap): its id. Anything else is explained."""
    found = session_get_for_user(user=user, session_id=session_id, write=True)
    if SessionLog.objects.filter(session=found).exists():
        same = same_set_logged(entry) if found.items.filter(pk=entry.item_id).exists() else None
        if same is not None:
            return same
    _explain_refusal(user, session_id, payload)


def _explain_refusal(user: AnyUser, session_id: int, payload: SetLogIn) -> NoReturn:
    """Why a set was not saved: the session's 404 or 403, else the field that does not fit."""
    found = session_get_for_user(user=user, session_id=session_id, write=True)
    item = found.items.filter(pk=payload.item_id).first()
    if item is None:
        raise ProfileError("item_id", payload.item_id, "an item of this session")
    if payload.set_number > item.sets:
        raise ProfileError("set_number", payload.set_number, f"1 to {item.sets}")
    if item.per_side != (payload.side != ""):
        allowed = "left or right" if item.per_side else 'empty ("")'
        raise ProfileError("side", payload.side, f"{allowed} for this exercise")
    log = SessionLog.objects.filter(session=found).first()
    if log is not None:
        raise Conflict(
            "session_id",
            f"This session is already marked {log.status}: its sets stay as they were logged.",
        )
    raise Conflict("item_id", "The session changed while the set was saved; retry.")


@router.post("/sessions/{session_id}/complete", response={200: list[ChangeOut], 409: ErrorOut})
def complete(
    request: HttpRequest,
    session_id: RowId,
    payload: CompleteIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> list[dict[str, Any]]:
    """Mark the session done with its logged sets; returns what changes next time and why.

    `pains`: pain in an exercise steps only that exercise back; pain elsewhere (no exercise)
    steps nothing back and is a flag for the coach. Completing again returns the first
    answer and changes nothing."""
    found = session_get_for_user(user=request.user, session_id=session_id, write=True)
    fields = payload.dict()
    pains = [PainEntry(**entry) for entry in fields["pains"]]
    exercises = set(found.items.values_list("exercise", flat=True))
    for index, entry in enumerate(pains):
        try:
            entry.check(exercises)
        except PainRefused as error:
            value = getattr(entry, error.field)
            raise ProfileError(f"pains.{index}.{error.field}", value, error.allowed) from None
    details = {name: value for name, value in fields.items() if name != "pains"}

    def finish() -> tuple[int, dict[str, Any]]:
        try:
            changes = session_log_done(session=found, sets=[], pains=pains, **details)
        except SessionAlreadyLogged as error:
            raise Conflict("session_id", str(error)) from None
        return 200, {"changes": [change.as_data() for change in changes]}

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=finish
    )
    return list(body["changes"])


@router.post("/sessions/{session_id}/missed", response={200: SessionOut, 409: ErrorOut})
def missed(
    request: HttpRequest,
    session_id: RowId,
    payload: MissedIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> dict[str, Any]:
    """Mark the session missed: the same prescription comes next time. Again: no change."""
    found = session_get_for_user(user=request.user, session_id=session_id, write=True)
    fields = payload.dict()

    def mark() -> tuple[int, dict[str, Any]]:
        try:
            session_log_missed(session=found, reason=payload.reason)
        except SessionAlreadyLogged as error:
            raise Conflict("session_id", str(error)) from None
        row = PlannedSession.objects.select_related("log").get(pk=found.pk)
        return 200, SessionOut.model_validate(session_out(row)).model_dump(mode="json")

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=mark
    )
    return body


@router.get("/pain-reports", response=list[PainReportOut])
@paginate(Page)
def pain_reports(
    request: HttpRequest, athlete: RowId | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    """Pain the athletes reported; `open_only`: the open flags, at or over the catalog's
    pain_regress_at and not resolved."""
    threshold = site_catalog().rules.progression.pain_regress_at
    rows = PainReport.objects.filter(athlete__in=athletes_visible_to(request.user)).named()
    if athlete is not None:
        rows = rows.filter(athlete_id=athlete)
    if open_only:
        rows = rows.filter(resolved_at__isnull=True, score__gte=threshold)
    return [pain_out(r, threshold) for r in rows.order_by("-date", "-pk")]


def pain_out(report: PainReport, threshold: int) -> dict[str, Any]:
    """A pain report read through `PainReports.named()`: where, and the exercise it hurt in."""
    return {
        "id": report.pk,
        "athlete_id": report.athlete_id,
        "session_id": report.session_id,
        "date": report.date,
        "score": report.score,
        "exercise": report.exercise,
        "exercise_name": report.exercise_name or "",
        "area": report.area,
        "side": report.side,
        "where": report.where_text,
        "resolved": report.resolved_at is not None,
        "flag": report.resolved_at is None and report.score >= threshold,
    }
