from __future__ import annotations

from datetime import date

import pytest

from runstrong.engine.catalog import Catalog
from runstrong.engine.testdays import benchmarks_and_screens, check_test_day, default_test_movements
from tests.engine.conftest import athlete

MONDAY = date(2027, 1, 4)


@pytest.mark.parametrize(
    ("day", "races", "ok", "suggestion"),
    [
        (MONDAY, (), False, date(2027, 1, 5)),  # the day before Tuesday's hard run
        (date(2027, 1, 5), (), True, None),  # Tuesday itself is fine (test after the run)
        (date(2027, 1, 5), (date(2027, 1, 6),), False, date(2027, 1, 7)),  # the day before a race
        (date(2027, 1, 6), (date(2027, 1, 6),), False, date(2027, 1, 7)),  # race day
    ],
)
def test_test_days_avoid_the_day_before_hard_runs_and_races(
    day: date, races: tuple[date, ...], ok: bool, suggestion: date | None
) -> None:
    runner = athlete(hard_run_days=["tue", "thu"])
    check = check_test_day(day, runner, frozenset(races))
    assert check.ok is ok
    assert check.suggestion == suggestion
    assert check.reason.keys == ("S11",)


def test_a_new_test_day_starts_with_each_exercises_own_benchmark(catalog: Catalog) -> None:
    """B7: the article's benchmarks are lifts on its own movements; screens are optional."""
    assert default_test_movements(catalog) == (
        "spanish-squat-goblet",
        "crouching-crawl-carry",
        "goblet-single-leg-squat",
        "glute-ham-row-timed",
    )
    benchmarks, screens = benchmarks_and_screens(catalog)
    assert [m.slug for m in screens] == ["hop-symmetry", "knee-to-wall"]
    assert not {m.slug for m in screens} & set(default_test_movements(catalog))
    assert len(benchmarks) + len(screens) == len(catalog.movements)
