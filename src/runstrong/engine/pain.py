"""Where it hurts: the body areas and sides an athlete can report pain in, how a report reads,
and which sources a coach reads for it [S18, P1–P4].

Pain in an exercise steps that exercise back (state.py); pain not tied to an exercise steps
nothing back and is a flag for the coach (`pain_elsewhere_reason`). The areas and their
labels live here once: forms, the API and the database choices read them from this module.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from runstrong.engine.catalog import Catalog
from runstrong.engine.model import Reason
from runstrong.engine.wording import weekday_date

PainArea = Literal[
    "knee", "shin", "calf", "achilles", "hamstring", "hip", "lower-back", "other"
]  # fmt: skip
PainSide = Literal["left", "right", "both"]

# The areas in the order the phone lists them, with the label it shows.
PAIN_AREAS: dict[PainArea, str] = {
    "knee": "Knee",
    "shin": "Shin",
    "calf": "Calf",
    "achilles": "Achilles",
    "hamstring": "Hamstring",
    "hip": "Hip",
    "lower-back": "Lower back",
    "other": "Other",
}
PAIN_SIDES: dict[PainSide, str] = {"left": "Left", "right": "Right", "both": "Both"}


def pain_where(area: str, side: str = "") -> str:
    """How a report reads in a sentence: `left knee`, `knee, both sides`, `lower back`,
    `somewhere else, right side`; "" without an area."""
    if not area:
        return ""
    if area == "other":
        place = "somewhere else"
        return f"{place}, {side} side" if side in ("left", "right") else place
    label = next((label for key, label in PAIN_AREAS.items() if key == area), area)
    place = label if area == "achilles" else label.lower()  # a name keeps its capital
    if side == "both":
        return f"{place}, both sides"
    return f"{side} {place}" if side else place


def area_keys(catalog: Catalog, area: str) -> tuple[str, ...]:
    """The problem-flag sources (the P keys, STANDARDS.md) of an area: those of the catalog's
    adjustments for the problem flag of the same name (knee P2, shin and calf P1, lower back
    P4); none for an area no source speaks of."""
    keys: list[str] = []
    for adjustment in catalog.adjustments:
        if adjustment.flag == area:
            keys += [key for key in adjustment.sources if key.startswith("P") and key not in keys]
    return tuple(keys)


def pain_elsewhere_reason(
    catalog: Catalog, *, score: int, area: str, side: str, where: str, day: date
) -> Reason:
    """Pain not tied to an exercise: nothing steps back, the coach is told [S18 and the
    area's P key]. `where` is an old report's free text, used when there is no area."""
    place = pain_where(area, side) or where
    said = f" ({place})" if place else ""
    return Reason(
        f"Pain {score}/10{said} on {weekday_date(day)}, not in one exercise: "
        "no exercise steps back; your coach sees it.",
        ("S18", *area_keys(catalog, area)),
    )
