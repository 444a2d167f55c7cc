"""Roster import from CSV: each row is checked on its own and imported on its own.

A bad row is refused with its reasons and never blocks the others; the refused rows come back
as a CSV (the same columns plus `why_refused`) to fix and import again. A row is the same
athlete as one already in the squad when its email matches (ignoring case); a row without an
email matches by name (ignoring case) when exactly one athlete of the squad has that name and
no email on file. A matched row updates that athlete (an empty cell keeps what is on file) and
adds its races; so importing the same file twice, or submitting twice, creates nobody twice.

Values are checked by the same form the profile page uses (so the model's lengths and ranges
hold on every database), after the words a coach types are turned into the stored codes: the
groups' codes, names and events come from the engine catalog; `f`/`m` and the words for sex.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DatabaseError, transaction

from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import ProfileError, RunstrongError
from runstrong.engine.profile import counted_kettlebells, kettlebells_text, parse_race_spec
from runstrong.exports.csv_cells import csv_cell_read, csv_row
from runstrong.web.coaching.forms import AthleteProfileForm
from runstrong.web.coaching.models import (
    EQUIPMENT,
    EXPERIENCE,
    LEG_LENGTHS,
    PROBLEMS,
    SEXES,
    STRIDE_GOALS,
    WEEKDAYS,
    Athlete,
    Race,
    Squad,
)
from runstrong.web.coaching.site_catalog import site_catalog

MAX_ROWS = 500
REFUSED_COLUMN = "why_refused"
# Header spellings a spreadsheet may use for a column.
ALIASES = {
    "group": "event_group",
    "event": "event_group",
    "mass": "body_mass_kg",
    "body_mass": "body_mass_kg",
    "kettlebells_kg": "kettlebells",
    "bells": "kettlebells",
}
LIST_SPLIT = re.compile(r"\s*[;,]\s*")
DAY_SPLIT = re.compile(r"[\s;,/]+")


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    # (code, label) pairs the column accepts; a value may be the code or the label.
    choices: tuple[tuple[str, str], ...] = ()
    several: bool = False
    extra: str = ""


def columns(catalog: Catalog | None = None) -> tuple[Column, ...]:
    """Every column the import reads, with what it accepts; the groups from the catalog."""
    catalog = catalog or site_catalog()
    groups = tuple((group.slug, group.name) for group in catalog.groups)
    return (
        Column("name", "The athlete's name (required for a new athlete), at most 120 characters."),
        Column("email", "Used to send the invitation and to recognise the athlete next time."),
        Column(
            "event_group",
            "Required for a new athlete. A group's name or code, or one of its events.",
            groups,
            extra="; ".join(f"{g.name}: {', '.join(g.events)}" for g in catalog.groups),
        ),
        Column("sex", "f or m, or the word; empty for unspecified.", SEXES),
        Column("body_mass_kg", "Body mass in kg, 25–200; empty for 60."),
        Column("experience", "Lifting experience; empty for some.", tuple(EXPERIENCE)),
        Column("leg_length", "Empty for average.", tuple(LEG_LENGTHS)),
        Column("stride_goal", "Empty for keep.", tuple(STRIDE_GOALS)),
        Column(
            "hard_run_days",
            "Days with a hard run, separated by ; or spaces; none for none; empty for Tue Thu.",
            tuple(WEEKDAYS),
            several=True,
        ),
        Column(
            "strength_days",
            "Strength days; empty to derive them from the hard-run days.",
            tuple(WEEKDAYS),
            several=True,
        ),
        Column(
            "equipment",
            "What the athlete has, separated by ;. Empty for all of it; none for none.",
            tuple(EQUIPMENT),
            several=True,
        ),
        Column(
            "kettlebells",
            "Sizes in kg separated by ; with SIZExCOUNT for several, e.g. 8;12x2;16. Empty for "
            "a gym with the common sizes; none for no kettlebells.",
        ),
        Column("problems", "Problem flags separated by ;.", tuple(PROBLEMS), several=True),
        Column(
            "races",
            "DATE[:A|B|C[:NAME]] separated by ;, e.g. 2027-06-12:A:County 5000.",
        ),
    )


def _key(text: str) -> str:
    """A value as compared: case, spaces, dots and the kind of dash do not matter."""
    return re.sub(r"[\s.]+", "", text.casefold().replace("–", "-").replace("—", "-"))


def _lookup(column: Column, catalog: Catalog) -> dict[str, str]:
    """Every accepted spelling of the column's values → the stored code."""
    table: dict[str, str] = {}
    for code, label in column.choices:
        table[_key(code)] = code
        table[_key(label)] = code
    if column.name == "event_group":
        for group in catalog.groups:
            for event in group.events:
                table.setdefault(_key(event), group.slug)
    if column.name == "sex":
        table.update({"f": "female", "w": "female", "woman": "female", "m": "male"})
        table.update({"man": "male", "u": "unspecified", "x": "unspecified"})
    if column.name in {"hard_run_days", "strength_days"}:
        for index, code in enumerate(code for code, _ in WEEKDAYS):
            table[_key(calendar.day_name[index])] = code
    return table


@dataclass
class RosterRow:
    line: int
    values: dict[str, str]
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)
    athlete: Athlete | None = None
    form: AthleteProfileForm | None = None
    races: list[dict[str, Any]] = field(default_factory=list)
    group: str = ""  # the group's name once the row is accepted
    outcome: str = ""  # after the import: "added", "updated", "unchanged" or "refused"

    @property
    def action(self) -> str:
        if self.errors:
            return "refused"
        return "update" if self.athlete is not None else "new"


@dataclass
class RosterCheck:
    rows: list[RosterRow]
    header: list[str]
    unused: list[str]

    @property
    def refused(self) -> list[RosterRow]:
        return [row for row in self.rows if row.errors]

    @property
    def accepted(self) -> list[RosterRow]:
        return [row for row in self.rows if not row.errors]


class RosterError(ValueError):
    """The file as a whole cannot be read (no header, no rows, too many rows)."""


def roster_check(text: str, *, squad: Squad, catalog: Catalog | None = None) -> RosterCheck:
    """Every row with its reasons for refusal, or the athlete it updates; nothing saved."""
    catalog = catalog or site_catalog()
    try:
        return _check_rows(text, squad=squad, catalog=catalog)
    except csv.Error as error:
        raise RosterError(f"The file is not a CSV this import can read ({error}).") from None


def _check_rows(text: str, *, squad: Squad, catalog: Catalog) -> RosterCheck:
    known = {column.name: column for column in columns(catalog)}
    lookups = {name: _lookup(column, catalog) for name, column in known.items()}
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name for name in reader.fieldnames or [] if name is not None]
    names = {name: _column_name(name) for name in header}
    if "name" not in names.values():
        raise RosterError(
            "The first line must name the columns, at least name and event_group; "
            "download the template to start from."
        )
    unused = [h for h, n in names.items() if n not in known and n not in {REFUSED_COLUMN, ""}]
    athletes = list(Athlete.objects.filter(squad=squad).order_by("pk"))
    by_email = {a.email.lower(): a for a in athletes if a.email}
    by_name: dict[str, list[Athlete]] = {}
    for athlete in athletes:
        by_name.setdefault(athlete.name.casefold(), []).append(athlete)
    group_names = {group.slug: group.name for group in catalog.groups}
    seen: dict[str, int] = {}
    rows: list[RosterRow] = []
    for line, raw in enumerate(reader, start=2):
        raw = {key: value for key, value in raw.items() if key is not None}
        # A refused-rows file comes back with its formula-safe quotes (csv_cells): read them off.
        values = {
            names[key]: csv_cell_read((value or "").strip()) if isinstance(value, str) else ""
            for key, value in raw.items()
        }
        if not any(values.get(name) for name in known):
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterError(f"At most {MAX_ROWS} athletes per import; split the file.")
        row = RosterRow(line, values, {k: v if isinstance(v, str) else "" for k, v in raw.items()})
        if any("\x00" in value for value in values.values()):
            # PostgreSQL cannot store it; the form would say so for some columns only.
            row.errors.append("a cell holds a null character (\\x00)")
        _match(row, by_email, by_name, seen)
        _validate(row, known, lookups)
        if row.form is not None:
            row.group = group_names.get(row.form.cleaned_data["event_group"], "")
        rows.append(row)
    if not rows:
        raise RosterError("The file has a header but no athletes.")
    return RosterCheck(rows, header, unused)


def _column_name(header: str) -> str:
    name = re.sub(r"[\s-]+", "_", header.strip().lower())
    return ALIASES.get(name, name)


def _match(
    row: RosterRow,
    by_email: dict[str, Athlete],
    by_name: dict[str, list[Athlete]],
    seen: dict[str, int],
) -> None:
    email = row.values.get("email", "").lower()
    name = row.values.get("name", "")
    identity = f"email:{email}" if email else f"name:{name.casefold()}"
    if identity in seen:
        row.errors.append(f"the same athlete as line {seen[identity]}")
        return
    seen[identity] = row.line
    if email and email in by_email:
        row.athlete = by_email[email]
        return
    namesakes = [a for a in by_name.get(name.casefold(), []) if not email or not a.email]
    if len(namesakes) == 1:
        row.athlete = namesakes[0]
    elif len(namesakes) > 1:
        row.errors.append(
            f"{len(namesakes)} athletes in the squad are named {name}: add their email to say which"
        )


def _base(athlete: Athlete | None) -> dict[str, Any]:
    """The form's starting values: what is on file, else the defaults for a new athlete."""
    if athlete is None:
        return {
            "sex": "unspecified",
            "body_mass_kg": "60",
            "experience": "some",
            "leg_length": "average",
            "stride_goal": "keep",
            "problems": [],
            "equipment": [code for code, _ in EQUIPMENT],
            "strength_days": [],
            "hard_run_days": ["tue", "thu"],
            "kettlebells": "",
        }
    data: dict[str, Any] = {
        name: getattr(athlete, name)
        for name in AthleteProfileForm.Meta.fields
        if name not in {"problems", "equipment", "strength_days", "hard_run_days"}
    }
    for name in ("problems", "equipment", "strength_days", "hard_run_days"):
        data[name] = list(getattr(athlete, name) or [])
    bells = counted_kettlebells(athlete.kettlebells_kg or [])
    data["kettlebells"] = kettlebells_text(bells) if bells else ""
    if not bells and "kettlebells" not in data["equipment"]:
        data["kettlebells"] = "none"
    return data


def _validate(row: RosterRow, known: dict[str, Column], lookups: dict[str, dict[str, str]]) -> None:
    if row.errors:
        return
    data = _base(row.athlete)
    for name, value in row.values.items():
        column = known.get(name)
        if column is None or not value:
            continue
        if name == "races":
            _races(row, value)
        elif name == "kettlebells":
            data["kettlebells"] = value.replace(";", ",")
        elif name == "email":
            data["email"] = value.lower()
        elif column.several:
            codes = _several(row, column, value, lookups[name])
            if codes is not None:
                data[name] = codes
        elif column.choices:
            code = lookups[name].get(_key(value))
            if code is None:
                row.errors.append(f"{name} “{value}” is not one of {_allowed(column)}")
            else:
                data[name] = code
        else:
            data[name] = value.replace(",", ".") if name == "body_mass_kg" else value
    if row.athlete is None:
        for required in ("name", "event_group"):
            if not row.values.get(required):
                row.errors.append(f"{required} is empty (needed for a new athlete)")
    # The form checks the rest (lengths, ranges, email, kettlebells) so a row lists every
    # problem at once; a value already refused above is not reported twice.
    reported = {error.split(" ", 1)[0].rstrip(":") for error in row.errors}
    bells = _base(row.athlete)["kettlebells"]
    form = AthleteProfileForm(data, instance=row.athlete, initial={"kettlebells": bells})
    if form.is_valid() and not row.errors:
        row.form = form
        return
    for name, messages in form.errors.items():
        if name in reported:
            continue
        typed = row.values.get(name, "")
        shown = f"{name} “{typed[:40]}{'…' if len(typed) > 40 else ''}”" if typed else name
        for message in messages:
            text = str(message).rstrip(".")
            row.errors.append(f"{shown}: {text}" if name != "__all__" else text)


def _several(
    row: RosterRow, column: Column, value: str, lookup: dict[str, str]
) -> list[str] | None:
    if _key(value) == "none":
        return []
    if column.name == "equipment" and _key(value) == "all":
        return [code for code, _ in column.choices]
    split = DAY_SPLIT if column.name.endswith("_days") else LIST_SPLIT
    codes: list[str] = []
    for part in filter(None, split.split(value)):
        code = lookup.get(_key(part))
        if code is None:
            row.errors.append(f"{column.name} “{part}” is not one of {_allowed(column)}")
            return None
        if code not in codes:
            codes.append(code)
    return codes


def _races(row: RosterRow, value: str) -> None:
    for spec in filter(None, (part.strip() for part in value.split(";"))):
        try:
            race = parse_race_spec(spec, field="races")
        except ProfileError as error:
            row.errors.append(str(error))
            continue
        if len(race.get("name", "")) > Race._meta.get_field("name").max_length:
            row.errors.append(f"races: the name in “{spec[:40]}…” is over 120 characters")
            continue
        row.races.append(race)


def _allowed(column: Column) -> str:
    named = ", ".join(
        label if _key(code) == _key(label) else f"{label} ({code})"
        for code, label in column.choices
    )
    return f"f, m, {named}" if column.name == "sex" else named


@dataclass
class RosterResult:
    check: RosterCheck
    added: list[Athlete]
    updated: list[Athlete]
    unchanged: list[Athlete]


def roster_import(
    *, squad: Squad, text: str, today: date | None = None, catalog: Catalog | None = None
) -> RosterResult:
    """Add or update every acceptable row, each on its own; the refused rows say why.

    The squad row is locked for the import, so two submissions of one file run one after the
    other and the second finds the athletes the first added (SQLite's write lock does the same).
    """
    from runstrong.web.coaching.replanning import plan_follow

    added: list[Athlete] = []
    updated: list[Athlete] = []
    unchanged: list[Athlete] = []
    with transaction.atomic():
        Squad.objects.select_for_update().filter(pk=squad.pk).first()
        check = roster_check(text, squad=squad, catalog=catalog)
        for row in check.rows:
            if row.errors or row.form is None:
                row.outcome = "refused"
                continue
            try:
                with transaction.atomic():
                    outcome = _save(row, squad)
                    if outcome == "updated":
                        plan_follow(
                            athlete=row.form.instance, cause="Roster re-import", today=today
                        )
            except (DatabaseError, RunstrongError) as error:
                row.errors.append(f"could not be saved ({error})")
                row.outcome = "refused"
                continue
            row.outcome = outcome
            {"added": added, "updated": updated, "unchanged": unchanged}[outcome].append(
                row.form.instance
            )
    return RosterResult(check, added, updated, unchanged)


def _save(row: RosterRow, squad: Squad) -> str:
    assert row.form is not None
    is_new = row.athlete is None
    # Bells compare as the bells they are ("8,12x2" is "8, 12x2"); the form has not yet
    # written them to the athlete, so the value on file is still there to compare with.
    bells_changed = not is_new and list(row.form.cleaned_data["kettlebells"]) != list(
        row.form.instance.kettlebells_kg or []
    )
    others = [name for name in row.form.changed_data if name != "kettlebells"]
    changed = is_new or bells_changed or bool(others)
    athlete = row.form.save(commit=False)
    athlete.squad = squad
    if changed:
        athlete.save()
    on_file = set(Race.objects.filter(athlete=athlete).values_list("date", flat=True))
    races = [Race(athlete=athlete, **race) for race in row.races if race["date"] not in on_file]
    Race.objects.bulk_create(races)
    if is_new:
        return "added"
    return "updated" if changed or races else "unchanged"


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(row))
    return out.getvalue()


def refused_csv(check: RosterCheck) -> str:
    """The refused rows as typed, with why: fix them and import this file again."""
    header = [h for h in check.header if _column_name(h) != REFUSED_COLUMN]
    return csv_text(
        [*header, REFUSED_COLUMN],
        ([*(row.raw.get(h, "") for h in header), "; ".join(row.errors)] for row in check.refused),
    )


def template_csv(*, today: date, catalog: Catalog | None = None) -> str:
    """A header with every column and two example rows written the ways the import accepts."""
    catalog = catalog or site_catalog()
    year = today.year + 1
    first, last = catalog.groups[0], catalog.groups[-1]
    header = [column.name for column in columns(catalog)]
    examples = [
        {
            "name": "Ada Quick",
            "email": "ada@example.org",
            "event_group": first.name,
            "sex": "f",
            "body_mass_kg": "55",
            "hard_run_days": "tue;thu",
            "equipment": "band;kettlebells;bench",
            "kettlebells": "8;12x2;16",
            "races": f"{year}-06-12:A:County 5000;{year}-05-01:C",
        },
        {
            "name": "Ben Steady",
            "email": "ben@example.org",
            "event_group": last.slug,
            "sex": "m",
            "body_mass_kg": "70",
            "experience": "new",
            "hard_run_days": "wed;sat",
            "strength_days": "mon;thu",
        },
    ]
    return csv_text(header, ([example.get(name, "") for name in header] for example in examples))
