"""Discarding a draft plan: the page's "Discard", one draft at a time.

Published plans (and whatever was logged against them) are never discarded: a published
plan here is a 409. Discarding a draft already gone is a 404, or with the same
Idempotency-Key the first answer.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from runstrong.api.errors import Conflict
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.models import Plan
from runstrong.web.coaching.plans import plans_discard

router = Router(tags=["plans"])


@router.delete(
    "/plans/{plan_id}",
    response={204: None, 404: ErrorOut, 409: ErrorOut},
    operation_id="discard_draft",
)
def discard_draft(
    request: HttpRequest,
    plan_id: RowId,
    idempotency_key: IdempotencyKey = None,
) -> Status[None]:
    coach = coach_for(request.user)

    def discard() -> tuple[int, dict[str, Any]]:
        plan = Plan.objects.filter(pk=plan_id, athlete__squad__coach=coach).first()
        if plan is None:
            raise Http404
        if plan.published_at is not None:
            raise Conflict("plan_id", "This plan is published: only drafts are discarded.")
        plans_discard(plans=[plan])
        return 204, {}

    status, _ = run_once(
        user=request.user, key=idempotency_key, path=request.path, body={}, action=discard
    )
    return Status(status, None)
