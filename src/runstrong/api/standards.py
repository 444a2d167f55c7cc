"""The club's benchmark standards: the standards page's table and form, as JSON.

Groups and movements come from the catalog; a target is the club's own or the catalog's
default. Changes are checked by the page's own form, so a bad number is refused by the same
rule and named as the body names it (`standards.0.target`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from runstrong.api.form_errors import check, refused
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, EventGroup
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.forms import StandardsForm
from runstrong.web.coaching.models import Club
from runstrong.web.coaching.site_catalog import group_names
from runstrong.web.coaching.standards import StandardCell, standard_cells, standards_save

router = Router(tags=["standards"])


class ClubStandardOut(Schema):
    movement: str
    movement_name: str
    unit: str = Field(description="What the target counts, e.g. `reps per side`")
    default: float = Field(description="The catalog's figure")
    target: float = Field(description="The club's own figure, or the default")
    changed: bool = Field(description="The club set its own target")
    weak: bool = Field(description="A coach's figure or a default with no published norm")
    sources: list[str]
    applies_to: str = Field(
        description="Empty: every athlete of the group. Otherwise who the target applies to: "
        "a source's own figure for a sex applies to that sex (see GET /groups)."
    )


class ClubStandardGroupOut(Schema):
    group: str
    name: str
    standards: list[ClubStandardOut]


class StandardChangeIn(Schema):
    group: EventGroup
    movement: str = Field(max_length=60)
    target: float = Field(
        allow_inf_nan=False, description="Equal to the default: the club's override is dropped"
    )


class StandardsChangeIn(Schema):
    standards: list[StandardChangeIn] = Field(min_length=1, max_length=500)


def standards_json(club: Club) -> list[dict[str, Any]]:
    names = group_names()
    groups: dict[str, dict[str, Any]] = {}
    for cell in standard_cells(club):
        group = groups.setdefault(
            cell.group, {"group": cell.group, "name": names[cell.group], "standards": []}
        )
        group["standards"].append(
            ClubStandardOut(
                movement=cell.movement,
                movement_name=cell.movement_name,
                unit=cell.unit,
                default=cell.default,
                target=cell.target,
                changed=cell.changed,
                weak=cell.weak,
                sources=list(cell.keys),
                applies_to=cell.applies_to,
            ).model_dump(mode="json")
        )
    return list(groups.values())


def _form_data(
    cells: list[StandardCell], changes: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The page's form data: every current target, the changes laid over them; and the API's
    name for each changed form field. An unknown movement, or one given twice, is refused."""
    data: dict[str, Any] = {cell.field: f"{cell.target!r}" for cell in cells}
    by_key = {(cell.group, cell.movement): cell for cell in cells}
    names: dict[str, str] = {}
    problems = []
    for index, change in enumerate(changes):
        group, movement = change["group"], change["movement"]
        cell = by_key.get((group, movement))
        if cell is None:
            known = ", ".join(m for g, m in by_key if g == group)
            problems.append((f"standards.{index}.movement", f"expected one of {group}'s: {known}"))
        elif cell.field in names:
            problems.append((f"standards.{index}", f"{group} {movement} is given twice"))
        else:
            data[cell.field] = change["target"]
            names[cell.field] = f"standards.{index}.target"
    if problems:
        refused(problems)
    return data, names


@router.get(
    "/standards",
    response={200: list[ClubStandardGroupOut], 404: ErrorOut},
    operation_id="get_standards",
)
def get_standards(request: HttpRequest) -> list[dict[str, Any]]:
    """The club's target for each event group and movement of the catalog: the coach's own,
    or the catalog's default (with its sources)."""
    return standards_json(coach_for(request.user).club)


@router.patch(
    "/standards",
    response={200: list[ClubStandardGroupOut], 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="update_standards",
)
def update_standards(
    request: HttpRequest, payload: StandardsChangeIn, idempotency_key: IdempotencyKey = None
) -> Status[list[dict[str, Any]]]:
    """Change the targets given; the others keep theirs. A target equal to the catalog's
    default drops the club's own (as on the standards page). Answers every standard."""
    club = coach_for(request.user).club
    fields = payload.dict()

    def change() -> tuple[int, dict[str, Any]]:
        cells = standard_cells(club)
        data, names = _form_data(cells, fields["standards"])
        form = StandardsForm(data, cells=cells)
        check(form, names=names)
        targets = form.targets()
        changed = [(cell.group, cell.movement) for cell in cells if cell.field in names]
        standards_save(club=club, targets={key: targets[key] for key in changed})
        return 200, {"standards": standards_json(club)}

    status, body = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=change
    )
    return Status(status, body["standards"])
