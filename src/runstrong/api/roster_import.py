"""Importing a roster CSV: the roster page's check and import, as JSON.

The CSV is the page's (download the template there); each row is added, updated or refused
with its reasons, on its own. `dry_run` checks without saving, like the page's preview. New
athletes get their login links from `issue_invitations`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from runstrong.api.form_errors import check, refused
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.forms import RosterUploadForm
from runstrong.web.coaching.models import Squad
from runstrong.web.coaching.roster import RosterError, roster_check, roster_import

router = Router(tags=["athletes"])


class RosterIn(Schema):
    csv: str = Field(min_length=1, max_length=1_000_000, description="The roster file's text")
    squad_id: RowId | None = Field(default=None, description="Left out: the coach's only squad")
    dry_run: bool = Field(default=False, description="Check every row, save nothing")


class RefusedRowOut(Schema):
    line: int
    errors: list[str]


class RosterOut(Schema):
    added: list[int] = Field(description="Athlete ids (in a dry run: empty)")
    updated: list[int]
    unchanged: list[int]
    new: int = Field(description="Rows that add an athlete (a dry run's count)")
    refused: list[RefusedRowOut]


@router.post(
    "/roster/import",
    response={200: RosterOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="import_roster",
)
def import_roster(
    request: HttpRequest,
    payload: RosterIn,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Add or update the squad's athletes from a roster CSV (the same email, or the same name
    without one, updates that athlete; a second import of one file adds nobody)."""
    coach = coach_for(request.user)
    fields = payload.dict()
    form = RosterUploadForm(
        {"text": payload.csv, "squad": payload.squad_id or ""},
        squads=Squad.objects.filter(coach=coach).order_by("pk"),
    )
    check(form, names={"squad": "squad_id", "text": "csv"})
    squad = form.cleaned_data["squad"]

    def run() -> tuple[int, dict[str, Any]]:
        saved: dict[str, list[int]] = {"added": [], "updated": [], "unchanged": []}
        try:
            if payload.dry_run:
                checked = roster_check(payload.csv, squad=squad)
            else:
                result = roster_import(squad=squad, text=payload.csv)
                checked = result.check
                saved = {
                    "added": [a.pk for a in result.added],
                    "updated": [a.pk for a in result.updated],
                    "unchanged": [a.pk for a in result.unchanged],
                }
        except RosterError as error:
            refused([("csv", str(error))])
        out = RosterOut(
            **saved,
            new=sum(1 for row in checked.rows if row.action == "new"),
            refused=[RefusedRowOut(line=row.line, errors=row.errors) for row in checked.refused],
        )
        return 200, out.model_dump(mode="json")

    _, answer = run_once(
        user=request.user, key=idempotency_key, path=request.path, body=fields, action=run
    )
    return answer
