"""A strength session as a FIT workout file that Garmin, Coros, Wahoo and Suunto watches load.

The watch walks the steps in order: one step per set (each side its own step for a per-side
exercise), exercises of a superset alternating round by round as the phone shows them (M1),
and a rest step after each round, as long as the plan's rest. The load and tempo go in the
step's note, since a watch shows a note under the step name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from runstrong.engine.model import block_of, round_rest

Measure = Literal["reps", "seconds", "metres"]

# Bytes a FIT string field holds here (the builder sizes every string field to this); a
# longer name is cut after a whole word and marked with an ellipsis.
STRING_BYTES = 48
ELLIPSIS = "\u2026"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class WorkoutItem:
    """One planned exercise as the watch needs it."""

    slot: str
    name: str
    sets: int
    target: float
    measure: Measure
    per_side: bool
    rest_s: int
    note: str


@dataclass(frozen=True)
class WorkoutStep:
    """One step the watch shows: a set (or one side of it), or a rest."""

    name: str
    kind: Literal["set", "rest"]
    reps: int | None = None
    seconds: float | None = None
    metres: float | None = None
    note: str = ""


def workout_steps(items: Sequence[WorkoutItem]) -> list[WorkoutStep]:
    """The session in the order it is done, each round followed by its block's rest."""
    blocks: dict[str, list[WorkoutItem]] = {}
    for item in sorted(items, key=lambda item: item.slot):
        blocks.setdefault(block_of(item.slot), []).append(item)
    steps: list[WorkoutStep] = []
    for members in blocks.values():
        rounds = max(item.sets for item in members)
        for round_number in range(1, rounds + 1):
            for item in members:
                if round_number > item.sets:
                    continue
                sides = (" left", " right") if item.per_side else ("",)
                steps.extend(_set_step(item, round_number, side) for side in sides)
            rest = round_rest([item.rest_s for item in members])
            if rest > 0:
                steps.append(WorkoutStep(name=f"Rest {rest} s", kind="rest", seconds=float(rest)))
    while steps and steps[-1].kind == "rest":
        steps.pop()
    return steps


def _set_step(item: WorkoutItem, round_number: int, side: str) -> WorkoutStep:
    # A long name is cut before the side and round, which the athlete needs most.
    suffix = f"{side} {round_number}/{item.sets}"
    name = fit_text(f"{item.slot} {item.name}", STRING_BYTES - len(suffix.encode())) + suffix
    if item.measure == "seconds":
        return WorkoutStep(name=name, kind="set", seconds=float(item.target), note=item.note)
    if item.measure == "metres":
        return WorkoutStep(name=name, kind="set", metres=float(item.target), note=item.note)
    return WorkoutStep(name=name, kind="set", reps=round(item.target), note=item.note)


def fit_text(text: str, limit: int = STRING_BYTES) -> str:
    """`text` as a FIT string holds it: one line, no control bytes (a NUL would end the
    string early), at most `limit` bytes of UTF-8 with the terminator. A longer text is cut
    after its last whole word that fits, and ends in an ellipsis so the watch shows it was cut."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    room = limit - 1
    if len(flat.encode("utf-8")) <= room:
        return flat
    budget = room - len(ELLIPSIS.encode("utf-8"))
    if budget <= 0:
        return flat.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip()
    head = flat.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    if not flat[len(head) : len(head) + 1].isspace():
        words = head.rsplit(" ", 1)[0]
        # One very long word would leave little: then it is cut between characters instead.
        if " " in head and len(words.encode("utf-8")) * 2 >= budget:
            head = words
    return head.rstrip() + ELLIPSIS


def workout_fit(title: str, items: Sequence[WorkoutItem], *, created: datetime) -> bytes:
    """The FIT workout file for one session, titled `title` on the watch."""
    steps = workout_steps(items)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = round(created.timestamp() * 1000)
    file_id.serial_number = 0x52554E53  # "RUNS": any fixed number names the authoring tool

    workout = WorkoutMessage()
    workout.workout_name = fit_text(title)
    workout.sport = Sport.TRAINING
    workout.sub_sport = SubSport.STRENGTH_TRAINING
    workout.num_valid_steps = len(steps)

    builder = FitFileBuilder(auto_define=True, min_string_size=STRING_BYTES)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all([_message(index, step) for index, step in enumerate(steps)])
    return bytes(builder.build().to_bytes())


def _message(index: int, step: WorkoutStep) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.workout_step_name = fit_text(step.name)
    message.intensity = Intensity.REST if step.kind == "rest" else Intensity.ACTIVE
    message.target_type = WorkoutStepTarget.OPEN
    message.target_value = 0
    if step.reps is not None:
        message.duration_type = WorkoutStepDuration.REPS
        message.duration_reps = step.reps
    elif step.seconds is not None:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = step.seconds
    elif step.metres is not None:
        message.duration_type = WorkoutStepDuration.DISTANCE
        message.duration_distance = step.metres
    if step.note:
        message.notes = fit_text(step.note)
    return message
