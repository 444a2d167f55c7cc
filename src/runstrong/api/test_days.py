"""Test days: schedule one clear of hard runs, races and strength sessions, move it while
it is still to come, and enter its results. The test-day pages' forms and rules, as JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from runstrong.api.errors import Conflict
from runstrong.api.form_errors import check, refused
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, ResultOut, RowId
from runstrong.engine.testdays import default_test_movements
from runstrong.engine.wording import sentence, weekday_date
from runstrong.web.coaching.access import coach_for, test_day_get_for_coach
from runstrong.web.coaching.forms import TestDayForm, TestDayMoveForm
from runstrong.web.coaching.models import BenchmarkResult, Squad, TestDay
from runstrong.web.coaching.standards import club_catalog
from runstrong.web.coaching.testday import (
    DayChecks,
    MoveRefused,
    clash_words,
    grid_cells,
    grid_save,
    results_open,
    suggestion_words,
    test_day_athletes,
    test_day_move,
    test_day_movement_choices,
    test_day_schedule,
)

router = Router(tags=["test days"])


class TestDayIn(Schema):
    date: str = Field(description="YYYY-MM-DD")
    event_group: str = Field(default="", description="Empty: the whole squad")
    movements: list[str] | None = Field(
        default=None, description="Movement slugs; left out: the catalog's default test"
    )
    squad_id: RowId | None = Field(default=None, description="Left out: the coach's first squad")
    confirm: bool = Field(
        default=False, description="Schedule it even though some athletes clash (else 409)"
    )


class TestDayMoveIn(Schema):
    date: str = Field(description="YYYY-MM-DD, today or later")


class ResultIn(Schema):
    athlete_id: RowId
    movement: str
    value: float | None = Field(default=None, allow_inf_nan=False)
    left: float | None = Field(default=None, allow_inf_nan=False)
    right: float | None = Field(default=None, allow_inf_nan=False)


class ResultsIn(Schema):
    results: list[ResultIn] = Field(max_length=2000)


class TestDayOut(Schema):
    id: int
    squad_id: int
    date: date
    event_group: str
    movements: list[str]
    results: list[ResultOut] = Field(default_factory=list)


def test_day_json(day: TestDay) -> dict[str, Any]:
    results = BenchmarkResult.objects.filter(test_day=day).order_by("athlete_id", "movement")
    return TestDayOut(
        id=day.pk,
        squad_id=day.squad_id,
        date=day.date,
        event_group=day.event_group,
        movements=list(day.movements),
        results=[ResultOut.from_orm(result) for result in results],
    ).model_dump(mode="json")


def _clash(checked: DayChecks) -> Conflict:
    better = (
        f" {weekday_date(checked.suggestion.day)} ({checked.suggestion.day:%Y-%m-%d}) is "
        f"{suggestion_words(checked.suggestion)}."
        if checked.suggestion
        else ""
    )
    clash = sentence(clash_words(checked))
    return Conflict("date", f"{clash}{better} Send `confirm: true` to schedule it anyway.")


# A coach's list: anyone else gets the 404 every coach-only operation gives.
@router.get(
    "/test-days",
    response={200: list[TestDayOut], 404: ErrorOut},
    operation_id="list_test_days",
)
def list_test_days(request: HttpRequest) -> list[dict[str, Any]]:
    """The coach's test days, latest first, without their results."""
    coach = coach_for(request.user)
    rows = TestDay.objects.filter(squad__coach=coach).order_by("-date", "-pk")
    return [
        {"id": d.pk, "squad_id": d.squad_id, "date": d.date, "event_group": d.event_group,
         "movements": d.movements}
        for d in rows
    ]  # fmt: skip


@router.post(
    "/test-days",
    response={201: TestDayOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="create_test_day",
)
def create_test_day(
    request: HttpRequest,
    payload: TestDayIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """Schedule a test day for a squad or one event group of it. A day on which athletes
    clash (hard run, race, strength session) is a 409 naming them and a better day, unless
    `confirm`; the same test day twice is one."""
    coach = coach_for(request.user)
    fields = payload.dict()
    squads = Squad.objects.filter(coach=coach).order_by("pk")
    squad = squads.filter(pk=payload.squad_id).first() if payload.squad_id else squads.first()
    if squad is None:
        if payload.squad_id:
            refused([("squad_id", "Choose one of your squads.")])
        raise Http404
    catalog = club_catalog(coach.club)
    data = {k: v for k, v in fields.items() if k in ("date", "event_group", "movements")}
    if data["movements"] is None:
        data["movements"] = default_test_movements(catalog)

    def schedule() -> tuple[int, dict[str, Any]]:
        form = TestDayForm(data, movements=test_day_movement_choices(catalog))
        check(form)
        created, checked = test_day_schedule(
            squad=squad,
            day=form.cleaned_data["date"],
            event_group=form.cleaned_data["event_group"],
            movements=form.cleaned_data["movements"],
            catalog=catalog,
            today=timezone.localdate(),
            confirmed=payload.confirm,
        )
        if created is None:
            raise _clash(checked)
        return 201, test_day_json(created)

    status, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=schedule
    )
    return Status(status, body)


@router.get(
    "/test-days/{test_day_id}",
    response={200: TestDayOut, 404: ErrorOut},
    operation_id="get_test_day",
)
def get_test_day(request: HttpRequest, test_day_id: RowId) -> dict[str, Any]:
    return test_day_json(test_day_get_for_coach(user=request.user, test_day_id=test_day_id))


@router.post(
    "/test-days/{test_day_id}/move",
    response={200: TestDayOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="move_test_day",
)
def move_test_day(
    request: HttpRequest,
    test_day_id: RowId,
    payload: TestDayMoveIn,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Move a test day not yet held (no results saved) to today or later. Moving it to the
    date it has changes nothing."""
    day = test_day_get_for_coach(user=request.user, test_day_id=test_day_id)
    fields = payload.dict()

    def move() -> tuple[int, dict[str, Any]]:
        form = TestDayMoveForm(fields)
        check(form)
        try:
            test_day_move(test_day=day, day=form.cleaned_data["date"], today=timezone.localdate())
        except MoveRefused as error:
            raise Conflict("date", str(error)) from None
        return 200, test_day_json(day)

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=move
    )
    return body


@router.put(
    "/test-days/{test_day_id}/results",
    response={200: TestDayOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="enter_test_results",
)
def enter_test_results(
    request: HttpRequest,
    test_day_id: RowId,
    payload: ResultsIn,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Enter results, as the results grid does: per athlete and movement a `value`, or
    `left` and `right` for a per-leg movement. All or nothing: any bad cell is a 422 naming
    it and nothing is saved. Entering a result again replaces it (the grid's correction)."""
    day = test_day_get_for_coach(user=request.user, test_day_id=test_day_id)
    fields = payload.dict()
    catalog = club_catalog(day.squad.club)

    def enter() -> tuple[int, dict[str, Any]]:
        if not results_open(day, timezone.localdate()):
            raise Conflict(
                "date",
                f"This test day is on {weekday_date(day.date)}: results count from that day "
                "on. Move it to today if the athletes tested today.",
            )
        data, where = _grid_data(day, fields["results"], catalog)
        rows = grid_cells(day, catalog, data)
        with transaction.atomic():
            grid_save(test_day=day, rows=rows, catalog=catalog)
            bad = [
                (where[(cell.athlete.pk, cell.movement.slug)], "; ".join(cell.errors))
                for row in rows
                for cell in row
                if cell.errors
            ]
            if bad:
                transaction.set_rollback(True)
        if bad:
            refused(bad)
        return 200, test_day_json(day)

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=enter
    )
    return body


def _grid_data(
    day: TestDay, results: list[dict[str, Any]], catalog: Any
) -> tuple[dict[str, str], dict[tuple[int, str], str]]:
    """The grid's form fields for these results, and each cell's name in the request."""
    athletes = {a.pk for a in test_day_athletes(day)}
    data: dict[str, str] = {}
    where: dict[tuple[int, str], str] = {}
    problems = []
    for index, result in enumerate(results):
        athlete, slug = result["athlete_id"], result["movement"]
        if athlete not in athletes:
            problems.append((f"results.{index}.athlete_id", "an athlete of this test day"))
            continue
        if slug not in day.movements:
            problems.append((f"results.{index}.movement", f"one of {', '.join(day.movements)}"))
            continue
        per_side = catalog.movement(slug).per_side
        sides = ("left", "right") if per_side else ("value",)
        wrong = ("value",) if per_side else ("left", "right")
        for side in wrong:
            if result[side] is not None:
                problems.append((f"results.{index}.{side}", f"give {' and '.join(sides)}"))
        for side in sides:
            number = result[side]
            data[f"r-{athlete}-{slug}-{side}"] = "" if number is None else f"{number!r}"
        where[(athlete, slug)] = f"results.{index}" + ("" if per_side else ".value")
    if problems:
        refused(problems)
    return data, where
