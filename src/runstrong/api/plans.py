"""Plans: preview (draft) through the engine, publish, list."""

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from runstrong.api.errors import Conflict
from runstrong.api.pagination import Page
from runstrong.api.schemas import (
    ErrorItem,
    ErrorOut,
    PlanOut,
    PlanPreviewIn,
    PlanPreviewOut,
    RowId,
)
from runstrong.engine.errors import ProfileError
from runstrong.web.coaching.access import coach_for, plans_visible_to
from runstrong.web.coaching.models import Athlete, Plan
from runstrong.web.coaching.plans import AlreadyPublished, plan_generate, plan_publish

router = Router(tags=["plans"])


@router.get("/plans", response=list[PlanOut])
@paginate(Page)
def list_plans(request: HttpRequest, athlete: RowId | None = None) -> QuerySet[Plan]:
    rows: QuerySet[Plan] = plans_visible_to(request.user).annotate(session_count=Count("sessions"))
    if athlete is not None:
        rows = rows.filter(athlete_id=athlete)
    return rows.order_by("-created_at", "-pk")


@router.post("/plans/preview", response={201: PlanPreviewOut})
def preview_plans(request: HttpRequest, payload: PlanPreviewIn) -> Status[dict[str, Any]]:
    """Draft plans for chosen athletes and/or a whole event group; publish them separately."""
    coach = coach_for(request.user)
    mine = Athlete.objects.filter(squad__coach=coach)
    chosen = list(mine.filter(pk__in=payload.athlete_ids))
    missing = set(payload.athlete_ids) - {athlete.pk for athlete in chosen}
    if missing:
        # Athletes that are not the coach's are reported like unknown ones: no existence leak.
        raise ProfileError("athlete_ids", sorted(missing), "ids of your own athletes")
    if payload.group:
        chosen += list(mine.filter(event_group=payload.group).exclude(pk__in=payload.athlete_ids))
    if not chosen:
        raise ProfileError("athlete_ids", [], "at least one athlete, or a group with athletes")
    drafts, problems = plan_generate(athletes=chosen, start=payload.start, weeks=payload.weeks)
    return Status(
        201,
        {
            "plans": drafts,
            "problems": [
                ErrorItem(field=f"athlete {p.athlete.pk}", reason=p.message) for p in problems
            ],
        },
    )


@router.post("/plans/{plan_id}/publish", response={200: PlanOut, 409: ErrorOut})
def publish_plan(request: HttpRequest, plan_id: RowId) -> Plan:
    """Publish a draft. Logged sessions stay; publishing a published plan is a 409."""
    coach = coach_for(request.user)
    plan = get_object_or_404(Plan, pk=plan_id, athlete__squad__coach=coach)
    try:
        return plan_publish(plan=plan)
    except AlreadyPublished as error:
        raise Conflict("plan_id", str(error)) from None
