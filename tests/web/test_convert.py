"""Engine items survive the trip through the stored ladder JSON, whatever the profile."""

from __future__ import annotations

import json

from runstrong.engine.catalog import default_catalog
from runstrong.engine.planner import plan
from runstrong.web.coaching.convert import ladder_data, ladder_from_data
from tests.engine.conftest import athlete, season


def test_every_ladder_of_a_flagged_plan_comes_back_equal() -> None:
    """The patellar-tendon holds keep their pain-free switch and the reps they go back to [P3]."""
    profile = athlete(problems=["knee", "patellar-tendon", "shin", "lower-back"])
    ladders = {
        item.ladder
        for s in plan(profile, season(weeks=12), default_catalog()).sessions()
        for item in s.items
    }
    gated = [ladder for ladder in ladders if ladder.pain_free_sessions]
    assert gated
    for ladder in ladders:
        assert ladder_from_data(json.loads(json.dumps(ladder_data(ladder)))) == ladder


def test_a_ladder_stored_before_the_pain_free_switch_still_reads() -> None:
    stored = {
        "measure": "reps", "start": 10, "top": 12, "step": 2, "implement": "goblet kettlebell",
        "loads_kg": [8, 12], "bodyweight_first": True, "then": None, "keys": ["S17"],
    }  # fmt: skip
    ladder = ladder_from_data(stored)
    assert (ladder.sets, ladder.pain_free_sessions) == (None, 0)
