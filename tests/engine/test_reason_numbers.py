"""Every number a prescription's reason states is a catalog parameter (or the athlete's, or the
dose it explains): with the catalog's numbers redrawn, no stale default shows up [M1–M6, S, P]."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Item, Ladder
from runstrong.engine.planner import plan
from runstrong.engine.profile import Athlete, Season
from tests.engine.conftest import MONDAY
from tests.engine.test_properties import athletes

CATALOG = default_catalog()
SIZES = CATALOG.kettlebell_sizes_kg
NUMBER = re.compile(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?")
# Counts the planner computes, not parameters: which projected step, how many sessions.
PROJECTED = re.compile(r"Projected step \d+|since projected step \d+|about \d+ sessions")
halves = st.integers(2, 12).map(lambda n: n / 2)


@st.composite
def redrawn(draw: st.DrawFn) -> Catalog:
    """The default catalog with the numbers a reason may state drawn afresh."""
    exercises = []
    for exercise in CATALOG.exercises:
        start = draw(st.integers(5, 20))
        step = draw(st.integers(1, 5))
        dose = exercise.dose.model_copy(
            update={
                "sets": draw(st.integers(2, 5)),
                "start": start,
                "step": step,
                "top": start + step * draw(st.integers(0, 3)),
            }
        )
        beyond = tuple(
            beyond.model_copy(
                update={"seconds": draw(halves) if beyond.seconds is not None else None}
                | ({"sets": draw(st.integers(1, 3))} if beyond.sets is not None else {})
            )
            for beyond in exercise.beyond_top
        )
        update: dict[str, Any] = {
            "dose": dose,
            "rest_s": draw(st.integers(20, 200)),
            "beyond_top": beyond,
        }
        if exercise.load is not None:
            update["load"] = exercise.load.model_copy(
                update={"max_kg": draw(st.sampled_from(SIZES))}
            )
        exercises.append(exercise.model_copy(update=update))
    adjustments = []
    for adjustment in CATALOG.adjustments:
        update = {}
        if adjustment.extra_sets:
            update["extra_sets"] = draw(st.integers(1, 3))
        if adjustment.max_kg is not None:
            update["max_kg"] = draw(st.sampled_from(SIZES))
        if adjustment.measure is not None:
            start = draw(st.integers(15, 40))
            update |= {
                "sets": draw(st.integers(2, 6)),
                "start": start,
                "top": start + 5 * draw(st.integers(0, 3)),
                "step": 5,
                "pain_free_sessions": draw(st.integers(1, 5)),
            }
        adjustments.append(adjustment.model_copy(update=update))
    rules = CATALOG.rules
    low = draw(st.integers(0, 4))
    experience = rules.experience.model_copy(
        update={
            level: getattr(rules.experience, level).model_copy(
                update={
                    "start_steps": draw(st.integers(0, 2)),
                    "kg_per_kg_body_mass": draw(st.integers(5, 30)) / 100,
                }
            )
            for level in ("new", "some", "experienced")
        }
    )
    rules = rules.model_copy(
        update={
            "effort": rules.effort.model_copy(
                update={"reps_in_reserve": (low, low + draw(st.integers(0, 2)))}
            ),
            "experience": experience,
            "progression": rules.progression.model_copy(
                update={"sessions_per_step": draw(st.integers(1, 6))}
            ),
        }
    )
    return CATALOG.model_copy(
        update={"exercises": tuple(exercises), "adjustments": tuple(adjustments), "rules": rules}
    )


def _numbers(value: Any) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _numbers(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _numbers(inner)


def _ladder_numbers(ladder: Ladder | None) -> Iterator[float]:
    while ladder is not None:
        yield from (ladder.start, ladder.top, ladder.step, *ladder.loads_kg, ladder.bells)
        rung = ladder.start
        while rung < ladder.top:  # every target the range passes through
            yield rung
            rung += ladder.step
        if ladder.sets is not None:
            yield ladder.sets
        yield from _ladder_numbers(ladder.then)
        ladder = ladder.beyond


def _series(value: Any) -> Iterator[float]:
    """Every target a catalog range (start, top, step) passes through."""
    if isinstance(value, dict):
        if all(isinstance(value.get(key), int | float) for key in ("start", "top", "step")):
            rung = value["start"]
            while rung < value["top"] and value["step"] > 0:
                yield rung
                rung += value["step"]
        for inner in value.values():
            yield from _series(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _series(inner)


def _allowed(catalog: Catalog, athlete: Athlete, item: Item) -> set[float]:
    # Benchmark standards are not prescriptions: their numbers may not excuse a reason's.
    dumped = catalog.model_dump(exclude={"groups", "movements", "sources"})
    allowed = set(_numbers(dumped)) | set(_series(dumped))
    allowed |= {item.sets, item.target, *_ladder_numbers(item.ladder)}
    if item.load_kg is not None:
        allowed.add(item.load_kg)
    # Set counts with the athlete's flags added, of every exercise: a superset states its
    # partner's.
    for exercise in catalog.exercises:
        extra = sum(
            a.extra_sets
            for a in catalog.adjustments
            if a.exercise == exercise.slug and a.flag in athlete.problems
        )
        allowed.add(exercise.dose.sets + extra)
    allowed |= {size for size, _ in athlete.kettlebells_kg}
    allowed |= {count for _, count in athlete.kettlebells_kg}
    mass = round(athlete.body_mass_kg, 1)
    allowed.add(mass)
    for level in ("new", "some", "experienced"):
        share = catalog.rules.experience.level(level).kg_per_kg_body_mass
        allowed.add(round(mass * share, 1))
    return allowed


def _own_reasons(item: Item, placement: str) -> Iterator[str]:
    """The item's reasons from the prescription; the schedule's (taper, deload, light day)
    state the planner's numbers."""
    for reason in item.reasons:
        if reason.text == placement or reason.text.startswith(("Taper:", "Deload week:")):
            continue
        yield PROJECTED.sub("", reason.text)


def _float(text: str) -> float:
    return float(text)


@settings(max_examples=80, deadline=None)
@given(athletes, st.integers(1, 40), redrawn())
def test_every_number_in_a_reason_is_a_parameter_it_states(
    athlete: Athlete, weeks: int, catalog: Catalog
) -> None:
    season = Season(start=MONDAY, weeks=weeks)
    result = plan(athlete, season, catalog)
    for session in result.sessions():
        # A superset states its partner's set count: the session's doses are all allowed.
        allowed = {n for item in session.items for n in _allowed(catalog, athlete, item)}
        for item in session.items:
            for text in _own_reasons(item, session.placement.text):
                for found in NUMBER.findall(text):
                    assert _float(found) in allowed, (found, text)


@settings(max_examples=50, deadline=None)
@given(athletes, redrawn())
def test_stated_parameters_match_the_catalog(athlete: Athlete, catalog: Catalog) -> None:
    """Targeted: the superset rest, the effort target, each flag's numbers and the tempo of a
    step past the top read exactly as the catalog has them."""
    result = plan(athlete, Season(start=MONDAY, weeks=30), catalog)
    effort = catalog.rules.effort.reps_in_reserve
    for session in result.sessions():
        items = session.items
        for item in items:
            texts = [reason.text for reason in item.reasons]
            if item.slot == "A1" and len(session.blocks[0].items) == 2:
                a2 = session.blocks[0].items[1]
                rest = catalog.exercise(a2.exercise).rest_s
                assert any(f"rest {rest} s after A2" in text for text in texts)
            if item.measure == "reps":
                assert any(f"{effort[0]}–{effort[1]} reps in reserve" in t for t in texts)
            for adjustment in catalog.adjustments:
                if adjustment.exercise != item.exercise or adjustment.flag not in athlete.problems:
                    continue
                said = next(t for t in texts if t.startswith(adjustment.note))
                if adjustment.max_kg is not None:
                    assert f"at most {adjustment.max_kg:g} kg" in said
                if adjustment.measure is not None:
                    assert f"× {adjustment.start:g}–{adjustment.top:g}" in said
                    assert f"after {adjustment.pain_free_sessions} pain-free" in said
            if item.ladder.tempo:
                steps = catalog.exercise(item.exercise).beyond_top
                seconds = {f"{step.seconds:g} s" for step in steps if step.seconds is not None}
                subs = [s for s in catalog.substitutes if s.exercise == item.exercise]
                seconds |= {
                    f"{step.seconds:g} s"
                    for sub in subs
                    for step in sub.beyond_top
                    if step.seconds is not None
                }
                assert any(part in item.ladder.tempo for part in seconds), item.ladder.tempo
