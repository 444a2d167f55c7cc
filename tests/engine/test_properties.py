"""Invariants that hold for any athlete and season the planner accepts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Plan
from runstrong.engine.planner import plan
from runstrong.engine.profile import PROBLEMS, WEEKDAYS, Athlete, Race, Season

CATALOG = default_catalog()
RULES = CATALOG.rules
SIZES = CATALOG.kettlebell_sizes_kg

days = st.lists(st.sampled_from(WEEKDAYS), unique=True)
# Bells at hand with counts: some sizes once, some as pairs or more.
bells = st.dictionaries(st.sampled_from(SIZES), st.integers(1, 3), max_size=6).map(
    lambda counts: tuple(counts.items())
)
athletes = st.builds(
    Athlete,
    event_group=st.sampled_from([group.slug for group in CATALOG.groups]),
    sex=st.sampled_from(["female", "male", "unspecified"]),
    body_mass_kg=st.floats(min_value=25, max_value=200),
    experience=st.sampled_from(["new", "some", "experienced"]),
    leg_length=st.sampled_from(["short", "average", "long"]),
    stride_goal=st.sampled_from(["keep", "lengthen"]),
    problems=st.frozensets(st.sampled_from(sorted(PROBLEMS))),
    equipment=st.frozensets(st.sampled_from(["band", "ghd", "kettlebells", "bench"])),
    kettlebells_kg=bells,
    strength_days=days.filter(bool).map(tuple),
    hard_run_days=days.map(tuple),
)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """The default catalog with its load caps, flag caps and bells per exercise redrawn."""
    exercises = []
    for exercise in CATALOG.exercises:
        if exercise.load is not None:
            load = exercise.load.model_copy(
                update={
                    "max_kg": draw(st.sampled_from(SIZES)),
                    "bells": draw(st.integers(1, 2)),
                    "start_with_load": draw(st.booleans()),
                }
            )
            exercise = exercise.model_copy(update={"load": load})
        exercises.append(exercise)
    adjustments = [
        adjustment.model_copy(update={"max_kg": draw(st.none() | st.sampled_from(SIZES))})
        for adjustment in CATALOG.adjustments
    ]
    return CATALOG.model_copy(
        update={"exercises": tuple(exercises), "adjustments": tuple(adjustments)}
    )


@st.composite
def seasons(draw: st.DrawFn) -> Season:
    start = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
    weeks = draw(st.integers(min_value=1, max_value=60))
    offsets = st.integers(min_value=0, max_value=7 * weeks - 1)
    races = draw(
        st.lists(
            st.builds(
                Race,
                date=offsets.map(lambda offset: start + timedelta(days=offset)),
                priority=st.sampled_from(["A", "B", "C"]),
            ),
            max_size=4,
        )
    )
    return Season(start=start, weeks=weeks, races=tuple(races))


def _plans() -> st.SearchStrategy[tuple[Athlete, Season, Plan]]:
    return st.tuples(athletes, seasons()).map(lambda pair: (*pair, plan(*pair)))


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_spanish_squat_and_crawl_are_paired_as_a1_a2(case: tuple[Athlete, Season, Plan]) -> None:
    for session in case[2].sessions():
        block_a = session.blocks[0]
        assert block_a.label == "A"
        assert block_a.superset
        assert [item.slot for item in block_a.items] == ["A1", "A2"]
        assert "banded-spanish-squat" in (
            block_a.items[0].exercise,
            block_a.items[0].substitute_for,
        )
        assert block_a.items[1].exercise == "crouching-crawl"
        # M1: done in rounds, so the same sets; no rest after A1, rest after A2.
        assert block_a.items[0].sets == block_a.items[1].sets
        assert block_a.items[0].rest_s == 0
        assert block_a.items[1].rest_s == CATALOG.exercise("crouching-crawl").rest_s


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_single_leg_squat_at_most_twice_a_week(case: tuple[Athlete, Season, Plan]) -> None:
    for week in case[2].weeks:
        count = sum(
            1 for s in week.sessions for item in s.items if item.exercise == "single-leg-squat"
        )
        assert count <= 2


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_no_session_on_or_the_day_before_a_race_or_a_hard_run(
    case: tuple[Athlete, Season, Plan],
) -> None:
    athlete, season, result = case
    race_days = {race.date for race in season.races}
    for session in result.sessions():
        tomorrow = session.day + timedelta(days=1)
        assert session.day not in race_days
        assert tomorrow not in race_days
        assert WEEKDAYS[tomorrow.weekday()] not in athlete.hard_run_days
        assert WEEKDAYS[session.day.weekday()] in athlete.strength_days
        assert season.start <= session.day <= season.end


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_taper_window_has_one_unloaded_light_session_at_most(
    case: tuple[Athlete, Season, Plan],
) -> None:
    _, season, result = case
    a_races = sorted(race.date for race in season.races if race.priority == "A")
    low, high = RULES.taper.last_light_session_days
    in_window: dict[date, int] = {}
    for session in result.sessions():
        upcoming = next((race for race in a_races if race >= session.day), None)
        if upcoming is None:
            continue
        days_out = (upcoming - session.day).days
        if days_out <= RULES.taper.no_load_days:
            assert low <= days_out <= high
            assert session.kind == "light"
            assert all(item.load_kg is None for item in session.items)
            in_window[upcoming] = in_window.get(upcoming, 0) + 1
    assert all(count == 1 for count in in_window.values())


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_sessions_per_week_follow_the_phase_and_are_48_hours_apart(
    case: tuple[Athlete, Season, Plan],
) -> None:
    athlete, _, result = case
    for week in result.weeks:
        assert len(week.sessions) <= getattr(RULES.sessions_per_week, week.phase)
        gaps = [
            (b.day - a.day).days for a, b in zip(week.sessions, week.sessions[1:], strict=False)
        ]
        assert all(gap >= 2 for gap in gaps)
    if athlete.experience == "new":
        trained = [week for week in result.weeks if week.sessions][: RULES.beginner.weeks]
        assert all(len(week.sessions) <= RULES.beginner.sessions_per_week for week in trained)


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_every_reason_names_known_rule_keys(case: tuple[Athlete, Season, Plan]) -> None:
    result = case[2]
    known = set(CATALOG.sources)
    reasons = list(result.notes)
    for week in result.weeks:
        reasons += week.notes
        for session in week.sessions:
            reasons.append(session.placement)
            for item in session.items:
                assert item.rule_keys, f"{item.name} has no rule key"
                reasons += item.reasons
    for reason in reasons:
        assert set(reason.keys) <= known, reason


@settings(max_examples=60, deadline=None)
@given(athletes, seasons())
def test_same_input_same_plan(athlete: Athlete, season: Season) -> None:
    assert plan(athlete, season) == plan(athlete, season)


@settings(max_examples=150, deadline=None)
@given(athletes, seasons(), catalogs())
def test_s17_loads_come_from_bells_at_hand_under_every_cap_and_pairs_only_from_pairs(
    athlete: Athlete, season: Season, catalog: Catalog
) -> None:
    """S17: a prescribed load is a size the athlete has, enough of them for the exercise (a
    pair for a two-bell carry), never above the exercise's cap or an active flag's."""
    counts = dict(athlete.kettlebells_kg) if athlete.kettlebells_kg else dict.fromkeys(SIZES, 2)
    for session in plan(athlete, season, catalog).sessions():
        for item in session.items:
            if item.load_kg is None:
                continue
            load = catalog.exercise(item.exercise).load
            assert load is not None
            assert "kettlebells" in athlete.equipment
            assert item.load_kg in counts, item
            assert item.ladder.bells == load.bells
            assert counts[item.load_kg] >= load.bells, item
            assert item.load_kg <= load.max_kg, item
            for adjustment in catalog.adjustments:
                if adjustment.exercise == item.exercise and adjustment.flag in athlete.problems:
                    assert adjustment.max_kg is None or item.load_kg <= adjustment.max_kg, item


@settings(max_examples=100, deadline=None)
@given(_plans())
def test_s18_reps_in_reserve_only_on_rep_counted_work(case: tuple[Athlete, Season, Plan]) -> None:
    """S18: a reps-in-reserve target means nothing on metres or a timed hold."""
    for session in case[2].sessions():
        for item in session.items:
            effort_said = any("reps in reserve" in reason.text for reason in item.reasons)
            if item.measure == "reps":
                assert item.effort == RULES.effort.reps_in_reserve
            else:
                assert item.effort is None
                assert not effort_said, item
