"""Benchmark verdicts against group standards [B1, B5, B7]."""

from __future__ import annotations

import pytest

from runstrong.engine.benchmarks import BenchmarkResult, evaluate, standard_for
from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import ProfileError


@pytest.mark.parametrize(
    ("left", "right", "status"),
    [
        (28, 28, "met"),  # the 5 km standard is 28
        (30, 29, "met"),
        (26, 27, "close"),  # within 10 % below
        (25.2, 26, "close"),  # exactly 10 % below
        (25, 30, "below"),
    ],
)
def test_per_leg_standard_is_judged_on_the_weaker_leg(
    catalog: Catalog, left: float, right: float, status: str
) -> None:
    standard = standard_for(catalog, catalog.group("5k"), "heel-raise")
    verdict = evaluate(BenchmarkResult("heel-raise", left=left, right=right), standard, 60)
    assert verdict.status == status
    assert verdict.value == min(left, right)


def test_asymmetry_over_ten_percent_is_flagged(catalog: Catalog) -> None:
    standard = standard_for(catalog, catalog.group("800-1500m"), "heel-raise")
    even = evaluate(BenchmarkResult("heel-raise", left=27, right=30), standard, 60)
    uneven = evaluate(BenchmarkResult("heel-raise", left=26, right=30), standard, 60)
    assert not even.asymmetry_flag
    assert even.asymmetry_pct == 10.0
    assert uneven.asymmetry_flag
    assert uneven.asymmetry_pct == 13.3
    assert {"B1", "B5"} <= set(uneven.rule_keys)


def test_load_standards_are_relative_to_body_mass(catalog: Catalog) -> None:
    standard = standard_for(catalog, catalog.group("800-1500m"), "goblet-single-leg-squat")
    assert standard.target == 0.25
    assert standard.weak
    light = evaluate(BenchmarkResult(standard.movement, left=16, right=16), standard, 64)
    heavy = evaluate(BenchmarkResult(standard.movement, left=16, right=16), standard, 80)
    assert light.status == "met"
    assert light.value == 0.25
    assert heavy.status == "below"
    assert heavy.value == 0.2
    assert "weak evidence" in heavy.reasons[0].text


def test_one_sided_movement_takes_one_value(catalog: Catalog) -> None:
    standard = standard_for(catalog, catalog.group("10k"), "glute-ham-hold")
    verdict = evaluate(BenchmarkResult("glute-ham-hold", value=170), standard, 60)
    assert verdict.status == "close"
    assert verdict.asymmetry_pct is None
    assert "B3" in verdict.rule_keys


def test_missing_side_is_refused_with_the_field(catalog: Catalog) -> None:
    standard = standard_for(catalog, catalog.group("5k"), "side-plank")
    with pytest.raises(ProfileError, match="left/right"):
        evaluate(BenchmarkResult("side-plank", left=60), standard, 60)


def test_unknown_movement_names_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(ProfileError, match="heel-raise"):
        standard_for(catalog, catalog.group("5k"), "deadlift")
