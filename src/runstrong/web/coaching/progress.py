"""What the coach reads on an athlete's page: season calendar, logs, progress, flags."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Prefetch

from runstrong.web.coaching.models import Athlete, PainReport, PlannedItem, PlannedSession


def athlete_progress(*, athlete: Athlete, today: date) -> dict[str, Any]:
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
        .select_related("log")
        .prefetch_related(
            Prefetch("items", queryset=PlannedItem.objects.prefetch_related("set_logs"))
        )
        .order_by("date")
    )
    weeks: dict[tuple[int, int], list[PlannedSession]] = defaultdict(list)
    progress: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        iso = session.date.isocalendar()
        weeks[(iso.year, iso.week)].append(session)
        log = getattr(session, "log", None)
        if log is None or log.status != "done":
            continue
        for item in session.items.all():
            done = [entry.done for entry in item.set_logs.all()]
            if done:
                progress[item.name].append(
                    {
                        "exercise": item.exercise,
                        "date": session.date,
                        "target": item.target,
                        "unit": item.unit,
                        "load_kg": item.load_kg,
                        "best": max(done),
                        "sets": len(done),
                    }
                )
    logged = [s for s in sessions if getattr(s, "log", None) is not None]
    return {
        "calendar": [
            {"week_start": min(s.date for s in group), "sessions": group}
            for _, group in sorted(weeks.items())
        ],
        "logged": list(reversed(logged))[:20],
        "progress": dict(progress),
        "flags": list(PainReport.objects.filter(athlete=athlete).order_by("-date")[:20]),
        "races": list(athlete.races.all()),
        "today": today,
    }
