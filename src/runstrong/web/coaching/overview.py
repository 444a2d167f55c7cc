"""The coach's squad overview: one row per athlete, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Aggregate, Count, Max, Min, Q, QuerySet

from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.web.coaching.models import (
    Athlete,
    Coach,
    PainReport,
    PlannedSession,
    Race,
)
from runstrong.web.coaching.verdicts import latest_verdicts

STATUSES = ("met", "close", "below")
SORTS = {
    "name": lambda row: (row.name.lower(),),
    "group": lambda row: (row.event_group, row.name.lower()),
    "week": lambda row: (row.week_rate if row.week_rate is not None else 2.0, row.name.lower()),
    "month": lambda row: (row.month_rate if row.month_rate is not None else 2.0, row.name.lower()),
    "last": lambda row: (row.last_session or date.min, row.name.lower()),
}


@dataclass
class OverviewRow:
    id: int
    name: str
    event_group: str
    squad: str
    week_done: int
    week_planned: int
    month_done: int
    month_planned: int
    last_session: date | None
    open_flags: int
    next_race: date | None
    next_a_race: date | None
    body_mass_kg: float
    benchmarks: dict[str, int] = field(default_factory=dict)

    @property
    def week_rate(self) -> float | None:
        return self.week_done / self.week_planned if self.week_planned else None

    @property
    def month_rate(self) -> float | None:
        return self.month_done / self.month_planned if self.month_planned else None


def _by_athlete(rows: QuerySet[Any], **aggregates: Aggregate) -> dict[int, dict[str, Any]]:
    """One grouped query: the aggregates per athlete, keyed by athlete id."""
    grouped = rows.order_by().values("athlete").annotate(**aggregates)
    return {entry.pop("athlete"): entry for entry in grouped}


def squad_overview(
    *,
    coach: Coach,
    today: date,
    group: str | None = None,
    sort: str = "name",
    catalog: Catalog | None = None,
) -> list[OverviewRow]:
    """Rows for every athlete the coach owns; athletes with open pain flags come first.

    Each figure is one grouped query over the coach's athletes, so the page costs the same
    handful of queries for 10 athletes or 300, and each query is a single pass.
    """
    week_start = today - timedelta(days=today.weekday())
    month_start = today - timedelta(days=27)
    athletes = Athlete.objects.filter(squad__coach=coach).select_related("squad")
    if group:
        athletes = athletes.filter(event_group=group)
    mine = athletes.values("pk")
    sessions = PlannedSession.objects.filter(
        athlete__in=mine, plan__published_at__isnull=False, date__lte=today
    )
    done = Q(log__status="done")
    compliance = _by_athlete(
        sessions.filter(date__gte=month_start),
        month_planned=Count("pk"),
        month_done=Count("pk", filter=done),
        week_planned=Count("pk", filter=Q(date__gte=week_start)),
        week_done=Count("pk", filter=Q(date__gte=week_start) & done),
    )
    last = _by_athlete(sessions.filter(done), last_session=Max("date"))
    flags = _by_athlete(
        PainReport.objects.filter(athlete__in=mine, resolved_at__isnull=True, score__gte=3),
        open_flags=Count("pk"),
    )
    races = _by_athlete(
        Race.objects.filter(athlete__in=mine, date__gte=today),
        next_race=Min("date"),
        next_a_race=Min("date", filter=Q(priority="A")),
    )
    rows = {}
    for athlete in athletes:
        figures = compliance.get(athlete.pk, {})
        rows[athlete.pk] = OverviewRow(
            id=athlete.pk,
            name=athlete.name,
            event_group=athlete.event_group,
            squad=athlete.squad.name,
            week_done=figures.get("week_done", 0),
            week_planned=figures.get("week_planned", 0),
            month_done=figures.get("month_done", 0),
            month_planned=figures.get("month_planned", 0),
            last_session=last.get(athlete.pk, {}).get("last_session"),
            open_flags=flags.get(athlete.pk, {}).get("open_flags", 0),
            next_race=races.get(athlete.pk, {}).get("next_race"),
            next_a_race=races.get(athlete.pk, {}).get("next_a_race"),
            body_mass_kg=athlete.body_mass_kg,
        )
    _add_benchmarks(rows, today, catalog or load_catalog())
    for row in rows.values():
        row.benchmarks = {
            status: row.benchmarks[status] for status in STATUSES if status in row.benchmarks
        }
    ordered = sorted(rows.values(), key=SORTS.get(sort, SORTS["name"]))
    return sorted(ordered, key=lambda row: row.open_flags == 0)


def _add_benchmarks(rows: dict[int, OverviewRow], today: date, catalog: Catalog) -> None:
    """Count each athlete's latest verdicts by status."""
    athletes = {row.id: (row.event_group, row.body_mass_kg) for row in rows.values()}
    for (athlete_id, _), judged in latest_verdicts(
        athletes=athletes, today=today, catalog=catalog
    ).items():
        counts = rows[athlete_id].benchmarks
        counts[judged.verdict.status] = counts.get(judged.verdict.status, 0) + 1
