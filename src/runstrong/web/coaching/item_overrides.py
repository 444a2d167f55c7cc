"""A coach's edit of one exercise on one day, laid over the engine's prescription.

The edit (an ItemOverride row) may change the dose (sets, target, load), the rest, add a note
for the athlete, or swap the exercise for one of the catalog's substitutes. The engine's
reasons stay; the edit adds its own after them, so the athlete and coach see both.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from runstrong.engine.catalog import Catalog, Exercise, Substitute
from runstrong.web.coaching.models import ItemOverride, Plan
from runstrong.web.coaching.site_catalog import site_catalog

NOTE_PREFIX = "Coach's note: "


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


# A plan's edits by (day, exercise), as a write lays them over the engine's items.
EditsByDay = dict[tuple[date, str], ItemOverride]


def edits_carried(
    drafts: list[Plan], laid: Collection[tuple[int, date, str]], from_date: date
) -> dict[int, EditsByDay]:
    """Copy the coach's edits of each athlete's current plan from `from_date` on into their
    new draft, where the draft lays that exercise on that day (`laid`: athlete, day,
    exercise): an edit is kept until the coach removes it, through a new plan too. The
    copies by draft; an edit the new plan has no place for is left behind, and the publish
    says so."""
    draft_of = {draft.athlete_id: draft.pk for draft in drafts}
    current: dict[int, int] = {}
    for pk, athlete_id in (
        Plan.objects.filter(athlete__in=list(draft_of), published_at__isnull=False)
        .order_by("published_at", "pk")
        .values_list("pk", "athlete_id")
    ):
        current[athlete_id] = pk  # the latest published wins
    athlete_of = {pk: athlete_id for athlete_id, pk in current.items()}
    copies = [
        ItemOverride(
            plan_id=draft_of[athlete_of[edit.plan_id]],
            date=edit.date,
            exercise=edit.exercise,
            sets=edit.sets,
            target=edit.target,
            load_kg=edit.load_kg,
            rest_s=edit.rest_s,
            note=edit.note,
            swap_to=edit.swap_to,
        )
        for edit in ItemOverride.objects.filter(plan__in=list(athlete_of), date__gte=from_date)
        if (athlete_of[edit.plan_id], edit.date, edit.exercise) in laid
    ]
    ItemOverride.objects.bulk_create(copies)
    carried: dict[int, EditsByDay] = {}
    for copy in copies:
        carried.setdefault(copy.plan_id, {})[copy.date, copy.exercise] = copy
    return carried


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
