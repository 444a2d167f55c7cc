"""Benchmark results: coaches record them; everyone sees the engine's verdict."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from runstrong.api.pagination import Page
from runstrong.api.schemas import BenchmarkIn, BenchmarkOut, RowId
from runstrong.api.verdicts import verdict_of
from runstrong.engine.errors import ProfileError
from runstrong.web.coaching.access import athletes_visible_to, coach_for
from runstrong.web.coaching.models import Athlete, BenchmarkResult

router = Router(tags=["benchmarks"])


@router.get("/benchmark-results", response=list[BenchmarkOut])
@paginate(Page)
def list_benchmark_results(
    request: HttpRequest, athlete: RowId | None = None
) -> QuerySet[BenchmarkResult]:
    """Newest first, each with the engine's verdict on the club's standards (none for a
    movement the athlete's group has no standard for)."""
    rows = BenchmarkResult.objects.filter(
        athlete__in=athletes_visible_to(request.user)
    ).select_related("athlete__squad__club")
    if athlete is not None:
        rows = rows.filter(athlete_id=athlete)
    return rows.order_by("-date", "-pk")


@router.post("/benchmark-results", response={201: BenchmarkOut})
def record_benchmark_result(request: HttpRequest, payload: BenchmarkIn) -> Status[BenchmarkResult]:
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
    verdict_of(result, request)  # refuses an unknown movement or a missing side before saving
    result.save()
    return Status(201, result)
