"""What an athlete sees beyond today: history, the weeks ahead, test results, races, and the
latest change to each exercise. Every function takes the signed-in athlete's own record
(access.athlete_of), so nothing here can reach another athlete's data."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from runstrong.engine.benchmarks import (
    ENTRY_UNITS,
    UNITS,
    GroupStandard,
    Verdict,
    evaluate,
    standard_for,
)
from runstrong.engine.benchmarks import BenchmarkResult as EngineResult
from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import RunstrongError
from runstrong.web.coaching.models import (
    Athlete,
    BenchmarkResult,
    PainReport,
    PlanChange,
    PlannedItem,
    PlannedSession,
    Race,
    SessionLog,
    TestDay,
)
from runstrong.web.coaching.session_rows import EDIT_DAYS, logged_keys
from runstrong.web.coaching.session_view import set_slots

# How far ahead the athlete sees their sessions and doses.
UPCOMING_WEEKS = 4
# Plan changes read back to find each exercise's latest one (a season writes a few hundred).
CHANGES_SCANNED = 400


def published_sessions(athlete: Athlete) -> QuerySet[PlannedSession]:
    """The athlete's sessions in published plans (superseded ones are hidden by the manager)."""
    return PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)


def with_items(sessions: QuerySet[PlannedSession]) -> QuerySet[PlannedSession]:
    return sessions.select_related("log").prefetch_related(
        Prefetch(
            "items",
            queryset=PlannedItem.objects.select_related("text").prefetch_related("set_logs"),
        )
    )


def editable(session: PlannedSession, today: date) -> bool:
    """Still open to logging or changing: no more than EDIT_DAYS after its date."""
    return session.date >= today - timedelta(days=EDIT_DAYS)


# --- History: each past session, planned against done --------------------------------------


@dataclass(frozen=True)
class DoneSet:
    number: int
    side: str
    planned: float
    done: float | None
    planned_load: float | None
    load_kg: float | None

    @property
    def short(self) -> bool:
        return self.done is None or self.done < self.planned


@dataclass(frozen=True)
class ItemDone:
    """One exercise of a past session: the dose that was planned and each set as logged."""

    item: PlannedItem
    sets: list[DoneSet]

    @property
    def planned_count(self) -> int:
        return len(self.sets)

    @property
    def done_count(self) -> int:
        return sum(1 for entry in self.sets if entry.done is not None)

    @property
    def done_parts(self) -> list[tuple[str, bool]]:
        """Each logged set as `12`, or `12/11` (left/right) for a per-side exercise, with a
        load that differs from the plan after it; True where the set fell short."""
        parts: dict[int, list[DoneSet]] = {}
        for entry in self.sets:
            if entry.done is not None:
                parts.setdefault(entry.number, []).append(entry)
        texts = []
        for entries in parts.values():
            text = "/".join(f"{entry.done:g}" for entry in entries)
            loads = {entry.load_kg for entry in entries} - {entries[0].planned_load}
            if loads:
                load = loads.pop()
                text += f" ({load:g} kg)" if load else " (bodyweight)"
            texts.append((text, any(entry.short for entry in entries)))
        return texts

    @property
    def sets_missing(self) -> int:
        """Sets (a per-side set counts once) with nothing logged."""
        return len({entry.number for entry in self.sets if entry.done is None})

    @property
    def done_unit(self) -> str:
        return f"{self.item.unit} (left/right)" if self.item.per_side else self.item.unit

    @property
    def done_text(self) -> str:
        """`12 · 12 · 10 reps` or `30/28 · 30/30 s (left/right)`; `not logged` when no set was."""
        if not self.done_count:
            return "not logged"
        return " · ".join(text for text, _ in self.done_parts) + f" {self.done_unit}"


def items_done(session: PlannedSession) -> list[ItemDone]:
    rows = []
    for item in session.items.all():
        logged = {(entry.set_number, entry.side): entry for entry in item.set_logs.all()}
        sets = [
            DoneSet(
                number=number,
                side=side,
                planned=item.target,
                done=entry.done if entry else None,
                planned_load=item.load_kg,
                load_kg=entry.load_kg if entry else None,
            )
            for number, side, entry in set_slots(item, logged)
        ]
        rows.append(ItemDone(item, sets))
    return rows


@dataclass(frozen=True)
class PastSession:
    session: PlannedSession
    log: SessionLog | None
    items: list[ItemDone]
    editable: bool

    @property
    def open_until(self) -> date:
        return self.session.date + timedelta(days=EDIT_DAYS)

    @property
    def status(self) -> str:
        """done, missed, started (some sets, not finished) or not logged."""
        if self.log is not None:
            return self.log.status
        return "started" if any(row.done_count for row in self.items) else "not logged"

    @property
    def sets_done(self) -> int:
        return sum(row.done_count for row in self.items)

    @property
    def sets_planned(self) -> int:
        return sum(row.planned_count for row in self.items)

    @functools.cached_property
    def pains(self) -> list[PainReport]:
        """Pain reported in this session, the worst first (a query: the detail page only)."""
        return list(
            PainReport.objects.filter(session=self.session).named().order_by("-score", "pk")
        )

    @property
    def changes(self) -> list[dict[str, Any]]:
        """What this session changed for the next one, as the athlete was told."""
        return list(self.log.outcome) if self.log is not None else []


def history_sessions(athlete: Athlete, today: date) -> QuerySet[PlannedSession]:
    """Past sessions and any session already logged (early ones too), newest first."""
    early = logged_keys(published_sessions(athlete).filter(date__gte=today))
    return (
        published_sessions(athlete)
        .filter(Q(date__lt=today) | Q(pk__in=[pk for pk, _, _ in early]))
        .order_by("-date")
    )


def past_session(session: PlannedSession, today: date) -> PastSession:
    log = getattr(session, "log", None)
    # Missed, or done and told: what was logged stays, so there is nothing left to log.
    finished = log is not None and not log.by_last_set
    return PastSession(
        session=session,
        log=log,
        items=items_done(session),
        editable=editable(session, today) and not finished,
    )


# --- The weeks ahead -------------------------------------------------------------------------


@dataclass
class UpcomingWeek:
    monday: date
    sessions: list[PlannedSession] = field(default_factory=list)
    races: list[Race] = field(default_factory=list)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def upcoming_weeks(
    athlete: Athlete, today: date, weeks: int = UPCOMING_WEEKS
) -> list[UpcomingWeek]:
    """This week and the next ones: each session from today on with its doses, and races."""
    monday = today - timedelta(days=today.weekday())
    end = monday + timedelta(weeks=weeks)
    by_week = {
        monday + timedelta(weeks=n): UpcomingWeek(monday + timedelta(weeks=n)) for n in range(weeks)
    }
    sessions = with_items(published_sessions(athlete).filter(date__gte=today, date__lt=end))
    for session in sessions.order_by("date"):
        by_week[session.date - timedelta(days=session.date.weekday())].sessions.append(session)
    for race in athlete.races.filter(date__gte=today, date__lt=end):
        by_week[race.date - timedelta(days=race.date.weekday())].races.append(race)
    return list(by_week.values())


# --- The latest change to each exercise ------------------------------------------------------


@dataclass(frozen=True)
class ExerciseChange:
    """The latest plan change to one exercise, laid out for a phone: the day once, then the
    dose before and after."""

    name: str
    change: PlanChange

    @property
    def day(self) -> str:
        return self._split(self.change.after or self.change.before)[0]

    @property
    def before(self) -> str:
        return self._split(self.change.before)[1]

    @property
    def after(self) -> str:
        return self._split(self.change.after)[1]

    @staticmethod
    def _split(text: str) -> tuple[str, str]:
        # replanning.py writes "<day>: <dose>"; a coach's edit (plans.py) only the dose.
        day, sep, dose = text.partition(": ")
        return (day, dose) if sep else ("", text)


def latest_changes(athlete: Athlete, names: Iterable[str], today: date) -> list[ExerciseChange]:
    """For each exercise named, the newest plan change that still lies ahead (a dose for a
    session from today on): what changes next time, kept across reloads."""
    wanted = list(dict.fromkeys(names))
    found: dict[str, PlanChange] = {}
    changes = athlete.plan_changes.filter(
        Q(session_date__gte=today) | Q(session_date__isnull=True)
    )[:CHANGES_SCANNED]
    for change in changes:
        for name in wanted:
            if name not in found and _about(change, name):
                found[name] = change
        if len(found) == len(wanted):
            break
    return [ExerciseChange(name, found[name]) for name in wanted if name in found]


def _about(change: PlanChange, name: str) -> bool:
    # replanning.py writes "<name>, next session" and "<name> left out"; a coach's edit
    # (plans.py) "<name>, <day>".
    return change.what.startswith(f"{name},") or change.what == f"{name} left out"


# --- Test results against the group's standard -----------------------------------------------


@dataclass(frozen=True)
class JudgedResult:
    result: BenchmarkResult
    verdict: Verdict | None
    problem: str = ""

    @property
    def raw(self) -> str:
        r = self.result
        if r.value is not None:
            return f"{r.value:g}"
        if r.left is not None and r.right is not None:
            return f"left {r.left:g} · right {r.right:g}"
        return "—"


@dataclass(frozen=True)
class MovementResults:
    slug: str
    name: str
    standard: GroupStandard | None
    # What the tester writes down (kg for a load test, cm a leg for a symmetry test) and, when
    # the standard judges something else (load per kg, symmetry), the unit of that.
    entry_unit: str
    judged_unit: str
    results: list[JudgedResult]

    @property
    def unit(self) -> str:
        if self.standard is None:
            return self.entry_unit
        side = self.standard.per_side and self.standard.measure != "symmetry_pct"
        return self.judged_unit + (" per side" if side else "")

    @property
    def converted(self) -> bool:
        """The judged value is not what was written down (load per kg, symmetry)."""
        return self.standard is not None and self.standard.measure in ("kg_per_kg", "symmetry_pct")

    @property
    def latest(self) -> JudgedResult | None:
        return self.results[0] if self.results else None


def benchmark_results(athlete: Athlete, catalog: Catalog) -> list[MovementResults]:
    """Each movement with a standard for the athlete's group, judged on the figure for their
    sex where a source gives one (the club's own target where it set one: pass
    standards.club_catalog); optional screens and other movements only once tested. Newest
    result first."""
    group = catalog.group(athlete.event_group)
    results: dict[str, list[BenchmarkResult]] = {}
    for result in BenchmarkResult.objects.filter(athlete=athlete).order_by("-date", "-pk"):
        results.setdefault(result.movement, []).append(result)
    slugs = [standard.movement for standard in group.standards]
    slugs += [slug for slug in results if slug not in slugs]
    rows = []
    for slug in slugs:
        try:
            movement = catalog.movement(slug)
        except KeyError:
            continue
        if (movement.screen or slug not in {s.movement for s in group.standards}) and (
            slug not in results
        ):
            continue
        try:
            standard: GroupStandard | None = standard_for(catalog, group, slug, athlete.sex)
        except RunstrongError:
            standard = None
        judged = []
        for result in results.get(slug, []):
            if standard is None:
                judged.append(JudgedResult(result, None, f"no {group.name} standard"))
                continue
            try:
                verdict = evaluate(
                    EngineResult(slug, result.value, result.left, result.right),
                    standard,
                    athlete.body_mass_kg,
                )
            except RunstrongError as error:
                judged.append(JudgedResult(result, None, str(error)))
            else:
                judged.append(JudgedResult(result, verdict))
        rows.append(
            MovementResults(
                slug=slug,
                name=standard.movement_name if standard else movement.name,
                standard=standard,
                entry_unit=ENTRY_UNITS[movement.measure],
                judged_unit=UNITS[movement.measure].strip(),
                results=judged,
            )
        )
    return rows


def next_test_days(athlete: Athlete, today: date) -> list[TestDay]:
    return list(
        TestDay.objects.filter(squad_id=athlete.squad_id, date__gte=today)
        .filter(Q(event_group="") | Q(event_group=athlete.event_group))
        .order_by("date")[:3]
    )


# --- Races -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceView:
    race: Race
    days_to_go: int
    taper_from: date | None


def races(athlete: Athlete, today: date) -> tuple[list[RaceView], list[Race]]:
    """Races to come (with the day the taper starts, from the published plan) and past ones."""
    all_races = list(athlete.races.order_by("date"))
    coming = [race for race in all_races if race.date >= today]
    past = [race for race in reversed(all_races) if race.date < today]
    taper_days = list(
        published_sessions(athlete)
        .filter(phase="taper", date__gte=today)
        .order_by("date")
        .values_list("date", flat=True)
    )
    views = []
    previous = today - timedelta(days=1)
    for race in coming:
        start = next((day for day in taper_days if previous < day <= race.date), None)
        views.append(RaceView(race, (race.date - today).days, start))
        previous = race.date
    return views, past
