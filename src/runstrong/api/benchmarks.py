"""Benchmark results: coaches record them; everyone sees the engine's verdict."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from runstrong.api.pagination import Page
from runstrong.api.schemas import BenchmarkIn, BenchmarkOut, RowId
from runstrong.engine.benchmarks import BenchmarkResult as EngineResult
from runstrong.engine.benchmarks import Verdict, evaluate, standard_for
from runstrong.engine.errors import ProfileError
from runstrong.engine.serialize import verdict_data
from runstrong.web.coaching.access import athletes_visible_to, coach_for
from runstrong.web.coaching.models import Athlete, BenchmarkResult
from runstrong.web.coaching.standards import club_catalog

router = Router(tags=["benchmarks"])


def _verdict(result: BenchmarkResult, athlete: Athlete) -> Verdict:
    catalog = club_catalog(athlete.squad.club)
    standard = standard_for(
        catalog, catalog.group(athlete.event_group), result.movement, athlete.sex
    )
    engine_result = EngineResult(result.movement, result.value, result.left, result.right)
    return evaluate(engine_result, standard, athlete.body_mass_kg)


def benchmark_out(result: BenchmarkResult, athlete: Athlete) -> dict[str, Any]:
    try:
        verdict = _verdict(result, athlete)
    except ProfileError:
        verdict = None
    return {
        "id": result.pk,
        "athlete_id": result.athlete_id,
        "movement": result.movement,
        "date": result.date,
        "value": result.value,
        "left": result.left,
        "right": result.right,
        "verdict": None if verdict is None else verdict_data(verdict),
    }


@router.get("/benchmark-results", response=list[BenchmarkOut])
@paginate(Page)
def list_benchmark_results(
    request: HttpRequest, athlete: RowId | None = None
) -> list[dict[str, Any]]:
    rows = BenchmarkResult.objects.filter(
        athlete__in=athletes_visible_to(request.user)
    ).select_related("athlete__squad__club")
    if athlete is not None:
        rows = rows.filter(athlete_id=athlete)
    return [benchmark_out(r, r.athlete) for r in rows.order_by("-date", "-pk")]


@router.post("/benchmark-results", response={201: BenchmarkOut})
def record_benchmark_result(request: HttpRequest, payload: BenchmarkIn) -> Status[dict[str, Any]]:
    coach = coach_for(request.user)
    athlete = (
        Athlete.objects.filter(pk=payload.athlete_id, squad__coach=coach)
        .select_related("squad__club")
        .first()
    )
    if athlete is None:
        raise ProfileError("athlete_id", payload.athlete_id, "the id of one of your athletes")
    result = BenchmarkResult(
        athlete=athlete,
        movement=payload.movement,
        date=payload.date,
        value=payload.value,
        left=payload.left,
        right=payload.right,
    )
    _verdict(result, athlete)  # refuses an unknown movement or a missing side before saving
    result.save()
    return Status(201, benchmark_out(result, athlete))
