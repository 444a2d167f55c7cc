"""`runstrong plan --logs`: the web app's log export read back into logged sessions.

Accepts the coach's download from the web app as CSV or as JSON (`runstrong.logs/1`): one row per
logged set, one per exercise of a finished session with no set typed in, one per missed
session. Each logged item is rebuilt from the athlete's profile (the
form the planner gives them, or the substitute the row names) with the row's target and load,
so the state folds exactly as the web app folds it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar

from runstrong.cli.forms import find_form
from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Item, Measure, Plan, Reason
from runstrong.engine.planner import replan
from runstrong.engine.prescribe import athlete_exercises, resumed_item
from runstrong.engine.profile import Athlete, Season
from runstrong.engine.progression import LoggedSet
from runstrong.engine.state import (
    LoggedItem,
    LoggedSession,
    ProgressionState,
    state_from_logs,
    state_key,
)
from runstrong.engine.wording import UNIT_MEASURES
from runstrong.exports.csv_cells import csv_cell_read
from runstrong.exports.ics import CalendarEvent, calendar_bytes, session_title

LOG_SCHEMA = "runstrong.logs/1"
NEEDED = (
    "athlete_id", "athlete", "event_group", "date", "status", "exercise", "set_number", "side",
    "done", "unit", "target", "load_kg", "reps_in_reserve", "pain",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the file as read, and how an error names it (`row 7`, `rows[5]`)."""

    where: str
    values: Mapping[str, Any]


Status = Literal["done", "missed", ""]
Side = Literal["left", "right", ""]
STATUSES: tuple[Status, ...] = ("done", "missed", "")
SIDES: tuple[Side, ...] = ("", "left", "right")
Choice = TypeVar("Choice", bound=str)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A checked row: one set of a finished session (`set_number` 0: an exercise of it with
    no set typed in), or a missed session (`exercise` blank)."""

    row: Row
    day: date
    status: Status
    light: bool
    exercise: str = ""
    name: str | None = None
    set_number: int = 0
    side: Literal["left", "right"] | None = None
    done: float = 0.0
    measure: Measure = "reps"
    target: float = 0.0
    load_kg: float | None = None
    prescribed_load_kg: float | None = None
    sets: int | None = None
    per_side: bool | None = None
    reps_in_reserve: int | None = None
    pain: int = 0


@dataclass(frozen=True)
class AthleteLog:
    """One athlete's rows from a log file, checked."""

    path: Path
    athlete_id: str
    name: str
    event_group: str
    entries: tuple[LogEntry, ...]
    has_prescribed_load: bool

    @property
    def finished(self) -> tuple[LogEntry, ...]:
        """Rows of sessions the athlete finished or missed; an unfinished session's sets wait."""
        return tuple(entry for entry in self.entries if entry.status)

    def first_day(self) -> date:
        return min(entry.day for entry in self.finished)


def read_log_rows(path: Path) -> tuple[list[Row], frozenset[str]]:
    """The rows of a CSV or JSON log export, told apart by content, and its column names."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ProfileError("--logs", str(path), f"a readable file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ProfileError("--logs", str(path), "a log export as CSV or JSON (UTF-8)") from None
    if text.lstrip().startswith(("{", "[")) or path.suffix.lower() == ".json":
        return _json_rows(path, text)
    return _csv_rows(path, text)


def _json_rows(path: Path, text: str) -> tuple[list[Row], frozenset[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileError("--logs", str(path), f"valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("schema") != LOG_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ProfileError(f"{path}: schema", found, f"expected {LOG_SCHEMA}, the log export")
    columns, rows = data.get("columns"), data.get("rows")
    if not isinstance(columns, list) or not all(isinstance(name, str) for name in columns):
        raise ProfileError(f"{path}: columns", columns, "a list of column names")
    if not isinstance(rows, list):
        raise ProfileError(f"{path}: rows", type(rows).__name__, "a list of rows")
    _check_columns(path, columns, "columns")
    checked: list[Row] = []
    for index, values in enumerate(rows):
        where = f"rows[{index}]"
        if not isinstance(values, list) or len(values) != len(columns):
            size = len(values) if isinstance(values, list) else type(values).__name__
            raise ProfileError(f"{path}: {where}", size, f"{len(columns)} values, one per column")
        checked.append(Row(where, dict(zip(columns, values, strict=True))))
    return checked, frozenset(columns)


def _csv_rows(path: Path, text: str) -> tuple[list[Row], frozenset[str]]:
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(records, None)
        if header is None:
            raise ProfileError("--logs", str(path), "a log export with a header row")
        _check_columns(path, header, "row 1")
        rows: list[Row] = []
        for number, values in enumerate(records, start=2):
            if not values:
                continue
            where = f"row {number}"
            if len(values) != len(header):
                raise ProfileError(
                    f"{path}: {where}", len(values), f"{len(header)} values, one per column"
                )
            cells = [csv_cell_read(value) for value in values]
            rows.append(Row(where, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        raise ProfileError("--logs", str(path), f"valid CSV ({error})") from None
    return rows, frozenset(header)


def _check_columns(path: Path, columns: Sequence[str], where: str) -> None:
    missing = [name for name in NEEDED if name not in columns]
    if missing:
        raise ProfileError(
            f"{path}: {where}, column {missing[0]}",
            None,
            f"expected the web app's log export with columns {', '.join(NEEDED)}",
        )


def athlete_log(
    path: Path, rows: Iterable[Row], columns: frozenset[str], catalog: Catalog, choice: str | None
) -> AthleteLog:
    """The rows of one athlete: the only one in the file, or the one `--athlete` names."""
    athletes: dict[str, tuple[str, str]] = {}
    by_athlete: dict[str, list[Row]] = {}
    for row in rows:
        key = _text(row.values["athlete_id"])
        athletes.setdefault(
            key, (_text(row.values["athlete"]), _text(row.values["event_group"]).lower())
        )
        by_athlete.setdefault(key, []).append(row)
    if not athletes:
        raise ProfileError("--logs", str(path), "a log export with at least one logged session")
    listed = "; ".join(f"{name} (id {key})" for key, (name, _) in athletes.items())
    if choice is None:
        if len(athletes) > 1:
            raise ProfileError(
                "--athlete",
                None,
                f"{path} has logs of {len(athletes)} athletes, give a name or id: {listed}",
            )
        chosen = next(iter(athletes))
    else:
        matches = [key for key in athletes if key == choice.strip()] or [
            key
            for key, (name, _) in athletes.items()
            if name.casefold() == choice.strip().casefold()
        ]
        if not matches:
            raise ProfileError("--athlete", choice, f"{path} has logs of {listed}")
        if len(matches) > 1:
            ids = ", ".join(matches)
            raise ProfileError(
                "--athlete", choice, f"more than one athlete has that name: ids {ids}"
            )
        chosen = matches[0]
    name, group = athletes[chosen]
    slugs = {exercise.slug for exercise in catalog.exercises}
    entries = tuple(_entry(path, row, columns, slugs) for row in by_athlete[chosen])
    if not any(entry.status for entry in entries):
        raise ProfileError(
            "--logs", str(path), f"a finished or missed session for {name}: none yet"
        )
    return AthleteLog(
        path, chosen, name, group, entries, has_prescribed_load="prescribed_load_kg" in columns
    )


class _Fields:
    """Typed reads of one row's cells, each failing with the file, row and column."""

    def __init__(self, path: Path, row: Row) -> None:
        self.path, self.row = path, row

    def fail(self, column: str, value: object, allowed: str) -> NoReturn:
        raise ProfileError(f"{self.path}: {self.row.where}, column {column}", value, allowed)

    def raw(self, column: str) -> Any:
        value = self.row.values.get(column)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    def text(self, column: str) -> str:
        value = self.raw(column)
        return "" if value is None else _text(value)

    def number(self, column: str, low: float, high: float, *, required: bool = True) -> float:
        value = self.raw(column)
        if value is None:
            if required:
                self.fail(column, None, f"a number from {low:g} to {high:g}")
            return math.nan
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(column, value, f"a number from {low:g} to {high:g}")
        if isinstance(value, bool) or not low <= number <= high:
            self.fail(column, value, f"a number from {low:g} to {high:g}")
        return number

    def optional(self, column: str, low: float, high: float) -> float | None:
        number = self.number(column, low, high, required=False)
        return None if math.isnan(number) else number

    def whole(self, column: str, low: int, high: int, *, required: bool = True) -> int | None:
        number = self.number(column, low, high, required=required)
        if math.isnan(number):
            return None
        if not number.is_integer():
            self.fail(column, self.raw(column), f"a whole number from {low} to {high}")
        return int(number)

    def flag(self, column: str) -> bool | None:
        value = self.raw(column)
        if value is None or isinstance(value, bool):
            return value
        lowered = _text(value).lower()
        if lowered in {"true", "1", "yes"}:
            return True
        if lowered in {"false", "0", "no"}:
            return False
        self.fail(column, value, "true or false")

    def choice(self, column: str, allowed: Sequence[Choice]) -> Choice:
        value = self.text(column).lower()
        for option in allowed:
            if option == value:
                return option
        shown = ", ".join(repr(option) for option in allowed if option)
        blank = " or blank" if "" in allowed else ""
        self.fail(column, self.raw(column), f"expected {shown}{blank}")


def _entry(path: Path, row: Row, columns: frozenset[str], slugs: set[str]) -> LogEntry:
    cells = _Fields(path, row)
    day_text = cells.text("date")
    try:
        day = date.fromisoformat(day_text[:10])
    except ValueError:
        cells.fail("date", cells.raw("date"), "a date as YYYY-MM-DD")
    status = cells.choice("status", STATUSES)
    light = "kind" in columns and cells.choice("kind", ("strength", "light", "")) == "light"
    if status == "missed" or (status == "" and cells.raw("exercise") is None):
        return LogEntry(row, day, status, light)
    exercise = cells.text("exercise")
    if exercise not in slugs:
        cells.fail("exercise", cells.raw("exercise"), f"expected one of {', '.join(sorted(slugs))}")
    side = cells.choice("side", SIDES) or None
    unit = cells.choice("unit", tuple(UNIT_MEASURES))
    entry = LogEntry(
        row,
        day,
        status,
        light,
        exercise=exercise,
        name=(cells.text("name") or None) if "name" in columns else None,
        measure=UNIT_MEASURES[unit],
        target=cells.number("target", 1, 600),
        prescribed_load_kg=(
            cells.optional("prescribed_load_kg", 0.5, 200)
            if "prescribed_load_kg" in columns
            else None
        ),
        sets=cells.whole("sets", 1, 10, required=False) if "sets" in columns else None,
        per_side=cells.flag("per_side") if "per_side" in columns else None,
        pain=cells.whole("pain", 0, 10, required=False) or 0,
    )
    # A finished session's exercise with no set typed in has the set columns blank.
    set_number = cells.whole("set_number", 1, 20, required=status != "done")
    if set_number is None:
        if cells.raw("done") is not None or cells.raw("load_kg") is not None:
            cells.fail("set_number", None, "1 to 20 for a row with a set done or a load")
        return entry
    return replace(
        entry,
        set_number=set_number,
        side=side,
        done=cells.number("done", 0, 600),
        load_kg=cells.optional("load_kg", 0.5, 200),
        reps_in_reserve=cells.whole("reps_in_reserve", 0, 10, required=False),
    )


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class LoggedHistory:
    sessions: tuple[LoggedSession, ...]
    done: int
    missed: int
    unfinished_sets: int

    @property
    def last_day(self) -> date:
        return max(session.day for session in self.sessions)


def logged_sessions(log: AthleteLog, athlete: Athlete, catalog: Catalog) -> LoggedHistory:
    """The athlete's finished and missed sessions, each item as prescribed that day."""
    forms: dict[tuple[str, str | None, Measure], Item] = {}
    by_day: dict[tuple[date, str], list[LogEntry]] = {}
    for entry in log.finished:
        by_day.setdefault((entry.day, entry.status), []).append(entry)
    done: dict[date, tuple[LoggedItem, ...]] = {}
    for (day, status), entries in sorted(by_day.items()):
        if status == "done":
            grouped: dict[tuple[str, str | None], list[LogEntry]] = {}
            for entry in entries:
                grouped.setdefault((entry.exercise, entry.name), []).append(entry)
            logged = [
                LoggedItem(
                    _prescribed(log, sets, athlete, catalog, forms),
                    tuple(_set(entry) for entry in sets if entry.set_number),
                    pain=max((entry.pain for entry in sets if not entry.set_number), default=0),
                )
                for sets in grouped.values()
            ]
            done[day] = tuple(sorted(logged, key=lambda item: item.prescribed.slot))
    # A missed session repeats the form of each exercise the athlete was doing then: the one
    # logged last before it, else the first one logged, else the profile's.
    current = {item.exercise: item for item in athlete_exercises(athlete, catalog).items}
    for items in reversed(done.values()):
        current.update({item.prescribed.exercise: item.prescribed for item in items})
    sessions: list[LoggedSession] = []
    for order, ((day, status), entries) in enumerate(sorted(by_day.items()), start=1):
        source = f"{log.path.name} {day.isoformat()}"
        if status == "missed":
            missed = tuple(LoggedItem(item) for item in current.values())
            sessions.append(LoggedSession(day, "missed", missed, source=source, order=order))
            continue
        current.update({item.prescribed.exercise: item.prescribed for item in done[day]})
        light = any(entry.light for entry in entries)
        sessions.append(
            LoggedSession(day, "done", done[day], light=light, source=source, order=order)
        )
    unfinished = sum(1 for entry in log.entries if not entry.status and entry.exercise)
    finished = sum(1 for session in sessions if session.status == "done")
    return LoggedHistory(tuple(sessions), finished, len(sessions) - finished, unfinished)


def _prescribed(
    log: AthleteLog,
    sets: list[LogEntry],
    athlete: Athlete,
    catalog: Catalog,
    forms: dict[tuple[str, str | None, Measure], Item],
) -> Item:
    first = sets[0]
    for entry in sets[1:]:
        if entry.measure != first.measure:
            _Fields(log.path, entry.row).fail(
                "unit", entry.row.values["unit"], f"the same unit as {first.row.where}"
            )
    key = (first.exercise, first.name, first.measure)
    form = forms.get(key)
    if form is None:
        form = find_form(athlete, catalog, first.exercise, name=first.name, measure=first.measure)
        if form is None:
            cells = _Fields(log.path, first.row)
            if first.name and find_form(athlete, catalog, first.exercise, name=first.name) is None:
                cells.fail("name", first.name, f"a form of {first.exercise} in this catalog")
            cells.fail(
                "unit",
                first.row.values["unit"],
                f"no form of {first.exercise} in this catalog counts in {first.measure}",
            )
        forms[key] = form
    if log.has_prescribed_load:
        load = first.prescribed_load_kg
    else:
        load = max((entry.load_kg for entry in sets if entry.load_kg is not None), default=None)
    count = first.sets or len({entry.set_number for entry in sets})
    per_side = form.per_side if first.per_side is None else first.per_side
    return replace(form, sets=count, target=first.target, load_kg=load, per_side=per_side)


def _set(entry: LogEntry) -> LoggedSet:
    return LoggedSet(
        entry.done,
        load_kg=entry.load_kg,
        reps_in_reserve=entry.reps_in_reserve,
        pain=entry.pain,
        side=entry.side,
    )


@dataclass(frozen=True)
class Resumed:
    plan: Plan
    state: ProgressionState
    history: LoggedHistory
    from_date: date


def resume(
    log: AthleteLog,
    athlete: Athlete,
    season: Season,
    catalog: Catalog,
    *,
    start_from_log: bool = False,
) -> Resumed:
    """The rest of the season from the day after the last logged session, as the log left it."""
    history = logged_sessions(log, athlete, catalog)
    starts = athlete_exercises(athlete, catalog).items
    state = state_from_logs(
        history.sessions,
        starts=starts,
        rule=catalog.rules.progression,
    )
    from_date = max(history.last_day + timedelta(days=1), season.start)
    if from_date > season.end:
        raise ProfileError(
            "season",
            f"{season.start} for {season.weeks} weeks",
            f"the log runs to {history.last_day}, after the season ends ({season.end}): "
            "give --start or --weeks for the season still ahead",
        )
    result = replan(athlete, season, state, from_date, catalog)
    # The week the log ends in is shown only if a session of it is still ahead.
    weeks = tuple(week for week in result.weeks if week.sessions or week.start >= from_date)
    notes = _notes(log, history, state, starts, from_date, season, start_from_log)
    plan = replace(result, weeks=weeks, notes=(*notes, *result.notes))
    return Resumed(plan, state, history, from_date)


def _notes(
    log: AthleteLog,
    history: LoggedHistory,
    state: ProgressionState,
    starts: Sequence[Item],
    from_date: date,
    season: Season,
    start_from_log: bool,
) -> list[Reason]:
    first = min(session.day for session in history.sessions)
    unfinished = (
        f" {_count(history.unfinished_sets, 'set')} of unfinished sessions wait until they are "
        "finished."
        if history.unfinished_sets
        else ""
    )
    span = f"on {first}" if first == history.last_day else f"from {first} to {history.last_day}"
    notes = [
        Reason(
            f"Resumed from {log.path.name} ({log.name}): {_count(history.done, 'session')} done "
            f"and {history.missed} missed {span}; the plan picks up on {from_date}.{unfinished}",
            (),
        )
    ]
    if start_from_log:
        notes.append(
            Reason(
                f"Season start taken as {season.start}, the Monday of the first logged session; "
                "give --start for the season's own start.",
                (),
            )
        )
    for item in starts:
        found = state.get(state_key(item))
        others = [
            other.prescription.name
            for key, other in state.exercises.items()
            if other.prescription.exercise == item.exercise and key != state_key(item)
        ]
        if found is not None and found.coach_flag:
            notes.append(Reason(f"Flag for the coach: {found.coach_flag}.", ("S18",)))
        if found is not None and found.reason is not None and resumed_item(item, found) != item:
            notes.append(Reason(f"{item.name}: {found.reason.text}", found.reason.keys))
        elif found is not None or others:
            was = others[0] if found is None else f"{item.name} in another measure"
            notes.append(
                Reason(
                    f"{item.name}: the log has {was}, so it starts again from the bottom of "
                    "its range.",
                    ("S16",),
                )
            )
    planned = {item.exercise for item in starts}
    dropped = {
        found.prescription.name
        for found in state.exercises.values()
        if found.prescription.exercise not in planned
    }
    notes += [
        Reason(f"{name} is in the log but not in this athlete's plan now.", ())
        for name in sorted(dropped)
    ]
    return notes


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def resumed_calendar(resumed: Resumed, *, stamp: datetime) -> bytes:
    """The plan's calendar, with the log's reason on each exercise's first session."""
    plan = resumed.plan
    told: set[str] = set()
    events = []
    for session in plan.sessions():
        lines = [f"{item.label()}: {item.dose_text()}" for item in session.items]
        why = []
        for item in session.items:
            found = resumed.state.get(state_key(item))
            reason = found.reason if found is not None else None
            if item.exercise in told or reason is None or reason not in item.reasons:
                continue
            told.add(item.exercise)
            keys = f" [{', '.join(reason.keys)}]" if reason.keys else ""
            why.append(f"{item.name}: {reason.text}{keys}")
        events.append(
            CalendarEvent(
                identity=f"{plan.athlete_name}|{plan.event_group}|{session.day.isoformat()}",
                day=session.day,
                title=session_title(session.kind, [item.name for item in session.items]),
                lines=(*lines, "", session.placement.text, *(["", *why] if why else [])),
            )
        )
    return calendar_bytes(f"runstrong: {plan.athlete_name}", events, stamp=stamp)
