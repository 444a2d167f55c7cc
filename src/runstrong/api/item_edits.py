"""A coach's edits of planned items: one item on one day (dose, rest, a note, a swap to a
catalog substitute) or one exercise for a whole event group from a date.

The page's forms (ItemEditForm, GroupEditForm) check the input and plans.plan_item_update,
plan_item_edit_remove and group_edit make the change, as on the pages. Sessions with
anything logged keep what was prescribed: editing one is a 409.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from runstrong.api.errors import Conflict
from runstrong.api.form_errors import check, refused
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.forms import GroupEditForm, item_edit_form
from runstrong.web.coaching.item_overrides import load_cap, substitutes_for
from runstrong.web.coaching.models import ItemOverride, PlannedItem
from runstrong.web.coaching.plans import (
    ItemEditError,
    group_edit_from_form,
    plan_item_edit_remove,
    plan_item_update_from_form,
)
from runstrong.web.coaching.standards import club_catalog

router = Router(tags=["plan edits"])


class ItemEditIn(Schema):
    """The whole edit, as the item's edit form takes it."""

    sets: int
    target: float = Field(
        allow_inf_nan=False, description="In the item's measure: reps, metres or seconds"
    )
    load_kg: float | None = Field(default=None, allow_inf_nan=False, description="None: bodyweight")
    rest_s: int | None = Field(default=None, description="None: the planned rest")
    note: str = Field(default="", description="For the athlete; empty: none")
    swap_to: str = Field(default="", description="A substitute's name (see `substitutes`)")


class ItemEditOut(Schema):
    id: int
    session_id: int
    plan_id: int
    date: date
    exercise: str
    name: str
    sets: int
    measure: str
    target: float
    per_side: bool
    load_kg: float | None
    rest_s: int
    edited_by_coach: bool
    note: str
    swap_to: str
    substitutes: list[str] = Field(description="What `swap_to` may name")
    load_cap_kg: float = Field(description="The heaviest load the catalog allows here")


class GroupEditIn(Schema):
    group: str
    exercise: str = Field(description="A catalog exercise slug")
    start: date
    sets: int
    target: float = Field(allow_inf_nan=False)
    load_kg: float | None = Field(
        default=None, allow_inf_nan=False, description="None: each athlete's own load"
    )


class GroupEditOut(Schema):
    athletes: int
    sessions: int = Field(description="Sessions of current plans changed")
    draft_sessions: int = Field(description="Sessions of drafts changed")
    first: date | None
    other_measure: list[str] = Field(
        description="Athletes left as they are: their form of the exercise counts another measure"
    )


def _coach_item(request: HttpRequest, item_id: int) -> PlannedItem:
    coach = coach_for(request.user)
    try:
        return PlannedItem.objects.select_related(
            "session__athlete__squad__club", "session__plan", "text"
        ).get(pk=item_id, session__athlete__squad__coach=coach)
    except PlannedItem.DoesNotExist:
        raise Http404 from None


def item_edit_json(item: PlannedItem) -> dict[str, Any]:
    session = item.session
    catalog = club_catalog(session.athlete.squad.club)
    override = ItemOverride.objects.filter(
        plan_id=session.plan_id, date=session.date, exercise=item.exercise
    ).first()
    return ItemEditOut(
        id=item.pk,
        session_id=session.pk,
        plan_id=session.plan_id,
        date=session.date,
        exercise=item.exercise,
        name=item.name,
        sets=item.sets,
        measure=item.measure,
        target=item.target,
        per_side=item.per_side,
        load_kg=item.load_kg,
        rest_s=item.rest_s,
        edited_by_coach=item.edited_by_coach,
        note=override.note if override else "",
        swap_to=override.swap_to if override else "",
        substitutes=[one.name for one in substitutes_for(item.exercise, catalog)],
        load_cap_kg=load_cap(item.exercise, catalog),
    ).model_dump(mode="json")


def _edit_refused(error: ItemEditError, fields: set[str]) -> Exception:
    """A value the rules refuse is a 422 naming it; a session already logged is a 409."""
    if error.field in fields:
        refused([(error.field, str(error))])
    return Conflict(error.field, str(error))


@router.get(
    "/items/{item_id}/edit",
    response={200: ItemEditOut, 404: ErrorOut},
    operation_id="get_item_edit",
)
def get_item_edit(request: HttpRequest, item_id: RowId) -> dict[str, Any]:
    """The item as planned now, the coach's note and swap if any, and what it may swap to."""
    return item_edit_json(_coach_item(request, item_id))


@router.put(
    "/items/{item_id}/edit",
    response={200: ItemEditOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="edit_item",
)
def edit_item(
    request: HttpRequest,
    item_id: RowId,
    payload: ItemEditIn,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Pin the coach's edit to this item's day: every replan keeps it until it is removed.
    A swap re-derives the plan from today on; the same edit again changes nothing."""
    item = _coach_item(request, item_id)
    fields = payload.dict()

    def edit() -> tuple[int, dict[str, Any]]:
        form = item_edit_form(item, {k: "" if v is None else v for k, v in fields.items()})
        if fields["swap_to"] and "swap_to" not in form.fields:
            refused([("swap_to", f"{item.name} has no substitute in the catalog.")])
        check(form)
        data = form.cleaned_data
        try:
            edited = plan_item_update_from_form(item, data)
        except ItemEditError as error:
            raise _edit_refused(error, set(form.fields)) from None
        return 200, item_edit_json(edited)

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=edit
    )
    return body


@router.delete(
    "/items/{item_id}/edit",
    response={200: ItemEditOut, 204: None, 404: ErrorOut, 409: ErrorOut},
    operation_id="remove_item_edit",
)
def remove_item_edit(
    request: HttpRequest,
    item_id: RowId,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any] | None]:
    """Take the coach's edit off: the engine's prescription for that day returns (200 with
    the item), or 204 when the replan no longer has a session that day."""
    item = _coach_item(request, item_id)

    def remove() -> tuple[int, dict[str, Any]]:
        try:
            now = plan_item_edit_remove(item=item)
        except ItemEditError as error:
            raise Conflict(error.field, str(error)) from None
        return (204, {}) if now is None else (200, item_edit_json(_coach_item(request, now.pk)))

    status, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body={}, action=remove
    )
    return Status(status, body if status == 200 else None)


@router.post(
    "/plans/group-edit",
    response={200: GroupEditOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="group_edit",
)
def group_edit_dose(
    request: HttpRequest,
    payload: GroupEditIn,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """One exercise's dose for an event group from a date: pinned to every matching future
    session without a log, of every athlete of the group in the coach's squads."""
    coach = coach_for(request.user)
    fields = payload.dict()

    def edit() -> tuple[int, dict[str, Any]]:
        form = GroupEditForm({k: "" if v is None else v for k, v in fields.items()})
        check(form)
        try:
            result = group_edit_from_form(coach, form.cleaned_data)
        except ItemEditError as error:
            raise _edit_refused(error, set(form.fields)) from None
        return 200, GroupEditOut.from_orm(result).model_dump(mode="json")

    _, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=edit
    )
    return body
