"""What the coach reads about one session: each set done against its target, effort, pain,
the athlete's notes or why it was missed, and what the plan changed because of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from runstrong.engine.catalog import Catalog
from runstrong.web.coaching.models import PainReport, PlannedItem, PlannedSession, SetLog

SetStatus = Literal["met", "short", "open"]
SIDES = {"": "", "left": "L", "right": "R"}


@dataclass(frozen=True)
class SetLine:
    """One set as planned, and what was logged for it (None: not logged)."""

    number: int
    side: str
    target: float
    planned_load_kg: float | None
    done: float | None = None
    load_kg: float | None = None

    @property
    def label(self) -> str:
        return f"{self.number}{' ' + SIDES[self.side] if self.side else ''}"

    @property
    def status(self) -> SetStatus:
        if self.done is None:
            return "open"
        return "met" if self.done >= self.target else "short"

    @property
    def load_changed(self) -> bool:
        return self.done is not None and (self.load_kg or None) != (self.planned_load_kg or None)


@dataclass
class ItemLine:
    item: PlannedItem
    sets: list[SetLine] = field(default_factory=list)
    # Pain reported in this exercise, the worst first.
    pains: list[PainReport] = field(default_factory=list)

    @property
    def logged(self) -> int:
        return sum(1 for line in self.sets if line.done is not None)

    @property
    def met(self) -> int:
        return sum(1 for line in self.sets if line.status == "met")

    @property
    def planned(self) -> int:
        return sum(1 for line in self.sets if line.number <= self.item.sets)


@dataclass(frozen=True)
class PainLine:
    report: PainReport
    flag: bool  # at or over the catalog's threshold and not resolved

    @property
    def resolved(self) -> bool:
        return self.report.resolved_at is not None


@dataclass
class SessionView:
    session: PlannedSession
    status: str  # done, missed, in progress, not logged, planned
    items: list[ItemLine]
    pains: list[PainLine]
    pain_regress_at: int
    rir_targets: list[tuple[int, int]]
    changes: list[dict[str, Any]]
    previous: PlannedSession | None
    next: PlannedSession | None

    @property
    def log(self) -> Any:
        return getattr(self.session, "log", None)

    @property
    def sets_logged(self) -> int:
        return sum(line.logged for line in self.items)

    @property
    def sets_planned(self) -> int:
        return sum(line.planned for line in self.items)

    @property
    def sets_met(self) -> int:
        return sum(line.met for line in self.items)


def set_slots(
    item: PlannedItem, logged: dict[tuple[int, str], SetLog], *, extra: bool = False
) -> list[tuple[int, str, SetLog | None]]:
    """Each planned set of the item (left and right for a per-side one) with what was logged
    for it, in order; with `extra`, also sets logged beyond what is planned now."""
    sides = ("left", "right") if item.per_side else ("",)
    wanted = {(number, side) for number in range(1, item.sets + 1) for side in sides}
    keys = wanted | (set(logged) - wanted if extra else set())
    return [(number, side, logged.get((number, side))) for number, side in sorted(keys)]


def session_view(*, session: PlannedSession, catalog: Catalog, today: date) -> SessionView:
    """Everything the coach's session page shows, in a handful of queries."""
    session = (
        PlannedSession.objects.select_related("athlete__squad", "log")
        .prefetch_related("items")
        .get(pk=session.pk)
    )
    items = list(session.items.all())
    logged: dict[tuple[int, int, str], SetLog] = {
        (entry.item_id, entry.set_number, entry.side): entry
        for entry in SetLog.objects.filter(item__session=session)
    }
    lines = []
    for item in items:
        line = ItemLine(item)
        mine = {(n, side): entry for (i, n, side), entry in logged.items() if i == item.pk}
        # Sets logged beyond what is planned now (the coach cut the sets later) stay visible.
        for number, side, entry in set_slots(item, mine, extra=True):
            line.sets.append(
                SetLine(
                    number=number,
                    side=side,
                    target=item.target,
                    planned_load_kg=item.load_kg,
                    done=None if entry is None else entry.done,
                    load_kg=None if entry is None else entry.load_kg,
                )
            )
        lines.append(line)
    threshold = catalog.rules.progression.pain_regress_at
    reports = list(PainReport.objects.filter(session=session).named().order_by("-score", "pk"))
    pains = [
        PainLine(report, report.score >= threshold and report.resolved_at is None)
        for report in reports
    ]
    for line in lines:
        line.pains = [report for report in reports if report.exercise == line.item.exercise]
    siblings = PlannedSession.objects.filter(
        athlete_id=session.athlete_id, plan__published_at__isnull=False
    )
    log = getattr(session, "log", None)
    return SessionView(
        session=session,
        status=_status(session, log, logged_sets=bool(logged), today=today),
        items=lines,
        pains=pains,
        pain_regress_at=threshold,
        rir_targets=sorted({(item.rir_low, item.rir_high) for item in items}),
        changes=list(log.outcome) if log is not None else [],
        previous=siblings.filter(date__lt=session.date).order_by("-date", "-pk").first(),
        next=siblings.filter(date__gt=session.date).order_by("date", "pk").first(),
    )


def _status(session: PlannedSession, log: Any, *, logged_sets: bool, today: date) -> str:
    if log is not None:
        return str(log.status)
    if logged_sets:
        return "in progress"
    return "planned" if session.date >= today else "not logged"
