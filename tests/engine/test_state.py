"""Progression state folded from logs, and the rest of a season projected from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Item, Plan, Reason
from runstrong.engine.planner import plan, replan
from runstrong.engine.prescribe import athlete_exercises
from runstrong.engine.progression import LoggedSet
from runstrong.engine.state import (
    EMPTY_STATE,
    LoggedItem,
    LoggedSession,
    fold_logs,
    state_from_logs,
    state_key,
)
from runstrong.engine.wording import day_month
from tests.engine.conftest import MONDAY, athlete, season

CATALOG = default_catalog()


def first_items(result: Plan) -> dict[str, Item]:
    session = next(result.sessions())
    return {item.exercise: item for item in session.items}


def logged(
    item: Item, day: date, *, done: float | None = None, pain: int = 0, sets: int | None = None
) -> LoggedItem:
    value = item.target if done is None else done
    sides = ("left", "right") if item.per_side else (None,)
    entries = tuple(
        LoggedSet(value, load_kg=item.load_kg, reps_in_reserve=2, pain=pain, side=side)  # type: ignore[arg-type]
        for _ in range(item.sets if sets is None else sets)
        for side in sides
    )
    return LoggedItem(item, entries)


def session_with(outcome: str, day: date, items: Sequence[Item], index: int) -> LoggedSession:
    """A session logged as `outcome` says: done as prescribed, missed, with pain 6, or one
    set short of each exercise."""
    return LoggedSession(
        day,
        "missed" if outcome == "missed" else "done",
        tuple(
            LoggedItem(item)
            if outcome == "missed"
            else logged(
                item,
                day,
                pain=6 if outcome == "pain" else 0,
                sets=1 if outcome == "short" else None,
            )
            for item in items
        ),
        source=f"s{index}",
        order=index,
    )


def session_of(result: Plan, index: int) -> tuple[date, tuple[Item, ...]]:
    found = list(result.sessions())[index]
    return found.day, found.items


def test_plan_is_replan_from_an_empty_state(catalog: Catalog) -> None:
    profile, window = athlete(), season(weeks=16, races=(("2027-04-10", "A"),))
    assert plan(profile, window, catalog) == replan(profile, window, EMPTY_STATE, MONDAY, catalog)


def test_replan_leaves_out_what_is_behind_the_athlete(catalog: Catalog) -> None:
    profile, window = athlete(), season(weeks=8)
    from_date = MONDAY + timedelta(days=17)
    result = replan(profile, window, EMPTY_STATE, from_date, catalog)
    days = [session.day for session in result.sessions()]
    assert days
    assert min(days) >= from_date
    assert days == [s.day for s in plan(profile, window, catalog).sessions() if s.day >= from_date]


def test_a_rebuild_keeps_the_kettlebell_the_athlete_lifted(catalog: Catalog) -> None:
    profile, window = athlete(), season(weeks=12)
    start = {item.exercise: item for item in athlete_exercises(profile, catalog).items}
    squat = start["single-leg-squat"]
    lifted = replace(squat, target=squat.ladder.top, load_kg=16.0)
    log = LoggedSession(MONDAY + timedelta(days=8), "done", (logged(lifted, MONDAY),), order=1)
    state = state_from_logs(
        [log], starts=tuple(start.values()), rule=default_catalog().rules.progression
    )
    result = replan(profile, window, state, MONDAY + timedelta(days=9), catalog)
    item = first_items(result)["single-leg-squat"]
    assert item.load_kg == 16.0
    assert not any(reason.text.startswith("Starts unloaded") for reason in item.reasons)
    assert any("S17" in reason.keys for reason in item.reasons)


def test_double_progression_moves_the_next_session_with_the_log_as_reason(
    catalog: Catalog,
) -> None:
    profile, window = athlete(), season(weeks=12)
    fresh = plan(profile, window, catalog)
    day, items = session_of(fresh, 0)
    crawl = next(item for item in items if item.exercise == "crouching-crawl")
    log = LoggedSession(day, "done", tuple(logged(item, day) for item in items), source="s1")
    state = state_from_logs([log], starts=items, rule=default_catalog().rules.progression)
    after = first_items(replan(profile, window, state, day + timedelta(days=1), catalog))
    assert after["crouching-crawl"].target == crawl.target + crawl.ladder.step
    assert any(day_month(day) in r.text for r in after["crouching-crawl"].reasons)
    assert state.get(state_key(crawl)).source == "s1"  # type: ignore[union-attr]


def test_a_missed_session_changes_nothing_and_pain_steps_back_then_holds(
    catalog: Catalog,
) -> None:
    profile, window = athlete(), season(weeks=12)
    _, items = session_of(plan(profile, window, catalog), 0)
    squat = next(item for item in items if item.exercise == "banded-spanish-squat")
    day = MONDAY
    logs = [
        LoggedSession(day, "done", (logged(squat, day),), order=1),
        LoggedSession(day + timedelta(days=2), "missed", (LoggedItem(squat),), order=2),
    ]
    state = state_from_logs(logs, starts=items, rule=default_catalog().rules.progression)
    climbed = state.get(state_key(squat))
    assert climbed is not None
    assert climbed.prescription.target > squat.target
    hurt = LoggedSession(
        day + timedelta(days=4),
        "done",
        (logged(climbed.prescription, day, pain=5),),
        order=3,
    )
    state = state_from_logs([*logs, hurt], starts=items, rule=default_catalog().rules.progression)
    back = state.get(state_key(squat))
    assert back is not None
    assert back.pain_open
    assert back.last_change == "regress"
    assert back.coach_flag
    assert back.prescription.target < climbed.prescription.target
    clean = LoggedSession(
        day + timedelta(days=7), "done", (logged(back.prescription, day),), order=4
    )
    held = state_from_logs(
        [*logs, hurt, clean], starts=items, rule=default_catalog().rules.progression
    ).get(state_key(squat))
    assert held is not None
    assert held.last_change == "hold"
    assert held.prescription == back.prescription
    assert not held.pain_open


@settings(max_examples=40, deadline=None)
@given(
    outcomes=st.lists(
        st.tuples(st.sampled_from(["done", "short", "missed", "pain"]), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    order=st.randoms(use_true_random=False),
)
def test_the_state_does_not_depend_on_the_order_logs_were_entered(
    outcomes: list[tuple[str, bool]], order: object
) -> None:
    profile = athlete()
    starts = athlete_exercises(profile, CATALOG).items
    logs = []
    for index, (outcome, _) in enumerate(outcomes):
        day = MONDAY + timedelta(days=3 * index)
        logs.append(session_with(outcome, day, starts, index))
    shuffled = list(logs)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    assert state_from_logs(
        shuffled, starts=starts, rule=default_catalog().rules.progression
    ) == state_from_logs(logs, starts=starts, rule=default_catalog().rules.progression)


@given(
    outcomes=st.lists(st.sampled_from(["done", "short", "missed", "pain"]), max_size=8),
    cut=st.integers(0, 8),
)
def test_folding_on_from_a_stored_state_is_folding_the_whole_log(
    outcomes: list[str], cut: int
) -> None:
    """A completion folds only the sessions after the state it stored last time: the state
    and the changes of those sessions are what folding the whole log gives."""
    rule = CATALOG.rules.progression
    starts = athlete_exercises(athlete(), CATALOG).items
    logs: list[LoggedSession] = []
    state = state_from_logs([], starts=starts, rule=rule)
    for index, outcome in enumerate(outcomes):
        day = MONDAY + timedelta(days=3 * index)
        current = [
            state.exercises[state_key(item)].prescription
            if state_key(item) in state.exercises
            else item
            for item in starts
        ]
        logs.append(session_with(outcome, day, current, index))
        state = state_from_logs(logs, starts=starts, rule=rule)
    whole, changes = fold_logs(logs, starts=starts, rule=rule)
    stored, earlier = fold_logs(logs[:cut], starts=starts, rule=rule)
    resumed, later = fold_logs(logs[cut:], starts=starts, rule=rule, since=stored)
    assert resumed == whole
    assert earlier + later == changes


@settings(max_examples=40, deadline=None)
@given(pains=st.lists(st.integers(0, 10), min_size=1, max_size=10))
def test_pain_at_the_threshold_never_moves_an_exercise_up(pains: list[int]) -> None:
    profile = athlete()
    starts = athlete_exercises(profile, CATALOG).items
    threshold = CATALOG.rules.progression.pain_regress_at
    logs: list[LoggedSession] = []
    state = state_from_logs([], starts=starts, rule=default_catalog().rules.progression)
    for index, pain in enumerate(pains):
        day = MONDAY + timedelta(days=3 * index)
        current = {item.exercise: item for item in starts}
        for key, exercise_state in state.exercises.items():
            current[key] = exercise_state.prescription
        items = tuple(logged(item, day, pain=pain) for item in current.values())
        logs.append(LoggedSession(day, "done", items, order=index))
        after = state_from_logs(logs, starts=starts, rule=default_catalog().rules.progression)
        if pain >= threshold:
            for key, moved in after.exercises.items():
                assert moved.last_change == "regress"
                before = state.get(key)
                was = before.prescription if before else current[key]
                assert (moved.prescription.target, moved.prescription.load_kg or 0) <= (
                    was.target,
                    was.load_kg or 0,
                ) or moved.prescription.sets < was.sets
        state = after


def test_projected_steps_count_from_the_log_not_from_the_clock(catalog: Catalog) -> None:
    """Days passing without a log only cut sessions off the front of the replan."""
    profile, window = athlete(), season(weeks=12)
    _, items = session_of(plan(profile, window, catalog), 0)
    log = LoggedSession(MONDAY, "done", tuple(logged(item, MONDAY) for item in items), order=1)
    state = state_from_logs([log], starts=items, rule=default_catalog().rules.progression)
    early = replan(profile, window, state, MONDAY + timedelta(days=1), catalog)
    later_day = MONDAY + timedelta(days=23)
    later = replan(profile, window, state, later_day, catalog)
    assert [s for s in early.sessions() if s.day >= later_day] == list(later.sessions())


def test_p2_front_of_knee_pain_keeps_the_spanish_squat_reps_all_season(catalog: Catalog) -> None:
    """P2: quadriceps strength answers front-of-knee pain; no holds, more squat sets."""
    result = plan(athlete(problems=["knee"]), season(weeks=12), catalog)
    squats = [i for s in result.sessions() for i in s.items if i.exercise == "banded-spanish-squat"]
    adjustment = next(a for a in catalog.adjustments if a.flag == "knee")
    dose = catalog.exercise("banded-spanish-squat").dose
    assert squats
    assert all(item.measure == "reps" for item in squats)
    assert squats[0].sets == dose.sets + adjustment.extra_sets
    assert "P2" in squats[0].rule_keys
    assert "P3" not in squats[0].rule_keys


def _hold_session(item: Item, day: date, pain: int, order: int) -> LoggedSession:
    return LoggedSession(day, "done", (logged(item, day, pain=pain),), order=order)


def test_p3_holds_last_while_the_tendon_hurts_then_the_reps_come_back(catalog: Catalog) -> None:
    """P3: timed holds while pain is logged; the catalog's count of pain-free hold sessions in
    a row brings back the Spanish squat's own reps, and the replan follows."""
    profile, window = athlete(problems=["patellar-tendon"]), season(weeks=12)
    starts = athlete_exercises(profile, catalog).items
    hold = next(item for item in starts if item.exercise == "banded-spanish-squat")
    adjustment = next(a for a in catalog.adjustments if a.flag == "patellar-tendon")
    dose = catalog.exercise("banded-spanish-squat").dose
    assert (hold.measure, hold.sets, hold.target) == ("seconds", adjustment.sets, adjustment.start)
    assert f"{adjustment.pain_free_sessions} pain-free sessions" in " ".join(
        r.text for r in hold.reasons
    )
    needed = adjustment.pain_free_sessions
    assert needed is not None
    assert needed >= 2
    logs: list[LoggedSession] = []
    day = MONDAY
    # Pain below the regress threshold still counts as hurting: the count starts again.
    for index in range(needed - 1):
        logs.append(_hold_session(hold, day + timedelta(days=2 * index), 0, index))
    logs.append(_hold_session(hold, day + timedelta(days=2 * needed), 1, needed))
    state = state_from_logs(logs, starts=starts, rule=default_catalog().rules.progression)
    still = state.get(state_key(hold))
    assert still is not None
    assert still.prescription.measure == "seconds"
    assert still.pain_free == 0
    for index in range(needed):
        order = needed + 1 + index
        current = state_from_logs(
            logs, starts=starts, rule=default_catalog().rules.progression
        ).get(state_key(hold))
        assert current is not None
        assert current.prescription.measure == "seconds"
        logs.append(_hold_session(current.prescription, day + timedelta(days=2 * order), 0, order))
    back = state_from_logs(logs, starts=starts, rule=default_catalog().rules.progression).get(
        state_key(hold)
    )
    assert back is not None
    assert back.last_change == "pain-free"
    assert (back.prescription.measure, back.prescription.target) == ("reps", dose.start)
    assert back.prescription.sets == dose.sets
    assert back.reason is not None
    assert "P3" in back.reason.keys
    after = replan(
        profile,
        window,
        state_from_logs(logs, starts=starts, rule=default_catalog().rules.progression),
        logs[-1].day,
        catalog,
    )
    squats = [i for s in after.sessions() for i in s.items if i.exercise == "banded-spanish-squat"]
    assert squats
    assert all(item.measure == "reps" for item in squats)


def test_s17_the_log_counts_sessions_at_the_top(catalog: Catalog) -> None:
    """S17: with every step done and no heavier bell, each clean session says how long the
    exercise has been at the top."""
    profile = athlete(equipment=["band", "ghd", "bench"])
    starts = athlete_exercises(profile, catalog).items
    crawl = next(item for item in starts if item.exercise == "crouching-crawl")
    last = crawl.ladder
    while last.beyond is not None:
        last = last.beyond
    at_top = replace(crawl, ladder=last, target=last.top, sets=last.sets or crawl.sets)
    logs = [
        LoggedSession(MONDAY + timedelta(days=2 * i), "done", (logged(at_top, MONDAY),), order=i)
        for i in range(3)
    ]
    state = state_from_logs(logs, starts=starts, rule=default_catalog().rules.progression).get(
        state_key(crawl)
    )
    assert state is not None
    assert state.last_change == "top"
    assert state.sessions_at_top == 3
    assert state.reason is not None
    assert "At the top for 3 sessions" in state.reason.text


def _squat_sessions(
    catalog: Catalog, margins: list[int], *, bells: object = (8, 12, 16)
) -> list[tuple[str, Item, Reason]]:
    """Single-leg squat sessions whose last set beats the then-current target by `margins`."""
    profile = athlete(kettlebells_kg=bells)
    starts = athlete_exercises(profile, catalog).items
    squat = next(item for item in starts if item.exercise == "single-leg-squat")
    logs: list[LoggedSession] = []
    seen: list[tuple[str, Item, Reason]] = []
    for index, margin in enumerate(margins):
        state = state_from_logs(logs, starts=starts, rule=catalog.rules.progression)
        current = state.get(state_key(squat))
        item = current.prescription if current else squat
        sets = tuple(
            LoggedSet(
                item.target + (margin if number == item.sets - 1 else 0),
                load_kg=item.load_kg,
                reps_in_reserve=2,
                side=side,  # type: ignore[arg-type]
            )
            for number in range(item.sets)
            for side in ("left", "right")
        )
        day = MONDAY + timedelta(days=3 * index)
        logs.append(LoggedSession(day, "done", (LoggedItem(item, sets),), order=index))
        after = state_from_logs(logs, starts=starts, rule=catalog.rules.progression)
        moved = after.get(state_key(squat))
        assert moved is not None
        assert moved.reason is not None
        seen.append((moved.last_change or "", moved.prescription, moved.reason))
    return seen


def test_s15_two_for_two_loads_up_when_the_last_set_beats_the_target_twice_running(
    catalog: Catalog,
) -> None:
    """S15: the last set beat the target by the catalog's margin in the catalog's number of
    sessions in a row: next bell, back to the bottom of the range, before the top."""
    rule = catalog.rules.progression
    extra, running = rule.load_up_extra_reps, rule.load_up_sessions
    seen = _squat_sessions(catalog, [extra] * running)
    change, after, why = seen[-1]
    assert change == "load-up"
    assert "S15" in why.keys
    assert f"by {extra} reps or more in {running} sessions in a row" in why.text
    assert after.load_kg == 8
    assert after.target == catalog.exercise("single-leg-squat").dose.start
    assert [c for c, _, _ in seen[:-1]] == ["progress"] * (running - 1)


@pytest.mark.parametrize(
    "margins",
    [
        pytest.param([2, 1], id="second-session-short-of-the-margin"),
        pytest.param([2, 0, 2], id="not-in-a-row"),
        pytest.param([1, 1, 1], id="never-by-the-margin"),
    ],
)
def test_s15_no_early_load_up_without_the_margin_in_a_row(
    catalog: Catalog, margins: list[int]
) -> None:
    assert catalog.rules.progression.load_up_extra_reps == 2
    assert catalog.rules.progression.load_up_sessions == 2
    assert all(change != "load-up" for change, _, _ in _squat_sessions(catalog, margins))


def test_s15_is_cited_only_where_two_for_two_moved_the_load(catalog: Catalog) -> None:
    result = plan(athlete(kettlebells_kg="8x2, 12x2, 16x2"), season(weeks=30), catalog)
    cited = [
        reason
        for session in result.sessions()
        for item in session.items
        for reason in item.reasons
        if "S15" in reason.keys
    ]
    assert cited == [], "a projected load-up comes from the top of the range, not from 2-for-2"
    change, _, why = _squat_sessions(catalog, [2, 2])[-1]
    assert change == "load-up"
    assert "S15" in why.keys
