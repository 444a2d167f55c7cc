"""Three hand-checked season plans, kept as JSON: any change to them must be deliberate.

Regenerate after an intended change with RUNSTRONG_UPDATE_GOLDEN=1, then read the diff.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from runstrong.engine.catalog import default_catalog
from runstrong.engine.model import Plan
from runstrong.engine.planner import plan
from runstrong.engine.profile import parse_athlete, parse_season

GOLDEN = Path(__file__).parent / "golden"
PROFILES = sorted(GOLDEN.glob("*.toml"))


def summary(result: Plan) -> dict[str, Any]:
    """What a coach checks by hand: dates, phases, doses, loads and the rule keys behind them."""
    return {
        "athlete": result.athlete_name,
        "notes": [note.text for note in result.notes],
        "weeks": [
            {
                "week": week.index,
                "phase": week.phase + (" (deload)" if week.deload else ""),
                "notes": [note.text for note in week.notes],
                "sessions": [
                    {
                        "date": f"{session.day:%a %Y-%m-%d}",
                        "kind": session.kind,
                        "items": [
                            f"{item.slot} {item.name}: {item.short_dose()} "
                            f"[{', '.join(item.rule_keys)}]"
                            for item in session.items
                        ],
                    }
                    for session in week.sessions
                ],
            }
            for week in result.weeks
        ],
    }


@pytest.mark.parametrize("profile", PROFILES, ids=[path.stem for path in PROFILES])
def test_golden_plan(profile: Path) -> None:
    data = tomllib.loads(profile.read_text("utf-8"))
    result = plan(parse_athlete(data["athlete"]), parse_season(data["season"]), default_catalog())
    expected_file = profile.with_suffix(".json")
    actual = summary(result)
    if os.environ.get("RUNSTRONG_UPDATE_GOLDEN") == "1":
        expected_file.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert actual == json.loads(expected_file.read_text("utf-8"))
