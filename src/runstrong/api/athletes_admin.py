"""A coach adds, changes and deletes athletes: the add and profile pages' forms, as JSON.

These operations sit on the athletes router (the reads' paths: one path, every method, as
Django resolves a path to the first router that has it). Coaches act on their own squads'
athletes only; anyone else gets the 404 the reads give.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Schema, Status

from runstrong.api.athletes import router
from runstrong.api.form_errors import form_errors, formset_errors, refused
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.races import RaceIn
from runstrong.api.schemas import AthleteOut, ErrorOut, RowId
from runstrong.engine.profile import kettlebells_text
from runstrong.web.coaching.access import athlete_get_for_coach, coach_for
from runstrong.web.coaching.athlete_records import (
    athlete_add_save,
    athlete_profile_save,
    athlete_remove,
    profile_form_data,
)
from runstrong.web.coaching.forms import AthleteAddForm, AthleteProfileForm, RaceFormSet
from runstrong.web.coaching.models import EQUIPMENT, Athlete, Squad

SQUAD = {"squad": "squad_id"}


class KettlebellIn(Schema):
    size_kg: float = Field(allow_inf_nan=False)
    count: int = Field(default=1, ge=1, le=20)


class ProfileFields(Schema):
    """The profile page's fields. Choices (event group, sex, problems, equipment, days…) are
    checked by the page's form, so an unknown value is a 422 naming the field."""

    name: str
    email: str = ""
    event_group: str
    sex: str = "unspecified"
    body_mass_kg: float = Field(allow_inf_nan=False)
    experience: str = "some"
    leg_length: str = "average"
    stride_goal: str = "keep"
    problems: list[str] = Field(default_factory=list)
    equipment: list[str] | None = Field(
        default=None, description="Left out: all the equipment the page offers ticked"
    )
    kettlebells: list[KettlebellIn] = Field(
        default_factory=list,
        description="The bells at hand; empty with `kettlebells` equipment: the common sizes",
    )
    strength_days: list[str] = Field(
        default_factory=list, description="Empty: derived from the hard-run days"
    )
    hard_run_days: list[str] = Field(default_factory=list)
    threshold_hr: int | None = Field(default=None, description="Threshold heart rate (bpm)")
    threshold_pace: str | int | None = Field(
        default=None, description="Threshold pace per km, min:s (`4:05`) or whole seconds"
    )


class AthleteCreateIn(ProfileFields):
    squad_id: RowId | None = Field(default=None, description="Left out: the coach's only squad")
    races: list[RaceIn] = Field(default_factory=list, max_length=50)


class AthletePatchIn(Schema):
    """Only the fields given change; the rest keep their values."""

    name: str | None = None
    email: str | None = None
    event_group: str | None = None
    sex: str | None = None
    body_mass_kg: float | None = Field(default=None, allow_inf_nan=False)
    experience: str | None = None
    leg_length: str | None = None
    stride_goal: str | None = None
    problems: list[str] | None = None
    equipment: list[str] | None = None
    kettlebells: list[KettlebellIn] | None = None
    strength_days: list[str] | None = None
    hard_run_days: list[str] | None = None
    threshold_hr: int | None = Field(default=None, description="null: no threshold")
    threshold_pace: str | int | None = Field(
        default=None, description="min:s (`4:05`) or whole seconds; null: no threshold"
    )


# Fields that null clears; for the others null is the same as leaving the field out.
CLEARABLE = ("threshold_hr", "threshold_pace")


def _bells_text(bells: list[dict[str, Any]]) -> str:
    return kettlebells_text(tuple((bell["size_kg"], bell["count"]) for bell in bells))


def _profile_data(fields: dict[str, Any]) -> dict[str, Any]:
    data = {name: value for name, value in fields.items() if value is not None}
    data |= {name: "" for name in CLEARABLE if name in fields and fields[name] is None}
    if "kettlebells" in data:
        data["kettlebells"] = _bells_text(data["kettlebells"])
    return data


def _races_data(races: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "races-TOTAL_FORMS": len(races),
        "races-INITIAL_FORMS": 0,
        "races-MIN_NUM_FORMS": 0,
        "races-MAX_NUM_FORMS": 1000,
    }
    for index, race in enumerate(races):
        data |= {f"races-{index}-{name}": value for name, value in race.items()}
    return data


def athlete_json(athlete: Athlete) -> dict[str, Any]:
    return AthleteOut.from_orm(athlete).model_dump(mode="json")


def _answer(status: int, body: dict[str, Any]) -> HttpResponse:
    """The answer as recorded: AthleteOut resolves its kettlebells from a model instance, so
    the stored JSON (a replay's answer) is sent as it is rather than validated again."""
    return JsonResponse(body, status=status, json_dumps_params={"allow_nan": False})


@router.post(
    "/athletes",
    response={201: AthleteOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="create_athlete",
)
def create_athlete(
    request: HttpRequest,
    payload: AthleteCreateIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Add one athlete, with races, to one of the coach's squads (the add page's rules: the
    same email, or the same name without one, in the squad is refused). Give them a login
    link with `issue_invitations`."""
    coach = coach_for(request.user)
    fields = payload.dict()
    data = _profile_data({k: v for k, v in fields.items() if k not in ("races", "squad_id")})
    data.setdefault("equipment", [code for code, _ in EQUIPMENT])  # the add page's default
    if payload.squad_id is not None:
        data["squad"] = payload.squad_id

    def add() -> tuple[int, dict[str, Any]]:
        form = AthleteAddForm(data, squads=Squad.objects.filter(coach=coach).order_by("pk"))
        races = RaceFormSet(_races_data(fields["races"]), instance=Athlete(), prefix="races")
        valid = form.is_valid()
        if not (races.is_valid() and valid):
            refused(form_errors(form, names=SQUAD) + formset_errors(races, "races"))
        with transaction.atomic():
            athlete = athlete_add_save(form, races)
        return 201, athlete_json(athlete)

    return _answer(
        *run_once(
            user=request.user, key=idempotency_key, path=request.path, body=fields, action=add
        )
    )


@router.patch(
    "/athletes/{athlete_id}",
    response={200: AthleteOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="update_athlete",
)
def update_athlete(
    request: HttpRequest,
    athlete_id: RowId,
    payload: AthletePatchIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Change the profile: leg length, stride goal, problems, training days, equipment,
    kettlebells… Sessions from today on follow it (see `plan-changes`); logged ones stay."""
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    given = payload.dict()
    fields = {name: given[name] for name in payload.model_fields_set}

    def change() -> tuple[int, dict[str, Any]]:
        form = AthleteProfileForm(
            profile_form_data(athlete) | _profile_data(fields), instance=athlete
        )
        if not form.is_valid():
            refused(form_errors(form))
        athlete_profile_save(athlete=athlete, form=form)
        return 200, athlete_json(Athlete.objects.get(pk=athlete.pk))

    return _answer(
        *run_once(
            user=request.user, key=idempotency_key, path=request.path, body=fields, action=change
        )
    )


@router.delete(
    "/athletes/{athlete_id}",
    response={204: None, 404: ErrorOut, 409: ErrorOut},
    operation_id="delete_athlete",
)
def delete_athlete(
    request: HttpRequest,
    athlete_id: RowId,
    idempotency_key: IdempotencyKey = None,
) -> Status[None]:
    """Delete the athlete, their login and all their data (the profile page's "Delete"): the
    one operation that removes logged training, so it is the coach's explicit choice."""

    def remove() -> tuple[int, dict[str, Any]]:
        # Looked up inside: a retry with the same key replays the 204 of the first delete.
        athlete_remove(athlete=athlete_get_for_coach(user=request.user, athlete_id=athlete_id))
        return 204, {}

    status, _ = run_once(
        user=request.user, key=idempotency_key, path=request.path, body={}, action=remove
    )
    return Status(status, None)
