"""Benchmark results: coaches record them; everyone sees the engine's verdict."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from runstrong.api.form_errors import refused
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.pagination import Page
from runstrong.api.schemas import BenchmarkIn, BenchmarkOut, ErrorOut, RowId
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


@router.post("/benchmark-results", response={201: BenchmarkOut, 409: ErrorOut, 422: ErrorOut})
def record_benchmark_result(
    request: HttpRequest, payload: BenchmarkIn, idempotency_key: IdempotencyKey = None
) -> Status[BenchmarkResult]:
    """Record a result for one of the coach's athletes; a movement the athlete's group has no
    standard for, or a missing side, is a 422 naming the field, and nothing is stored. An
    Idempotency-Key makes a retried request answer with the result it recorded the first time
    rather than record it twice."""

    def record() -> tuple[int, dict[str, Any]]:
        return 201, {"id": _recorded(request, payload).pk}

    status, body = run_once(
        user=request.user,
        key=idempotency_key,
        path=request.path,
        body=payload.dict(),
        action=record,
    )
    result = BenchmarkResult.objects.select_related("athlete__squad__club").get(pk=body["id"])
    return Status(status, result)


def _recorded(request: HttpRequest, payload: BenchmarkIn) -> BenchmarkResult:
    coach = coach_for(request.user)
    athlete = (
        Athlete.objects.filter(pk=payload.athlete_id, squad__coach=coach)
        .select_related("squad__club")
        .first()
    )
    if athlete is None:
        refused([("athlete_id", "expected the id of one of your athletes")])
    result = BenchmarkResult(
        athlete=athlete,
        movement=payload.movement,
        date=payload.date,
        value=payload.value,
        left=payload.left,
        right=payload.right,
    )
    try:
        verdict_of(result, request)  # an unknown movement or a missing side, before saving
    except ProfileError as error:
        # The engine names the pair ("left/right"); the body's fields are each side's own.
        sides = [side for side in ("left", "right") if getattr(payload, side) is None]
        fields = sides if error.field == "left/right" else [error.field]
        refused([(field, error.allowed) for field in fields])
    result.save()
    return result
