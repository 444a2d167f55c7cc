"""The planner's rules, one test (or table) per rule key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runstrong.engine.catalog import Catalog, default_catalog, parse_catalog
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
    result = plan(athlete(), season(weeks=8), default_catalog())
    assert [len(week.sessions) for week in result.weeks] == [2] * 8
    assert [week.deload for week in result.weeks] == [False, False, False, True] * 2
    normal, deload = result.weeks[2].sessions[0], result.weeks[3].sessions[0]
    assert all(d.sets == n.sets - 1 for n, d in zip(normal.items, deload.items, strict=True))
    assert "S19" in deload.items[0].rule_keys


def test_competition_phase_has_one_session_a_week() -> None:
    """S5: 1 session a week in competition; with a 12-week lead-in S7 keeps half to build."""
    result = plan(athlete(), season(weeks=12, races=((RACE, "A"),)), default_catalog())
    phases = [week.phase for week in result.weeks]
    assert phases == ["preparation"] * 6 + ["competition"] * 4 + ["taper"] * 2
    assert all(len(w.sessions) == 1 for w in result.weeks if w.phase == "competition")
    assert "S5" in result.weeks[6].notes[0].keys


def test_new_lifters_start_with_one_session_a_week(catalog: Catalog) -> None:
    weeks = catalog.rules.beginner.weeks
    result = plan(athlete(experience="new"), season(weeks=weeks + 2), default_catalog())
    counts = [len(week.sessions) for week in result.weeks]
    assert counts[:weeks] == [1] * weeks
    assert counts[weeks:] == [2, 2]
    assert any("S6" in note.keys for note in result.weeks[0].notes)


def test_spanish_squat_and_crawl_are_always_superset_a1_a2() -> None:
    result = plan(
        athlete(equipment=["ghd", "bench", "kettlebells"]), season(weeks=4), default_catalog()
    )
    for session in result.sessions():
        block_a = session.blocks[0]
        assert block_a.label == "A"
        assert block_a.superset
        assert [item.slot for item in block_a.items] == ["A1", "A2"]
        assert block_a.items[0].substitute_for == "banded-spanish-squat"
        assert block_a.items[1].exercise == "crouching-crawl"
        assert all("M1" in item.rule_keys for item in block_a.items)


@pytest.mark.parametrize(
    ("problems", "raised"),
    [(["shin"], 1), (["knee"], 1), (["patellar-tendon"], 1), (["knee", "shin"], 0)],
)
def test_m1_superset_rests_after_the_pair_and_both_do_the_same_sets(
    catalog: Catalog, problems: list[str], raised: int
) -> None:
    """M1: A1 goes straight into A2, the rest comes after A2, and a flag that adds a set to
    one of them adds a round to the pair."""
    crawl_rest = catalog.exercise("crouching-crawl").rest_s
    for session in plan(athlete(problems=problems), season(weeks=12), default_catalog()).sessions():
        a1, a2 = session.blocks[0].items
        assert a1.sets == a2.sets
        assert (a1.rest_s, a2.rest_s) == (0, crawl_rest)
        pair = next(reason for reason in a1.reasons if reason.text.startswith("Superset"))
        assert f"rest {crawl_rest} s after A2" in pair.text
    pair_items = next(
        plan(athlete(problems=problems), season(weeks=1), default_catalog()).sessions()
    ).items[:2]
    matched = [
        item
        for item in pair_items
        if any("as many as" in r.text and "M1" in r.keys for r in item.reasons)
    ]
    assert len(matched) == raised, "the one raised to match says why"


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
    ("leg_length", "stride_goal", "expected", "absent"),
    [
        ("short", "keep", ["further forward", "shorter legs"], ["closer"]),
        ("long", "keep", ["closer to the bench", "quadriceps"], ["further forward"]),
        ("average", "lengthen", ["further forward", "stride"], ["closer"]),
        ("average", "keep", ["natural lunge length"], ["closer", "further forward"]),
        ("short", "lengthen", ["further forward", "shorter legs", "stride"], ["closer"]),
        # Both aims stay: closer in for the quadriceps, further forward for the stride.
        (
            "long",
            "lengthen",
            ["closer to the bench", "quadriceps", "further forward", "stride"],
            [],
        ),
    ],
)
def test_m3_front_foot_placement_follows_leg_length_and_stride_goal(
    leg_length: str, stride_goal: str, expected: list[str], absent: list[str]
) -> None:
    """M3: longer legs bring the foot closer in; a stride goal moves it forward; never averaged."""
    result = plan(
        athlete(leg_length=leg_length, stride_goal=stride_goal), season(weeks=1), default_catalog()
    )
    squat = first(result, "single-leg-squat")
    placement = next(reason for reason in squat.reasons if reason.keys == ("M3",))
    assert squat.cues[0] == placement.text
    for words in expected:
        assert words in placement.text
    for words in absent:
        assert words not in placement.text


def test_loaded_progressions_start_unloaded_and_load_up_later() -> None:
    result = plan(athlete(kettlebells_kg="8x2, 12x2, 16x2"), season(weeks=30), default_catalog())
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


def test_m6_spanish_squat_holds_its_goblet_kettlebell_from_the_first_session() -> None:
    """M6: the goblet hold is trunk work from the start; M4 (unloaded first) is not its rule."""
    result = plan(athlete(kettlebells_kg=(8, 12, 16)), season(weeks=1), default_catalog())
    squat = first(result, "banded-spanish-squat")
    assert squat.load_kg == 8
    from_the_start = [reason for reason in squat.reasons if "first session" in reason.text]
    assert from_the_start
    assert "M6" in from_the_start[0].keys
    load = [reason for reason in squat.reasons if reason.text.startswith("Load: 8 kg")]
    assert load
    assert "trunk" in load[0].text
    assert "M6" in load[0].keys
    assert "M4" not in squat.rule_keys
    for unloaded_first in ("crouching-crawl", "single-leg-squat"):
        item = first(result, unloaded_first)
        assert item.load_kg is None
        assert "M4" in item.rule_keys


def test_m6_a_loaded_single_leg_squat_says_it_trains_trunk_control() -> None:
    """M6: once the single-leg squat holds a goblet kettlebell, every such session says the
    load is trunk work too; the article's cues (deep to the pad, gluteus medius) are there."""
    squats = items_of(plan(athlete(), season(weeks=30), default_catalog()), "single-leg-squat")
    loaded = [item for item in squats if item.load_kg is not None]
    assert loaded
    for item in loaded:
        load = [r for r in item.reasons if r.text.startswith(f"Load: {item.load_kg:g} kg")]
        assert len(load) == 1
        assert "trunk" in load[0].text
        assert "M6" in load[0].keys
        assert not any(r.text.startswith("Starts unloaded") for r in item.reasons)
    cues = " ".join(squats[0].cues)
    assert "deep" in cues
    assert "pad" in cues
    assert "gluteus medius" in cues
    assert "trunk" in cues


def test_the_row_cues_say_it_works_the_opposite_lower_back_and_hamstring() -> None:
    row = first(plan(athlete(), season(weeks=1), default_catalog()), "glute-ham-iso-row")
    cues = " ".join(row.cues)
    assert "left arm" in cues
    assert "right lower back" in cues
    assert "hamstring" in cues


def test_isometric_row_moves_from_reps_to_timed_work() -> None:
    rows = items_of(plan(athlete(), season(weeks=12), default_catalog()), "glute-ham-iso-row")
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
        athlete(strength_days=["mon", "tue", "thu"], hard_run_days=["tue", "thu"]),
        season(weeks=1),
        default_catalog(),
    )
    days = [session.day.strftime("%a") for session in result.sessions()]
    assert days == ["Tue", "Thu"]
    assert {"S9", "S10"} <= set(result.weeks[0].sessions[0].placement.keys)


def test_no_session_the_day_before_a_hard_run_or_any_race() -> None:
    result = plan(
        athlete(strength_days=["mon", "wed", "fri"], hard_run_days=["tue"]),
        season(weeks=2, races=(("2027-01-16", "C"),)),
        default_catalog(),
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
    result = plan(
        athlete(problems=["shin"]), season(weeks=12, races=((RACE, "A"),)), default_catalog()
    )
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
    result = plan(athlete(), season(weeks=13, races=((RACE, "A"),)), default_catalog())
    assert result.weeks[12].phase == "transition"
    assert result.weeks[12].sessions == ()


@pytest.mark.parametrize(
    ("problem", "exercise", "check", "key"),
    [
        ("knee", "banded-spanish-squat", lambda i: i.measure == "reps" and i.sets == 4, "P2"),
        (
            "patellar-tendon",
            "banded-spanish-squat",
            lambda i: i.measure == "seconds" and i.sets == 5,
            "P3",
        ),
        ("shin", "crouching-crawl", lambda i: i.sets == 4, "P1"),
        ("calf", "crouching-crawl", lambda i: i.ladder.loads_kg == (), "P1"),
        ("lower-back", "glute-ham-iso-row", lambda i: i.sets == 4, "P4"),
    ],
)
def test_problem_flags_shift_emphasis(problem: str, exercise: str, check, key: str) -> None:  # type: ignore[no-untyped-def]
    item = first(plan(athlete(problems=[problem]), season(weeks=1), default_catalog()), exercise)
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
    item = first(plan(athlete(equipment=equipment), season(weeks=1), default_catalog()), exercise)
    assert item.name == stand_in
    assert any(reason.text.startswith("Instead of") for reason in item.reasons)


def test_no_kettlebells_keeps_everything_at_bodyweight() -> None:
    result = plan(athlete(equipment=["band", "ghd", "bench"]), season(weeks=30), default_catalog())
    assert all(item.load_kg is None for s in result.sessions() for item in s.items)
    assert any("S17" in note.keys for note in result.notes)


def test_b3_a_bench_gives_a_lower_back_athlete_the_back_extension_hold(catalog: Catalog) -> None:
    """B3/P4: without a GHD or kettlebells, a bench still allows the back-extension hold, and a
    lower-back flag still gets its extra set of it."""
    result = plan(
        athlete(equipment=["band", "bench"], problems=["lower-back"]),
        season(weeks=12),
        default_catalog(),
    )
    holds = items_of(result, "glute-ham-iso-row")
    assert holds
    assert holds[0].name == "Back-extension hold on a bench"
    assert holds[0].measure == "seconds"
    assert holds[0].load_kg is None
    assert {"B3", "P4"} <= set(holds[0].rule_keys)
    extra = next(
        a.extra_sets for a in catalog.adjustments if a.flag == "lower-back" and a.extra_sets
    )
    assert holds[0].sets == catalog.exercise("glute-ham-iso-row").dose.sets + extra
    assert not any("left out" in note.text for note in result.notes)


def test_an_exercise_without_a_fair_substitute_is_left_out_with_a_reason() -> None:
    result = plan(athlete(equipment=["band"]), season(weeks=1), default_catalog())
    assert not items_of(result, "glute-ham-iso-row")
    left_out = [note for note in result.notes if "left out" in note.text]
    assert len(left_out) == 1
    assert "no fair substitute" in left_out[0].text


def test_same_input_gives_the_same_plan() -> None:
    profile = athlete(problems=["knee"], experience="new")
    dates = season(weeks=40, races=(("2027-06-12", "A"), ("2027-05-01", "B")))
    assert plan(profile, dates, default_catalog()) == plan(profile, dates, default_catalog())


def test_an_unknown_event_group_names_the_allowed_ones() -> None:
    with pytest.raises(ProfileError, match="800-1500m, 5k, 10k"):
        plan(athlete(event_group="marathon"), season(), default_catalog())


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
    result = plan(
        athlete(strength_days=["sun"], hard_run_days=[]), season(weeks=3), default_catalog()
    )
    end = date(2027, 1, 4) + timedelta(days=20)
    assert all(date(2027, 1, 4) <= s.day <= end for s in result.sessions())
    assert len(list(result.sessions())) == 3


def _all(result: Plan) -> list[Item]:
    return [item for session in result.sessions() for item in session.items]


def test_s17_heavy_bells_only_never_load_above_the_caps() -> None:
    """S17: a runner with 28 and 32 kg bells does not row 28 kg; each exercise says why."""
    result = plan(athlete(kettlebells_kg="28, 32x2"), season(weeks=30), default_catalog())
    assert all(item.load_kg is None for item in _all(result))
    squat = first(result, "banded-spanish-squat")
    assert any("16 kg cap" in r.text and "bodyweight" in r.text for r in squat.reasons)
    row = first(result, "glute-ham-iso-row")
    assert row.name == "Glute-ham isometric hold"
    assert any("28, 32x2 kg" in r.text for r in row.reasons)


def test_s17_a_flag_cap_holds_and_says_so_when_no_bell_fits(catalog: Catalog) -> None:
    """P4 caps the goblet load: no 12 kg next to an 8 kg cap."""
    cap = next(a.max_kg for a in catalog.adjustments if a.flag == "lower-back" and a.max_kg)
    assert cap is not None
    heavier = plan(
        athlete(problems=["lower-back"], kettlebells_kg=(12, 16)),
        season(weeks=30),
        default_catalog(),
    )
    squat = items_of(heavier, "banded-spanish-squat")
    assert all(item.load_kg is None for item in squat)
    why = [r for r in squat[0].reasons if f"{cap:g} kg cap" in r.text]
    assert why
    assert "lower-back" in why[0].text
    assert "P4" in why[0].keys
    fits = plan(
        athlete(problems=["lower-back"], kettlebells_kg=(8, 12, 16)),
        season(weeks=30),
        default_catalog(),
    )
    loads = {item.load_kg for item in items_of(fits, "banded-spanish-squat")}
    assert loads == {cap}


def test_s17_the_crawl_carries_a_pair_and_says_per_hand() -> None:
    one_each = plan(athlete(kettlebells_kg=(8, 12, 16)), season(weeks=30), default_catalog())
    crawl = items_of(one_each, "crouching-crawl")
    assert all(item.load_kg is None for item in crawl)
    assert any("2 kettlebells of one size" in r.text for r in crawl[0].reasons)
    pair = plan(athlete(kettlebells_kg="8, 12x2, 16"), season(weeks=30), default_catalog())
    loaded = [item for item in items_of(pair, "crouching-crawl") if item.load_kg is not None]
    assert loaded
    assert {item.load_kg for item in loaded} == {12}
    assert "2 × 12 kg kettlebells, one a hand" in loaded[0].load_text()
    assert loaded[0].dose_text().endswith(" m, 2 × 12 kg"), "the pair is said in the dose"
    assert "@2×12 kg" in loaded[0].short_dose()


def test_kettlebells_none_means_no_kettlebells_not_the_whole_rack() -> None:
    profile = athlete(kettlebells_kg="none")
    assert "kettlebells" not in profile.equipment
    result = plan(profile, season(weeks=30), default_catalog())
    assert all(item.load_kg is None for item in _all(result))
    assert any(note.text.startswith("No kettlebells") for note in result.notes)


def test_s16_experience_changes_where_the_ranges_start(catalog: Catalog) -> None:
    """S16: an experienced lifter starts the catalog's start_steps up each bodyweight range;
    'some' and 'experienced' no longer give the same plan."""
    some = plan(athlete(experience="some"), season(weeks=12), default_catalog())
    experienced = plan(athlete(experience="experienced"), season(weeks=12), default_catalog())
    assert some != experienced
    steps = catalog.rules.experience.experienced.start_steps
    assert steps > 0
    for slug in ("crouching-crawl", "single-leg-squat"):
        dose = catalog.exercise(slug).dose
        item = first(experienced, slug)
        assert item.target == min(dose.start + steps * dose.step, dose.top)
        assert first(some, slug).target == dose.start
        said = [r for r in item.reasons if r.text.startswith("Experienced lifter: starts")]
        assert said
        assert said[0].keys == catalog.rules.experience.sources
    # M4 holds for everyone: the unloaded-first exercises stay unloaded at the start.
    assert first(experienced, "single-leg-squat").load_kg is None


@pytest.mark.parametrize(
    ("experience", "body_mass", "expected_kg"),
    [("some", 50, 4), ("some", 80, 12), ("experienced", 80, 16), ("new", 80, 8)],
)
def test_b7_body_mass_chooses_the_first_goblet_kettlebell(
    catalog: Catalog, experience: str, body_mass: float, expected_kg: float
) -> None:
    """B7: the Spanish squat's first bell is the heaviest at hand not above the catalog's share
    of body mass for the athlete's experience, never above the exercise's cap."""
    share = catalog.rules.experience.level(experience).kg_per_kg_body_mass
    profile = athlete(
        experience=experience, body_mass_kg=body_mass, kettlebells_kg=(4, 8, 12, 16, 20)
    )
    squat = first(plan(profile, season(weeks=1), default_catalog()), "banded-spanish-squat")
    assert squat.load_kg == expected_kg
    said = [r for r in squat.reasons if r.text.startswith("First kettlebell from body mass")]
    assert said
    assert f"{share:g} × {body_mass:g} kg" in said[0].text
    assert said[0].keys == catalog.rules.experience.body_mass_sources


def test_s6_a_once_a_week_beginner_steps_up_per_session_not_per_week(catalog: Catalog) -> None:
    """S6/S16: projected steps count progressing sessions, so a new lifter training once a
    week climbs after the same number of sessions as anyone else."""
    per_step = catalog.rules.progression.sessions_per_step
    crawl = catalog.exercise("crouching-crawl").dose
    climbing = per_step * int((crawl.top - crawl.start) / crawl.step + 1)  # up to the top
    for experience in ("new", "some"):
        result = plan(athlete(experience=experience), season(weeks=16), default_catalog())
        done = 0
        for week in result.weeks:
            for session in week.sessions:
                item = next(i for i in session.items if i.exercise == "crouching-crawl")
                if week.phase == "preparation" and not week.deload and done < climbing:
                    expected = crawl.start + (done // per_step) * crawl.step
                    assert item.target == expected, (experience, week.index)
                    done += 1


def test_s17_at_the_top_with_no_heavier_bell_the_catalog_steps_keep_it_climbing(
    catalog: Catalog,
) -> None:
    """S17: between sizes (or with none) progress tempo, range or sets, as the catalog lists
    them per exercise; a crawl gets distance and slower steps, never a lowering."""
    result = plan(athlete(equipment=["band", "ghd", "bench"]), season(weeks=30), default_catalog())
    crawl = items_of(result, "crouching-crawl")
    squat = items_of(result, "single-leg-squat")
    crawl_steps = catalog.exercise("crouching-crawl").beyond_top
    distance = next(step for step in crawl_steps if step.kind == "range")
    slow = next(step for step in crawl_steps if step.kind == "slow-steps")
    assert max(item.target for item in crawl) == distance.top
    assert any(item.ladder.tempo == f"slow steps of {slow.seconds:g} s each" for item in crawl)
    assert not any("lower" in item.ladder.tempo for item in crawl)
    assert not any("lower" in reason.text for item in crawl for reason in item.reasons)
    lowering = next(
        s for s in catalog.exercise("single-leg-squat").beyond_top if s.kind == "lowering"
    )
    slower = [item for item in squat if item.ladder.tempo]
    assert slower
    assert slower[0].ladder.tempo == f"lower over {lowering.seconds:g} s"
    assert slower[0].target == catalog.exercise("single-leg-squat").dose.start
    assert f"lower over {lowering.seconds:g} s" in slower[0].dose_text()
    # No session repeats the whole dose for 22 weeks.
    doses = [
        tuple(item.short_dose() for item in s.items)
        for w in result.weeks
        if w.phase == "preparation" and not w.deload
        for s in w.sessions
    ]
    assert len(set(doses[:44])) > 10


def test_s17_a_stalled_ladder_says_how_long_it_has_been_at_the_top(catalog: Catalog) -> None:
    per_step = catalog.rules.progression.sessions_per_step
    result = plan(athlete(equipment=["band", "ghd", "bench"]), season(weeks=60), default_catalog())
    held = [
        reason.text
        for item in items_of(result, "banded-spanish-squat")
        for reason in item.reasons
        if "at the top since" in reason.text
    ]
    assert held
    counts = [int(text.split("about ")[1].split(" sessions")[0]) for text in held]
    assert counts == sorted(counts)
    assert len(set(counts)) > 1
    assert all(count % per_step == 0 for count in counts)
