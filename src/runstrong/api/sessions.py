"""Sessions and set logs: read for athlete and coach; logging is the athlete's own."""

from dataclasses import replace
from datetime import date
from typing import Any, NoReturn

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from runstrong.api.errors import Conflict
from runstrong.api.idempotency import IdempotencyKey, run_once
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
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.session_log import (
    PainEntry,
    PainRefused,
    SessionAlreadyLogged,
    SetEntry,
    item_moved,
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


@router.get("/sessions", response=list[SessionOut])
@paginate(Page)
def list_sessions(request: HttpRequest, filters: Query[SessionFilter]) -> QuerySet[PlannedSession]:
    rows: QuerySet[PlannedSession] = sessions_visible_to(request.user).select_related("log")
    if filters.athlete is not None:
        rows = rows.filter(athlete_id=filters.athlete)
    if filters.date_from is not None:
        rows = rows.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        rows = rows.filter(date__lte=filters.date_to)
    return rows.order_by("date", "pk")


@router.get("/sessions/{session_id}", response=SessionDetailOut)
def get_session(request: HttpRequest, session_id: RowId) -> PlannedSession:
    found = session_get_for_user(user=request.user, session_id=session_id)
    return PlannedSession.objects.select_related("log").get(pk=found.pk)


@router.get("/sessions/{session_id}/sets", response=list[SetLogOut])
def list_session_sets(request: HttpRequest, session_id: RowId) -> QuerySet[SetLog]:
    found = session_get_for_user(user=request.user, session_id=session_id)
    return SetLog.objects.filter(item__session=found).order_by("pk")


@router.post(
    "/sessions/{session_id}/sets",
    response={201: SetLogOut, 400: ErrorOut, 409: ErrorOut},
)
def log_set(
    request: HttpRequest,
    session_id: RowId,
    payload: SetLogIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """Record one set. Logging the same set again updates it; an Idempotency-Key makes a
    retried request return the first response instead of writing again."""
    fields = payload.dict()
    entry = SetEntry(**fields)

    def record() -> tuple[int, dict[str, Any]]:
        saved_in, saved = session_id, entry
        set_id = set_record_own(user=request.user, session_id=session_id, entry=entry)
        if set_id is None:
            moved = item_moved(user=request.user, session_id=session_id, item_id=entry.item_id)
            if moved is not None:  # its session was replaced: the set goes to the new one
                saved_in, saved = moved.session_id, replace(entry, item_id=moved.pk)
                set_id = set_record_own(user=request.user, session_id=saved_in, entry=saved)
        if set_id is None:  # explained by the session it went to
            shown = payload.model_copy(update={"item_id": saved.item_id})
            set_id = _replayed_or_refused(request.user, saved_in, shown, saved)
        else:
            session_finish_if_all_logged(session_id=saved_in)
        return 201, {"id": set_id} | fields | {"item_id": saved.item_id}

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
def complete_session(
    request: HttpRequest,
    session_id: RowId,
    payload: CompleteIn,
    idempotency_key: IdempotencyKey = None,
) -> list[dict[str, Any]]:
    """Mark the session done with its logged sets; returns what changes next time and why.

    `pains`: pain in an exercise steps only that exercise back; pain elsewhere (no exercise)
    steps nothing back and is a flag for the coach. Completing again returns the first
    answer and changes nothing."""
    found = session_get_for_user(user=request.user, session_id=session_id, write=True)
    fields = payload.dict()
    pains = [PainEntry(**entry) for entry in fields["pains"]]
    exercises = set(found.items.values_list("exercise", flat=True)) if pains else set()
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
def miss_session(
    request: HttpRequest,
    session_id: RowId,
    payload: MissedIn,
    idempotency_key: IdempotencyKey = None,
) -> PlannedSession:
    """Mark the session missed: the same prescription comes next time. Again: no change."""
    found = session_get_for_user(user=request.user, session_id=session_id, write=True)
    fields = payload.dict()

    def mark() -> tuple[int, dict[str, Any]]:
        try:
            session_log_missed(session=found, reason=payload.reason)
        except SessionAlreadyLogged as error:
            raise Conflict("session_id", str(error)) from None
        return 200, {"session_id": found.pk}

    run_once(user=request.user, key=idempotency_key, path=request.path, body=fields, action=mark)
    # A log is never rewritten: the session as it reads now is the first answer, on a retry too.
    return PlannedSession.objects.select_related("log").get(pk=found.pk)


@router.get("/pain-reports", response=list[PainReportOut])
@paginate(Page)
def list_pain_reports(
    request: HttpRequest, athlete: RowId | None = None, open_only: bool = False
) -> QuerySet[PainReport]:
    """Pain the athletes reported; `open_only`: the open flags, at or over the catalog's
    pain_regress_at and not resolved."""
    threshold = site_catalog().rules.progression.pain_regress_at
    rows = PainReport.objects.filter(athlete__in=athletes_visible_to(request.user)).named()
    if athlete is not None:
        rows = rows.filter(athlete_id=athlete)
    if open_only:
        rows = rows.filter(resolved_at__isnull=True, score__gte=threshold)
    return rows.order_by("-date", "-pk")
