"""Progression from logged sets [S15–S18, M4, M5]: fixed inputs, one row per case."""

from __future__ import annotations

from dataclasses import replace

import pytest

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Item
from runstrong.engine.prescribe import prescription_for
from runstrong.engine.progression import LoggedSet, next_prescription

SIZES = (8.0, 12.0, 16.0)


def squat(catalog: Catalog, **fields: object) -> Item:
    return prescription_for(catalog, "single-leg-squat", kettlebells_kg=SIZES, **fields)  # type: ignore[arg-type]


def done(
    *values: float, rir: int | None = 2, pain: int = 0, load: float | None = None
) -> list[LoggedSet]:
    return [LoggedSet(v, load_kg=load, reps_in_reserve=rir, pain=pain) for v in values]


def test_a_missed_session_repeats(catalog: Catalog) -> None:
    before = squat(catalog, target=12)
    after = next_prescription(
        before, [], pain_regress_at=default_catalog().rules.progression.pain_regress_at
    )
    assert after.change == "repeat"
    assert after.prescription == before


@pytest.mark.parametrize(
    ("target", "load", "logged", "change", "next_target", "next_load"),
    [
        (10, None, (10, 10, 10), "progress", 12, None),  # double progression [S16]
        (14, None, (14, 14, 14), "progress", 15, None),  # capped at the top of the range
        (15, None, (15, 15, 15), "load-up", 10, 8),  # bodyweight -> lightest kettlebell [M4]
        (15, 8, (15, 15, 15), "load-up", 10, 12),  # next size the athlete has [S17]
        (15, 16, (15, 15, 15), "progress", 10, 16),  # no heavier bell: slower, back to 10
        (12, 8, (12, 12, 11), "hold", 12, 8),  # one set short: repeat
        (12, 8, (12, 12), "hold", 12, 8),  # a set missing: repeat
    ],
)
def test_double_progression(
    catalog: Catalog,
    target: float,
    load: float | None,
    logged: tuple[float, ...],
    change: str,
    next_target: float,
    next_load: float | None,
) -> None:
    before = squat(catalog, target=target, load_kg=load)
    after = next_prescription(
        before,
        done(*logged, load=load),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert after.change == change
    assert after.prescription.target == next_target
    assert after.prescription.load_kg == next_load
    assert after.reason.keys


def test_effort_below_two_reps_in_reserve_holds(catalog: Catalog) -> None:
    after = next_prescription(
        squat(catalog, target=12),
        done(12, 12, 12, rir=1),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert after.change == "hold"
    assert after.reason.keys == ("S18",)


def test_lighter_kettlebell_than_prescribed_holds(catalog: Catalog) -> None:
    after = next_prescription(
        squat(catalog, target=12, load_kg=12),
        done(12, 12, 12, load=8),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert after.change == "hold"
    assert "8 kg instead of 12 kg" in after.reason.text


@pytest.mark.parametrize(
    ("target", "load", "next_target", "next_load"),
    [
        (14, 12, 12, 12),  # back one rep step
        (10, 12, 10, 8),  # at the bottom: back one kettlebell
        (10, 8, 10, None),  # lightest kettlebell: back to bodyweight
    ],
)
def test_pain_of_three_or_more_regresses_one_step_and_flags_the_coach(
    catalog: Catalog, target: float, load: float, next_target: float, next_load: float | None
) -> None:
    before = squat(catalog, target=target, load_kg=load)
    after = next_prescription(
        before,
        done(target, target, target, pain=3, load=load),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert after.change == "regress"
    assert (after.prescription.target, after.prescription.load_kg) == (next_target, next_load)
    assert after.coach_flag is not None
    assert "pain 3/10" in after.coach_flag


def test_pain_below_three_does_not_regress(catalog: Catalog) -> None:
    after = next_prescription(
        squat(catalog, target=10),
        done(10, 10, 10, pain=2),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert after.change == "progress"
    assert after.coach_flag is None


def test_at_the_lightest_dose_pain_removes_a_set(catalog: Catalog) -> None:
    before = squat(catalog, target=10)
    after = next_prescription(
        before,
        done(10, 10, 10, pain=5),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert after.prescription.sets == before.sets - 1


def test_isometric_row_goes_from_reps_to_thirty_seconds_then_longer(catalog: Catalog) -> None:
    row = prescription_for(catalog, "glute-ham-iso-row", kettlebells_kg=SIZES)
    assert (row.measure, row.target, row.load_kg) == ("reps", 10, 8)
    timed = next_prescription(
        row,
        done(10, 10, 10, load=8),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert timed.change == "to-timed"
    assert (timed.prescription.measure, timed.prescription.target) == ("seconds", 30)
    assert "M5" in timed.reason.keys
    longer = next_prescription(
        timed.prescription,
        done(30, 30, 30, load=8),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert longer.prescription.target == 45
    at_top = replace(longer.prescription, target=60)
    heavier = next_prescription(
        at_top,
        done(60, 60, 60, load=8),
        pain_regress_at=default_catalog().rules.progression.pain_regress_at,
    )
    assert heavier.change == "load-up"
    assert (heavier.prescription.target, heavier.prescription.load_kg) == (30, 12)


def test_per_side_sets_must_be_done_on_both_sides(catalog: Catalog) -> None:
    before = squat(catalog, target=10)
    left = [LoggedSet(10, reps_in_reserve=2, side="left") for _ in range(3)]
    right = [LoggedSet(10, reps_in_reserve=2, side="right") for _ in range(2)]
    after = next_prescription(
        before, left + right, pain_regress_at=default_catalog().rules.progression.pain_regress_at
    )
    assert after.change == "hold"
    assert "right side" in after.reason.text
