"""Plans as rows: generate drafts with the engine, let the coach edit items, publish."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.engine.errors import RunstrongError
from runstrong.engine.planner import plan as engine_plan
from runstrong.web.coaching.convert import athlete_to_engine, item_fields, season_for
from runstrong.web.coaching.models import Athlete, Plan, PlannedItem, PlannedSession


@dataclass(frozen=True)
class PlanProblem:
    athlete: Athlete
    message: str


def plan_generate(
    *,
    athletes: Iterable[Athlete],
    start: date,
    weeks: int,
    catalog: Catalog | None = None,
) -> tuple[list[Plan], list[PlanProblem]]:
    """A draft plan per athlete; an athlete whose profile the engine refuses is reported."""
    catalog = catalog or load_catalog()
    drafts: list[Plan] = []
    problems: list[PlanProblem] = []
    for athlete in athletes:
        try:
            result = engine_plan(
                athlete_to_engine(athlete),
                season_for(start, weeks, athlete.races.all()),
                catalog,
            )
        except RunstrongError as error:
            problems.append(PlanProblem(athlete, str(error)))
            continue
        with transaction.atomic():
            Plan.objects.filter(athlete=athlete, published_at__isnull=True).delete()
            draft = Plan.objects.create(
                athlete=athlete, season_start=start, weeks=weeks, catalog_name=catalog.name
            )
            sessions = PlannedSession.objects.bulk_create(
                [
                    PlannedSession(
                        plan=draft,
                        athlete=athlete,
                        date=session.day,
                        week_index=week.index,
                        phase=week.phase,
                        deload=week.deload,
                        kind=session.kind,
                        placement={
                            "text": session.placement.text,
                            "keys": list(session.placement.keys),
                        },
                    )
                    for week in result.weeks
                    for session in week.sessions
                ]
            )
            engine_sessions = list(result.sessions())
            PlannedItem.objects.bulk_create(
                [
                    PlannedItem(session=row, **item_fields(item))
                    for row, planned in zip(sessions, engine_sessions, strict=True)
                    for item in planned.items
                ]
            )
        drafts.append(draft)
    return drafts, problems


def plan_publish(*, plan: Plan, today: date | None = None) -> Plan:
    """Make a draft the athlete's plan from `today` on, keeping everything already logged.

    Sessions of the previous plan that were logged stay as history; its unlogged sessions from
    today on give way to the new plan, which skips days that already have a logged session.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        older = Plan.objects.filter(athlete=plan.athlete, published_at__isnull=False).exclude(
            pk=plan.pk
        )
        PlannedSession.objects.filter(plan__in=older, log__isnull=True, date__gte=today).delete()
        logged_days = PlannedSession.objects.filter(
            athlete=plan.athlete, log__isnull=False
        ).values_list("date", flat=True)
        plan.sessions.filter(date__lt=today).delete()
        plan.sessions.filter(date__in=list(logged_days)).delete()
        plan.published_at = timezone.now()
        plan.save(update_fields=["published_at"])
    return plan


class ItemEditError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def plan_item_update(
    *, item: PlannedItem, sets: int, target: float, load_kg: float | None
) -> PlannedItem:
    """A coach's edit of one item; the engine's reasons stay and the edit is marked."""
    if not 1 <= sets <= 10:
        raise ItemEditError("sets", "Sets must be from 1 to 10.")
    if not 1 <= target <= 600:
        raise ItemEditError("target", "Target must be from 1 to 600.")
    if load_kg is not None and not 0 < load_kg <= 100:
        raise ItemEditError(
            "load_kg", "Load must be between 0 and 100 kg, or empty for bodyweight."
        )
    item.sets, item.target, item.load_kg = sets, target, load_kg
    item.edited_by_coach = True
    item.save(update_fields=["sets", "target", "load_kg", "edited_by_coach"])
    return item
