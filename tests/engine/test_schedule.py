"""The season's schedule: which days, which phases, how races shape them. One test per rule key."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Plan, Session
from runstrong.engine.planner import plan, taper_sets
from runstrong.engine.wording import ordinal
from tests.engine.conftest import MONDAY, athlete, season


def with_rules(catalog: Catalog, **sections: dict[str, Any]) -> Catalog:
    """The catalog with some rule values changed, as a coach's edited copy would have them."""
    rules = catalog.rules
    changed = {
        name: getattr(rules, name).model_copy(update=values) for name, values in sections.items()
    }
    return catalog.model_copy(update={"rules": rules.model_copy(update=changed)})


def weekdays(result: Plan) -> list[str]:
    return [session.day.strftime("%a") for session in result.sessions()]


def on(result: Plan, day: date) -> Session | None:
    return next((session for session in result.sessions() if session.day == day), None)


# ---------------------------------------------------------------- S9, S11: which days


@pytest.mark.parametrize(
    ("hard", "expected"),
    [
        (["mon", "wed", "fri"], ["Mon", "Fri"]),  # was Tue/Thu: each the day before a hard run
        (["wed", "sat"], ["Wed", "Sat"]),  # was 1 a week: Tuesday is the day before Wednesday
        (["tue", "thu"], ["Tue", "Thu"]),
        (["sat", "sun"], ["Wed", "Sun"]),  # Sunday after the run, Wednesday 72 h+ either side
        ([], ["Mon", "Thu"]),  # no hard days: as far apart as a week allows
    ],
)
def test_s9_strength_days_left_out_follow_the_hard_days(
    hard: list[str], expected: list[str]
) -> None:
    """S9 hard days hard: after the run on hard days, never the day before one (S11), 48 h apart."""
    result = plan(athlete(hard_run_days=hard), season(weeks=3), default_catalog())
    assert weekdays(result) == expected * 3
    assert result.shortfall is None
    assert result.notes[0].keys == ("S9", "S11")
    assert result.notes[0].text.startswith("Strength days from the hard-run days:")


def test_s11_five_hard_days_in_a_row_still_hold_a_session_a_week_and_say_what_is_missing() -> None:
    """S11: hard Mon–Fri leave only Friday (after the run) and Saturday, a day apart: 1 a week."""
    result = plan(
        athlete(hard_run_days=["mon", "tue", "wed", "thu", "fri"]),
        season(weeks=4),
        default_catalog(),
    )
    assert weekdays(result) == ["Fri"] * 4
    assert result.shortfall is None, "1 of 2 a week is S5's maintenance dose, not a failure"
    assert result.notes[0].text.startswith("This season holds 4 of the 8 sessions")


def test_s11_given_days_before_hard_runs_hold_nothing_and_the_plan_says_so() -> None:
    """S11: strength Tue/Thu before hard Wed/Fri: 0 sessions is a shortfall, opening the notes."""
    result = plan(
        athlete(strength_days=["tue", "thu"], hard_run_days=["mon", "wed", "fri"]),
        season(weeks=12),
        default_catalog(),
    )
    assert list(result.sessions()) == []
    assert result.shortfall is not None
    assert result.shortfall.text.startswith("No strength session fits this season")
    assert result.notes[0] == result.shortfall


def test_s11_48_hours_hold_across_the_end_of_a_week() -> None:
    """S11: Sunday then Monday are two days in a row: the Monday after a Sunday session goes."""
    result = plan(
        athlete(strength_days=["mon", "sun"], hard_run_days=[]), season(weeks=3), default_catalog()
    )
    days = [session.day for session in result.sessions()]
    assert days == [MONDAY, MONDAY + timedelta(6), MONDAY + timedelta(13), MONDAY + timedelta(20)]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(days))
    assert "Only 1 of 2 planned sessions fit this week" in result.weeks[1].notes[-1].text
    assert result.notes[0].text == (
        "This season holds 4 of the 6 sessions the phases ask for in the weeks clear of races: "
        "strength days Monday and Sunday (given); they hold 1 session a week 48 h apart, not 2."
    )


def test_s11_a_race_on_a_derived_day_moves_the_session_to_a_spare_day() -> None:
    """S11: a C race on Thursday blocks Wednesday and Thursday; Friday takes the session."""
    result = plan(athlete(), season(weeks=1, races=(("2027-01-07", "C"),)), default_catalog())
    assert weekdays(result) == ["Tue", "Fri"]


# ---------------------------------------------------------------- after an A race


def test_after_an_a_race_on_day_one_nothing_until_the_transition_is_over(
    catalog: Catalog,
) -> None:
    """S13: the A race on the season's first day is followed by the transition, not a session."""
    result = plan(athlete(), season(weeks=4, races=((MONDAY.isoformat(), "A"),)), default_catalog())
    first = next(result.sessions()).day
    weeks = catalog.rules.phases.transition_weeks
    assert first > MONDAY + timedelta(days=7 * weeks)
    assert result.weeks[0].phase == "transition"


def test_after_an_a_race_rest_then_no_loads_then_lifting_again(catalog: Catalog) -> None:
    """rules.after_race [S11, S13]: nothing for 2 days, unloaded light sessions to day 4."""
    no_transition = with_rules(catalog, phases={"transition_weeks": 0})
    after = catalog.rules.after_race
    result = plan(
        athlete(strength_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        season(weeks=30, races=((MONDAY.isoformat(), "A"),)),
        no_transition,
    )
    for session in result.sessions():
        since = (session.day - MONDAY).days
        assert since > after.rest_days
        if since <= after.no_load_days:
            assert session.kind == "light"
            assert all(item.load_kg is None for item in session.items)
            assert session.placement.keys == after.sources
    first = next(result.sessions())
    assert (first.day - MONDAY).days == after.rest_days + 1
    assert first.placement.text.startswith(f"{after.rest_days + 1} days after the A race")


def test_a_race_on_monday_leaves_the_rest_of_its_week_without_lifting(catalog: Catalog) -> None:
    """S13: the taper week's days after the race are the transition: no session after the race."""
    race = MONDAY + timedelta(days=7 * 9)
    result = plan(
        athlete(strength_days=["tue", "thu", "sat"], hard_run_days=[]),
        season(weeks=12, races=((race.isoformat(), "A"),)),
        default_catalog(),
    )
    transition_end = race + timedelta(days=7 * catalog.rules.phases.transition_weeks)
    assert [s for s in result.sessions() if race < s.day <= transition_end] == []
    assert on(result, transition_end + timedelta(days=1)) is not None, "Tuesday after: lifting"


# ---------------------------------------------------------------- S12, S14: the taper


@pytest.mark.parametrize(
    ("sets", "kept"), [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3), (7, 3), (8, 4), (10, 5)]
)
def test_s12_taper_cuts_sets_inside_41_to_60_percent_where_whole_sets_allow(
    sets: int, kept: int, catalog: Catalog
) -> None:
    """S12: 41–60 % fewer sets; 3 sets allow 33 % or 67 %, and 67 % is nearer the band."""
    low, high = catalog.rules.taper.volume_cut_percent
    assert taper_sets(sets, (low, high)) == kept
    cut = 100 * (sets - kept) / sets
    if sets not in (1, 3):
        assert low <= cut <= high


def test_s12_three_sets_taper_to_one_and_the_reason_says_why() -> None:
    result = plan(athlete(), season(weeks=12, races=(("2027-03-27", "A"),)), default_catalog())
    taper = next(s for s in result.sessions() if s.kind == "strength" and s.items[0].sets == 1)
    why = taper.items[0].reasons[-1]
    assert why.keys == ("S12",)
    assert why.text == (
        "Taper: 1 of 3 sets (67 % fewer), same load: taper volume drops 41–60 %; 3 sets allow "
        "no cut inside that, 67 % is the nearest."
    )


@pytest.mark.parametrize("weekday", range(7))
def test_s12_the_taper_is_14_days_counted_from_the_race_whatever_its_weekday(
    weekday: int, catalog: Catalog
) -> None:
    """S12: about 2 weeks, by the day: sessions 15+ days out keep their sets, 14 or fewer do not."""
    race = MONDAY + timedelta(days=7 * 14 + weekday)
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    result = plan(
        athlete(strength_days=every_day, hard_run_days=[]),
        season(weeks=16, races=((race.isoformat(), "A"),)),
        default_catalog(),
    )
    taper = catalog.rules.taper
    sessions = [s for s in result.sessions() if s.day < race]
    assert any((race - s.day).days <= taper.days for s in sessions), "the taper holds a session"
    for session in sessions:
        tapered = all("S12" in item.rule_keys for item in session.items)
        assert tapered == ((race - session.day).days <= taper.days), session.day


def test_s14_one_light_session_3_to_5_days_out(catalog: Catalog) -> None:
    low, high = catalog.rules.taper.last_light_session_days
    race = date(2027, 3, 27)
    result = plan(athlete(), season(weeks=12, races=((race.isoformat(), "A"),)), default_catalog())
    light = [s for s in result.sessions() if s.kind == "light"]
    assert len(light) == 1
    assert low <= (race - light[0].day).days <= high
    assert all(item.load_kg is None for item in light[0].items)


# ---------------------------------------------------------------- S5, S7: phases


def test_s5_s7_a_short_lead_in_shortens_competition_so_preparation_keeps_half() -> None:
    """S5/S7: a 10-week season used to be 2 weeks of nothing-but-competition; now it builds."""
    race = date(2027, 3, 13)  # Saturday of week 10
    result = plan(athlete(), season(weeks=10, races=((race.isoformat(), "A"),)), default_catalog())
    phases = [week.phase for week in result.weeks]
    assert phases == ["preparation"] * 5 + ["competition"] * 3 + ["taper"] * 2
    note = result.weeks[5].notes[0]
    assert note.keys == ("S5", "S7")
    assert "It lasts 3 weeks, not 6: preparation keeps at least 50 % of the 7 weeks" in note.text


def test_s5_a_long_lead_in_keeps_six_weeks_of_competition() -> None:
    race = MONDAY + timedelta(days=7 * 29 + 5)
    result = plan(athlete(), season(weeks=30, races=((race.isoformat(), "A"),)), default_catalog())
    assert [week.phase for week in result.weeks].count("competition") == 6


def test_s5_progression_steps_never_land_in_competition_or_taper_weeks() -> None:
    """S5: competition maintains: the dose stays where preparation left it until the race."""
    # 5 preparation weeks (the 4th a deload) end on a 4th progressed week: a step was due.
    result = plan(athlete(), season(weeks=10, races=(("2027-03-13", "A"),)), default_catalog())
    last_preparation = [w for w in result.weeks if w.phase == "preparation"][-1]
    held = {(i.exercise, i.target, i.load_kg) for i in last_preparation.sessions[-1].items}
    for week in result.weeks:
        if week.phase in ("competition", "taper"):
            for session in week.sessions:
                assert {(i.exercise, i.target, i.load_kg) for i in session.items} <= held | {
                    (i.exercise, i.target, None) for i in session.items if session.kind == "light"
                }


# ---------------------------------------------------------------- reasons from the catalog


def test_ordinals_are_english() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th",
    ]  # fmt: skip


def test_s19_s5_reason_numbers_come_from_an_edited_catalog(catalog: Catalog) -> None:
    """S5, S19, S12: a coach's catalog changes the numbers the reasons state, ordinals right."""
    edited = with_rules(
        catalog,
        sessions_per_week={"preparation": 3, "competition": 2},
        deload={"every_weeks": 3, "set_reduction": 2},
        taper={"days": 10, "volume_cut_percent": (30, 50), "no_load_days": 6},
        beginner={"sessions_per_week": 2, "weeks": 2},
    )
    result = plan(
        athlete(experience="new", hard_run_days=[]),
        season(weeks=20, races=(("2027-05-22", "A"),)),
        edited,
    )
    texts = {note.text for week in result.weeks for note in week.notes}
    assert "Preparation: 3 sessions a week build strength." in texts
    assert "Deload week (every 3rd week of preparation): same exercises, 2 sets fewer." in texts
    assert "New to lifting: 2 sessions a week for the first 2 training weeks." in texts
    assert any(
        t.startswith("Competition phase before the A race on 2027-05-22: 2 sessions") for t in texts
    )
    assert any(
        t.startswith("Taper: the 10 days before the A race on 2027-05-22, sets cut 30–50 %, loads "
                     "kept until the last 6 days; 1 session a week") for t in texts
    )  # fmt: skip
