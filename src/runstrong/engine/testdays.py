"""Test days: where one may fall for an athlete (like a hard session, never the day before a
hard run or a race, nor on a race day [S11]) and which tests it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from runstrong.engine.catalog import Catalog, Movement
from runstrong.engine.model import Reason
from runstrong.engine.profile import WEEKDAYS, Athlete

SEARCH_DAYS = 7


@dataclass(frozen=True, slots=True)
class TestDayCheck:
    day: date
    ok: bool
    reason: Reason
    suggestion: date | None = None


def check_test_day(day: date, athlete: Athlete, race_days: frozenset[date]) -> TestDayCheck:
    """Whether `day` suits this athlete, and if not the next day within a week that does."""
    problem = _problem(day, athlete, race_days)
    if problem is None:
        return TestDayCheck(day, True, Reason("Fits: not before a hard run or race.", ("S11",)))
    suggestion = next(
        (
            later
            for later in (day + timedelta(days=n) for n in range(1, SEARCH_DAYS + 1))
            if _problem(later, athlete, race_days) is None
        ),
        None,
    )
    return TestDayCheck(day, False, problem, suggestion)


def _problem(day: date, athlete: Athlete, race_days: frozenset[date]) -> Reason | None:
    tomorrow = day + timedelta(days=1)
    if day in race_days:
        return Reason("A race day: test another day.", ("S11",))
    if tomorrow in race_days:
        return Reason("The day before a race: testing would tire the legs.", ("S11",))
    if WEEKDAYS[tomorrow.weekday()] in athlete.hard_run_days:
        return Reason("The day before a hard run: testing would tire the legs.", ("S11",))
    return None


def benchmarks_and_screens(catalog: Catalog) -> tuple[tuple[Movement, ...], tuple[Movement, ...]]:
    """The benchmarks a test day can hold, and apart from them the optional screens."""
    benchmarks = tuple(m for m in catalog.movements if not m.screen)
    screens = tuple(m for m in catalog.movements if m.screen)
    return benchmarks, screens


def default_test_movements(catalog: Catalog) -> tuple[str, ...]:
    """What a new test day starts with: each exercise's own benchmark, in exercise order [B7].

    Screens are left for the coach to add; a catalog without exercise benchmarks starts with
    all of its benchmarks.
    """
    order = {exercise.slug: index for index, exercise in enumerate(catalog.exercises)}
    own = [m for m in catalog.movements if m.exercise is not None and not m.screen]
    own.sort(key=lambda m: order[m.exercise or ""])
    return tuple(m.slug for m in own) or tuple(m.slug for m in benchmarks_and_screens(catalog)[0])
