"""The coach's downloads: logs and test results as CSV or JSON, streamed row by row so memory
stays flat. (Printable files for athletes are runstrong.exports, which the CLI shares.)"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Min, QuerySet, Value

from runstrong.engine.pain import pain_where
from runstrong.engine.wording import MEASURE_UNITS
from runstrong.exports.csv_cells import csv_row
from runstrong.web.coaching.models import (
    Athlete,
    BenchmarkResult,
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)

LOG_COLUMNS = (
    "athlete_id", "athlete", "event_group", "date", "phase", "status", "missed_reason",
    "exercise", "slot", "set_number", "side", "done", "unit", "target", "load_kg",
    "reps_in_reserve", "pain", "pain_where",
    # Added later, so they come last: what the item asked for, for `runstrong plan --logs`.
    "name", "sets", "per_side", "prescribed_load_kg", "kind",
)  # fmt: skip
# The set columns (exercise to pain_where) and the item columns after them, blank for a
# missed session.
_SESSION_END = LOG_COLUMNS.index("exercise")
_ITEM_COLUMNS = len(LOG_COLUMNS) - _SESSION_END - 1
RESULT_COLUMNS = (
    "athlete_id",
    "athlete",
    "event_group",
    "date",
    "movement",
    "value",
    "left",
    "right",
)
# One encoder for the whole stream: json.dumps with `default` builds a new one per call.
_JSON = json.JSONEncoder(default=str)
CHUNK = 2000
# The first window of the log export, in days.
WINDOW_DAYS = 7


class _Echo:
    """A file-like object whose write hands the line back, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def log_rows(athletes: QuerySet[Athlete]) -> Iterator[tuple[Any, ...]]:
    """Every logged set, then every missed session, for these athletes, in LOG_COLUMNS order."""
    session = "item__session__"
    sets = (
        SetLog.objects.filter(item__session__athlete__in=athletes)
        .order_by(f"{session}date", f"{session}athlete_id", "item__slot", "set_number", "side")
        .values_list(
            f"{session}athlete_id", f"{session}athlete__name", f"{session}athlete__event_group",
            f"{session}date", f"{session}phase", f"{session}log__status",
            f"{session}log__missed_reason", "item__exercise", "item__slot", "set_number", "side",
            "done", "item__measure", "item__target", "load_kg",
            f"{session}log__reps_in_reserve", f"{session}log__pain", f"{session}log__pain_where",
            "item__name", "item__sets", "item__per_side", "item__load_kg", f"{session}kind",
            f"{session}id", f"{session}log__pain_by_exercise",
        )
    )  # fmt: skip
    # A set's pain is its exercise's (the worst report in it), as the plan folds it; logs from
    # before pain was reported per exercise give every set the session's one score.
    pains: dict[tuple[int, str], tuple[int, str]] = {}
    for session_id, exercise, score, area, side in (
        PainReport.objects.filter(athlete__in=athletes)
        .exclude(exercise="")
        .order_by("pk")
        .values_list("session_id", "exercise", "score", "area", "side")
    ):
        if score > pains.get((session_id, exercise), (-1, ""))[0]:
            pains[(session_id, exercise)] = (score, pain_where(area, side))
    pain_at = LOG_COLUMNS.index("pain")

    def shaped(row: tuple[Any, ...]) -> tuple[Any, ...]:
        *values, session_id, by_exercise = row
        if by_exercise:
            values[pain_at : pain_at + 2] = pains.get((session_id, values[7]), (0, ""))
        return (*values[:12], MEASURE_UNITS.get(values[12], values[12]), *values[13:])

    for window in _windows(athletes):
        for row in sets.filter(**window).iterator(chunk_size=CHUNK):
            yield shaped(row)
    # An exercise of a finished session with no set typed in (skipped, maybe for the pain it
    # reports) still counts in the plan (it repeats, or steps back for that pain): one row
    # with the set columns blank, so `runstrong plan --logs` folds it as the web app does.
    session = "session__"
    unlogged_items = (
        PlannedItem.objects.filter(
            session__athlete__in=athletes, session__log__status="done", set_logs__isnull=True
        )
        .order_by(f"{session}date", f"{session}athlete_id", "slot")
        .values_list(
            f"{session}athlete_id", f"{session}athlete__name", f"{session}athlete__event_group",
            f"{session}date", f"{session}phase", f"{session}log__status",
            f"{session}log__missed_reason", "exercise", "slot", Value(""), Value(""), Value(""),
            "measure", "target", Value(""), f"{session}log__reps_in_reserve", f"{session}log__pain",
            f"{session}log__pain_where", "name", "sets", "per_side", "load_kg", f"{session}kind",
            f"{session}id", f"{session}log__pain_by_exercise",
        )
    )  # fmt: skip
    for row in unlogged_items.iterator(chunk_size=CHUNK):
        yield shaped(row)
    missed = (
        SessionLog.objects.filter(session__athlete__in=athletes, status="missed")
        .order_by("session__date", "session__athlete_id")
        .values_list(
            "session__athlete_id", "session__athlete__name", "session__athlete__event_group",
            "session__date", "session__phase", "status", "missed_reason", "session__kind",
        )
    )  # fmt: skip
    blanks = ("",) * _ITEM_COLUMNS
    for row in missed.iterator(chunk_size=CHUNK):
        yield (*row[:_SESSION_END], *blanks, row[-1])


def _windows(athletes: QuerySet[Athlete]) -> Iterator[dict[str, date]]:
    """The athletes' sessions in date windows (a week, then each twice the one before), as
    filters on the set's session date: each window's sets are sorted on their own (the
    (athlete, date) index finds them), so the download starts after one week's sort rather
    than after sorting a squad's whole season, in a handful of queries for any season."""
    bounds = PlannedSession.all_rows.filter(athlete__in=athletes).aggregate(
        first=Min("date"), last=Max("date")
    )
    if bounds["first"] is None:
        return
    day, days = bounds["first"], WINDOW_DAYS
    while day <= bounds["last"]:
        end = day + timedelta(days=days)
        yield {"item__session__date__gte": day, "item__session__date__lt": end}
        day, days = end, days * 2


def result_rows(athletes: QuerySet[Athlete]) -> Iterator[tuple[Any, ...]]:
    """Every benchmark result for these athletes, in RESULT_COLUMNS order."""
    results = (
        BenchmarkResult.objects.filter(athlete__in=athletes)
        .order_by("date", "athlete_id", "movement")
        .values_list(
            "athlete_id", "athlete__name", "athlete__event_group", "date", "movement", "value",
            "left", "right",
        )
    )  # fmt: skip
    yield from results.iterator(chunk_size=CHUNK)


def _batched(lines: Iterable[str], size: int = 500) -> Iterator[str]:
    """Hand the response a few hundred lines at a time rather than one per row."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def as_csv(rows: Iterable[tuple[Any, ...]], columns: tuple[str, ...]) -> Iterator[str]:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow(csv_row(row))

    return _batched(lines())


def as_json(rows: Iterable[tuple[Any, ...]], columns: tuple[str, ...], kind: str) -> Iterator[str]:
    """`{"schema", "columns", "rows": [[…], …]}`: rows as arrays keep a year of a squad's logs
    a third the size of one object per row, and three times quicker to write."""

    def lines() -> Iterator[str]:
        yield f'{{"schema": "runstrong.{kind}/1", "columns": {json.dumps(list(columns))}, "rows": ['
        for index, row in enumerate(rows):
            yield ("," if index else "") + _JSON.encode(row)
        yield "]}\n"

    return _batched(lines())
