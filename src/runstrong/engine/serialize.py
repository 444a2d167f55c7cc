"""Plain-data forms of engine results for JSON output. Schemas are versioned: see docs/json.md."""

from __future__ import annotations

from typing import Any

from runstrong.engine.benchmarks import Verdict
from runstrong.engine.model import Item, Plan, Reason, Session, Week
from runstrong.engine.progression import Progression

PLAN_SCHEMA = "runstrong.plan/1"
PROGRESSION_SCHEMA = "runstrong.progression/1"
VERDICT_SCHEMA = "runstrong.verdict/1"


def reason_data(reason: Reason) -> dict[str, Any]:
    return {"text": reason.text, "keys": list(reason.keys)}


def item_data(item: Item) -> dict[str, Any]:
    dose: dict[str, float | None] = {"reps": None, "distance_m": None, "duration_s": None}
    dose[{"reps": "reps", "metres": "distance_m", "seconds": "duration_s"}[item.measure]] = (
        item.target
    )
    return {
        "slot": item.slot,
        "exercise": item.exercise,
        "name": item.name,
        "substitute_for": item.substitute_for,
        "sets": item.sets,
        **dose,
        "per_side": item.per_side,
        "load_kg": item.load_kg,
        "implement": item.implement,
        "footwear": item.footwear,
        "rest_s": item.rest_s,
        "reps_in_reserve": list(item.reps_in_reserve),
        "cues": list(item.cues),
        "reason": [reason_data(reason) for reason in item.reasons],
        "rule_keys": list(item.rule_keys),
    }


def session_data(session: Session) -> dict[str, Any]:
    return {
        "date": session.day.isoformat(),
        "kind": session.kind,
        "placement": reason_data(session.placement),
        "blocks": [
            {
                "label": block.label,
                "superset": block.superset,
                "items": [item_data(item) for item in block.items],
            }
            for block in session.blocks
        ],
    }


def week_data(week: Week) -> dict[str, Any]:
    return {
        "index": week.index,
        "start": week.start.isoformat(),
        "phase": week.phase,
        "deload": week.deload,
        "notes": [reason_data(note) for note in week.notes],
        "sessions": [session_data(session) for session in week.sessions],
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    return {
        "schema": PLAN_SCHEMA,
        "athlete": plan.athlete_name,
        "event_group": plan.event_group,
        "catalog": plan.catalog_name,
        "start": plan.start.isoformat(),
        "notes": [reason_data(note) for note in plan.notes],
        "weeks": [week_data(week) for week in plan.weeks],
    }


def progression_data(progression: Progression) -> dict[str, Any]:
    return {
        "schema": PROGRESSION_SCHEMA,
        "change": progression.change,
        "reason": reason_data(progression.reason),
        "coach_flag": progression.coach_flag,
        "prescription": item_data(progression.prescription),
    }


def verdict_data(verdict: Verdict) -> dict[str, Any]:
    return {
        "schema": VERDICT_SCHEMA,
        "movement": verdict.movement,
        "status": verdict.status,
        "value": verdict.value,
        "target": verdict.target,
        "close_from": verdict.close_from,
        "sex": verdict.sex,
        "own_figure": verdict.for_sex,
        "ratio": verdict.ratio,
        "asymmetry_pct": verdict.asymmetry_pct,
        "asymmetry_flag": verdict.asymmetry_flag,
        "reason": [reason_data(reason) for reason in verdict.reasons],
        "rule_keys": list(verdict.rule_keys),
    }
