from __future__ import annotations

from datetime import date, timedelta

import pytest

from runstrong.engine.benchmarks import entry_problem
from runstrong.engine.catalog import Catalog
from runstrong.engine.placement import run_clash
from runstrong.engine.profile import WEEKDAYS
from runstrong.engine.testdays import (
    Calendar,
    GroupSuggestion,
    benchmarks_and_screens,
    check_test_day,
    default_test_movements,
    group_suggestion,
)
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


def test_a_test_day_keeps_the_catalogs_gap_from_planned_strength_sessions(
    catalog: Catalog,
) -> None:
    """S11: a test day tires the legs like a session, so it keeps the sessions' 48 h spacing."""
    gap = catalog.rules.placement.min_gap_days
    runner = athlete(hard_run_days=[])
    thursday = MONDAY + timedelta(days=3)
    sessions = frozenset({thursday})
    on_it = check_test_day(thursday, runner, frozenset(), sessions, gap)
    assert not on_it.ok
    assert on_it.reason.text == "A strength session is planned that day."
    day_after = check_test_day(thursday + timedelta(days=1), runner, frozenset(), sessions, gap)
    assert not day_after.ok
    assert "48 h" in day_after.reason.text
    assert day_after.suggestion == thursday + timedelta(days=gap)
    assert check_test_day(thursday + timedelta(days=gap), runner, frozenset(), sessions, gap).ok


def test_the_group_suggestion_is_the_first_day_that_suits_everyone_else_the_most() -> None:
    tuesday = athlete(hard_run_days=["tue"])
    wednesday = athlete(hard_run_days=["wed"])
    both = [Calendar(tuesday), Calendar(wednesday)]
    # Monday is the day before Tuesday's hard run; Wednesday suits both.
    found = group_suggestion(MONDAY - timedelta(days=1), both)
    assert found == GroupSuggestion(MONDAY + timedelta(days=2), 2, 2)
    # Every day is the day before someone's hard run: the first day that suits the most.
    every_day = [Calendar(athlete(hard_run_days=[day])) for day in WEEKDAYS]
    best = group_suggestion(MONDAY, every_day)
    assert best is not None
    assert (best.day, best.suits, best.of) == (MONDAY + timedelta(days=1), 6, 7)


def test_test_days_and_strength_sessions_share_one_day_rule() -> None:
    """The engine states 'not the day before a hard run or a race, nor on a race day' once."""
    hard = {WEEKDAYS.index("wed")}
    assert run_clash(MONDAY + timedelta(days=1), hard, frozenset()) == "before-hard"
    assert run_clash(MONDAY, hard, frozenset({MONDAY})) == "race"
    assert run_clash(MONDAY, hard, frozenset({MONDAY + timedelta(days=1)})) == "before-race"
    assert run_clash(MONDAY + timedelta(days=2), hard, frozenset()) is None


@pytest.mark.parametrize(
    ("slug", "value", "refused"),
    [
        ("glute-ham-hold", 5000, True),
        ("glute-ham-hold", 240, False),
        ("glute-ham-hold", -1, True),
        ("heel-raise", 0, False),
        ("spanish-squat-goblet", 500, True),
    ],
)
def test_implausible_entries_are_named_with_the_catalogs_bound(
    catalog: Catalog, slug: str, value: float, refused: bool
) -> None:
    movement = catalog.movement(slug)
    problem = entry_problem(catalog, movement, value)
    assert (problem is not None) is refused
    if problem and value > 0:
        assert f"{catalog.benchmarking.entry_max[movement.measure]:g}" in problem
