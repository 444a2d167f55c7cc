"""The catalog and event groups, with the caller's club standards."""

from django.http import HttpRequest
from ninja import Router

from runstrong.api.schemas import ExerciseOut, GroupOut, StandardOut, SubstituteOut
from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.web.coaching.models import Athlete, Coach
from runstrong.web.coaching.standards import club_catalog

router = Router(tags=["catalog"])


def _catalog_for(request: HttpRequest) -> Catalog:
    coach = Coach.objects.filter(user=request.user).select_related("club").first()
    if coach is not None:
        return club_catalog(coach.club)
    athlete = Athlete.objects.filter(user=request.user).select_related("squad__club").first()
    return club_catalog(athlete.squad.club) if athlete else load_catalog()


@router.get("/catalog/exercises", response=list[ExerciseOut])
def exercises(request: HttpRequest) -> list[dict[str, object]]:
    return [exercise.model_dump() for exercise in load_catalog().exercises]


@router.get("/catalog/substitutes", response=list[SubstituteOut])
def substitutes(request: HttpRequest) -> list[dict[str, object]]:
    return [substitute.model_dump() for substitute in load_catalog().substitutes]


@router.get("/groups", response=list[GroupOut])
def groups(request: HttpRequest) -> list[GroupOut]:
    catalog = _catalog_for(request)
    return [
        GroupOut(
            slug=group.slug,
            name=group.name,
            events=list(group.events),
            standards=[
                StandardOut(
                    movement=standard.movement,
                    target=standard.target,
                    sources=list(standard.sources),
                    weak=standard.weak or catalog.is_weak(standard.sources),
                )
                for standard in group.standards
            ],
        )
        for group in catalog.groups
    ]
