"""Which form of an exercise an item is: the athlete's own, a substitute, or a timed hold.

The planner picks one form of each exercise from the athlete's equipment and problems (a wall
sit without a band, a timed Spanish squat with a sore knee). `next` and `plan --logs` need any
form the planner can prescribe, so they ask the planner itself with the athlete's equipment and
problems varied, nearest first, rather than rebuilding the rules here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import combinations
from typing import get_args

from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Item, Measure
from runstrong.engine.prescribe import athlete_exercises
from runstrong.engine.profile import EQUIPMENT, Athlete, Problem

PROBLEMS: tuple[str, ...] = get_args(Problem)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Named:
    """What `--exercise` named: an exercise, and the substitute's name when it named one."""

    exercise: str
    name: str | None = None


def resolve_exercise(catalog: Catalog, text: str, *, flag: str = "--exercise") -> Named:
    """An exercise slug, or a substitute by its name (`wall-sit`, `split-squat`, ...).

    A substitute may be shortened to its first words when no other name starts the same way.
    """
    wanted = slugify(text)
    exercises = {exercise.slug: Named(exercise.slug) for exercise in catalog.exercises}
    substitutes = {
        slugify(substitute.name): Named(substitute.exercise, substitute.name)
        for substitute in catalog.substitutes
        if substitute.name and not substitute.omit
    }
    every = {**substitutes, **exercises}
    if wanted in every:
        return every[wanted]
    starts = [slug for slug in every if slug.startswith(f"{wanted}-")]
    if len(starts) == 1:
        return every[starts[0]]
    if starts:
        raise ProfileError(flag, text, f"it could be {' or '.join(starts)}")
    raise ProfileError(
        flag,
        text,
        f"expected one of {', '.join(exercises)}, or a substitute: {', '.join(substitutes)}",
    )


def find_form(
    athlete: Athlete,
    catalog: Catalog,
    exercise: str,
    *,
    name: str | None = None,
    measure: Measure | None = None,
) -> Item | None:
    """The athlete's item for `exercise`, or the nearest form the planner gives it otherwise.

    `name` picks a form by its name (a substitute); `measure` one that counts in that measure,
    switching to the exercise's timed ladder when the item only reaches seconds later on.
    """
    for item in _forms(athlete, catalog, exercise):
        if name is not None and item.name.casefold() != name.casefold():
            continue
        if measure is None or item.measure == measure:
            return item
        then = item.ladder.then
        if then is not None and then.measure == measure:
            return replace(item, ladder=then, target=then.start)
    return None


def timed_hints(catalog: Catalog, exercise: str) -> list[str]:
    """How to ask for an exercise's timed forms, for an error message."""
    hints = [
        f"--exercise {slugify(substitute.name)}"
        for substitute in catalog.substitutes
        if substitute.exercise == exercise and substitute.measure == "seconds"
    ]
    hints += [
        f"--problems {adjustment.flag}"
        for adjustment in catalog.adjustments
        if adjustment.exercise == exercise and adjustment.measure == "seconds"
    ]
    return hints


def _forms(athlete: Athlete, catalog: Catalog, exercise: str) -> Iterator[Item]:
    seen: set[Item] = set()
    for variant in _variants(athlete):
        for item in athlete_exercises(variant, catalog).items:
            if item.exercise == exercise and item not in seen:
                seen.add(item)
                yield item


def _variants(athlete: Athlete) -> Iterator[Athlete]:
    """The athlete, then with one piece of equipment or one problem changed, then two, ..."""
    yield athlete
    toggles: list[tuple[str, str]] = [("equipment", value) for value in EQUIPMENT]
    toggles += [("problems", value) for value in PROBLEMS]
    for count in range(1, len(toggles) + 1):
        for chosen in combinations(toggles, count):
            equipment: set[str] = set(athlete.equipment)
            problems: set[str] = set(athlete.problems)
            for field, value in chosen:
                target = equipment if field == "equipment" else problems
                target.symmetric_difference_update({value})
            yield athlete.model_copy(
                update={"equipment": frozenset(equipment), "problems": frozenset(problems)}
            )
