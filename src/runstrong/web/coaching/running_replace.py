"""Re-placing many athletes' sessions at once after a scheduled calendar sync.

`plan_follow` for a squad: the same replan and the same write of each athlete's future unlogged
sessions (`write_sessions_many`, logged sessions untouched), but the log folds, plans, races,
running days and sessions are read and written in a few queries for all of them, in one
transaction a chunk.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import RunstrongError
from runstrong.engine.planner import replan
from runstrong.web.coaching.convert import athlete_to_engine, season_for
from runstrong.web.coaching.gc_pause import gc_paused
from runstrong.web.coaching.logged_state import athletes_progress
from runstrong.web.coaching.models import Athlete, Plan, PlanChange, Race
from runstrong.web.coaching.replanning import SessionsWrite, write_sessions_many
from runstrong.web.coaching.running_plan import running_days_many

log = logging.getLogger(__name__)
CHUNK = 50  # athletes a transaction: a squad's sync holds no lock for long


@gc_paused()
def plans_follow(
    athletes: list[Athlete], causes: dict[int, str], catalog: Catalog, today: date | None = None
) -> dict[int, list[PlanChange]]:
    """Re-place each athlete's future unlogged sessions on their current plan; the changes
    recorded for each (with their cause), as `plan_follow` records them."""
    today = today or timezone.localdate()
    changes: dict[int, list[PlanChange]] = {}
    for first in range(0, len(athletes), CHUNK):
        changes |= _follow_chunk(athletes[first : first + CHUNK], causes, catalog, today)
    return changes


def _follow_chunk(
    athletes: list[Athlete], causes: dict[int, str], catalog: Catalog, today: date
) -> dict[int, list[PlanChange]]:
    ids = sorted(athlete.pk for athlete in athletes)
    changes: dict[int, list[PlanChange]] = {}
    with transaction.atomic():
        # The same lock as plan_follow's, taken in id order so two syncs cannot deadlock.
        list(Athlete.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        plans: dict[int, Plan] = {}
        for plan in Plan.objects.filter(athlete__in=ids, published_at__isnull=False).order_by(
            "published_at", "pk"
        ):
            plans[plan.athlete_id] = plan  # the latest published, as current_plan
        followed = [athlete for athlete in athletes if athlete.pk in plans]
        states = athletes_progress(followed, catalog)
        races: dict[int, list[Race]] = defaultdict(list)
        for race in Race.objects.filter(athlete__in=ids):
            races[race.athlete_id].append(race)
        running = running_days_many(
            {
                athlete.pk: (
                    plans[athlete.pk].season_start,
                    plans[athlete.pk].season_start
                    + timedelta(days=7 * plans[athlete.pk].weeks - 1),
                )
                for athlete in followed
            },
            {athlete.pk: athlete for athlete in followed},
        )
        writes: list[SessionsWrite] = []
        for athlete in followed:
            plan = plans[athlete.pk]
            from_date = max(today, plan.season_start)
            try:
                result = replan(
                    athlete_to_engine(athlete),
                    season_for(
                        plan.season_start, plan.weeks, races[athlete.pk], running[athlete.pk]
                    ),
                    states[athlete.pk],
                    from_date,
                    catalog,
                )
            except RunstrongError as error:
                # The profile itself is refused: its page says why; the others go on.
                log.warning("re-placing athlete %s: %s", athlete.pk, error)
                continue
            writes.append(SessionsWrite(plan, athlete, result.weeks, from_date, causes[athlete.pk]))
        for write, made in zip(writes, write_sessions_many(writes), strict=True):
            changes[write.athlete.pk] = made
    return changes


def _season_days(plan: Plan) -> tuple[date, date]:
    return plan.season_start, plan.season_start + timedelta(days=7 * plan.weeks - 1)
