"""Squads and athletes, and an athlete's progress series."""

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from runstrong.api.pagination import Page
from runstrong.api.schemas import (
    AthleteOut,
    EventGroup,
    PlanChangeOut,
    ProgressPointOut,
    RowId,
    SquadOut,
)
from runstrong.web.coaching.access import athlete_get_for_user, athletes_visible_to
from runstrong.web.coaching.models import Athlete, PlanChange, Squad
from runstrong.web.coaching.progress import athlete_progress

router = Router(tags=["athletes"])


class AthleteFilter(Schema):
    group: EventGroup | None = None
    squad: RowId | None = None


@router.get("/squads", response=list[SquadOut])
def squads(request: HttpRequest) -> list[dict[str, Any]]:
    rows = Squad.objects.filter(coach__user=request.user).select_related("club")
    return [
        {"id": s.pk, "name": s.name, "club": s.club.name, "athletes": s.count}
        for s in rows.annotate(count=Count("athletes"))
    ]


@router.get("/athletes", response=list[AthleteOut])
@paginate(Page)
def athletes(request: HttpRequest, filters: Query[AthleteFilter]) -> QuerySet[Athlete]:
    rows = athletes_visible_to(request.user).order_by("name", "pk")
    if filters.group:
        rows = rows.filter(event_group=filters.group)
    if filters.squad:
        rows = rows.filter(squad_id=filters.squad)
    return rows


@router.get("/athletes/{athlete_id}", response=AthleteOut)
def athlete(request: HttpRequest, athlete_id: RowId) -> Athlete:
    return athlete_get_for_user(user=request.user, athlete_id=athlete_id)


@router.get("/athletes/{athlete_id}/progress", response=list[ProgressPointOut])
def progress(request: HttpRequest, athlete_id: RowId, exercise: str) -> list[dict[str, Any]]:
    """Logged sessions of one exercise (its catalog slug or its name), oldest first."""
    found = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    series = athlete_progress(athlete=found, today=timezone.localdate())["progress"]
    for name, points in series.items():
        if exercise in (name, points[0].get("exercise")):
            return points  # type: ignore[no-any-return]
    return []


@router.get("/athletes/{athlete_id}/plan-changes", response=list[PlanChangeOut])
@paginate(Page)
def plan_changes(request: HttpRequest, athlete_id: RowId) -> QuerySet[PlanChange]:
    """How the athlete's plan moved, newest first: before → after, the cause and the rule keys."""
    found = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    return PlanChange.objects.filter(athlete=found).order_by("-at", "-pk")
