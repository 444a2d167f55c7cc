"""Invariants that hold for any athlete and season the planner accepts."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from runstrong.engine.catalog import Catalog, Rules, default_catalog
from runstrong.engine.model import Plan, Reason, Session
from runstrong.engine.planner import plan, taper_sets
from runstrong.engine.profile import PROBLEMS, WEEKDAYS, Athlete, Race, Season
from runstrong.engine.serialize import session_data
from runstrong.engine.wording import ordinal

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
    strength_days=days.map(tuple),  # empty: derived from the hard-run days
    hard_run_days=days.map(tuple),
)


@st.composite
def load_catalogs(draw: st.DrawFn) -> Catalog:
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
    return st.tuples(athletes, seasons()).map(lambda pair: (*pair, plan(*pair, CATALOG)))


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
        if athlete.strength_days:
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
    assert plan(athlete, season, default_catalog()) == plan(athlete, season, default_catalog())


# The article's footwear: socks for the Spanish squat, barefoot for the single-leg squat.
ARTICLE_FOOTWEAR = {"banded-spanish-squat": "socks", "single-leg-squat": "barefoot"}


@settings(max_examples=150, deadline=None)
@given(_plans())
def test_footwear_on_every_item_the_article_names_it_for(
    case: tuple[Athlete, Season, Plan],
) -> None:
    """Socks for the Spanish squat, barefoot for the single-leg squat (its split-squat stand-in
    too), in every session and in the JSON; the wall sit, braced on a wall, not in socks."""
    for session in case[2].sessions():
        for item, data in zip(session.items, _items_data(session), strict=True):
            assert item.footwear, f"{item.name} has no footwear"
            assert data["footwear"] == item.footwear
            article = ARTICLE_FOOTWEAR.get(item.exercise)
            if article is not None and item.name != "Wall sit":
                assert item.footwear == article, item.name
            if item.name == "Wall sit":
                assert "socks" not in item.footwear


def _items_data(session: Session) -> list[dict[str, object]]:
    return [item for block in session_data(session)["blocks"] for item in block["items"]]


# ---------------------------------------------------------------- the schedule under any catalog


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """The defaults, or a coach's copy with every schedule number changed within its bounds."""
    if draw(st.booleans()):
        return CATALOG
    rules = RULES
    integers = st.integers
    cut_low = draw(integers(1, 80))
    light_low = draw(integers(1, 7))
    rest = draw(integers(0, 4))
    changed = {
        "sessions_per_week": {
            "preparation": draw(integers(1, 3)),
            "competition": draw(integers(0, 2)),
            "taper": draw(integers(0, 2)),
            "transition": draw(integers(0, 1)),
        },
        "beginner": {"sessions_per_week": draw(integers(1, 2)), "weeks": draw(integers(0, 8))},
        "phases": {
            "competition_weeks": draw(integers(0, 10)),
            "min_preparation_share": draw(st.sampled_from([0.0, 0.25, 0.5, 0.6, 1.0])),
            "transition_weeks": draw(integers(0, 3)),
        },
        "taper": {
            "days": draw(integers(0, 21)),
            "volume_cut_percent": (cut_low, draw(integers(cut_low, 90))),
            "no_load_days": draw(integers(0, 14)),
            "last_light_session_days": (light_low, draw(integers(light_low, 9))),
        },
        "after_race": {"rest_days": rest, "no_load_days": draw(integers(rest, 8))},
        "deload": {"every_weeks": draw(integers(2, 12)), "set_reduction": draw(integers(0, 2))},
        "placement": {
            "min_gap_days": draw(integers(2, 3)),
            "min_share": draw(st.sampled_from([0.0, 0.5, 0.75])),
        },
    }
    updates = {
        name: getattr(rules, name).model_copy(update=values) for name, values in changed.items()
    }
    return CATALOG.model_copy(update={"rules": rules.model_copy(update=updates)})


derived_athletes = st.builds(
    Athlete,
    event_group=st.sampled_from([group.slug for group in CATALOG.groups]),
    experience=st.sampled_from(["new", "some", "experienced"]),
    problems=st.frozensets(st.sampled_from(list(PROBLEMS))),
    kettlebells_kg=bells,
    hard_run_days=st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=5).map(tuple),
)


def _scheduled(
    people: st.SearchStrategy[Athlete],
) -> st.SearchStrategy[tuple[Athlete, Season, Catalog, Plan]]:
    return st.tuples(people, seasons(), catalogs()).map(
        lambda case: (*case, plan(case[0], case[1], case[2]))
    )


@settings(max_examples=150, deadline=None)
@given(_scheduled(derived_athletes))
def test_a_session_in_3_of_4_weeks_clear_of_a_races(
    case: tuple[Athlete, Season, Catalog, Plan],
) -> None:
    """S9/S11/S5: with at most 5 hard days, derived days hold a session in every week clear of
    A races that wants one, unless a B/C race blocks its days; so at least 3 of 4 such weeks
    whenever B/C races touch at most a quarter of them."""
    _, season, catalog, result = case
    rules = catalog.rules
    a_races = [race.date for race in season.races if race.priority == "A"]
    others = [race.date for race in season.races if race.priority != "A"]
    ahead = max(rules.taper.days, rules.taper.no_load_days) + 1
    behind = max(rules.after_race.no_load_days, 7 * rules.phases.transition_weeks) + 1
    clear = [
        week
        for week in result.weeks
        if getattr(rules.sessions_per_week, week.phase) > 0
        and not any(
            race - timedelta(days=ahead) <= week.start + timedelta(days=6)
            and week.start <= race + timedelta(days=behind)
            for race in a_races
        )
    ]
    touched = [
        week
        for week in clear
        if any(week.start <= race <= week.start + timedelta(days=7) for race in others)
    ]
    held = [week for week in clear if week.sessions]
    assert all(week.sessions for week in clear if week not in touched)
    if len(touched) * 4 <= len(clear):
        assert len(held) * 4 >= len(clear) * 3


@settings(max_examples=150, deadline=None)
@given(_scheduled(athletes))
def test_nothing_2_days_after_an_a_race_and_nothing_loaded_for_4(
    case: tuple[Athlete, Season, Catalog, Plan],
) -> None:
    """rules.after_race [S11, S13]: rest, then unloaded, whatever the race's day or catalog."""
    _, season, catalog, result = case
    after = catalog.rules.after_race
    a_races = [race.date for race in season.races if race.priority == "A"]
    for session in result.sessions():
        for race in a_races:
            since = (session.day - race).days
            if since <= 0:
                continue
            assert since > after.rest_days
            if since <= after.no_load_days:
                assert session.kind == "light"
                assert all(item.load_kg is None for item in session.items)


@settings(max_examples=150, deadline=None)
@given(_scheduled(athletes))
def test_never_strength_on_two_consecutive_days(
    case: tuple[Athlete, Season, Catalog, Plan],
) -> None:
    """S11: the catalog's gap (48 h by default) holds between any two sessions, across weeks."""
    _, _, catalog, result = case
    days = [session.day for session in result.sessions()]
    assert days == sorted(days)
    for earlier, later in itertools.pairwise(days):
        assert (later - earlier).days >= catalog.rules.placement.min_gap_days >= 2


@settings(max_examples=150, deadline=None)
@given(_scheduled(athletes))
def test_the_taper_is_counted_in_days_from_the_race(
    case: tuple[Athlete, Season, Catalog, Plan],
) -> None:
    """S12: a session is tapered exactly when an A race is at most the taper's days ahead."""
    _, season, catalog, result = case
    taper = catalog.rules.taper
    a_races = sorted(race.date for race in season.races if race.priority == "A")
    for session in result.sessions():
        upcoming = next((race for race in a_races if race > session.day), None)
        in_taper = upcoming is not None and (upcoming - session.day).days <= taper.days
        keys = {key for item in session.items for reason in item.reasons for key in reason.keys}
        if session.kind == "strength":
            tapered = [r.text.startswith("Taper:") for item in session.items for r in item.reasons]
            assert in_taper == any(tapered), session.day
        elif session.placement.text.startswith("Last light session"):
            assert "S12" in keys


# Every schedule text with a number, and what each number must equal.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str], Rules], list[tuple[int, int]]]]]
_PATTERNS = [
    (
        re.compile(r"^Preparation: (\d+) sessions? a week builds? strength\.$"),
        lambda m, r: [(int(m[1]), r.sessions_per_week.preparation)],
    ),
    (
        re.compile(
            r"^Competition phase before the A race on D: (\d+) sessions? a week maintains? "
            r"strength\.(?: It lasts (\d+) weeks?, not (\d+): preparation keeps at least (\d+) % "
            r"of the (\d+) weeks? before the taper\.)?$"
        ),
        lambda m, r: (
            [(int(m[1]), r.sessions_per_week.competition)]
            + (
                [
                    (int(m[3]), r.phases.competition_weeks),
                    (int(m[4]), round(100 * r.phases.min_preparation_share)),
                    (int(m[2]) < int(m[3]), True),
                ]
                if m[2]
                else []
            )
        ),
    ),
    (
        re.compile(
            r"^Taper: the (\d+) days? before the A race on D, sets cut (\d+)–(\d+) %, loads kept "
            r"until the last (\d+) days?; (\d+) sessions? a week\.$"
        ),
        lambda m, r: [
            (int(m[1]), r.taper.days),
            ((int(m[2]), int(m[3])), r.taper.volume_cut_percent),
            (int(m[4]), r.taper.no_load_days),
            (int(m[5]), r.sessions_per_week.taper),
        ],
    ),
    (
        re.compile(r"^Transition after the A race on D: (\d+) sessions? a week\.$"),
        lambda m, r: [(int(m[1]), r.sessions_per_week.transition)],
    ),
    (
        re.compile(
            r"^Deload week \(every (\d+)(st|nd|rd|th) week of preparation\): same exercises, "
            r"(\d+) sets? fewer\.$"
        ),
        lambda m, r: [
            (int(m[1]), r.deload.every_weeks),
            (m[1] + m[2], ordinal(r.deload.every_weeks)),
            (int(m[3]), r.deload.set_reduction),
        ],
    ),
    (
        re.compile(
            r"^New to lifting: (\d+) sessions? a week for the first (\d+) training weeks?\.$"
        ),
        lambda m, r: [
            (int(m[1]), r.beginner.sessions_per_week),
            (int(m[2]), r.beginner.weeks),
        ],
    ),
    (
        re.compile(r"lift after the run, at least (\d+) h later \(better (\d+) h\)"),
        lambda m, r: [
            (int(m[1]), r.placement.min_hours_after_run),
            (int(m[2]), r.placement.better_hours_after_run),
        ],
    ),
    (
        re.compile(r"(?:h from other sessions|need (\d+) h between them|(\d+) h apart)"),
        lambda m, r: [(int(n), 24 * r.placement.min_gap_days) for n in m.groups() if n],
    ),
    (
        re.compile(r"^\w+: not the day before a hard run or race, (\d+) h from other sessions\.$"),
        lambda m, r: [(int(m[1]), 24 * r.placement.min_gap_days)],
    ),
    (
        re.compile(
            r"^Last light session, \d+ days? before the A race on D: no loads, sets cut "
            r"(\d+)–(\d+) % as in the taper\.$"
        ),
        lambda m, r: [((int(m[1]), int(m[2])), r.taper.volume_cut_percent)],
    ),
    (
        re.compile(r"^\d+ days? after the A race on D: no loads until (\d+) days? after it\.$"),
        lambda m, r: [(int(m[1]), r.after_race.no_load_days)],
    ),
    (
        re.compile(
            r"^\w+ D: \d+ days? after the A race on D; no strength session for (\d+) "
            r"days? after an A race\.$"
        ),
        lambda m, r: [(int(m[1]), r.after_race.rest_days)],
    ),
    (
        re.compile(
            r"^\w+ D: \d+ days? before the A race; no loads in the last (\d+) days?, only "
            r"one light session (\d+)–(\d+) days out\.$"
        ),
        lambda m, r: [
            (int(m[1]), r.taper.no_load_days),
            ((int(m[2]), int(m[3])), r.taper.last_light_session_days),
        ],
    ),
    (
        re.compile(
            r"^Only \d+ of \d+ planned sessions? fit this week: .* need (\d+) h between "
            r"them\.$"
        ),
        lambda m, r: [(int(m[1]), 24 * r.placement.min_gap_days)],
    ),
    (
        re.compile(
            r"^Taper: (\d+) of (\d+) sets? \((\d+) % fewer\), same load: taper volume "
            r"drops (\d+)–(\d+) %(?:; \d+ sets? allow no cut inside that, \d+ % is the "
            r"nearest)?\.$"
        ),
        lambda m, r: [
            ((int(m[4]), int(m[5])), r.taper.volume_cut_percent),
            (int(m[1]), taper_sets(int(m[2]), r.taper.volume_cut_percent)),
        ],
    ),
    (
        re.compile(r"^Deload week: (\d+) of (\d+) sets?\.$"),
        lambda m, r: [(int(m[1]), max(1, int(m[2]) - r.deload.set_reduction))],
    ),
    (
        re.compile(
            r"^This season holds \d+ of the \d+ sessions? the phases ask for in the weeks "
            r"clear of races(?:, under (\d+) % of them)?: .*$"
        ),
        lambda m, r: [(int(m[1]), round(100 * r.placement.min_share))] if m[1] else [],
    ),
    (
        re.compile(r"^Strength days from the hard-run days: .* (\d+) h apart or more\.$"),
        lambda m, r: [(int(m[1]), 24 * r.placement.min_gap_days)],
    ),
]


def _schedule_reasons(result: Plan) -> list[Reason]:
    reasons = [note for note in result.notes if {"S9", "S11"} & set(note.keys)]
    for week in result.weeks:
        reasons += week.notes
        for session in week.sessions:
            reasons.append(session.placement)
            reasons += [
                reason
                for item in session.items
                for reason in item.reasons
                if reason.text.startswith(("Taper:", "Deload week:"))
            ]
    return reasons


@settings(max_examples=150, deadline=None)
@given(_scheduled(athletes))
def test_every_number_in_a_schedule_reason_is_the_catalog_parameter_it_states(
    case: tuple[Athlete, Season, Catalog, Plan],
) -> None:
    """One catalog: no schedule text hard-codes a number the catalog holds [S5, S7, S11–S14,
    S19]; a text with a number no pattern here knows fails, so a new one must be checked too."""
    _, _, catalog, result = case
    rules = catalog.rules
    for reason in _schedule_reasons(result):
        text = _DATE.sub("D", reason.text)
        if not re.search(r"\d", text):
            continue
        checked = False
        for pattern, expected in _PATTERNS:
            for match in pattern.finditer(text):
                checked = True
                for stated, parameter in expected(match, rules):
                    assert stated == parameter, (reason.text, stated, parameter)
        assert checked, f"no check for the numbers in {reason.text!r}"


@settings(max_examples=150, deadline=None)
@given(athletes, seasons(), load_catalogs())
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
