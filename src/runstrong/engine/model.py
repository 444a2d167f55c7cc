"""What the planner and progression hand back: frozen, framework-free records with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Measure = Literal["reps", "metres", "seconds"]
Phase = Literal["preparation", "competition", "taper", "transition"]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the engine chose something, with the rule keys a coach can look up."""

    text: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ladder:
    """How one athlete's exercise progresses: a double-progression range, then the next load.

    `loads_kg` are the sizes this athlete actually has, capped by the exercise's maximum; an empty
    tuple means the exercise stays at bodyweight. `then` is the range to move to once the top is
    reached at the current measure (the isometric row goes from reps to seconds).
    """

    measure: Measure
    start: float
    top: float
    step: float
    implement: str
    loads_kg: tuple[float, ...] = ()
    bodyweight_first: bool = True
    then: Ladder | None = None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    """One prescribed exercise in a session: also the `prescription` that progression advances."""

    slot: str
    exercise: str
    name: str
    sets: int
    target: float
    ladder: Ladder
    per_side: bool
    load_kg: float | None
    rest_s: int
    reps_in_reserve: tuple[int, int]
    cues: tuple[str, ...]
    reasons: tuple[Reason, ...]
    substitute_for: str | None = None
    # What to wear on the feet, from the catalog (socks for the Spanish squat, barefoot for the
    # single-leg squat); None when the catalog says nothing.
    footwear: str | None = None

    @property
    def measure(self) -> Measure:
        return self.ladder.measure

    @property
    def implement(self) -> str:
        return "bodyweight" if self.load_kg is None else self.ladder.implement

    @property
    def rule_keys(self) -> tuple[str, ...]:
        return _unique(key for reason in self.reasons for key in reason.keys)

    def adjusted(self, *, sets: int, unloaded: bool, reason: Reason) -> Item:
        """This item with another set count (and optionally no load), plus the reason why.

        Written out rather than `dataclasses.replace` because planning calls it for every
        deload and taper week of every athlete.
        """
        return Item(
            self.slot,
            self.exercise,
            self.name,
            sets,
            self.target,
            self.ladder,
            self.per_side,
            None if unloaded else self.load_kg,
            self.rest_s,
            self.reps_in_reserve,
            self.cues,
            (*self.reasons, reason),
            self.substitute_for,
            self.footwear,
        )

    def short_dose(self) -> str:
        """Compact form for tables: `3×10/side @8 kg`."""
        unit = {"reps": "", "metres": " m", "seconds": " s"}[self.measure]
        side = "/side" if self.per_side else ""
        load = f" @{self.load_kg:g} kg" if self.load_kg is not None else ""
        return f"{self.sets}×{self.target:g}{unit}{side}{load}"

    def label(self) -> str:
        """`A1 Banded Spanish squat (socks)`: slot, name and footwear, for one-line listings."""
        shoes = f" ({self.footwear})" if self.footwear else ""
        return f"{self.slot} {self.name}{shoes}"

    def dose_text(self) -> str:
        unit = {"reps": "", "metres": " m", "seconds": " s"}[self.measure]
        side = " each side" if self.per_side else ""
        load = "bodyweight" if self.load_kg is None else f"{self.load_kg:g} kg {self.implement}"
        return f"{self.sets} × {self.target:g}{unit}{side}, {load}"


@dataclass(frozen=True, slots=True)
class Block:
    label: str
    superset: bool
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Session:
    day: date
    kind: Literal["strength", "light"]
    placement: Reason
    blocks: tuple[Block, ...]
    reasons: tuple[Reason, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for block in self.blocks for item in block.items)


@dataclass(frozen=True, slots=True)
class Week:
    index: int
    start: date
    phase: Phase
    deload: bool
    sessions: tuple[Session, ...]
    notes: tuple[Reason, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Plan:
    athlete_name: str
    event_group: str
    catalog_name: str
    start: date
    weeks: tuple[Week, ...]
    notes: tuple[Reason, ...] = ()
    # Set when the season holds no session, or too few of those its phases ask for: the plan is
    # still built, but the CLI refuses it. The same reason opens `notes`.
    shortfall: Reason | None = None

    def sessions(self) -> Iterator[Session]:
        for week in self.weeks:
            yield from week.sessions


def _unique(keys: Iterator[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))
