"""An athlete's folded progression state kept as JSON between folds, with the log marks it was
folded from: a squad's preview reads it instead of folding every athlete's season again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from runstrong.engine.model import Item, Reason
from runstrong.engine.state import ExerciseState, ProgressionState
from runstrong.web.coaching.convert import ladder_data, ladder_from_data
from runstrong.web.coaching.models import FoldedState


def stored_states(marks: dict[int, str]) -> dict[int, ProgressionState]:
    """The stored states whose marks are still these; an athlete whose log moved is left out."""
    return {
        athlete_id: state_from_data(data)
        for athlete_id, stored_marks, data in FoldedState.objects.filter(
            athlete__in=list(marks)
        ).values_list("athlete_id", "marks", "state")
        if stored_marks == marks[athlete_id]
    }


class StoredState(NamedTuple):
    """What a fold keeps of one athlete: the `marks` a preview compares, the state, what log
    it was folded `through` (`logged_state._Fold`) and the state before the newest session
    with its own `through`, which a completion that changes that session folds on from."""

    athlete_id: int
    marks: str
    state: ProgressionState
    through: dict[str, Any]
    before_last: dict[str, Any] | None


def store_states(states: Iterable[StoredState]) -> None:
    """Keep these: one upsert however many athletes."""
    FoldedState.objects.bulk_create(
        [
            FoldedState(
                athlete_id=kept.athlete_id,
                marks=kept.marks,
                # In the state's own JSON: a worker of the release before, storing a state
                # without it, cannot leave it describing another state.
                state=state_data(kept.state) | {"through": kept.through},
                before_last=kept.before_last,
            )
            for kept in states
        ],
        update_conflicts=True,
        unique_fields=["athlete"],
        update_fields=["marks", "state", "before_last"],
    )


def state_data(state: ProgressionState) -> dict[str, Any]:
    return {
        "last_day": _day(state.last_day),
        "exercises": [_exercise_data(exercise) for exercise in state.exercises.values()],
    }


def state_from_data(data: dict[str, Any]) -> ProgressionState:
    exercises = [_exercise_from_data(exercise) for exercise in data["exercises"]]
    return ProgressionState(
        {exercise.key: exercise for exercise in exercises}, _day_from(data["last_day"])
    )


def _exercise_data(exercise: ExerciseState) -> dict[str, Any]:
    return {
        "key": exercise.key,
        "prescription": _item_data(exercise.prescription),
        "full_sets": exercise.full_sets,
        "sessions_at_top": exercise.sessions_at_top,
        "pain_open": exercise.pain_open,
        "pain_free": exercise.pain_free,
        "beat_by": exercise.beat_by,
        "last_change": exercise.last_change,
        "reason": _reason_data(exercise.reason) if exercise.reason else None,
        "changed_on": _day(exercise.changed_on),
        "source": exercise.source,
        "coach_flag": exercise.coach_flag,
        "timed": exercise.timed,
    }


def _exercise_from_data(data: dict[str, Any]) -> ExerciseState:
    return ExerciseState(
        key=data["key"],
        prescription=_item_from_data(data["prescription"]),
        full_sets=data["full_sets"],
        sessions_at_top=data["sessions_at_top"],
        pain_open=data["pain_open"],
        pain_free=data["pain_free"],
        beat_by=data["beat_by"],
        last_change=data["last_change"],
        reason=_reason_from_data(data["reason"]) if data["reason"] else None,
        changed_on=_day_from(data["changed_on"]),
        source=data["source"],
        coach_flag=data["coach_flag"],
        timed=data["timed"],
    )


def _item_data(item: Item) -> dict[str, Any]:
    return {
        "slot": item.slot,
        "exercise": item.exercise,
        "name": item.name,
        "sets": item.sets,
        "target": item.target,
        "ladder": ladder_data(item.ladder),
        "per_side": item.per_side,
        "load_kg": item.load_kg,
        "rest_s": item.rest_s,
        "reps_in_reserve": list(item.reps_in_reserve),
        "cues": list(item.cues),
        "reasons": [_reason_data(reason) for reason in item.reasons],
        "substitute_for": item.substitute_for,
        "footwear": item.footwear,
    }


def _item_from_data(data: dict[str, Any]) -> Item:
    low, high = data["reps_in_reserve"]
    return Item(
        slot=data["slot"],
        exercise=data["exercise"],
        name=data["name"],
        sets=data["sets"],
        target=data["target"],
        ladder=ladder_from_data(data["ladder"]),
        per_side=data["per_side"],
        load_kg=data["load_kg"],
        rest_s=data["rest_s"],
        reps_in_reserve=(low, high),
        cues=tuple(data["cues"]),
        reasons=tuple(_reason_from_data(reason) for reason in data["reasons"]),
        substitute_for=data["substitute_for"],
        footwear=data["footwear"],
    )


def _reason_data(reason: Reason) -> dict[str, Any]:
    return {"text": reason.text, "keys": list(reason.keys)}


def _reason_from_data(data: dict[str, Any]) -> Reason:
    return Reason(data["text"], tuple(data["keys"]))


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day_from(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
