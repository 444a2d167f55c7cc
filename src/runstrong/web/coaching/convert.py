"""Rows to engine records and back: the only place that knows both shapes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from runstrong.engine.model import Item, Ladder, Reason
from runstrong.engine.profile import Athlete as EngineAthlete
from runstrong.engine.profile import RunningDays, Season, parse_athlete, parse_season
from runstrong.web.coaching.models import Athlete, PlannedItem, Race


def athlete_to_engine(athlete: Athlete) -> EngineAthlete:
    return parse_athlete(
        {
            "name": athlete.name,
            "event_group": athlete.event_group,
            "sex": athlete.sex,
            "body_mass_kg": athlete.body_mass_kg,
            "experience": athlete.experience,
            "leg_length": athlete.leg_length,
            "stride_goal": athlete.stride_goal,
            "problems": athlete.problems,
            "equipment": athlete.equipment,
            "kettlebells_kg": athlete.kettlebells_kg,
            "strength_days": athlete.strength_days,
            "hard_run_days": athlete.hard_run_days,
        }
    )


def season_for(
    start: date, weeks: int, races: Iterable[Race], running: RunningDays | None = None
) -> Season:
    """The season window; races outside it are left out rather than refused. `running`:
    hard days by date from the running plan, where it covers the season."""
    end = start + timedelta(days=7 * weeks - 1)
    inside = [
        {"name": race.name, "date": race.date, "priority": race.priority}
        for race in races
        if start <= race.date <= end
    ]
    return parse_season({"start": start, "weeks": weeks, "races": inside, "running": running})


def ladder_data(ladder: Ladder) -> dict[str, Any]:
    return {
        "measure": ladder.measure,
        "start": ladder.start,
        "top": ladder.top,
        "step": ladder.step,
        "implement": ladder.implement,
        "loads_kg": list(ladder.loads_kg),
        "bodyweight_first": ladder.bodyweight_first,
        "then": ladder_data(ladder.then) if ladder.then else None,
        "keys": list(ladder.keys),
        "sets": ladder.sets,
        "pain_free_sessions": ladder.pain_free_sessions,
        "note": ladder.note,
        "bells": ladder.bells,
        "tempo": ladder.tempo,
        "beyond": ladder_data(ladder.beyond) if ladder.beyond else None,
    }


def ladder_from_data(data: dict[str, Any]) -> Ladder:
    return Ladder(
        measure=data["measure"],
        start=data["start"],
        top=data["top"],
        step=data["step"],
        implement=data["implement"],
        loads_kg=tuple(data["loads_kg"]),
        bodyweight_first=data["bodyweight_first"],
        then=ladder_from_data(data["then"]) if data.get("then") else None,
        keys=tuple(data["keys"]),
        # Ladders stored before these fields existed had neither.
        sets=data.get("sets"),
        pain_free_sessions=data.get("pain_free_sessions", 0),
        note=data.get("note", ""),
        bells=data.get("bells", 1),
        tempo=data.get("tempo", ""),
        beyond=ladder_from_data(data["beyond"]) if data.get("beyond") else None,
    )


ITEM_COLUMNS = (
    "slot", "exercise", "name", "substitute_for", "sets", "target", "per_side", "load_kg",
    "rest_s", "rir_low", "rir_high", "measure", "footwear",
)  # fmt: skip


def item_fields(item: Item) -> dict[str, Any]:
    """PlannedItem column values for an engine item, in ITEM_COLUMNS order; its texts are
    `replanning.Texts`."""
    values = (
        item.slot, item.exercise, item.name, item.substitute_for or "", item.sets, item.target,
        item.per_side, item.load_kg, item.rest_s, item.reps_in_reserve[0],
        item.reps_in_reserve[1], item.ladder.measure, item.footwear or "",
    )  # fmt: skip
    return dict(zip(ITEM_COLUMNS, values, strict=True))


def item_from_row(row: PlannedItem) -> Item:
    return Item(
        slot=row.slot,
        exercise=row.exercise,
        name=row.name,
        sets=row.sets,
        target=row.target,
        ladder=ladder_from_data(row.ladder),
        per_side=row.per_side,
        load_kg=row.load_kg,
        rest_s=row.rest_s,
        reps_in_reserve=(row.rir_low, row.rir_high),
        cues=tuple(row.cues),
        reasons=tuple(Reason(r["text"], tuple(r["keys"])) for r in row.reasons),
        substitute_for=row.substitute_for or None,
        footwear=row.footwear or None,
    )
