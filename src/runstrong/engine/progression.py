"""Turn what an athlete logged into the next prescription: double progression, load steps, pain.

The planner uses `step_up` too, to lay out the expected progression across a season, so the plan
and the logged reality advance by one rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from runstrong.engine.model import Item, Reason

Change = Literal["repeat", "hold", "progress", "load-up", "to-timed", "top", "regress", "pain-free"]
EFFORT_KEYS = ("S18",)


@dataclass(frozen=True, slots=True)
class LoggedSet:
    """One set as done: `done` is reps, metres or seconds, matching the prescription's measure."""

    done: float
    load_kg: float | None = None
    reps_in_reserve: int | None = None
    pain: int = 0
    side: Literal["left", "right"] | None = None


@dataclass(frozen=True, slots=True)
class Progression:
    prescription: Item
    change: Change
    reason: Reason
    coach_flag: str | None = None


def step_up(item: Item) -> tuple[Item, Change, Reason]:
    """The next rung of the athlete's ladder, or the same item when they have reached the top."""
    ladder = item.ladder
    if item.target < ladder.top:
        target = min(item.target + ladder.step, ladder.top)
        unit = _unit(ladder.measure)
        return (
            item.but(target=target),
            "progress",
            Reason(
                f"Every set reached {item.target:g}{unit}: next target {target:g}{unit} "
                f"at the same load (double progression).",
                ("S16",),
            ),
        )
    if ladder.then is not None and not ladder.pain_free_sessions:
        then = ladder.then
        return (
            item.but(ladder=then, target=then.start),
            "to-timed",
            Reason(
                f"Top of the {_RANGE[ladder.measure]} range reached: switch to timed work, "
                f"{then.start:g}{_unit(then.measure)}{' a side' if item.per_side else ''}.",
                then.keys,
            ),
        )
    heavier = _next_load(item)
    if heavier is not None:
        # After a load step the athlete starts at the bottom of the current range [S16]; a row
        # that has gone timed stays timed.
        return (
            item.but(load_kg=heavier, target=ladder.start),
            "load-up",
            Reason(
                f"Top of the range at {ladder.kg_text(item.load_kg)}: move to "
                f"{ladder.kg_text(heavier)}, the next size available, and start again at "
                f"{ladder.start:g}{_unit(ladder.measure)}.",
                _keys(("M4",) if item.load_kg is None else (), ("S16", "S17"), ladder.keys),
            ),
        )
    at = ladder.kg_text(item.load_kg)
    why = "no heavier kettlebell at hand" if ladder.loads_kg else "no kettlebell to add"
    beyond = ladder.beyond
    if beyond is not None:
        # Between sizes, progress tempo, sets or range first [S17].
        sets = beyond.sets or item.sets
        unit = _unit(beyond.measure)
        changes = []
        if beyond.tempo and beyond.tempo != ladder.tempo:
            changes.append(beyond.tempo)
        if sets != item.sets:
            changes.append(f"{sets} sets")
        if (beyond.start, beyond.top) != (ladder.start, ladder.top):
            changes.append(f"{beyond.start:g}–{beyond.top:g}{unit}")
        return (
            item.but(ladder=beyond, target=beyond.start, sets=sets),
            "progress",
            Reason(
                f"Top of the range at {at} with {why}: now {' and '.join(changes)}, from "
                f"{beyond.start:g}{unit}.",
                beyond.keys,
            ),
        )
    return (
        item,
        "top",
        Reason(
            f"Top of every step at {at} with {why}: keep this dose until "
            f"{'a heavier kettlebell is' if ladder.loads_kg else 'there is a kettlebell'} "
            "at hand.",
            ("S17",),
        ),
    )


def last_set_margin(item: Item, logged_sets: Sequence[LoggedSet]) -> float | None:
    """How far the last set beat the target, on the weaker side; None unless counted in reps."""
    if item.measure != "reps" or not logged_sets:
        return None
    last: dict[str | None, LoggedSet] = {}
    for logged in logged_sets:
        last[logged.side] = logged
    return min(logged.done for logged in last.values()) - item.target


def load_up_early(item: Item, *, extra_reps: int, sessions: int) -> tuple[Item, Reason] | None:
    """The 2-for-2 load step [S15]: the next bell at hand, from the bottom of the range; None
    when there is no heavier bell."""
    heavier = _next_load(item)
    if heavier is None:
        return None
    ladder = item.ladder
    return (
        item.but(load_kg=heavier, target=ladder.start),
        Reason(
            f"The last set beat the target by {extra_reps} reps or more in {sessions} sessions "
            f"in a row: move to {ladder.kg_text(heavier)} and start again at "
            f"{ladder.start:g}{_unit(ladder.measure)} (2-for-2).",
            _keys(("M4",) if item.load_kg is None else (), ("S15", "S17"), ladder.keys),
        ),
    )


def step_down(item: Item) -> tuple[Item, Reason]:
    """One rung back: lower target, else lighter load, else one set fewer."""
    ladder = item.ladder
    if item.target > ladder.start:
        target = max(item.target - ladder.step, ladder.start)
        return item.but(target=target), Reason(
            f"Back one step to {target:g}{_unit(ladder.measure)}.", ("S16",)
        )
    lighter = _previous_load(item)
    if lighter is not item.load_kg:
        label = item.ladder.kg_text(lighter)
        return item.but(load_kg=lighter), Reason(f"Back one load to {label}.", ("S17",))
    if item.sets > 1:
        return item.but(sets=item.sets - 1), Reason(
            f"Already at the lightest dose: one set fewer ({item.sets - 1}).", ("S19",)
        )
    return item, Reason("Already at the lightest dose: keep it while the coach reviews.", ())


def next_prescription(
    prescription: Item,
    logged_sets: Sequence[LoggedSet],
    *,
    pain_regress_at: int,
) -> Progression:
    """The next session's prescription for this exercise, with what changed and why.

    A session with no logged sets counts as missed and repeats. Pain of `pain_regress_at` (the
    catalog's rules.progression.pain_regress_at) or more on any set regresses one step and
    raises a flag for the coach. Otherwise the athlete moves up only when every set reached the
    target, at the prescribed load, with 2 or more reps in reserve.
    """
    if not logged_sets:
        return Progression(
            prescription,
            "repeat",
            Reason("Missed session: repeat the same prescription next time.", ("S16",)),
        )
    worst_pain = max(logged.pain for logged in logged_sets)
    if worst_pain >= pain_regress_at:
        easier, why = step_down(prescription)
        return Progression(
            easier,
            "regress",
            Reason(f"Pain {worst_pain}/10 reported. {why.text}", ("S18", *why.keys)),
            coach_flag=f"{prescription.name}: pain {worst_pain}/10",
        )
    shortfall = _shortfall(prescription, logged_sets)
    if shortfall:
        return Progression(prescription, "hold", Reason(shortfall, ("S16",)))
    # Reps in reserve judge rep-counted work only [S18]: metres and holds have no reps left.
    low_rir = prescription.reps_in_reserve[0]
    hardest = min(
        (logged.reps_in_reserve for logged in logged_sets if logged.reps_in_reserve is not None),
        default=None,
    )
    if prescription.effort is None:
        hardest = None
    if hardest is not None and hardest < low_rir:
        return Progression(
            prescription,
            "hold",
            Reason(
                f"Done, but with {hardest} reps in reserve (target {low_rir}–"
                f"{prescription.reps_in_reserve[1]}): hold this dose until it feels easier.",
                EFFORT_KEYS,
            ),
        )
    advanced, change, reason = step_up(prescription)
    return Progression(advanced, change, reason)


def _shortfall(item: Item, logged_sets: Sequence[LoggedSet]) -> str:
    unit = _unit(item.measure)
    sides: dict[str | None, list[LoggedSet]] = {}
    for logged in logged_sets:
        sides.setdefault(logged.side, []).append(logged)
    for side, sets in sides.items():
        where = f" on the {side} side" if side else ""
        if len(sets) < item.sets:
            return f"{len(sets)} of {item.sets} sets done{where}: repeat this dose."
        if any(logged.done < item.target for logged in sets):
            return f"Not every set reached {item.target:g}{unit}{where}: repeat this dose."
    if item.load_kg is not None:
        lightest = min(
            (logged.load_kg for logged in logged_sets if logged.load_kg is not None),
            default=item.load_kg,
        )
        if lightest < item.load_kg:
            return f"Done with {lightest:g} kg instead of {item.load_kg:g} kg: repeat this dose."
    return ""


def _next_load(item: Item) -> float | None:
    loads = item.ladder.loads_kg
    if item.load_kg is None:
        return loads[0] if loads else None
    return next((size for size in loads if size > item.load_kg), None)


def _previous_load(item: Item) -> float | None:
    if item.load_kg is None:
        return None
    lighter = [size for size in item.ladder.loads_kg if size < item.load_kg]
    if lighter:
        return lighter[-1]
    return None if item.ladder.bodyweight_first else item.load_kg


_RANGE = {"reps": "rep", "metres": "distance", "seconds": "hold"}


def _unit(measure: str) -> str:
    return {"reps": " reps", "metres": " m", "seconds": " s"}[measure]


def _keys(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for group in groups for key in group))
