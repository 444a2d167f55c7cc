"""Read an athlete and season from a TOML/JSON file and CLI flags (flags win)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runstrong.engine.errors import ProfileError
from runstrong.engine.profile import (
    Athlete,
    Season,
    counted_kettlebells,
    parse_athlete,
    parse_race_spec,
    parse_season,
)


def read_profile_file(path: Path) -> dict[str, Any]:
    """The file's `athlete` and `season` tables; a file without them is all athlete fields."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError("--profile", str(path), f"a readable file ({error.strerror})") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise ProfileError("--profile", str(path), f"valid TOML or JSON ({error})") from None
    if not isinstance(data, dict):
        raise ProfileError("--profile", str(path), "a table with athlete and season fields")
    return data


def split_list(flag: str, given: str | Sequence[str] | None) -> list[str] | None:
    """A list option's values, from comma lists, repeats of the option (`--problems knee
    --problems shin`) or both; `none` alone is the empty list."""
    if given is None:
        return None
    texts = [given] if isinstance(given, str) else list(given)
    parts = [part.strip().lower() for text in texts for part in text.split(",") if part.strip()]
    if "none" in parts:
        if len(parts) > 1:
            raise ProfileError(flag, ",".join(parts), "none on its own, or a list without none")
        return []
    return list(dict.fromkeys(parts))


def parse_kettlebells(given: str | Sequence[str] | None) -> list[list[float]] | str | None:
    """`8,12x2,16` (or the option repeated) as [size, count] pairs; `none` alone passes
    through: no kettlebells at all. A size given twice is two bells, so nothing is merged."""
    if given is None:
        return None
    texts = [given] if isinstance(given, str) else list(given)
    parts = [part.strip() for text in texts for part in text.split(",") if part.strip()]
    listed = ",".join(parts)
    if any(part.lower() == "none" for part in parts):
        if len(parts) > 1:
            raise ProfileError("--kettlebells", listed, "none on its own, or a list without none")
        return "none"
    try:
        return [[size, count] for size, count in counted_kettlebells(listed)]
    except ValueError as error:
        raise ProfileError("--kettlebells", listed, str(error)) from None


def parse_race(text: str) -> dict[str, Any]:
    return parse_race_spec(text, field="--race")


def build_profile(
    file_data: dict[str, Any], athlete_flags: dict[str, Any], season_flags: dict[str, Any]
) -> tuple[Athlete, Season]:
    athlete_data = dict(file_data.get("athlete", {}))
    if "athlete" not in file_data and "season" not in file_data:
        athlete_data = dict(file_data)
    season_data = dict(file_data.get("season", {}))
    athlete_data.update({key: value for key, value in athlete_flags.items() if value is not None})
    season_data.update({key: value for key, value in season_flags.items() if value is not None})
    return parse_athlete(athlete_data), parse_season(season_data)
