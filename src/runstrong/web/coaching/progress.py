"""What the coach reads on an athlete's page: season calendar, logs, progress, flags."""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Max

from runstrong.engine.catalog import Catalog
from runstrong.engine.pain import area_keys
from runstrong.web.coaching.models import (
    Athlete,
    PainReport,
    PlannedItem,
    PlannedSession,
    SetLog,
)
from runstrong.web.coaching.season_calendar import season_weeks

LOGGED_SHOWN = 20


# What the logged list and the progress points read of an item: not its texts.
ITEM_FIELDS = ("session_id", "pk", "exercise", "name", "sets", "target", "per_side")
ITEM_FIELDS += ("load_kg", "measure")


@functools.cache
def _unit(measure: str) -> str:
    """An item's unit (reps, m, s) as PlannedItem.unit says it."""
    return PlannedItem(measure=measure).unit


def athlete_progress(*, athlete: Athlete, today: date) -> dict[str, Any]:
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
        .select_related("log")
        .order_by("date")
    )
    # Items as plain rows and each item's logged sets counted, their best taken, by the
    # database: a season's hundreds of items and thousands of sets never become model objects.
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    published = PlannedItem.objects.filter(
        session__athlete=athlete, session__plan__published_at__isnull=False
    )
    for row in published.order_by("slot").values(*ITEM_FIELDS):
        items[row["session_id"]].append(row)
    sets_of: dict[int, tuple[int, float]] = {
        row["item_id"]: (row["count"], row["best"])
        for row in SetLog.objects.filter(item__session__athlete=athlete)
        .order_by()
        .values("item_id")
        .annotate(count=Count("pk"), best=Max("done"))
    }
    progress: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        log = getattr(session, "log", None)
        if log is None or log.status != "done":
            continue
        for item in items[session.pk]:
            count, best = sets_of.get(item["pk"], (0, 0.0))
            if count:
                progress[item["name"]].append(
                    {
                        "exercise": item["exercise"],
                        "date": session.date,
                        "target": item["target"],
                        "unit": _unit(item["measure"]),
                        "load_kg": item["load_kg"],
                        "best": best,
                        "sets": count,
                    }
                )
    races = list(athlete.races.order_by("date"))
    logged = []
    for session in reversed(sessions):
        log = getattr(session, "log", None)
        planned = items[session.pk]
        sets_done = sum(sets_of.get(item["pk"], (0, 0.0))[0] for item in planned)
        if log is None and not sets_done:
            continue
        logged.append(
            {
                "session": session,
                "log": log,
                "status": log.status if log is not None else "in progress",
                "sets_done": sets_done,
                "sets_planned": sum(i["sets"] * (2 if i["per_side"] else 1) for i in planned),
            }
        )
    return {
        "calendar": season_weeks(sessions, races),
        "logged": logged[:LOGGED_SHOWN],
        "progress": dict(progress),
        "races": races,
        "sessions": sessions,
        "today": today,
    }


PAIN_SHOWN = 20


def pain_card(*, athlete: Athlete, catalog: Catalog) -> dict[str, Any]:
    """The athlete page's pain card: flags are reports at or over the catalog's threshold
    (open or resolved); lighter reports are listed apart, not as flags. A flag not tied to an
    exercise carries its keys (`keys`: S18 and the area's P key): nothing stepped back for it."""
    pain_regress_at = catalog.rules.progression.pain_regress_at
    reports = PainReport.objects.filter(athlete=athlete).named().order_by("-date", "-pk")
    flags = list(reports.filter(score__gte=pain_regress_at)[:PAIN_SHOWN])
    for flag in flags:
        flag.keys = ("S18", *area_keys(catalog, flag.area))  # type: ignore[attr-defined]
    return {
        "flags": flags,
        "minor": list(reports.filter(score__lt=pain_regress_at)[:PAIN_SHOWN]),
        "pain_regress_at": pain_regress_at,
    }
