"""A coach's edit of one exercise on one day, laid over the engine's prescription.

The edit (an ItemOverride row) may change the dose (sets, target, load), the rest, add a note
for the athlete, or swap the exercise for one of the catalog's substitutes. The engine's
reasons stay; the edit adds its own after them, so the athlete and coach see both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runstrong.engine.catalog import Catalog, Exercise, Substitute
from runstrong.web.coaching.models import ItemOverride
from runstrong.web.coaching.site_catalog import site_catalog

NOTE_PREFIX = "Coach's note: "
UNITS = {"reps": "reps", "metres": "m", "seconds": "s"}


def note_reason(note: str) -> dict[str, Any]:
    return {"text": f"{NOTE_PREFIX}{note}", "keys": []}


def swap_reason(substitute: Substitute, exercise_name: str) -> dict[str, Any]:
    return {
        "text": f"Instead of {exercise_name}, the coach's choice: {substitute.reason}",
        "keys": list(substitute.sources),
    }


def is_note(reason: dict[str, Any]) -> bool:
    return str(reason.get("text", "")).startswith(NOTE_PREFIX)


def coach_notes(reasons: list[dict[str, Any]]) -> list[str]:
    """The coach's notes among an item's reasons, as the coach typed them."""
    return [str(reason["text"]).removeprefix(NOTE_PREFIX) for reason in reasons if is_note(reason)]


def catalog_exercise(exercise: str, catalog: Catalog | None = None) -> Exercise | None:
    catalog = catalog or site_catalog()
    return next((one for one in catalog.exercises if one.slug == exercise), None)


def substitutes_for(exercise: str, catalog: Catalog | None = None) -> list[Substitute]:
    """The catalog's substitutes a coach may swap this exercise for (never an `omit` one)."""
    catalog = catalog or site_catalog()
    seen: set[str] = set()
    found = []
    for substitute in catalog.substitutes:
        if substitute.exercise == exercise and not substitute.omit and substitute.name not in seen:
            seen.add(substitute.name)
            found.append(substitute)
    return found


def substitute_named(exercise: str, name: str, catalog: Catalog | None = None) -> Substitute | None:
    return next((one for one in substitutes_for(exercise, catalog) if one.name == name), None)


def load_cap(exercise: str, catalog: Catalog | None = None) -> float:
    """The heaviest load the catalog allows for this exercise; for a bodyweight exercise, the
    heaviest any exercise of the catalog allows (a coach may still add a weight)."""
    catalog = catalog or site_catalog()
    found = catalog_exercise(exercise, catalog)
    if found is not None and found.load is not None:
        return found.load.max_kg
    return max((one.load.max_kg for one in catalog.exercises if one.load), default=100.0)


@dataclass(frozen=True)
class EditTexts:
    """What a coach's edit adds to the engine's texts: a substitute's cues (None: the
    engine's), reasons before "edited by the coach" (the swap's) and after it (the note)."""

    cues: tuple[str, ...] | None = None
    before_edit: tuple[dict[str, Any], ...] = ()
    after_edit: tuple[dict[str, Any], ...] = ()


def override_applied(
    values: dict[str, Any], override: ItemOverride, catalog: Catalog | None = None
) -> EditTexts:
    """The item's columns (`values`, changed in place) with the edit's rest and swap laid over
    the engine's, and what the edit adds to its texts. Sets, target and load are the caller's."""
    if override.rest_s is not None:
        values["rest_s"] = override.rest_s
    substitute = (
        substitute_named(values["exercise"], override.swap_to, catalog)
        if override.swap_to
        else None
    )
    after = (note_reason(override.note),) if override.note else ()
    if substitute is None:
        return EditTexts(after_edit=after)
    exercise = catalog_exercise(values["exercise"], catalog)
    original = exercise.name if exercise is not None else values["name"]
    values["name"] = substitute.name
    values["substitute_for"] = values["exercise"]
    if substitute.footwear is not None:
        values["footwear"] = substitute.footwear
    if substitute.measure is not None:
        values["measure"] = substitute.measure
        values["per_side"] = False
    return EditTexts(
        cues=tuple(substitute.cues) or None,
        before_edit=(swap_reason(substitute, original),),
        after_edit=after,
    )
