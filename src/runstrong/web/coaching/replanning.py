"""The plan follows the log: an athlete's future unlogged sessions, re-derived from their state.

Logged sessions are history and are never touched here. Everything from today on that has no
logged set is laid out again by `engine.planner.replan` from the state folded from the log,
with the coach's pinned edits on top. Session and item rows keep their ids where the day and
exercise stay, so a phone that has today's session open can still log it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.engine.model import Session as EngineSession
from runstrong.engine.model import Week
from runstrong.engine.planner import replan
from runstrong.engine.prescribe import athlete_exercises
from runstrong.engine.progression import LoggedSet
from runstrong.engine.state import (
    LoggedItem,
    LoggedSession,
    ProgressionState,
    Transition,
    fold_logs,
)
from runstrong.web.coaching.convert import (
    athlete_to_engine,
    item_fields,
    item_from_row,
    season_for,
)
from runstrong.web.coaching.models import (
    Athlete,
    ItemOverride,
    Plan,
    PlanChange,
    PlannedItem,
    PlannedSession,
    SetLog,
)

COACH_EDIT = {"text": "Edited by the coach; kept until the coach removes the edit.", "keys": []}
SESSION_FIELDS = ("week_index", "phase", "deload", "kind", "placement")


def has_logged_set() -> Exists:
    return Exists(SetLog.objects.filter(item__session=OuterRef("pk")))


def logged_q() -> Q:
    """A session the athlete has touched: finished, missed, or any set logged."""
    return Q(log__isnull=False) | Q(has_sets=True)


def unlogged(sessions: QuerySet[PlannedSession]) -> QuerySet[PlannedSession]:
    return sessions.annotate(has_sets=has_logged_set()).exclude(logged_q())


@dataclass(frozen=True)
class AthleteState:
    state: ProgressionState
    transitions: list[Transition]


def athlete_state(athlete: Athlete, catalog: Catalog) -> AthleteState:
    """The athlete's progression state folded from every session they finished or missed."""
    rows = (
        PlannedSession.objects.filter(athlete=athlete, log__isnull=False)
        .select_related("log")
        .prefetch_related(
            Prefetch("items", queryset=PlannedItem.objects.prefetch_related("set_logs"))
        )
    )
    starts = athlete_exercises(athlete_to_engine(athlete), catalog).items
    state, transitions = fold_logs(
        (_logged_session(row) for row in rows),
        starts=starts,
        pain_regress_at=catalog.rules.progression.pain_regress_at,
    )
    return AthleteState(state, transitions)


def _logged_session(row: PlannedSession) -> LoggedSession:
    log = row.log
    items = tuple(
        LoggedItem(
            item_from_row(item),
            tuple(
                LoggedSet(
                    entry.done,
                    load_kg=entry.load_kg,
                    reps_in_reserve=log.reps_in_reserve,
                    pain=log.pain,
                    side=entry.side or None,  # type: ignore[arg-type]
                )
                for entry in item.set_logs.all()
            ),
            pain=log.pain,
        )
        for item in row.items.all()
    )
    status = "missed" if log.status == "missed" else "done"
    return LoggedSession(
        row.date, status, items, light=row.kind == "light", source=str(row.pk), order=row.pk
    )


def current_plan(athlete: Athlete) -> Plan | None:
    return (
        Plan.objects.filter(athlete=athlete, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class FollowResult:
    state: AthleteState
    changes: list[PlanChange]


def plan_follow(
    *,
    athlete: Athlete,
    cause: str,
    plan: Plan | None = None,
    today: date | None = None,
    catalog: Catalog | None = None,
) -> FollowResult | None:
    """Re-derive the plan's sessions from today on that have no logged set; None without a plan.

    `plan` defaults to the athlete's current (latest published) plan; a draft can follow too.
    Changes to a published plan are recorded with `cause` for the coach.
    """
    catalog = catalog or load_catalog()
    today = today or timezone.localdate()
    with transaction.atomic():
        # One replan of an athlete at a time: two completions at once must not interleave.
        Athlete.objects.select_for_update().filter(pk=athlete.pk).first()
        plan = plan or current_plan(athlete)
        if plan is None:
            return None
        folded = athlete_state(athlete, catalog)
        from_date = max(today, plan.season_start)
        result = replan(
            athlete_to_engine(athlete),
            season_for(plan.season_start, plan.weeks, athlete.races.all()),
            folded.state,
            from_date,
            catalog,
        )
        changes = _write(plan, athlete, result.weeks, from_date, cause)
    return FollowResult(folded, changes)


def _write(
    plan: Plan, athlete: Athlete, weeks: Iterable[Week], from_date: date, cause: str
) -> list[PlanChange]:
    touched = (
        PlannedSession.objects.filter(athlete=athlete, date__gte=from_date)
        .annotate(has_sets=has_logged_set())
        .filter(logged_q())
        .values_list("date", flat=True)
    )
    logged_days = set(touched)
    wanted: dict[date, tuple[Week, EngineSession]] = {
        session.day: (week, session)
        for week in weeks
        for session in week.sessions
        if session.day not in logged_days
    }
    existing = {
        row.date: row
        for row in unlogged(plan.sessions.filter(date__gte=from_date)).prefetch_related("items")
    }
    overrides = {(o.date, o.exercise): o for o in plan.overrides.filter(date__gte=from_date)}
    before = _next_doses(existing.values(), lambda row: list(row.items.all()))

    gone = [day for day in existing if day not in wanted]
    PlannedSession.objects.filter(pk__in=[existing[day].pk for day in gone]).delete()
    new_rows = PlannedSession.objects.bulk_create(
        [
            PlannedSession(plan=plan, athlete=athlete, date=day, **_session_fields(week, session))
            for day, (week, session) in sorted(wanted.items())
            if day not in existing
        ]
    )
    by_day = {row.date: row for row in new_rows}
    sessions_changed: list[PlannedSession] = []
    items_new: list[PlannedItem] = []
    items_changed: list[PlannedItem] = []
    items_gone: list[int] = []
    after: dict[str, tuple[date, str, str, dict[str, Any]]] = {}
    field_names: list[str] = []
    for day, (week, session) in sorted(wanted.items()):
        row = existing.get(day)
        fields = _session_fields(week, session)
        if row is not None:
            if any(getattr(row, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(row, name, value)
                sessions_changed.append(row)
            old_items = {item.exercise: item for item in row.items.all()}
        else:
            row, old_items = by_day[day], {}
        for engine_item in session.items:
            values = _item_values(engine_item, overrides.get((day, engine_item.exercise)))
            field_names = field_names or list(values)
            old = old_items.pop(engine_item.exercise, None)
            if old is None:
                items_new.append(PlannedItem(session=row, **values))
            elif any(getattr(old, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(old, name, value)
                items_changed.append(old)
            if engine_item.exercise not in after:
                dose = PlannedItem(**values).dose_text
                after[engine_item.exercise] = (day, values["name"], dose, values)
        items_gone += [item.pk for item in old_items.values()]

    PlannedItem.objects.filter(pk__in=items_gone).delete()
    PlannedItem.objects.bulk_create(items_new)
    if sessions_changed:
        PlannedSession.objects.bulk_update(sessions_changed, list(SESSION_FIELDS))
    if items_changed:
        PlannedItem.objects.bulk_update(items_changed, field_names)
    if plan.published_at is None:
        return []
    return _record(athlete, cause, before, after, gone, [r.date for r in new_rows])


def _session_fields(week: Week, session: EngineSession) -> dict[str, Any]:
    return {
        "week_index": week.index,
        "phase": week.phase,
        "deload": week.deload,
        "kind": session.kind,
        "placement": {"text": session.placement.text, "keys": list(session.placement.keys)},
    }


def _item_values(engine_item: Any, override: ItemOverride | None) -> dict[str, Any]:
    values = item_fields(engine_item)
    values["edited_by_coach"] = override is not None
    if override is not None:
        values["sets"], values["target"] = override.sets, override.target
        values["load_kg"] = override.load_kg
        values["reasons"] = [*values["reasons"], COACH_EDIT]
    return values


def _next_doses(
    rows: Iterable[PlannedSession], items_of: Any
) -> dict[str, tuple[date, str, str, dict[str, Any]]]:
    found: dict[str, tuple[date, str, str, dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r.date):
        for item in items_of(row):
            if item.exercise not in found:
                found[item.exercise] = (row.date, item.name, item.dose_text, {})
    return found


def _record(
    athlete: Athlete,
    cause: str,
    before: dict[str, tuple[date, str, str, dict[str, Any]]],
    after: dict[str, tuple[date, str, str, dict[str, Any]]],
    gone: list[date],
    added: list[date],
) -> list[PlanChange]:
    changes: list[PlanChange] = []
    for exercise, (day, name, dose, values) in after.items():
        was = before.get(exercise)
        if was is not None and was[2] == dose:
            continue
        reason = values["reasons"][-1] if values["reasons"] else {"text": "", "keys": []}
        changes.append(
            PlanChange(
                athlete=athlete,
                session_date=day,
                what=f"{name}, next session",
                before=f"{was[0]:%a %d %b}: {was[2]}" if was else "",
                after=f"{day:%a %d %b}: {dose}",
                cause=cause,
                reason=reason["text"],
                keys=reason["keys"],
            )
        )
    for exercise, (day, name, dose, _) in before.items():
        if exercise not in after:
            changes.append(
                PlanChange(
                    athlete=athlete,
                    session_date=day,
                    what=f"{name} left out",
                    before=f"{day:%a %d %b}: {dose}",
                    cause=cause,
                )
            )
    if gone or added:
        changes.append(
            PlanChange(
                athlete=athlete,
                session_date=min([*gone, *added]),
                what="Session days",
                before=_days(sorted(gone)),
                after=_days(sorted(added)),
                cause=cause,
                reason="Days follow the training days, hard-run days and races.",
                keys=["S9", "S10", "S11"],
            )
        )
    return PlanChange.objects.bulk_create(changes)


def _days(days: list[date]) -> str:
    text = ", ".join(f"{day:%a %d %b}" for day in days[:8])
    return text + (f" and {len(days) - 8} more" if len(days) > 8 else "")
