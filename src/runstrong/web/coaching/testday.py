"""Test days: schedule them clear of hard runs and races, then enter results in one grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from runstrong.engine.benchmarks import (
    ENTRY_UNITS,
    SEX_WORDS,
    UNITS,
    entry_problem,
    standard_for,
    standards_by_sex,
)
from runstrong.engine.catalog import Catalog, Movement
from runstrong.engine.errors import ProfileError
from runstrong.engine.testdays import (
    SEARCH_DAYS,
    Calendar,
    GroupSuggestion,
    TestDayCheck,
    benchmarks_and_screens,
    check_test_day,
    group_suggestion,
)
from runstrong.engine.wording import count, weekday_date
from runstrong.web.coaching.convert import athlete_to_engine
from runstrong.web.coaching.models import (
    Athlete,
    BenchmarkResult,
    PlannedSession,
    Race,
    Squad,
    TestDay,
)
from runstrong.web.coaching.verdicts import Judged


def test_day_squad(test_day: TestDay) -> QuerySet[Athlete]:
    """The athletes a test day is for, in the grid's order."""
    athletes = Athlete.objects.filter(squad=test_day.squad).order_by("event_group", "name")
    if test_day.event_group:
        athletes = athletes.filter(event_group=test_day.event_group)
    return athletes


def test_day_athletes(test_day: TestDay) -> list[Athlete]:
    return list(test_day_squad(test_day))


def test_day_names(test_day: TestDay) -> list[str]:
    """The athletes' names in the grid's order: all a printed sheet needs."""
    return list(test_day_squad(test_day).values_list("name", flat=True))


def test_day_groups(test_day: TestDay) -> set[str]:
    """The event groups of the test day's athletes."""
    return set(test_day_squad(test_day).order_by().values_list("event_group", flat=True).distinct())


@dataclass
class DayChecks:
    """Each athlete's verdict on a date, and the day that suits the most of them instead."""

    checks: dict[int, TestDayCheck]
    conflicts: list[tuple[Athlete, TestDayCheck]]
    suggestion: GroupSuggestion | None


def test_day_checks(
    *, athletes: list[Athlete], day: date, catalog: Catalog, today: date
) -> DayChecks:
    """Each athlete's verdict on `day` (races, hard runs and planned strength sessions: one
    query each), and the next day from today that suits them all, or most of them."""
    gap = catalog.rules.placement.min_gap_days
    first = min(day, today) - timedelta(days=gap)
    last = max(day, today) + timedelta(days=SEARCH_DAYS + gap + 1)
    races: dict[int, set[date]] = defaultdict(set)
    for athlete_id, race_day in Race.objects.filter(
        athlete__in=athletes, date__range=(first, last)
    ).values_list("athlete_id", "date"):
        races[athlete_id].add(race_day)
    sessions: dict[int, set[date]] = defaultdict(set)
    for athlete_id, session_day in PlannedSession.objects.filter(
        athlete__in=athletes, plan__published_at__isnull=False, date__range=(first, last)
    ).values_list("athlete_id", "date"):
        sessions[athlete_id].add(session_day)
    calendars = {
        athlete.pk: Calendar(
            athlete_to_engine(athlete),
            frozenset(races[athlete.pk]),
            frozenset(sessions[athlete.pk]),
            gap,
        )
        for athlete in athletes
    }
    checks = {
        pk: check_test_day(
            day,
            calendar.athlete,
            calendar.race_days,
            calendar.session_days,
            calendar.gap_days,
            earliest=today,
        )
        for pk, calendar in calendars.items()
    }
    conflicts = [(a, checks[a.pk]) for a in athletes if not checks[a.pk].ok]
    suggestion = (
        group_suggestion(day, list(calendars.values()), earliest=today) if conflicts else None
    )
    if suggestion is not None and suggestion.suits <= len(athletes) - len(conflicts):
        suggestion = None  # no later day suits more of them than this one
    return DayChecks(checks, conflicts, suggestion)


def suggestion_words(suggestion: GroupSuggestion) -> str:
    """Why the suggested day: `clear of … for all 8 athletes` or `for 6 of 8 athletes`."""
    whom = (
        f"all {count(suggestion.of, 'athlete')}"
        if suggestion.suits == suggestion.of
        else f"{suggestion.suits} of {count(suggestion.of, 'athlete')}"
    )
    return f"clear of hard runs, races and strength sessions for {whom}"


def clash_words(checked: DayChecks) -> str:
    """What a day's checks come to, said after the coach chose it."""
    clash, everyone = len(checked.conflicts), len(checked.checks)
    if clash:
        # Named here: the clash card is shown only for days still to come.
        names = [athlete.name for athlete, _ in checked.conflicts]
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        return f"{clash} of {count(everyone, 'athlete')} still clash: {', '.join(names[:5])}{more}"
    return f"clear of hard runs, races and strength sessions for all {count(everyone, 'athlete')}"


def test_day_create(*, squad: Squad, day: date, event_group: str, movements: list[str]) -> TestDay:
    """A new test day; the same one submitted twice (a double click, a retry) is not doubled."""
    with transaction.atomic():
        Squad.objects.select_for_update().filter(pk=squad.pk).first()
        for same in TestDay.objects.filter(squad=squad, date=day, event_group=event_group):
            if same.movements == list(movements):
                return same
        return TestDay.objects.create(
            squad=squad, date=day, event_group=event_group, movements=movements
        )


def test_day_movement_choices(catalog: Catalog) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a test day may test, grouped: the benchmarks, then the optional screens."""
    benchmarks, screens = benchmarks_and_screens(catalog)
    choices = [("Benchmarks", [(m.slug, m.title) for m in benchmarks])]
    if screens:
        choices.append(("Optional screens", [(m.slug, m.title) for m in screens]))
    return choices


def test_day_schedule(
    *,
    squad: Squad,
    day: date,
    event_group: str,
    movements: list[str],
    catalog: Catalog,
    today: date,
    confirmed: bool,
) -> tuple[TestDay | None, DayChecks]:
    """Schedule a test day for the squad (or one event group of it) unless it clashes with
    an athlete's hard run, race or strength session and the coach has not confirmed it: then
    None and the checks, which name who clashes and a better day."""
    athletes = Athlete.objects.filter(squad=squad).order_by("event_group", "name")
    if event_group:
        athletes = athletes.filter(event_group=event_group)
    checked = test_day_checks(athletes=list(athletes), day=day, catalog=catalog, today=today)
    if checked.conflicts and not confirmed:
        return None, checked
    created = test_day_create(squad=squad, day=day, event_group=event_group, movements=movements)
    return created, checked


class MoveRefused(Exception):
    """A test day that cannot move: results are saved on it, or the day asked for is past."""


def test_day_move(*, test_day: TestDay, day: date, today: date) -> date:
    """Move a test day not yet held to `day`; returns the date it had. Moving it to the day it
    already has changes nothing, so a repeated submit is harmless."""
    with transaction.atomic():
        locked = TestDay.objects.select_for_update().get(pk=test_day.pk)
        before = locked.date
        if day == before:
            return before
        if day < today:
            raise MoveRefused(f"{weekday_date(day)} is past: a test day moves to today or later.")
        if BenchmarkResult.objects.filter(test_day=locked).exists():
            raise MoveRefused(
                "Results are saved on this test day, so it stays on its date; schedule a new "
                "test day for the athletes still to test."
            )
        locked.date = day
        locked.save(update_fields=["date"])
    test_day.date = day
    return before


def results_open(test_day: TestDay, today: date) -> bool:
    """Results count from the test day on: typed ahead of it they would be judged, charted and
    fed to progress before anyone tested."""
    return test_day.date <= today


@dataclass(frozen=True)
class Column:
    """A grid column: the movement, its entry unit and the group targets it is judged on."""

    movement: Movement
    unit: str
    targets: str
    most: float


def grid_columns(test_day: TestDay, catalog: Catalog, athlete_groups: set[str]) -> list[Column]:
    """The columns, each with the targets of the athletes' event groups."""
    groups = sorted(athlete_groups or {test_day.event_group} - {""})
    columns = []
    for slug in test_day.movements:
        movement = catalog.movement(slug)
        unit = UNITS[movement.measure].strip()
        figures = []
        for group_slug in groups:
            group = catalog.group(group_slug)
            try:
                standard = standard_for(catalog, group, slug)
            except ProfileError:
                continue
            by_sex = standards_by_sex(catalog, group, slug)
            own = sorted(
                {
                    f"{SEX_WORDS[sex]} {found.target:g}"
                    for sex, found in by_sex.items()
                    if found.for_sex
                }
            )
            figure = f"{standard.target:g}{' (' + ', '.join(own) + ')' if own else ''}"
            figures.append(figure if len(groups) == 1 else f"{group.name} {figure}")
        targets = f"target {' · '.join(figures)} {unit}" if figures else ""
        columns.append(
            Column(
                movement,
                ENTRY_UNITS[movement.measure],
                targets,
                catalog.benchmarking.entry_max[movement.measure],
            )
        )
    return columns


@dataclass(frozen=True)
class GridInput:
    """One box of the grid as the page shows it: its place for the arrow keys ("row" and
    "column-side") and what a screen reader announces."""

    name: str
    value: str
    row: str
    column: str
    label: str


@dataclass
class GridCell:
    athlete: Athlete
    movement: Movement
    names: tuple[str, ...]
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    unit: str = ""
    judged: Judged | None = None  # the athlete's latest verdict, for the page
    row: int = 0  # the cell's place on the page's grid
    column: int = 0

    @property
    def inputs(self) -> list[GridInput]:
        # Worked out here, not in the template: a page of the grid has hundreds of boxes, and
        # each attribute the template looks up costs more than the string it makes.
        sides = (" left", " right") if self.movement.per_side else ("",)
        return [
            GridInput(
                name,
                value,
                str(self.row),
                f"{self.column}-{index}",
                f"{self.athlete.name} {self.movement.name}{side}, {self.unit}",
            )
            for index, ((name, value), side) in enumerate(
                zip(self.values.items(), sides, strict=True)
            )
        ]


def grid_cells(
    test_day: TestDay,
    catalog: Catalog,
    data: dict[str, Any] | None,
    athletes: list[Athlete] | None = None,
) -> list[list[GridCell]]:
    """Rows of cells for these athletes (default: all of the test day's), each with what was
    typed (or what is saved) and its errors."""
    if athletes is None:
        athletes = test_day_athletes(test_day)
    saved = {
        (r.athlete_id, r.movement): r
        for r in BenchmarkResult.objects.filter(test_day=test_day, athlete__in=athletes)
    }
    rows = []
    for row_index, athlete in enumerate(athletes):
        row = []
        for column, slug in enumerate(test_day.movements):
            movement = catalog.movement(slug)
            sides = ("left", "right") if movement.per_side else ("value",)
            names = tuple(f"r-{athlete.pk}-{slug}-{side}" for side in sides)
            existing = saved.get((athlete.pk, slug))
            values = {}
            for side, name in zip(sides, names, strict=True):
                if data is not None:
                    values[name] = str(data.get(name, "")).strip()
                else:
                    number = getattr(existing, side) if existing else None
                    values[name] = "" if number is None else f"{number:g}"
            row.append(
                GridCell(
                    athlete,
                    movement,
                    names,
                    values,
                    unit=ENTRY_UNITS[movement.measure],
                    row=row_index,
                    column=column,
                )
            )
        rows.append(row)
    return rows


def grid_save(*, test_day: TestDay, rows: list[list[GridCell]], catalog: Catalog) -> int:
    """Save every complete, valid cell; mark the others with errors. Returns cells saved.

    The caller refuses a test day still to come (`results_open`) before getting here.
    """
    saved = 0
    existing = {
        (result.athlete_id, result.movement): result
        for result in BenchmarkResult.objects.filter(
            test_day=test_day, athlete__in=[row[0].athlete for row in rows if row]
        )
    }
    fresh: list[BenchmarkResult] = []
    changed: list[BenchmarkResult] = []
    with transaction.atomic():
        for row in rows:
            for cell in row:
                numbers = {}
                for name, raw in cell.values.items():
                    if raw == "":
                        continue
                    try:
                        number = float(raw.replace(",", "."))
                    except ValueError:
                        cell.errors.append(f"“{raw}” is not a number")
                        continue
                    problem = entry_problem(catalog, cell.movement, number)
                    if problem is not None:
                        cell.errors.append(problem)
                        continue
                    numbers[name.rsplit("-", 1)[1]] = number
                if cell.errors or not numbers:
                    continue
                if cell.movement.per_side and len(numbers) == 1:
                    cell.errors.append("enter both legs")
                    continue
                values = {
                    "date": test_day.date,
                    "value": numbers.get("value"),
                    "left": numbers.get("left"),
                    "right": numbers.get("right"),
                }
                found = existing.get((cell.athlete.pk, cell.movement.slug))
                if found is None:
                    fresh.append(
                        BenchmarkResult(
                            athlete=cell.athlete,
                            movement=cell.movement.slug,
                            test_day=test_day,
                            **values,
                        )
                    )
                else:
                    for name, value in values.items():
                        setattr(found, name, value)
                    changed.append(found)
                saved += 1
        # The whole grid in two statements, not two for each of a squad's cells.
        BenchmarkResult.objects.bulk_create(fresh)
        BenchmarkResult.objects.bulk_update(changed, ["date", "value", "left", "right"])
    return saved
