"""Record what an athlete did in a session and move their next prescriptions on."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from runstrong.engine.catalog import load_catalog
from runstrong.engine.progression import LoggedSet, next_prescription
from runstrong.web.coaching.access import AnyUser, own_published_item_sql
from runstrong.web.coaching.convert import item_from_row, ladder_data
from runstrong.web.coaching.models import (
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.sql import columns, table

PAIN_FLAG_AT = 3


@dataclass(frozen=True)
class SetEntry:
    item_id: int
    set_number: int
    side: str
    done: float
    load_kg: float | None


@functools.cache
def _upsert_sql(vendor: str, guarded: bool) -> str:
    # Runs for every logged set, so it is plain SQL (see sql.py).
    column, item = columns(SetLog), columns(PlannedItem)
    values = (
        f"SELECT i.{item['id']}, %s, %s, %s, %s {own_published_item_sql(vendor)}"
        f" AND %s <= i.{item['sets']} AND i.{item['per_side']} = %s"
        if guarded
        else "VALUES (%s, %s, %s, %s, %s)"
    )
    return (
        f"INSERT INTO {table(SetLog)} ({column['item']}, {column['set_number']}, {column['side']},"
        f" {column['done']}, {column['load_kg']}) {values}"
        f" ON CONFLICT ({column['item']}, {column['set_number']}, {column['side']})"
        f" DO UPDATE SET {column['done']} = EXCLUDED.{column['done']},"
        f" {column['load_kg']} = EXCLUDED.{column['load_kg']}"
        f" RETURNING {column['id']}"
    )


def set_record(entry: SetEntry) -> int:
    """Save one set of an item the caller has checked and return its id. Logging the same set
    again (a double tap, a retried request, two at once) updates it: one upsert, no race."""
    values = [entry.item_id, entry.set_number, entry.side, entry.done, entry.load_kg]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection.vendor, guarded=False), values)
        (set_id,) = cursor.fetchone()
    return int(set_id)


def set_record_own(*, user: AnyUser, session_id: int, entry: SetEntry) -> int | None:
    """Save the set only if its item is in the user's own published session and the set fits
    the item (a set number it has; a side exactly when it is per side). The check and the
    write are one statement, so nothing can change between them. The saved set's id, or None
    when nothing was saved.
    """
    values = [
        *(entry.set_number, entry.side, entry.done, entry.load_kg),
        *(entry.item_id, session_id, user.pk),
        *(entry.set_number, entry.side != ""),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection.vendor, guarded=True), values)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


@dataclass(frozen=True)
class Change:
    """What the engine changed for the next session, to show the athlete."""

    exercise: str
    change: str
    before: str
    after: str
    reason: str
    keys: tuple[str, ...]
    coach_flag: str | None


def session_log_done(
    *,
    session: PlannedSession,
    sets: list[SetEntry],
    reps_in_reserve: int | None,
    pain: int,
    pain_where: str,
    notes: str,
) -> list[Change]:
    """Save the session's sets (idempotently) and return what changes next time and why."""
    items = {item.pk: item for item in session.items.all()}
    with transaction.atomic():
        for entry in sets:
            if entry.item_id not in items:
                raise ValueError(f"item {entry.item_id} is not in session {session.pk}")
            set_record(entry)
        SessionLog.objects.update_or_create(
            session=session,
            defaults={
                "status": "done",
                "missed_reason": "",
                "reps_in_reserve": reps_in_reserve,
                "pain": pain,
                "pain_where": pain_where,
                "notes": notes,
            },
        )
        _report_pain(session, pain, pain_where)
        return [
            _progress(item, sets, reps_in_reserve, pain, session.date) for item in items.values()
        ]


def session_log_missed(*, session: PlannedSession, reason: str) -> SessionLog:
    """A missed session: its prescriptions carry over to the next session unchanged."""
    with transaction.atomic():
        log, _ = SessionLog.objects.update_or_create(
            session=session, defaults={"status": "missed", "missed_reason": reason}
        )
        for item in session.items.all():
            _progress(item, [], None, 0, session.date)
    return log


def _report_pain(session: PlannedSession, pain: int, where: str) -> None:
    if pain <= 0:
        PainReport.objects.filter(session=session).delete()
        return
    PainReport.objects.update_or_create(
        session=session,
        defaults={
            "athlete_id": session.athlete_id,
            "date": session.date,
            "score": pain,
            "where": where,
        },
    )


def _progress(
    item: PlannedItem, sets: list[SetEntry], rir: int | None, pain: int, day: date
) -> Change:
    logged = [
        LoggedSet(
            entry.done,
            load_kg=entry.load_kg,
            reps_in_reserve=rir,
            pain=pain,
            side=entry.side or None,  # type: ignore[arg-type]
        )
        for entry in sets
        if entry.item_id == item.pk
    ]
    prescription = item_from_row(item)
    result = next_prescription(
        prescription,
        logged,
        pain_regress_at=load_catalog().rules.progression.pain_regress_at,
    )
    nxt = result.prescription
    upcoming = (
        PlannedItem.objects.filter(
            session__athlete_id=item.session.athlete_id,
            session__date__gt=day,
            session__log__isnull=True,
            session__plan__published_at__isnull=False,
            exercise=item.exercise,
            edited_by_coach=False,
        )
        .select_related("session")
        .order_by("session__date")
        .first()
    )
    if upcoming is not None:
        # The next session keeps its own volume (a deload or taper has fewer sets) unless the
        # progression took a set away, and a light session before a race stays unloaded.
        if nxt.sets < prescription.sets:
            upcoming.sets = max(1, upcoming.sets - (prescription.sets - nxt.sets))
        upcoming.target = nxt.target
        if upcoming.session.kind != "light":
            upcoming.load_kg = nxt.load_kg
        upcoming.ladder = ladder_data(nxt.ladder)
        upcoming.save(update_fields=["sets", "target", "load_kg", "ladder"])
    return Change(
        exercise=item.name,
        change=result.change,
        before=prescription.dose_text(),
        after=nxt.dose_text(),
        reason=result.reason.text,
        keys=result.reason.keys,
        coach_flag=result.coach_flag,
    )
