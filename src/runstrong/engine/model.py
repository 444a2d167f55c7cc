"""What the planner and progression hand back: frozen, framework-free records with reasons."""

from __future__ import annotations

import re
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


class _Keep:
    """Marks a field `Item.but` leaves as it is (None is a load: bodyweight)."""


KEEP = _Keep()

# The reason naming an item's kettlebell starts so: it goes when the load does.
LOAD_PREFIX = "Load: "


DOSE_UNITS = {"reps": "reps", "metres": "m", "seconds": "s"}


def dose_words(
    *, sets: int, target: float, measure: str, per_side: bool, load: str, tempo: str = ""
) -> str:
    """`3 × 12 reps each side, 8 kg, lower over 3 s`: the one wording of a dose, in the CLI's
    and the web's calendars, cards and plan changes alike. `load` is `Ladder.kg_text`'s."""
    side = " each side" if per_side else ""
    slower = f", {tempo}" if tempo else ""
    return f"{sets} × {target:g} {DOSE_UNITS[measure]}{side}, {load}{slower}"


@dataclass(frozen=True, slots=True)
class Ladder:
    """How one athlete's exercise progresses: a double-progression range, then the next load.

    `loads_kg` are the sizes this athlete actually has, capped by the exercise's maximum; an empty
    tuple means the exercise stays at bodyweight. `then` is the range to move to once the top is
    reached at the current measure (the isometric row goes from reps to seconds), or, when
    `pain_free_sessions` is set, once the log shows that many pain-free sessions in a row (holds
    while a tendon hurts, then the exercise's own reps). `sets` is the set count this form asks
    for when the athlete moves on to it (None: keep the sets). `note` says what the load adds,
    on every loaded rung. `bells` is how many kettlebells of the size the exercise holds at once
    (2 for a farmer's carry: `loads_kg` are then sizes the athlete has a pair of, per hand).
    `beyond` is where the athlete goes at the top of this range with no heavier bell at hand: the
    same work slower (`tempo`, e.g. "lower over 3 s"), more sets or a longer range [S17].
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
    sets: int | None = None
    pain_free_sessions: int = 0
    note: str = ""
    bells: int = 1
    tempo: str = ""
    beyond: Ladder | None = None

    def kg_text(self, load_kg: float | None) -> str:
        """`12 kg`, or `2 × 12 kg` when the exercise holds a pair (the size is per hand)."""
        if load_kg is None:
            return "bodyweight"
        return f"{load_kg:g} kg" if self.bells == 1 else f"{self.bells} × {load_kg:g} kg"


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
    def effort(self) -> tuple[int, int] | None:
        """The reps-in-reserve target, on rep-counted work only: metres and holds have none."""
        return self.reps_in_reserve if self.measure == "reps" else None

    @property
    def implement(self) -> str:
        return "bodyweight" if self.load_kg is None else self.ladder.implement

    @property
    def rule_keys(self) -> tuple[str, ...]:
        return _unique(key for reason in self.reasons for key in reason.keys)

    def but(
        self,
        *,
        sets: int | None = None,
        target: float | None = None,
        ladder: Ladder | None = None,
        load_kg: float | _Keep | None = KEEP,
        reasons: tuple[Reason, ...] | None = None,
    ) -> Item:
        """This item with some dose fields changed: `dataclasses.replace` written out, since
        the planner's projections make one for every rung of every athlete."""
        return Item(
            self.slot,
            self.exercise,
            self.name,
            self.sets if sets is None else sets,
            self.target if target is None else target,
            self.ladder if ladder is None else ladder,
            self.per_side,
            self.load_kg if isinstance(load_kg, _Keep) else load_kg,
            self.rest_s,
            self.reps_in_reserve,
            self.cues,
            self.reasons if reasons is None else reasons,
            self.substitute_for,
            self.footwear,
        )

    def adjusted(self, *, sets: int, unloaded: bool, reason: Reason) -> Item:
        """This item with another set count (and optionally no load), plus the reason why.

        Written out rather than `dataclasses.replace` because planning calls it for every
        deload and taper week of every athlete.
        """
        reasons = self.reasons
        if unloaded and self.load_kg is not None:
            reasons = tuple(r for r in reasons if not r.text.startswith(LOAD_PREFIX))
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
            (*reasons, reason),
            self.substitute_for,
            self.footwear,
        )

    def load_text(self) -> str:
        """`bodyweight`, `8 kg goblet kettlebell`, `2 × 12 kg kettlebells, one a hand (...)`."""
        if self.load_kg is None:
            return "bodyweight"
        return f"{self.ladder.kg_text(self.load_kg)} {self.ladder.implement}"

    def short_dose(self) -> str:
        """Compact form for tables: `3×10/side @8 kg`, `3×10 m @2×12 kg`."""
        unit = {"reps": "", "metres": " m", "seconds": " s"}[self.measure]
        side = "/side" if self.per_side else ""
        load = ""
        if self.load_kg is not None:
            pair = f"{self.ladder.bells}×" if self.ladder.bells > 1 else ""
            load = f" @{pair}{self.load_kg:g} kg"
        tempo = f" ({self.ladder.tempo})" if self.ladder.tempo else ""
        return f"{self.sets}×{self.target:g}{unit}{side}{load}{tempo}"

    def label(self) -> str:
        """`A1 Banded Spanish squat (socks)`: slot, name and footwear, for one-line listings."""
        shoes = f" ({self.footwear})" if self.footwear else ""
        return f"{self.slot} {self.name}{shoes}"

    def dose_text(self) -> str:
        return dose_words(
            sets=self.sets,
            target=self.target,
            measure=self.measure,
            per_side=self.per_side,
            load=self.ladder.kg_text(self.load_kg),
            tempo=self.ladder.tempo,
        )


@dataclass(frozen=True, slots=True)
class Block:
    """Items done together: a superset (M1) when there are two or more. Slots name their block
    by letter (A1 and A2 are block A)."""

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


def block_of(slot: str) -> str:
    """`A` for slots A1 and A2: items sharing a letter are done as a superset (M1)."""
    found = re.match(r"[A-Za-z]+", slot)
    return found.group(0) if found else slot


def round_rest(rests: Iterator[int] | list[int]) -> int:
    """The rest after one round of a block (one set of each of its items): the longest the
    plan asks for in it. The engine puts the rest on the block's last item; a coach who gives
    another item a rest means it for the round too, since a superset has none inside it."""
    return max(rests, default=0)
