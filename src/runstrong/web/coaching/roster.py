"""Roster import from CSV: every row checked and shown before anything is saved."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from runstrong.engine.errors import ProfileError
from runstrong.engine.profile import parse_race_spec
from runstrong.web.coaching.invitations import invitation_create
from runstrong.web.coaching.models import EVENT_GROUPS, SEXES, Athlete, Race, Squad

COLUMNS = ("name", "email", "event_group", "sex", "body_mass_kg", "races")
MAX_ROWS = 500


@dataclass
class RosterRow:
    line: int
    values: dict[str, str]
    races: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class RosterError(ValueError):
    pass


def roster_parse(text: str, *, squad: Squad) -> list[RosterRow]:
    """Rows with their errors; raises RosterError when the file itself is unusable."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in ("name", "event_group") if column not in header]
    if missing:
        raise RosterError(
            f"The first line must name the columns; missing: {', '.join(missing)}. "
            f"Expected: {', '.join(COLUMNS)}."
        )
    existing = set(
        Athlete.objects.filter(squad=squad).exclude(email="").values_list("email", flat=True)
    )
    rows: list[RosterRow] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            raise RosterError(f"At most {MAX_ROWS} athletes per import.")
        values = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        if not any(values.values()):
            continue
        row = RosterRow(line, values)
        _check(row, seen, existing)
        rows.append(row)
    if not rows:
        raise RosterError("The file has a header but no athletes.")
    return rows


def _check(row: RosterRow, seen: set[str], existing: set[str]) -> None:
    values = row.values
    if not values.get("name"):
        row.errors.append("name is empty")
    groups = [slug for slug, _ in EVENT_GROUPS]
    if values.get("event_group", "").lower() not in groups:
        row.errors.append(
            f"event_group “{values.get('event_group', '')}” is not one of {', '.join(groups)}"
        )
    sexes = [slug for slug, _ in SEXES]
    if values.get("sex") and values["sex"].lower() not in sexes:
        row.errors.append(f"sex “{values['sex']}” is not one of {', '.join(sexes)}")
    if values.get("body_mass_kg"):
        try:
            mass = float(values["body_mass_kg"])
        except ValueError:
            row.errors.append(f"body_mass_kg “{values['body_mass_kg']}” is not a number")
        else:
            if not 25 <= mass <= 200:
                row.errors.append(f"body_mass_kg {mass:g} is outside 25–200")
    email = values.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(f"email “{email}” is not an email address")
        if email in seen:
            row.errors.append(f"email {email} appears twice in the file")
        if email in existing:
            row.errors.append(f"email {email} is already in this squad")
        seen.add(email)
    for spec in filter(None, (part.strip() for part in values.get("races", "").split(";"))):
        try:
            row.races.append(parse_race_spec(spec, field="races"))
        except ProfileError as error:
            row.errors.append(str(error))


def roster_import(*, squad: Squad, rows: list[RosterRow]) -> list[tuple[Athlete, str]]:
    """Create the athletes with their races and an invitation each; all or nothing."""
    if any(row.errors for row in rows):
        raise RosterError("Fix the rows with errors first; nothing was saved.")
    created = []
    with transaction.atomic():
        for row in rows:
            values = row.values
            athlete = Athlete.objects.create(
                squad=squad,
                name=values["name"],
                email=values.get("email", "").lower(),
                event_group=values["event_group"].lower(),
                sex=(values.get("sex") or "unspecified").lower(),
                body_mass_kg=float(values.get("body_mass_kg") or 60),
                equipment=["band", "ghd", "kettlebells", "bench"],
                strength_days=["tue", "thu"],
                hard_run_days=["tue", "thu"],
            )
            Race.objects.bulk_create(Race(athlete=athlete, **race) for race in row.races)
            created.append((athlete, invitation_create(athlete=athlete)))
    return created
