"""The planner's rules, one test (or table) per rule key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runstrong.engine.catalog import Catalog, parse_catalog
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Item, Plan
from runstrong.engine.planner import plan
from tests.engine.conftest import athlete, season

RACE = "2027-03-27"  # a Saturday, week 12 of a season starting Monday 2027-01-04


def items_of(result: Plan, exercise: str) -> list[Item]:
    return [item for s in result.sessions() for item in s.items if item.exercise == exercise]


def first(result: Plan, exercise: str) -> Item:
    return items_of(result, exercise)[0]


def test_preparation_has_two_sessions_a_week_and_a_deload_every_fourth_week() -> None:
    result = plan(athlete(), season(weeks=8))
    assert [len(week.sessions) for week in result.weeks] == [2] * 8
    assert [week.deload for week in result.weeks] == [False, False, False, True] * 2
    normal, deload = result.weeks[2].sessions[0], result.weeks[3].sessions[0]
    assert all(d.sets == n.sets - 1 for n, d in zip(normal.items, deload.items, strict=True))
    assert "S19" in deload.items[0].rule_keys


def test_competition_phase_has_one_session_a_week() -> None:
    """S5: 1 session a week in competition; with a 12-week lead-in S7 keeps half to build."""
    result = plan(athlete(), season(weeks=12, races=((RACE, "A"),)))
    phases = [week.phase for week in result.weeks]
    assert phases == ["preparation"] * 6 + ["competition"] * 4 + ["taper"] * 2
    assert all(len(w.sessions) == 1 for w in result.weeks if w.phase == "competition")
    assert "S5" in result.weeks[6].notes[0].keys


def test_new_lifters_start_with_one_session_a_week(catalog: Catalog) -> None:
    weeks = catalog.rules.beginner.weeks
    result = plan(athlete(experience="new"), season(weeks=weeks + 2))
    counts = [len(week.sessions) for week in result.weeks]
    assert counts[:weeks] == [1] * weeks
    assert counts[weeks:] == [2, 2]
    assert any("S6" in note.keys for note in result.weeks[0].notes)


def test_spanish_squat_and_crawl_are_always_superset_a1_a2() -> None:
    result = plan(athlete(equipment=["ghd", "bench", "kettlebells"]), season(weeks=4))
    for session in result.sessions():
        block_a = session.blocks[0]
        assert block_a.label == "A"
        assert block_a.superset
        assert [item.slot for item in block_a.items] == ["A1", "A2"]
        assert block_a.items[0].substitute_for == "banded-spanish-squat"
        assert block_a.items[1].exercise == "crouching-crawl"
        assert all("M1" in item.rule_keys for item in block_a.items)


def test_single_leg_squat_stays_at_two_a_week_even_when_the_catalog_asks_for_three(
    catalog: Catalog,
) -> None:
    three_a_week = catalog.model_copy(
        update={
            "rules": catalog.rules.model_copy(
                update={
                    "sessions_per_week": catalog.rules.sessions_per_week.model_copy(
                        update={"preparation": 3}
                    )
                }
            )
        }
    )
    result = plan(
        athlete(strength_days=["mon", "wed", "fri"], hard_run_days=["mon"]),
        season(weeks=3),
        three_a_week,
    )
    for week in result.weeks:
        assert len(week.sessions) == 3
        with_sls = [
            s for s in week.sessions if any(i.exercise == "single-leg-squat" for i in s.items)
        ]
        assert len(with_sls) == 2


@pytest.mark.parametrize(
    ("leg_length", "stride_goal", "expected"),
    [
        ("short", "keep", "further forward"),
        ("long", "keep", "closer to the bench"),
        ("average", "lengthen", "further forward"),
        ("average", "keep", "natural lunge length"),
        ("long", "lengthen", "natural lunge length"),
    ],
)
def test_front_foot_placement_follows_leg_length_and_stride_goal(
    leg_length: str, stride_goal: str, expected: str
) -> None:
    result = plan(athlete(leg_length=leg_length, stride_goal=stride_goal), season(weeks=1))
    squat = first(result, "single-leg-squat")
    assert expected in squat.cues[0]
    assert "M3" in squat.rule_keys


def test_loaded_progressions_start_unloaded_and_load_up_later() -> None:
    result = plan(athlete(), season(weeks=30))
    crawl = items_of(result, "crouching-crawl")
    squat = items_of(result, "single-leg-squat")
    assert crawl[0].load_kg is None
    assert squat[0].load_kg is None
    assert "M4" in crawl[0].rule_keys
    loads = [item.load_kg for item in crawl if item.load_kg is not None]
    assert loads[0] == 8, "the first load is the lightest kettlebell the athlete has"
    assert loads == sorted(loads)
    assert max(loads) <= 16
    assert squat[-1].load_kg is not None


def test_isometric_row_moves_from_reps_to_timed_work() -> None:
    rows = items_of(plan(athlete(), season(weeks=12)), "glute-ham-iso-row")
    assert rows[0].measure == "reps"
    assert rows[0].target == 10
    timed = [row for row in rows if row.measure == "seconds"]
    assert timed
    assert timed[0].target == 30
    assert "M5" in timed[0].rule_keys
    assert "S20" in timed[0].rule_keys
    steps = [(row.load_kg, row.target) for row in timed]
    assert steps == sorted(steps), "holds lengthen, then the next kettlebell restarts at 30 s"


def test_strength_goes_on_hard_days_after_the_run() -> None:
    result = plan(
        athlete(strength_days=["mon", "tue", "thu"], hard_run_days=["tue", "thu"]), season(weeks=1)
    )
    days = [session.day.strftime("%a") for session in result.sessions()]
    assert days == ["Tue", "Thu"]
    assert {"S9", "S10"} <= set(result.weeks[0].sessions[0].placement.keys)


def test_no_session_the_day_before_a_hard_run_or_any_race() -> None:
    result = plan(
        athlete(strength_days=["mon", "wed", "fri"], hard_run_days=["tue"]),
        season(weeks=2, races=(("2027-01-16", "C"),)),
    )
    days = [session.day for session in result.sessions()]
    assert date(2027, 1, 4) not in days  # Monday before Tuesday's hard run
    assert date(2027, 1, 15) not in days  # Friday before Saturday's race
    skipped = " ".join(note.text for week in result.weeks for note in week.notes)
    assert "day before a hard run" in skipped
    assert "day before a race" in skipped


def test_taper_cuts_sets_inside_s12s_band_and_drops_loads_in_the_last_ten_days() -> None:
    """S12/S14: 4 sets → 2 (50 %), 3 sets → 1 (67 %: nearer 41–60 % than 33 %); no loads
    in the last 10 days."""
    result = plan(athlete(problems=["shin"]), season(weeks=12, races=((RACE, "A"),)))
    race = date.fromisoformat(RACE)
    competition = [w for w in result.weeks if w.phase == "competition"][-1].sessions[0]
    taper = [s for s in result.sessions() if 0 < (race - s.day).days <= 14]
    assert taper, "the taper keeps a session"
    for session in taper:
        days_out = (race - session.day).days
        for before, after in zip(competition.items, session.items, strict=True):
            assert after.sets == {4: 2, 3: 1}[before.sets]
            assert "S12" in after.rule_keys
            if days_out <= 10:
                assert after.load_kg is None
        if days_out <= 10:
            assert session.kind == "light"
            assert 3 <= days_out <= 5
            assert "S14" in session.placement.keys


def test_a_race_is_followed_by_a_transition_without_lifting() -> None:
    result = plan(athlete(), season(weeks=13, races=((RACE, "A"),)))
    assert result.weeks[12].phase == "transition"
    assert result.weeks[12].sessions == ()


@pytest.mark.parametrize(
    ("problem", "exercise", "check", "key"),
    [
        ("knee", "banded-spanish-squat", lambda i: i.measure == "seconds" and i.sets == 5, "P3"),
        ("shin", "crouching-crawl", lambda i: i.sets == 4, "P1"),
        ("calf", "crouching-crawl", lambda i: i.ladder.loads_kg == (), "P1"),
        ("lower-back", "glute-ham-iso-row", lambda i: i.sets == 4, "P4"),
    ],
)
def test_problem_flags_shift_emphasis(problem: str, exercise: str, check, key: str) -> None:  # type: ignore[no-untyped-def]
    item = first(plan(athlete(problems=[problem]), season(weeks=1)), exercise)
    assert check(item)
    assert key in item.rule_keys


@pytest.mark.parametrize(
    ("missing", "exercise", "stand_in"),
    [
        ("band", "banded-spanish-squat", "Wall sit"),
        ("bench", "single-leg-squat", "Split squat, rear foot on the floor"),
        ("ghd", "glute-ham-iso-row", "Hip-hinge isometric row"),
        ("kettlebells", "glute-ham-iso-row", "Glute-ham isometric hold"),
    ],
)
def test_missing_equipment_gets_a_substitute_with_a_reason(
    missing: str, exercise: str, stand_in: str
) -> None:
    equipment = sorted({"band", "ghd", "kettlebells", "bench"} - {missing})
    item = first(plan(athlete(equipment=equipment), season(weeks=1)), exercise)
    assert item.name == stand_in
    assert any(reason.text.startswith("Instead of") for reason in item.reasons)


def test_no_kettlebells_keeps_everything_at_bodyweight() -> None:
    result = plan(athlete(equipment=["band", "ghd", "bench"]), season(weeks=30))
    assert all(item.load_kg is None for s in result.sessions() for item in s.items)
    assert any("S17" in note.keys for note in result.notes)


def test_an_exercise_without_a_fair_substitute_is_left_out_with_a_reason() -> None:
    result = plan(athlete(equipment=["band", "bench"]), season(weeks=1))
    assert not items_of(result, "glute-ham-iso-row")
    left_out = [note for note in result.notes if "left out" in note.text]
    assert len(left_out) == 1
    assert "no fair substitute" in left_out[0].text


def test_same_input_gives_the_same_plan() -> None:
    profile = athlete(problems=["knee"], experience="new")
    dates = season(weeks=40, races=(("2027-06-12", "A"), ("2027-05-01", "B")))
    assert plan(profile, dates) == plan(profile, dates)


def test_an_unknown_event_group_names_the_allowed_ones() -> None:
    with pytest.raises(ProfileError, match="800-1500m, 5k, 10k"):
        plan(athlete(event_group="marathon"), season())


def test_a_coach_catalog_changes_the_plan(catalog: Catalog) -> None:
    text = (
        __import__("importlib.resources", fromlist=["files"])
        .files("runstrong.engine")
        .joinpath("data/catalog.toml")
        .read_text("utf-8")
        .replace("preparation = 2", "preparation = 1")
    )
    one_a_week = parse_catalog(text)
    result = plan(athlete(), season(weeks=2), one_a_week)
    assert [len(week.sessions) for week in result.weeks] == [1, 1]


def test_sessions_fall_inside_the_season() -> None:
    result = plan(athlete(strength_days=["sun"], hard_run_days=[]), season(weeks=3))
    end = date(2027, 1, 4) + timedelta(days=20)
    assert all(date(2027, 1, 4) <= s.day <= end for s in result.sessions())
    assert len(list(result.sessions())) == 3
