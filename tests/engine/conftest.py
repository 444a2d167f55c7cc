from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.profile import Athlete, Season, parse_athlete, parse_season

MONDAY = date(2027, 1, 4)


def athlete(**fields: Any) -> Athlete:
    data: dict[str, Any] = {"event_group": "5k", "kettlebells_kg": (8, 12, 16)}
    data.update(fields)
    return parse_athlete(data)


def season(
    weeks: int = 12, races: tuple[tuple[str, str], ...] = (), start: date = MONDAY
) -> Season:
    return parse_season(
        {
            "start": start,
            "weeks": weeks,
            "races": [{"date": when, "priority": priority} for when, priority in races],
        }
    )


@pytest.fixture
def catalog() -> Catalog:
    return default_catalog()
