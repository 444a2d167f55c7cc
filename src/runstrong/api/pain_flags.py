"""Resolving a pain flag: the coach has dealt with it. The report stays as the athlete gave it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.pain_flags import pain_flag_resolve

router = Router(tags=["sessions"])


class PainFlagOut(Schema):
    id: int
    athlete_id: int
    session_id: int | None
    date: date
    score: int
    resolved_at: datetime | None


@router.post(
    "/pain-reports/{report_id}/resolve",
    response={200: PainFlagOut, 404: ErrorOut, 409: ErrorOut},
    operation_id="resolve_pain_flag",
)
def resolve_pain_flag(
    request: HttpRequest,
    report_id: RowId,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Mark the flag resolved (it leaves the overview's open flags). Again: the first time
    stays."""
    coach = coach_for(request.user)

    def resolve() -> tuple[int, dict[str, Any]]:
        flag = pain_flag_resolve(coach=coach, flag_id=report_id)
        return 200, PainFlagOut.from_orm(flag).model_dump(mode="json")

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body={}, action=resolve
    )
    return body
