"""Test days: schedule them clear of hard runs and races, then enter results in one grid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from runstrong.engine.catalog import Catalog, Movement
from runstrong.engine.testdays import TestDayCheck, check_test_day
from runstrong.web.coaching.convert import athlete_to_engine
from runstrong.web.coaching.models import Athlete, BenchmarkResult, Race, Squad, TestDay

MAX_VALUE = 10000.0


def test_day_athletes(test_day: TestDay) -> list[Athlete]:
    athletes = Athlete.objects.filter(squad=test_day.squad).order_by("event_group", "name")
    if test_day.event_group:
        athletes = athletes.filter(event_group=test_day.event_group)
    return list(athletes)


def test_day_checks(*, athletes: list[Athlete], day: date) -> dict[int, TestDayCheck]:
    """Each athlete's verdict on the date; one query for everyone's races."""
    races: dict[int, set[date]] = {}
    for athlete_id, race_day in Race.objects.filter(athlete__in=athletes).values_list(
        "athlete_id", "date"
    ):
        races.setdefault(athlete_id, set()).add(race_day)
    return {
        athlete.pk: check_test_day(
            day, athlete_to_engine(athlete), frozenset(races.get(athlete.pk, ()))
        )
        for athlete in athletes
    }


def test_day_create(*, squad: Squad, day: date, event_group: str, movements: list[str]) -> TestDay:
    return TestDay.objects.create(
        squad=squad, date=day, event_group=event_group, movements=movements
    )


@dataclass
class GridCell:
    athlete: Athlete
    movement: Movement
    names: tuple[str, ...]
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


def grid_cells(
    test_day: TestDay, catalog: Catalog, data: dict[str, Any] | None
) -> list[list[GridCell]]:
    """Rows of cells, each with what was typed (or what is saved) and its errors."""
    saved = {
        (r.athlete_id, r.movement): r for r in BenchmarkResult.objects.filter(test_day=test_day)
    }
    rows = []
    for athlete in test_day_athletes(test_day):
        row = []
        for slug in test_day.movements:
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
            row.append(GridCell(athlete, movement, names, values))
        rows.append(row)
    return rows


def grid_save(*, test_day: TestDay, rows: list[list[GridCell]]) -> int:
    """Save every complete, valid cell; mark the others with errors. Returns cells saved."""
    saved = 0
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
                    if not 0 <= number <= MAX_VALUE:
                        cell.errors.append(f"{number:g} is outside 0–{MAX_VALUE:g}")
                        continue
                    numbers[name.rsplit("-", 1)[1]] = number
                if cell.errors or not numbers:
                    continue
                if cell.movement.per_side and len(numbers) == 1:
                    cell.errors.append("enter both legs")
                    continue
                BenchmarkResult.objects.update_or_create(
                    athlete=cell.athlete,
                    movement=cell.movement.slug,
                    test_day=test_day,
                    defaults={
                        "date": test_day.date,
                        "value": numbers.get("value"),
                        "left": numbers.get("left"),
                        "right": numbers.get("right"),
                    },
                )
                saved += 1
    return saved
