"""The coach's squad overview: one row per athlete, ranked by what needs the coach, in a fixed
number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Aggregate, Count, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from runstrong.engine.catalog import Catalog
from runstrong.engine.wording import age_text
from runstrong.web.coaching.models import (
    Athlete,
    Coach,
    Invitation,
    PainReport,
    Plan,
    PlannedSession,
    Race,
)
from runstrong.web.coaching.running_plan import running_load_jumps
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.verdicts import latest_verdicts

STATUSES = ("met", "close", "below")
# Athletes a page of the overview shows.
OVERVIEW_PAGE = 50
# What needs the coach, most urgent first: an athlete ranks by the first that applies.
PAIN, LOW_COMPLIANCE, LOAD_JUMP, NO_PLAN, INVITED, NOTHING = range(6)
SORTS = {
    "need": lambda row: row.need_rank,
    "name": lambda row: (row.name.lower(),),
    "group": lambda row: (row.event_group, row.name.lower()),
    "week": lambda row: (row.week_rate if row.week_rate is not None else 2.0, row.name.lower()),
    "month": lambda row: (row.month_rate if row.month_rate is not None else 2.0, row.name.lower()),
    "last": lambda row: (row.last_session or date.min, row.name.lower()),
}


@dataclass(frozen=True)
class PainFlag:
    """An open pain flag: reported at or over the catalog's pain_regress_at, not resolved."""

    id: int
    score: int
    where: str
    date: date
    session_id: int | None


@dataclass(frozen=True)
class Need:
    """One highlight on the overview: `kind` picks its colour, `text` is the pill."""

    kind: str
    text: str
    session_id: int | None = None


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
    last_session_id: int | None = None
    # The worst open flag: the highest score, then the most recent.
    pain: PainFlag | None = None
    low_compliance: bool = False
    # The last day of the latest published plan; None when no plan was ever published.
    plan_until: date | None = None
    has_plan: bool = False
    invited: date | None = None
    # The first week whose running minutes jump (running_plan.running_load_jumps).
    load_jump: str | None = None
    needs: list[Need] = field(default_factory=list)
    need: int = NOTHING

    @property
    def need_rank(self) -> tuple[Any, ...]:
        """Pain by severity then recency; then the lowest compliance; then by name."""
        if self.pain is not None:
            return (PAIN, -self.pain.score, -self.pain.date.toordinal(), self.name.lower())
        if self.need == LOW_COMPLIANCE:
            return (LOW_COMPLIANCE, self.month_rate, self.name.lower())
        return (self.need, 0, self.name.lower())

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
    sort: str = "need",
    catalog: Catalog | None = None,
) -> list[OverviewRow]:
    """Every row of the coach's overview, ranked, each with its benchmark counts."""
    catalog = catalog or site_catalog()
    rows = ranked_rows(coach=coach, today=today, group=group, sort=sort, catalog=catalog)
    add_benchmarks(rows, today, catalog)
    return rows


def overview_page(
    *,
    coach: Coach,
    today: date,
    page: str | None,
    group: str | None = None,
    sort: str = "need",
    catalog: Catalog | None = None,
) -> Page[OverviewRow]:
    """One page of the ranked overview: ranking needs every row's figures (a few grouped
    queries), but only the rows shown are judged against the standards and rendered, so a
    squad of 300 costs about what a squad of 50 does."""
    catalog = catalog or site_catalog()
    rows = ranked_rows(coach=coach, today=today, group=group, sort=sort, catalog=catalog)
    shown = Paginator(rows, OVERVIEW_PAGE).get_page(page)
    add_benchmarks(list(shown.object_list), today, catalog)
    return shown


def ranked_rows(
    *,
    coach: Coach,
    today: date,
    group: str | None = None,
    sort: str = "need",
    catalog: Catalog | None = None,
) -> list[OverviewRow]:
    """Rows for every athlete the coach owns, ranked by need unless another sort is asked:
    open pain flags by severity then recency, then low four-week compliance, then no plan,
    then a pending invitation. What counts as a flag and as low compliance is the catalog's
    (rules.progression.pain_regress_at, rules.review.low_compliance_below).

    Each figure is one query over the coach's athletes, so the page costs the same
    handful of queries for 10 athletes or 300, and each query is a single pass.
    """
    catalog = catalog or site_catalog()
    week_start = today - timedelta(days=today.weekday())
    month_start = today - timedelta(days=27)
    published = PlannedSession.objects.filter(plan__published_at__isnull=False)
    done = Q(log__status="done")
    last_done = published.filter(athlete=OuterRef("pk"), date__lte=today).filter(done)
    athletes = (
        Athlete.objects.filter(squad__coach=coach)
        .select_related("squad")
        # Not the profile's JSON lists: decoding five of them per athlete was a third of
        # the rows' cost for a squad of 300.
        .only("name", "event_group", "body_mass_kg", "squad__name")
        .annotate(
            last_session_id=Subquery(last_done.order_by("-date", "-pk").values("pk")[:1]),
            last_session=Subquery(last_done.order_by("-date", "-pk").values("date")[:1]),
        )
    )
    if group:
        athletes = athletes.filter(event_group=group)
    mine = Athlete.objects.filter(squad__coach=coach)
    if group:
        mine = mine.filter(event_group=group)
    mine_ids = mine.values("pk")
    sessions = published.filter(athlete__in=mine_ids, date__lte=today)
    # Due so far: every session before today, and today's once it is logged. The four-week
    # column and the low-compliance pill count the same sessions.
    due = Q(date__lt=today) | Q(date=today, log__isnull=False)
    compliance = _by_athlete(
        sessions.filter(date__gte=month_start),
        month_planned=Count("pk", filter=due),
        month_done=Count("pk", filter=due & done),
        week_planned=Count("pk", filter=Q(date__gte=week_start)),
        week_done=Count("pk", filter=Q(date__gte=week_start) & done),
    )
    flags = _open_flags(mine_ids, catalog.rules.progression.pain_regress_at)
    races = _by_athlete(
        Race.objects.filter(athlete__in=mine_ids, date__gte=today),
        next_race=Min("date"),
        next_a_race=Min("date", filter=Q(priority="A")),
    )
    plans: dict[int, date] = {}
    for athlete_id, start, weeks in Plan.objects.filter(
        athlete__in=mine_ids, published_at__isnull=False
    ).values_list("athlete_id", "season_start", "weeks"):
        until = start + timedelta(days=7 * weeks - 1)
        plans[athlete_id] = max(until, plans.get(athlete_id, until))
    invited = dict(
        Invitation.objects.filter(
            athlete__in=mine_ids, used_at__isnull=True, athlete__user__isnull=True
        ).values_list("athlete_id", "created_at")
    )
    low_below = catalog.rules.review.low_compliance_below
    jumps = running_load_jumps(athletes, catalog, today)
    rows = {}
    for athlete in athletes:
        figures = compliance.get(athlete.pk, {})
        found = flags.get(athlete.pk, [])
        row = OverviewRow(
            id=athlete.pk,
            name=athlete.name,
            event_group=athlete.event_group,
            squad=athlete.squad.name,
            week_done=figures.get("week_done", 0),
            week_planned=figures.get("week_planned", 0),
            month_done=figures.get("month_done", 0),
            month_planned=figures.get("month_planned", 0),
            last_session=athlete.last_session,
            last_session_id=athlete.last_session_id,
            open_flags=len(found),
            pain=found[0] if found else None,
            next_race=races.get(athlete.pk, {}).get("next_race"),
            next_a_race=races.get(athlete.pk, {}).get("next_a_race"),
            body_mass_kg=athlete.body_mass_kg,
            plan_until=plans.get(athlete.pk),
            invited=timezone.localdate(invited[athlete.pk]) if athlete.pk in invited else None,
            load_jump=jumps[athlete.pk][0].reason.text if athlete.pk in jumps else None,
        )
        _add_needs(row, today=today, low_below=low_below)
        rows[athlete.pk] = row
    return sorted(rows.values(), key=SORTS.get(sort, SORTS["need"]))


def _open_flags(athletes: QuerySet[Any], threshold: int) -> dict[int, list[PainFlag]]:
    """Each athlete's open pain flags, the worst first (highest score, then most recent).
    One query: open flags are few, as the coach resolves them."""
    found: dict[int, list[PainFlag]] = {}
    for report in (
        PainReport.objects.filter(
            athlete__in=athletes, resolved_at__isnull=True, score__gte=threshold
        )
        .named()
        .order_by("-score", "-date", "-pk")
        .only("pk", "athlete_id", "score", "exercise", "area", "side", "where", "date", "session")
    ):
        found.setdefault(report.athlete_id, []).append(
            PainFlag(report.pk, report.score, report.about, report.date, report.session_id)
        )
    return found


def _add_needs(row: OverviewRow, *, today: date, low_below: float) -> None:
    """The row's highlights, most urgent first, and the rank of the first."""
    needs: list[tuple[int, Need]] = []
    if row.pain is not None:
        where = f" {row.pain.where}" if row.pain.where else ""
        more = f" (+{row.open_flags - 1})" if row.open_flags > 1 else ""
        text = f"Pain {row.pain.score}/10{where} · {age_text(row.pain.date, today)}{more}"
        needs.append((PAIN, Need("pain", text, row.pain.session_id)))
    rate = row.month_rate
    row.low_compliance = rate is not None and rate < low_below
    if row.low_compliance:
        text = f"Low compliance {round(100 * (rate or 0))} % ({row.month_done}/{row.month_planned})"
        needs.append((LOW_COMPLIANCE, Need("compliance", text)))
    if row.load_jump is not None:
        needs.append((LOAD_JUMP, Need("load", f"Running load jumps · {row.load_jump}")))
    row.has_plan = row.plan_until is not None and row.plan_until >= today
    if not row.has_plan:
        text = (
            "No plan" if row.plan_until is None else f"Plan ended {age_text(row.plan_until, today)}"
        )
        needs.append((NO_PLAN, Need("no-plan", text)))
    if row.invited is not None:
        needs.append(
            (INVITED, Need("invited", f"Invitation pending · sent {age_text(row.invited, today)}"))
        )
    row.needs = [need for _, need in needs]
    row.need = needs[0][0] if needs else NOTHING


def add_benchmarks(rows: list[OverviewRow], today: date, catalog: Catalog) -> None:
    """Count each row's latest verdicts by status (met, close, below, in that order)."""
    by_id = {row.id: row for row in rows}
    athletes = {row.id: (row.event_group, row.body_mass_kg) for row in rows}
    counts: dict[int, Counter[str]] = {row.id: Counter() for row in rows}
    for (athlete_id, _), judged in latest_verdicts(
        athletes=athletes, today=today, catalog=catalog
    ).items():
        counts[athlete_id][judged.verdict.status] += 1
    for athlete_id, counted in counts.items():
        by_id[athlete_id].benchmarks = {
            status: counted[status] for status in STATUSES if counted[status]
        }
