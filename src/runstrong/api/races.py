"""An athlete's races: the coach adds and removes them, and the plan makes room for them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from runstrong.api.form_errors import check
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import athlete_get_for_coach, athlete_get_for_user
from runstrong.web.coaching.athlete_records import race_add_save, race_remove
from runstrong.web.coaching.forms import RaceForm
from runstrong.web.coaching.models import Race

router = Router(tags=["races"])


class RaceIn(Schema):
    name: str = Field(default="", description="Empty: `Race`")
    date: str = Field(description="YYYY-MM-DD")
    priority: str = Field(default="A", description="A (goal race), B or C")


class RaceOut(Schema):
    id: int
    athlete_id: int
    name: str
    date: date
    priority: str


def race_json(race: Race) -> dict[str, Any]:
    return RaceOut.from_orm(race).model_dump(mode="json")


@router.get("/athletes/{athlete_id}/races", response=list[RaceOut], operation_id="list_races")
def list_races(request: HttpRequest, athlete_id: RowId) -> list[Race]:
    """The athlete's races, soonest first (the athlete's own, or a coach's athlete's)."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    return list(athlete.races.order_by("date", "pk"))


@router.post(
    "/athletes/{athlete_id}/races",
    response={201: RaceOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="add_race",
)
def add_race(
    request: HttpRequest,
    athlete_id: RowId,
    payload: RaceIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """Add a race; sessions from today on make room for it. The same race twice is one."""
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    fields = payload.dict()

    def add() -> tuple[int, dict[str, Any]]:
        form = RaceForm(fields)
        check(form)
        race, _ = race_add_save(athlete=athlete, form=form)
        return 201, race_json(race)

    status, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=add
    )
    return Status(status, body)


@router.delete(
    "/athletes/{athlete_id}/races/{race_id}",
    response={204: None, 404: ErrorOut, 409: ErrorOut},
    operation_id="remove_race",
)
def remove_race(
    request: HttpRequest,
    athlete_id: RowId,
    race_id: RowId,
    idempotency_key: IdempotencyKey = None,
) -> Status[None]:
    """Remove a race; sessions from today on follow. Logged sessions stay as they were."""

    def remove() -> tuple[int, dict[str, Any]]:
        athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
        race = athlete.races.filter(pk=race_id).first()
        if race is None:
            raise Http404
        race_remove(race=race)
        return 204, {}

    status, _ = run_once(
        user=request.user, key=idempotency_key, path=request.path, body={}, action=remove
    )
    return Status(status, None)
