"""Which sessions a replan may rewrite, and the plain-SQL writes it makes.

A session the athlete has touched (finished, missed, or any set logged) is never rewritten or
deleted; the rest are written in bulk statements, because a squad's preview is tens of
thousands of rows and Django's per-row compilation cost more than the database's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from runstrong.web.coaching.models import (
    Athlete,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)


def has_logged_set() -> Exists:
    return Exists(SetLog.objects.filter(item__session=OuterRef("pk")))


def logged_keys(sessions: QuerySet[PlannedSession]) -> set[tuple[int, int, date]]:
    """(id, athlete, day) of the sessions among these the athlete has touched: finished,
    missed, or any set logged. Two indexed reads: one query with an OR of the two makes
    PostgreSQL hash every set in the database for each call."""
    columns = ("pk", "athlete_id", "date")
    return set(sessions.filter(log__isnull=False).values_list(*columns)) | set(
        sessions.filter(has_logged_set()).values_list(*columns)
    )


@dataclass(frozen=True)
class TouchedCount:
    logged: int  # the sessions logged_keys would return
    untouched_ahead: int  # the others from the day on: what a new plan may replace
    first_untouched_ahead: date | None


def touched_count(sessions: QuerySet[PlannedSession], day: date) -> TouchedCount:
    """Counted by the database: how many of these sessions the athlete touched, and how many
    from `day` on are untouched. The sessions without a log are grouped by whether they hold
    a set, so each is searched for sets once ("no log" as NOT EXISTS, so SQLite searches
    only those)."""
    logged = sessions.filter(log__isnull=False).count()
    ahead, first = 0, None
    rows = (
        sessions.filter(~_has_log())
        .annotate(
            touched=has_logged_set(),
            ahead=ExpressionWrapper(Q(date__gte=day), output_field=BooleanField()),
        )
        .values("touched", "ahead")
        .annotate(n=Count("pk"), first=Min("date"))
        .order_by()
    )
    for row in rows:
        if row["touched"]:
            logged += row["n"]
        elif row["ahead"]:
            ahead, first = row["n"], row["first"]
    return TouchedCount(logged, ahead, first)


def _has_log() -> Exists:
    return Exists(SessionLog.objects.filter(session=OuterRef("pk")))


def unlogged(sessions: QuerySet[PlannedSession]) -> QuerySet[PlannedSession]:
    """Sessions with no log and no logged set, as two NOT EXISTS the database can anti-join
    (an OR of the two is a subquery per session: a second for a squad's season)."""
    return sessions.filter(~_has_log()).filter(~has_logged_set())


def sessions_delete(sessions: QuerySet[PlannedSession], *, unlogged_only: bool = False) -> None:
    """Delete sessions and their items in plain statements; with `unlogged_only`, only those
    with no log and no logged set. Should a set appear meanwhile, the foreign key refuses the
    delete instead of a cascade taking the set with it."""
    if unlogged_only and connection.vendor == "postgresql":
        # Lock, then look: set logging share-locks its session, so a set logged meanwhile is
        # seen by the check below, and one logged after waits and finds its session gone.
        list(sessions.select_for_update().values_list("pk", flat=True))
    chosen = unlogged(sessions) if unlogged_only else sessions
    ids = chosen.values("pk")
    if connection.vendor == "postgresql":
        # By subquery: a squad's season is tens of thousands of ids, slow to send as a list.
        PlannedItem.objects.filter(session__in=ids)._raw_delete(connection.alias)
        PlannedSession.all_rows.filter(pk__in=ids)._raw_delete(connection.alias)
        return
    # SQLite cannot delete from a table its subquery reads: the ids go as a list.
    listed = list(chosen.values_list("pk", flat=True))
    PlannedItem.objects.filter(session_id__in=listed)._raw_delete(connection.alias)
    PlannedSession.all_rows.filter(pk__in=listed)._raw_delete(connection.alias)


def sessions_supersede(sessions: QuerySet[PlannedSession]) -> int:
    """Set aside the sessions with no log and no logged set, for `superseded_purge` to delete
    later: one UPDATE, where deleting a squad's season of items row by row (each checked
    against the set logs) holds the request for a second. The number set aside."""
    if connection.vendor == "postgresql":
        # Lock, then look, as sessions_delete does: a set logged meanwhile keeps its session.
        list(sessions.select_for_update().values_list("pk", flat=True))
    # By subquery: a squad's season is sixteen thousand ids, slow to send back as a list.
    return PlannedSession.objects.filter(pk__in=unlogged(sessions).values("pk")).update(
        superseded=True
    )


# A session can be logged or changed for this many days after its date; older ones are history.
EDIT_DAYS = 7


def lock_athlete_then_session(session_id: int) -> None:
    """Lock a session's athlete, then the session: every path that writes an athlete's plan
    takes the athlete first (replans, publishes, a coach's edit, finishing a session)."""
    Athlete.objects.select_for_update(of=("self",)).filter(sessions__pk=session_id).values_list(
        "pk"
    ).first()
    PlannedSession.all_rows.select_for_update().filter(pk=session_id).values_list("pk").first()


def superseded_purge(batch: int = 5000, today: date | None = None) -> int:
    """Delete set-aside sessions and their items in batches of short transactions; a session
    that somehow holds a log is left (and stays hidden). Those from EDIT_DAYS ago to
    tomorrow wait for a later purge: a phone may still send sets for them, which then land in
    the sessions that replaced them (session_log.item_moved). The number deleted."""
    today = today or timezone.localdate()
    kept = Q(date__gte=today - timedelta(days=EDIT_DAYS), date__lte=today + timedelta(days=1))
    deleted, after = 0, 0
    while True:
        with transaction.atomic():
            ids = list(
                PlannedSession.all_rows.filter(superseded=True, pk__gt=after)
                .exclude(kept)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return deleted
            sessions_delete(PlannedSession.all_rows.filter(pk__in=ids), unlogged_only=True)
            deleted += len(ids) - PlannedSession.all_rows.filter(pk__in=ids).count()
            after = ids[-1]


def _update_from_arrays(model: Any, fields: list[Any], rows: list[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    types, columns, sets = [], [], []
    for field in fields:
        column = quote(field.column)
        columns.append(column)
        if field.get_internal_type() == "JSONField":  # sent as JSON text
            types.append("text")
            sets.append(f"{column} = v.{column}::jsonb")
        else:
            types.append(field.db_type(connection))
            sets.append(f"{column} = v.{column}")
    arrays = ", ".join(f"%s::{kind}[]" for kind in ("bigint", *types))
    sql = (
        f"UPDATE {quote(model._meta.db_table)} AS t SET {', '.join(sets)}"
        f" FROM unnest({arrays}) AS v(id, {', '.join(columns)}) WHERE t.id = v.id"
    )
    values = [list(column) for column in zip(*rows, strict=True)]
    for index, field in enumerate(fields, start=1):
        # An array holds one type: a float column's whole numbers go as floats.
        if field.get_internal_type() == "FloatField":
            values[index] = [None if v is None else float(v) for v in values[index]]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _mark(model: Any, name: str) -> str:
    """A JSON column takes JSON text, cast to jsonb on PostgreSQL."""
    is_json = model._meta.get_field(name).get_internal_type() == "JSONField"
    return "%s::jsonb" if is_json and connection.vendor == "postgresql" else "%s"


def insert_rows(
    model: Any, names: list[str], rows: Sequence[tuple[tuple[Any, ...], tuple[Any, ...]]]
) -> None:
    """Rows of one shape in one go, each given as (head, tail) values where rows share tail
    objects (a squad's sessions share their items): COPY on PostgreSQL, each distinct tail
    rendered once; one plain INSERT sent for every row on SQLite. A squad's preview is tens of
    thousands of rows, and Django's bulk_create spends about 170 µs an item compiling what is
    the same row shape."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rendered: dict[int, str] = {}
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                lines: list[str] = []
                for head, tail in rows:
                    text = rendered.get(id(tail))
                    if text is None:
                        text = rendered[id(tail)] = "\t".join(map(_copy_text, tail))
                    lines.append("\t".join(map(_copy_text, head)) + "\t" + text + "\n")
                    if len(lines) == 4096:
                        copy.write("".join(lines))
                        lines.clear()
                copy.write("".join(lines))
            return
        marks = ", ".join(_mark(model, name) for name in names)
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [(*head, *tail) for head, tail in rows],
        )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value in COPY's text format (JSON columns take their JSON as text)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def update_rows(
    model: Any, names: list[str], rows: list[tuple[Any, ...]], *, prepared: bool = False
) -> None:
    """One plain UPDATE per row, sent together: a replan changes a hundred rows, and Django's
    bulk_update would build a CASE for every field of every row. On PostgreSQL, rows already
    `prepared` for the database go as one UPDATE joined to their columns as arrays: a
    statement per row cost a completion 3 ms."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    if prepared and connection.vendor == "postgresql":
        _update_from_arrays(model, fields, rows)
        return
    if not prepared:
        rows = [
            (
                row[0],
                *(f.get_db_prep_save(v, connection) for f, v in zip(fields, row[1:], strict=True)),
            )
            for row in rows
        ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = {_mark(model, f.name)}" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])
