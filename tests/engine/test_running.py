"""Hard or easy: each rule of [completed_runs] makes a run hard on its own, and says why."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runstrong.engine.catalog import default_catalog, parse_catalog
from runstrong.engine.running import (
    CompletedRun,
    RunLap,
    Thresholds,
    classify_run,
    pace_text,
    share_at_or_above,
)

RULE = default_catalog().completed_runs
START = datetime(2026, 11, 3, 7, tzinfo=UTC)
THRESHOLDS = Thresholds(heart_rate=170, pace_s_per_km=240)


def run(
    minutes: float = 50,
    hr: dict[int, float] | None = None,
    laps: tuple[RunLap, ...] = (),
) -> CompletedRun:
    return CompletedRun(
        started_at=START,
        duration_s=minutes * 60,
        distance_m=minutes * 60 * 2.9,
        hr_seconds=hr if hr is not None else {140: minutes * 60},
        laps=laps,
    )


def test_a_steady_easy_run_is_easy_and_says_what_it_was_judged_by() -> None:
    verdict = classify_run(run(), THRESHOLDS, RULE)
    assert not verdict.hard
    [reason] = verdict.reasons
    assert reason.text.startswith("Easy: 0% of the time at or above threshold heart rate")
    assert "completed_runs.share_above_threshold_hr" in reason.keys


def test_a_quarter_of_the_time_above_threshold_heart_rate_is_hard() -> None:
    verdict = classify_run(run(hr={140: 2250, 175: 750}), THRESHOLDS, RULE)
    assert verdict.hard
    assert verdict.reasons[0].text == (
        "25% of the run at or above threshold heart rate 170 (hard from 20%)"
    )
    assert verdict.keys[0] == "completed_runs.share_above_threshold_hr"


def test_laps_faster_than_threshold_pace_make_a_run_hard_without_heart_rate() -> None:
    reps = tuple(RunLap(duration_s=120, distance_m=560) for _ in range(3))
    laps = (RunLap(duration_s=900, distance_m=2700), *reps)
    verdict = classify_run(run(hr={}, laps=laps), THRESHOLDS, RULE)
    assert verdict.hard
    assert verdict.reasons[0].text == (
        "6:00 in laps faster than threshold pace 4:00 /km (hard from 4:00)"
    )


def test_laps_shorter_than_the_lap_minimum_do_not_count_as_fast_work() -> None:
    strides = tuple(RunLap(duration_s=20, distance_m=120) for _ in range(20))
    assert not classify_run(run(hr={}, laps=strides), THRESHOLDS, RULE).hard


def test_a_long_steady_hour_near_threshold_is_hard_by_its_load() -> None:
    verdict = classify_run(run(minutes=70, hr={158: 70 * 60}), THRESHOLDS, RULE)
    assert verdict.hard
    assert verdict.keys == ("completed_runs.hard_load", "completed_runs.load_zones")
    assert verdict.load == pytest.approx(70 * 3)


def test_a_long_run_is_hard_whatever_its_heart_rate() -> None:
    verdict = classify_run(run(minutes=100, hr={}), Thresholds(), RULE)
    assert verdict.hard
    assert verdict.reasons[0].text == "a long run: 1:40:00 (hard from 90 minutes)"


def test_without_thresholds_the_easy_reason_says_what_is_missing() -> None:
    verdict = classify_run(run(), Thresholds(), RULE)
    assert "no threshold heart rate or pace in the profile" in verdict.reasons[0].text


def test_a_club_catalog_changes_where_hard_begins() -> None:
    text = default_catalog_text().replace(
        "share_above_threshold_hr = 0.2", "share_above_threshold_hr = 0.3"
    )
    rule = parse_catalog(text).completed_runs
    assert not classify_run(run(hr={140: 2250, 175: 750}), THRESHOLDS, rule).hard


def test_load_zones_must_start_at_zero_and_rise() -> None:
    text = default_catalog_text().replace("{ from_share = 0.0, weight = 1 },", "")
    with pytest.raises(Exception, match="load_zones start at from_share 0"):
        parse_catalog(text)


def default_catalog_text() -> str:
    from importlib import resources

    return resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")


def test_pace_is_written_minutes_and_seconds() -> None:
    assert pace_text(245.4) == "4:05 /km"
    assert pace_text(None) == "–"


heart_rates = st.dictionaries(
    st.integers(min_value=90, max_value=200), st.floats(min_value=1, max_value=600), max_size=12
)


@given(heart_rates, st.integers(min_value=120, max_value=200))
def test_share_above_threshold_is_a_share(hr: dict[int, float], threshold: int) -> None:
    share = share_at_or_above(hr, threshold)
    assert share is None if not hr else 0 <= share <= 1


@given(
    heart_rates,
    st.integers(min_value=140, max_value=190),
    st.integers(min_value=1, max_value=20),
    st.floats(min_value=10, max_value=120),
)
def test_a_higher_threshold_never_makes_an_easy_run_hard(
    hr: dict[int, float], threshold: int, raise_by: int, minutes: float
) -> None:
    one = run(minutes=minutes, hr=hr)
    lower = classify_run(one, Thresholds(heart_rate=threshold), RULE)
    higher = classify_run(one, Thresholds(heart_rate=threshold + raise_by), RULE)
    assert not (higher.hard and not lower.hard)
    assert lower.hard == bool(lower.reasons[0].text[:5] != "Easy:")


@given(heart_rates, st.floats(min_value=1, max_value=3600))
def test_more_time_at_the_same_heart_rates_never_makes_a_hard_run_easy(
    hr: dict[int, float], extra: float
) -> None:
    one = run(minutes=30, hr=hr)
    top = max(hr, default=150)
    longer = run(minutes=30 + extra / 60, hr={**hr, top: hr.get(top, 0) + extra})
    if classify_run(one, THRESHOLDS, RULE).hard and top >= THRESHOLDS.heart_rate:  # type: ignore[operator]
        assert classify_run(longer, THRESHOLDS, RULE).hard
