"""The catalog and event groups, with the caller's club standards."""

from django.http import HttpRequest
from ninja import Router

from runstrong.api.schemas import (
    ExerciseOut,
    GroupOut,
    SexStandardOut,
    StandardOut,
    SubstituteOut,
)
from runstrong.engine.benchmarks import GroupStandard, SexGiven, standards_by_sex
from runstrong.engine.catalog import Catalog
from runstrong.web.coaching.models import Athlete, Coach
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.standards import club_catalog

router = Router(tags=["catalog"])


def _catalog_for(request: HttpRequest) -> Catalog:
    coach = Coach.objects.filter(user=request.user).select_related("club").first()
    if coach is not None:
        return club_catalog(coach.club)
    athlete = Athlete.objects.filter(user=request.user).select_related("squad__club").first()
    return club_catalog(athlete.squad.club) if athlete else site_catalog()


@router.get("/catalog/exercises", response=list[ExerciseOut])
def exercises(request: HttpRequest) -> list[dict[str, object]]:
    return [exercise.model_dump() for exercise in site_catalog().exercises]


@router.get("/catalog/substitutes", response=list[SubstituteOut])
def substitutes(request: HttpRequest) -> list[dict[str, object]]:
    return [substitute.model_dump() for substitute in site_catalog().substitutes]


@router.get("/groups", response=list[GroupOut])
def groups(request: HttpRequest) -> list[GroupOut]:
    catalog = _catalog_for(request)
    return [
        GroupOut(
            slug=group.slug,
            name=group.name,
            events=list(group.events),
            standards=[
                _standard_out(standards_by_sex(catalog, group, standard.movement))
                for standard in group.standards
            ],
        )
        for group in catalog.groups
    ]


def _standard_out(by_sex: dict[SexGiven, GroupStandard]) -> StandardOut:
    base = by_sex["unspecified"]
    return StandardOut(
        movement=base.movement,
        target=base.target,
        close_from=base.close_from,
        sources=list(base.keys),
        weak=base.weak,
        screen=base.screen,
        by_sex=[
            SexStandardOut(
                sex=sex,
                target=standard.target,
                close_from=standard.close_from,
                sources=list(standard.keys),
                weak=standard.weak,
                own_figure=standard.for_sex,
                note=None if standard.note is None else standard.note.text,
            )
            for sex, standard in by_sex.items()
            if sex != "unspecified"
        ],
    )
