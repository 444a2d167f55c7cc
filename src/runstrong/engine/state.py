"""Where each of an athlete's exercises stands, folded from what they logged [S16–S19].

The state is a pure function of the logged sessions, taken in date order: logging an old session
late, or saving the same session twice, gives the same state as logging them on time and once.
The planner projects the rest of the season from it (`planner.replan`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from runstrong.engine.catalog import ProgressionRule
from runstrong.engine.model import Item, Reason
from runstrong.engine.progression import (
    Change,
    LoggedSet,
    last_set_margin,
    load_up_early,
    next_prescription,
    step_down,
    step_up,
)
from runstrong.engine.wording import unit_after, weekday_date

Rung = Literal["unloaded", "loaded", "timed"]
Status = Literal["done", "missed"]


def state_key(item: Item) -> str:
    """One progression per exercise form: a substitute climbs its own ladder."""
    if item.substitute_for is None:
        return item.exercise
    return f"{item.exercise}:{item.name}"


@dataclass(frozen=True, slots=True)
class ExerciseState:
    """What the next ordinary session of one exercise asks for, and how it got there.

    `full_sets` is the set count the athlete started with: a pain step-back may take a set away,
    and a clean session gives it back before the range climbs again. `pain_free` counts the
    pain-free sessions in a row on a form that lasts only while it hurts [P3]; `beat_by` the
    sessions in a row whose last set beat the target by the 2-for-2 margin [S15].
    """

    key: str
    prescription: Item
    full_sets: int
    sessions_at_top: int = 0
    pain_open: bool = False
    pain_free: int = 0
    beat_by: int = 0
    last_change: Change | None = None
    reason: Reason | None = None
    changed_on: date | None = None
    source: str = ""
    coach_flag: str | None = None

    timed: bool = False

    @property
    def rung(self) -> Rung:
        if self.timed:
            return "timed"
        return "unloaded" if self.prescription.load_kg is None else "loaded"


@dataclass(frozen=True, slots=True)
class LoggedItem:
    """One exercise of a logged session: the prescription as it stood that day, its sets, and
    pain the athlete reported for it (counted even when no set was typed in). `pain_where`
    says where that pain was (`left knee`), "" when the report did not say."""

    prescribed: Item
    sets: tuple[LoggedSet, ...] = ()
    pain: int = 0
    pain_where: str = ""


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A session the athlete finished or missed. `source` names it for the coach ("session 41")."""

    day: date
    status: Status
    items: tuple[LoggedItem, ...]
    light: bool = False
    source: str = ""
    order: int = 0


@dataclass(frozen=True, slots=True)
class Transition:
    """What one logged session did to one exercise: before → after, and why."""

    day: date
    source: str
    key: str
    name: str
    change: Change
    before: Item
    after: Item
    reason: Reason
    coach_flag: str | None = None


@dataclass(frozen=True, slots=True)
class ProgressionState:
    exercises: Mapping[str, ExerciseState] = field(default_factory=dict)
    last_day: date | None = None

    def get(self, key: str) -> ExerciseState | None:
        return self.exercises.get(key)


EMPTY_STATE = ProgressionState()


def state_from_logs(
    logs: Iterable[LoggedSession],
    *,
    rule: ProgressionRule,
    starts: Sequence[Item] = (),
) -> ProgressionState:
    """The athlete's state after every logged session, folded in date order."""
    state, _ = fold_logs(logs, starts=starts, rule=rule)
    return state


def fold_logs(
    logs: Iterable[LoggedSession],
    *,
    rule: ProgressionRule,
    starts: Sequence[Item] = (),
    since: ProgressionState = EMPTY_STATE,
) -> tuple[ProgressionState, list[Transition]]:
    """The state and every change on the way, oldest first, by the catalog's progression
    `rule` (its pain threshold among them).

    `since` is the state folded from the logs before these, every one of which sorts before
    them: folding the newest session onto it gives the state folding the whole log gives,
    so a completion need not fold the season again.
    """
    full_sets = {state_key(item): item.sets for item in starts}
    exercises: dict[str, ExerciseState] = dict(since.exercises)
    transitions: list[Transition] = []
    last_day: date | None = since.last_day
    for session in sorted(logs, key=lambda logged: (logged.day, logged.order)):
        last_day = session.day
        for logged in session.items:
            key = state_key(logged.prescribed)
            current = exercises.get(key) or ExerciseState(
                key, logged.prescribed, full_sets.get(key, logged.prescribed.sets)
            )
            after = _fold_item(current, session, logged, rule)
            exercises[key] = after
            assert after.last_change is not None
            assert after.reason is not None
            transitions.append(
                Transition(
                    session.day,
                    session.source,
                    key,
                    logged.prescribed.name,
                    after.last_change,
                    current.prescription,
                    after.prescription,
                    after.reason,
                    after.coach_flag,
                )
            )
    return ProgressionState(exercises, last_day), transitions


def _fold_item(
    current: ExerciseState, session: LoggedSession, logged: LoggedItem, rule: ProgressionRule
) -> ExerciseState:
    pain_regress_at = rule.pain_regress_at
    before = current.prescription
    day = weekday_date(session.day)

    def moved(
        prescription: Item,
        change: Change,
        reason: Reason,
        *,
        pain_open: bool | None = None,
        at_top: int = 0,
        flag: str | None = None,
        pain_free: int | None = None,
        full_sets: int | None = None,
        beat_by: int | None = None,
    ) -> ExerciseState:
        # Unset fields keep what `current` holds when this is called, not when it was defined.
        # Written out rather than `dataclasses.replace`: it runs for every logged exercise.
        return ExerciseState(
            key=current.key,
            prescription=prescription,
            full_sets=current.full_sets if full_sets is None else full_sets,
            sessions_at_top=at_top,
            pain_open=current.pain_open if pain_open is None else pain_open,
            pain_free=current.pain_free if pain_free is None else pain_free,
            beat_by=current.beat_by if beat_by is None else beat_by,
            last_change=change,
            reason=reason,
            changed_on=session.day,
            source=session.source,
            coach_flag=flag,
            timed=current.timed or change == "to-timed",
        )

    if session.status == "missed":
        return moved(
            before,
            "repeat",
            Reason(f"{logged.prescribed.name} missed on {day}: same dose next time.", ("S16",)),
            at_top=current.sessions_at_top,
        )
    worst_pain = max((logged.pain, *(entry.pain for entry in logged.sets)))
    if worst_pain >= pain_regress_at:
        easier, back = step_down(before)
        # Pain reported in this exercise says where and in which exercise; a session's single
        # pain score (logs from before pain was reported per exercise) reads as it always did.
        where = f" ({logged.pain_where})" if logged.pain_where else ""
        said = (
            f"Pain {worst_pain}/10{where} in the {logged.prescribed.name} on {day}"
            if logged.pain_where
            else f"Pain {worst_pain}/10 on {day}"
        )
        return moved(
            easier,
            "regress",
            Reason(f"{said}. {back.text}", ("S18", *back.keys)),
            pain_open=True,
            flag=f"{before.name}: pain {worst_pain}/10{where} on {day}",
            pain_free=0,
            beat_by=0,
        )
    if not logged.sets:
        return moved(
            before,
            "repeat",
            Reason(f"{logged.prescribed.name} not logged on {day}: same dose next time.", ("S16",)),
            at_top=current.sessions_at_top,
        )
    gated = before.ladder
    if gated.pain_free_sessions and gated.then is not None:
        # A form that lasts while it hurts [P3]: pain-free sessions in a row bring back the
        # exercise's own dose; any pain starts the count again.
        streak = current.pain_free + 1 if worst_pain == 0 else 0
        if streak >= gated.pain_free_sessions:
            own = gated.then
            sets = own.sets or before.sets
            unit = unit_after(own.measure)
            return moved(
                before.but(ladder=own, target=own.start, sets=sets),
                "pain-free",
                Reason(
                    f"{day}: {streak} pain-free sessions in a row: back to "
                    f"{sets} × {own.start:g}{unit}.",
                    ("P3", *own.keys),
                ),
                pain_open=False,
                pain_free=0,
                full_sets=sets,
            )
        current = replace(current, pain_free=streak)
    if session.light:
        return moved(
            before,
            "hold",
            Reason(f"Light session on {day} before a race: no step up from it.", ("S14",)),
            at_top=current.sessions_at_top,
        )
    judged = next_prescription(logged.prescribed, logged.sets, pain_regress_at=pain_regress_at)
    if judged.change == "hold":
        return moved(
            before,
            "hold",
            Reason(f"{day}: {judged.reason.text}", judged.reason.keys),
            at_top=current.sessions_at_top,
            beat_by=0,
        )
    if current.pain_open:
        return moved(
            before,
            "hold",
            Reason(
                f"{day}: first pain-free session after the step back: hold this dose once "
                "before climbing again.",
                ("S18",),
            ),
            pain_open=False,
        )
    # The dose actually done (a coach's edit counts) at the athlete's own volume: a deload or
    # taper session has fewer sets but climbs like a full one.
    done = before.but(
        target=logged.prescribed.target,
        load_kg=logged.prescribed.load_kg,
        ladder=logged.prescribed.ladder,
    )
    # 2-for-2 [S15]: the last set beating the target by the margin, sessions in a row, loads
    # up before the top of the range.
    margin = last_set_margin(logged.prescribed, logged.sets)
    beat_by = current.beat_by + 1 if margin is not None and margin >= rule.load_up_extra_reps else 0
    if beat_by >= rule.load_up_sessions:
        early = load_up_early(
            done, extra_reps=rule.load_up_extra_reps, sessions=rule.load_up_sessions
        )
        if early is not None:
            heavier, why = early
            return moved(
                heavier.but(sets=max(done.sets, current.full_sets)),
                "load-up",
                Reason(f"{day}: {why.text}", why.keys),
                beat_by=0,
            )
    if done.sets < current.full_sets:
        sets = done.sets + 1
        return moved(
            done.but(sets=sets),
            "progress",
            Reason(f"{day}: every set done: back to {sets} sets.", ("S16", "S19")),
            beat_by=beat_by,
        )
    advanced, change, up = step_up(done)
    if change == "top":
        at_top = current.sessions_at_top + 1
        return moved(
            advanced,
            change,
            Reason(f"{day}: {up.text} At the top for {at_top} sessions.", up.keys),
            at_top=at_top,
            beat_by=beat_by,
        )
    # A step past the top may add a set: that is the athlete's full volume from now on.
    full_sets = advanced.sets if advanced.ladder.sets is not None else None
    return moved(
        advanced,
        change,
        Reason(f"{day}: {up.text}", up.keys),
        full_sets=full_sets,
        beat_by=beat_by,
    )


def transitions_for(transitions: Iterable[Transition], source: str) -> list[Transition]:
    return [transition for transition in transitions if transition.source == source]
