"""Invariants that hold for any athlete and season the planner accepts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from runstrong.engine.catalog import default_catalog
from runstrong.engine.model import Plan, Session
from runstrong.engine.planner import plan
from runstrong.engine.profile import WEEKDAYS, Athlete, Race, Season
from runstrong.engine.serialize import session_data

CATALOG = default_catalog()
RULES = CATALOG.rules

days = st.lists(st.sampled_from(WEEKDAYS), unique=True)
athletes = st.builds(
    Athlete,
    event_group=st.sampled_from([group.slug for group in CATALOG.groups]),
    experience=st.sampled_from(["new", "some", "experienced"]),
    leg_length=st.sampled_from(["short", "average", "long"]),
    stride_goal=st.sampled_from(["keep", "lengthen"]),
    problems=st.frozensets(st.sampled_from(["knee", "shin", "calf", "lower-back"])),
    equipment=st.frozensets(st.sampled_from(["band", "ghd", "kettlebells", "bench"])),
    kettlebells_kg=st.lists(st.sampled_from(CATALOG.kettlebell_sizes_kg), unique=True).map(tuple),
    strength_days=days.filter(bool).map(tuple),
    hard_run_days=days.map(tuple),
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
