"""Record what an athlete did in a session; the plan then follows the log (replanning.py)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from runstrong.engine.pain import PAIN_AREAS, PAIN_SIDES, pain_elsewhere_reason, pain_where
from runstrong.engine.state import transitions_for
from runstrong.engine.wording import weekday_date
from runstrong.web.coaching.access import AnyUser, own_published_item_sql
from runstrong.web.coaching.logged_state import athlete_state
from runstrong.web.coaching.models import (
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.replanning import plan_follow
from runstrong.web.coaching.session_rows import lock_athlete_then_session
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.sql import columns, table


@dataclass(frozen=True)
class SetEntry:
    item_id: int
    set_number: int
    side: str
    done: float
    load_kg: float | None


@functools.cache
def _upsert_sql(vendor: str, guarded: bool) -> str:
    # Runs for every logged set, so it is plain SQL (see sql.py). A finished or missed session
    # takes no more sets: what it folded into the plan stays as it was logged. Nor does one a
    # publish replaced (the phone says so), whose sets no page or fold would see. On
    # PostgreSQL the session row is share-locked, so a replan rewriting that session (or a
    # publish replacing it) waits for the set.
    column, item, log = columns(SetLog), columns(PlannedItem), columns(SessionLog)
    session = columns(PlannedSession)
    open_session = (
        f" AND NOT s.{session['superseded']}"
        f" AND NOT EXISTS (SELECT 1 FROM {table(SessionLog)} l"
        f" WHERE l.{log['session']} = s.{session['id']})"
    )
    lock = " FOR SHARE OF s" if vendor == "postgresql" else ""
    source = (
        f"{own_published_item_sql()} AND %s <= i.{item['sets']} AND i.{item['per_side']} = %s"
        if guarded
        else f" FROM {table(PlannedItem)} i JOIN {table(PlannedSession)} s"
        f" ON s.{session['id']} = i.{item['session']} WHERE i.{item['id']} = %s"
    )
    return (
        f"INSERT INTO {table(SetLog)} ({column['item']}, {column['set_number']}, {column['side']},"
        f" {column['done']}, {column['load_kg']})"
        f" SELECT i.{item['id']}, %s, %s, %s, %s {source}{open_session}{lock}"
        f" ON CONFLICT ({column['item']}, {column['set_number']}, {column['side']})"
        f" DO UPDATE SET {column['done']} = EXCLUDED.{column['done']},"
        f" {column['load_kg']} = EXCLUDED.{column['load_kg']}"
        f" RETURNING {column['id']}"
    )


def set_record(entry: SetEntry) -> int | None:
    """Save one set of an item the caller has checked and return its id, or None when its
    session is already finished or missed. Logging the same set again (a double tap, a retried
    request, two at once) updates it: one upsert, no race."""
    values: list[int | float | str | None] = [
        *(entry.set_number, entry.side, entry.done, entry.load_kg, entry.item_id)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection.vendor, guarded=False), values)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def set_record_own(*, user: AnyUser, session_id: int, entry: SetEntry) -> int | None:
    """Save the set only if its item is in the user's own published session, the session is
    not finished, and the set fits the item (a set number it has; a side exactly when it is
    per side). The check and the write are one statement, so nothing can change between
    them. The saved set's id, or None when nothing was saved.
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


def item_moved(*, user: AnyUser, session_id: int, item_id: int) -> PlannedItem | None:
    """The item that took over from `item_id` when a publish replaced its session: the same
    exercise on the same day of the athlete's plan now, or None. A set tapped on a phone that
    still showed the replaced session (offline while the coach published) lands there, not
    nowhere; the purge keeps today's and tomorrow's replaced sessions for this."""
    if not user.is_authenticated:
        return None
    old = (
        PlannedItem.objects.filter(
            pk=item_id,
            session_id=session_id,
            session__superseded=True,
            session__athlete__user=user,
        )
        .values_list("session__athlete_id", "session__date", "exercise")
        .first()
    )
    if old is None:
        return None
    athlete_id, day, exercise = old
    return (
        PlannedItem.objects.filter(
            session__in=PlannedSession.objects.filter(
                athlete_id=athlete_id, date=day, plan__published_at__isnull=False
            ),
            exercise=exercise,
        )
        .select_related("session")
        .first()
    )


def same_set_logged(entry: SetEntry) -> int | None:
    """The id of a set already logged with exactly these values: a replay after the session
    was finished is answered, not refused."""
    found = SetLog.objects.filter(
        item_id=entry.item_id,
        set_number=entry.set_number,
        side=entry.side,
        done=entry.done,
        load_kg=entry.load_kg,
    ).first()
    return None if found is None else found.pk


@dataclass(frozen=True)
class PainEntry:
    """Pain the athlete reports: in one exercise of the session (`exercise`, its slug), which
    then steps back, or elsewhere (`exercise` ""), which steps nothing back and flags the
    coach. `area` is one of the engine's PAIN_AREAS, `side` left, right, both or ""."""

    score: int
    area: str
    side: str = ""
    exercise: str = ""

    def check(self, exercises: set[str]) -> None:
        """Raise ValueError naming the field that does not fit the session."""
        if not 0 <= self.score <= 10:
            raise PainRefused("score", "0 to 10")
        if self.area not in PAIN_AREAS:
            raise PainRefused("area", ", ".join(PAIN_AREAS))
        if self.side not in ("", *PAIN_SIDES):
            raise PainRefused("side", ", ".join(PAIN_SIDES) + ' or ""')
        if self.exercise and self.exercise not in exercises:
            allowed = ", ".join(sorted(exercises)) or "none"
            raise PainRefused("exercise", f'an exercise of this session ({allowed}) or ""')


class PainRefused(ValueError):
    def __init__(self, field: str, allowed: str) -> None:
        self.field = field
        self.allowed = allowed
        super().__init__(f"{field}: {allowed}")


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

    def as_data(self) -> dict[str, Any]:
        return asdict(self) | {"keys": list(self.keys)}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Change:
        return cls(**(data | {"keys": tuple(data["keys"])}))


class SessionAlreadyLogged(ValueError):
    def __init__(self, log: SessionLog, more: str = "") -> None:
        self.log = log
        super().__init__(f"This session is already marked {log.status}.{more}")


def session_log_done(
    *,
    session: PlannedSession,
    sets: list[SetEntry],
    reps_in_reserve: int | None,
    pain: int = 0,
    pain_where: str = "",
    pains: Sequence[PainEntry] = (),
    notes: str,
    today: date | None = None,
) -> list[Change]:
    """Save the session's sets and finish it; returns what changes next time and why.
    `today`: the day the plan follows from (the demo's history logs each session on its day).

    `pains` is pain by exercise (that exercise steps back) or elsewhere (the coach is told);
    `pain` with `pain_where` is one score not tied to an exercise, in the athlete's words.
    Finishing is done once: a repeat (a double submit, a retried request) saves no sets and
    returns the first answer. A session its last set already finished takes effort, pain and
    notes once more. A missed session raises SessionAlreadyLogged; a pain report that does
    not fit the session raises PainRefused.
    """
    # The API finishes with its sets already saved (none passed): no need to read the items,
    # nor their names where no pain is told.
    reported = [entry for entry in pains if entry.score > 0]
    told = reported or pain > 0
    names = dict(session.items.values_list("exercise", "name")) if told else {}
    items = {item.pk for item in session.items.all()} if sets else set()
    for entry in reported:
        entry.check(set(names))
    reports = [
        PainReport(
            athlete_id=session.athlete_id,
            session=session,
            date=session.date,
            score=entry.score,
            exercise=entry.exercise,
            area=entry.area,
            side=entry.side,
        )
        for entry in reported
    ]
    if pain > 0:
        reports.append(
            PainReport(
                athlete_id=session.athlete_id,
                session=session,
                date=session.date,
                score=pain,
                where=pain_where,
            )
        )
    with transaction.atomic():
        _lock(session.pk)
        log = SessionLog.objects.filter(session=session).first()
        if log is not None and log.status == "missed":
            raise SessionAlreadyLogged(log)
        if log is not None and not log.by_last_set:
            if not _tells_nothing_new(log, reports, reps_in_reserve, notes):
                raise SessionAlreadyLogged(log, ALREADY_TOLD)
            return [Change.from_data(change) for change in log.outcome]
        for logged in sets:
            if logged.item_id not in items:
                raise ValueError(f"item {logged.item_id} is not in session {session.pk}")
            if log is None:  # finished by its last set: the sets stay as they were logged
                set_record(logged)
        worst = max(reports, key=lambda report: report.score, default=None)
        details = {
            "status": "done",
            "reps_in_reserve": reps_in_reserve,
            "pain": 0 if worst is None else worst.score,
            "pain_where": "" if worst is None else _summary(worst, names)[:120],
            "pain_by_exercise": True,
            "notes": notes,
            "by_last_set": False,
        }
        if log is None:
            log = SessionLog.objects.create(session=session, **details)
        else:
            # Saved before the replan reads the log: the pain told after the last set counts.
            for name, value in details.items():
                setattr(log, name, value)
            log.save(update_fields=list(details))
        # Reports are written once, with the log's details: a repeat returned above.
        if reports and not PainReport.objects.filter(session=session).exists():
            PainReport.objects.bulk_create(reports)
        return _follow(
            session,
            log,
            f"Session of {weekday_date(session.date)} logged",
            elsewhere=[report for report in reports if not report.exercise],
            today=today,
        )


ALREADY_TOLD = " The effort, pain and notes told then stay as they were."


def _tells_nothing_new(
    log: SessionLog, reports: list[PainReport], reps_in_reserve: int | None, notes: str
) -> bool:
    """Whether finishing again tells only what the log holds (a double submit, a retry, or
    one leaving out what was told): it is answered with the first outcome. Effort, pain or
    notes the log does not hold are refused, not dropped without a word."""

    def told(report: PainReport) -> tuple[object, ...]:
        return (report.score, report.exercise, report.area, report.side, report.where)

    if reps_in_reserve is not None and reps_in_reserve != log.reps_in_reserve:
        return False
    if notes and notes != log.notes:
        return False
    stored = PainReport.objects.filter(session_id=log.session_id)
    return not reports or sorted(map(told, reports)) == sorted(map(told, stored))


def _summary(report: PainReport, names: dict[str, str]) -> str:
    """`left knee in the Banded Spanish squat`: the worst report, for one-line listings."""
    where = pain_where(report.area, report.side) or report.where
    if report.exercise:
        return f"{where} in the {names.get(report.exercise, report.exercise)}".strip()
    return where


def session_log_missed(
    *, session: PlannedSession, reason: str, today: date | None = None
) -> SessionLog:
    """A missed session: the same prescriptions come next time. Marking it again changes
    nothing; a session already done raises SessionAlreadyLogged."""
    with transaction.atomic():
        _lock(session.pk)
        log, created = SessionLog.objects.get_or_create(
            session=session, defaults={"status": "missed", "missed_reason": reason}
        )
        if not created:
            if log.status != "missed":
                raise SessionAlreadyLogged(log)
            return log
        _follow(session, log, f"Session of {weekday_date(session.date)} missed", today=today)
    return log


def session_finish_if_all_logged(*, session_id: int) -> SessionLog | None:
    """Finish the session when its last set is logged; None while sets are still to do."""
    wanted = sum(
        sets * (2 if per_side else 1)
        for sets, per_side in PlannedItem.objects.filter(session_id=session_id).values_list(
            "sets", "per_side"
        )
    )
    done = SetLog.objects.filter(
        item__session_id=session_id, set_number__lte=F("item__sets")
    ).count()
    if not wanted or done < wanted:
        return None
    with transaction.atomic():
        _lock(session_id)
        log, created = SessionLog.objects.get_or_create(
            session_id=session_id, defaults={"status": "done", "by_last_set": True}
        )
        if created:
            session = PlannedSession.objects.select_related("athlete").get(pk=session_id)
            _follow(session, log, f"Session of {weekday_date(session.date)} logged")
    return log


def _lock(session_id: int) -> None:
    """One finishing of a session at a time: a second waits, then finds the first's log. The
    athlete first, then the session (which a set's write share-locks): the order in which
    every replan, publish and coach's edit locks, so none of them can deadlock with it."""
    lock_athlete_then_session(session_id)


def _follow(
    session: PlannedSession,
    log: SessionLog,
    cause: str,
    *,
    elsewhere: Sequence[PainReport] = (),
    today: date | None = None,
) -> list[Change]:
    """Replan the athlete from their log and keep this session's own changes as its outcome;
    pain reported elsewhere, at the flag threshold, is in it too: nothing steps back for it,
    and the athlete reads that the coach is told."""
    followed = plan_follow(athlete=session.athlete, cause=cause, today=today, after_log=True)
    transitions = (
        followed.state.transitions
        if followed is not None
        else athlete_state(session.athlete, site_catalog()).transitions
    )
    changes = [
        Change(
            exercise=step.name,
            change=step.change,
            before=step.before.dose_text(),
            after=step.after.dose_text(),
            reason=step.reason.text,
            keys=step.reason.keys,
            coach_flag=step.coach_flag,
        )
        for step in transitions_for(transitions, str(session.pk))
    ]
    catalog = site_catalog()
    for report in elsewhere:
        if report.score < catalog.rules.progression.pain_regress_at:
            continue
        reason = pain_elsewhere_reason(
            catalog,
            score=report.score,
            area=report.area,
            side=report.side,
            where=report.where,
            day=session.date,
        )
        where = pain_where(report.area, report.side) or report.where or "somewhere else"
        named = where if report.area != "other" and where != "somewhere else" else ""
        changes.append(
            Change(
                exercise=f"Pain elsewhere ({named})" if named else "Pain elsewhere",
                change="flag",
                before="",
                after="no exercise steps back",
                reason=reason.text,
                keys=reason.keys,
                coach_flag=f"pain {report.score}/10 ({where}) on {weekday_date(session.date)}",
            )
        )
    log.outcome = [change.as_data() for change in changes]
    # Not a change to the log (logged_at stays): the state folded above stays current.
    log.save(update_fields=["outcome"])
    return changes
