"""Planned runs hard or easy from the club's words and the run's length; load jumps; and the
placement around hard runs by date [S9, S11]."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from itertools import pairwise

import pytest

from runstrong.engine.catalog import load_catalog, parse_catalog
from runstrong.engine.errors import CatalogError
from runstrong.engine.planner import plan
from runstrong.engine.profile import RunningDays, parse_athlete, parse_season
from runstrong.engine.run_kinds import classify_run, load_jumps

RULE = load_catalog(None).rules.running
DEFAULT_TEXT = resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("title", "description", "minutes", "hard", "race", "keys"),
    [
        ("6 x 800 m Intervals", "", 60, True, False, ("interval",)),
        ("Tempo run", "20 min at threshold", 50, True, False, ("tempo", "threshold")),
        ("Sunday long run", "", 80, True, False, ("long-run",)),
        ("Fartlek", "", None, True, False, ("fartlek",)),
        ("County 10k", "Race day!", 40, True, True, ("race",)),
        ("Easy 40", "", 40, False, False, ("easy-word",)),
        ("Recovery jog", "", 95, False, False, ("easy-word",)),
        ("Steady", "", 95, True, False, ("long-run-minutes",)),
        ("Steady", "", 60, False, False, ("no-hard-word",)),
        ("Salt flats", "belong", 30, False, False, ("no-hard-word",)),  # whole words only
    ],
)
def test_a_run_is_hard_or_easy_with_the_words_that_decided(
    title: str, description: str, minutes: int | None, hard: bool, race: bool, keys: tuple
) -> None:
    kind = classify_run(title, description, minutes, RULE)
    assert (kind.hard, kind.race, kind.rule_keys) == (hard, race, keys)
    assert kind.reasons
    assert kind.reasons[0].keys == ("S9", "S11")


def test_a_club_adds_its_own_words() -> None:
    text = DEFAULT_TEXT.replace('fartlek = ["fartlek"]', 'fartlek = ["fartlek", "kenyan hills"]')
    rule = parse_catalog(text).rules.running
    assert classify_run("Kenyan hills", "", None, rule).rule_keys == ("fartlek", "hills")


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (('tempo = ["tempo"]', 'tempo = ["Tempo "]'), "rules.running"),
        (('tempo = ["tempo"]', "tempo = []"), "rules.running"),
        (('race_keys = ["race"]', 'race_keys = ["races"]'), "rules.running"),
        (("load_jump_ratio = 1.5", "load_jump_ratio = 0.5"), "rules.running.load_jump_ratio"),
        (("long_run_minutes = 90", "long_run_minutes = 5"), "rules.running.long_run_minutes"),
    ],
)
def test_a_broken_running_section_is_refused(edit: tuple[str, str], key: str) -> None:
    with pytest.raises(CatalogError) as raised:
        parse_catalog(DEFAULT_TEXT.replace(*edit, 1))
    assert raised.value.key == key


def test_a_week_whose_running_jumps_is_flagged() -> None:
    start = date(2027, 1, 4)  # a Monday
    minutes = {start + timedelta(days=d): 40.0 for d in range(0, 35, 2)}
    jumps = load_jumps(minutes, start, start, start + timedelta(days=34), RULE)
    assert jumps == []  # steady running
    for d in range(28, 35):
        minutes[start + timedelta(days=d)] = 90.0
    jumps = load_jumps(minutes, start, start, start + timedelta(days=34), RULE)
    assert [jump.week_start for jump in jumps] == [start + timedelta(days=28)]
    assert "1.5 × the 28-day weekly average" in jumps[0].reason.text
    # Fewer than 28 days known: not judged.
    assert (
        load_jumps(minutes, start + timedelta(days=14), start, start + timedelta(days=34), RULE)
        == []
    )


def test_sessions_follow_hard_runs_by_date_where_the_plan_covers_them() -> None:
    athlete = parse_athlete({"event_group": "5k", "hard_run_days": ["tue", "thu"]})
    start = date(2027, 1, 4)
    plain = parse_season({"start": start, "weeks": 4})
    moved = RunningDays(
        first=start,
        last=start + timedelta(days=6),
        hard=frozenset({start + timedelta(days=2), start + timedelta(days=3)}),  # Wed, Thu
    )
    with_runs = parse_season({"start": start, "weeks": 4, "running": moved})
    before = [s.day for w in plan(athlete, plain, load_catalog(None)).weeks for s in w.sessions]
    after = [s.day for w in plan(athlete, with_runs, load_catalog(None)).weeks for s in w.sessions]
    tuesday = start + timedelta(days=1)
    assert tuesday in before
    assert tuesday not in after
    for day in after:
        assert day + timedelta(days=1) not in moved.hard
    assert all((b - a).days >= 2 for a, b in pairwise(after))
    # The weeks the running plan does not cover keep the profile's days.
    assert [d for d in after if d > moved.last] == [d for d in before if d > moved.last]
