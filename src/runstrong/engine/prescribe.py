"""Fit the catalog's exercises to one athlete: substitutes, problem flags, loads, placement cues."""

from __future__ import annotations

from dataclasses import dataclass, replace

from runstrong.engine.catalog import Adjustment, BeyondTop, Catalog, Exercise, Substitute
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import LOAD_PREFIX, Item, Ladder, Measure, Reason
from runstrong.engine.profile import (
    DEFAULT_EQUIPMENT,
    EXPERIENCE,
    PROBLEMS,
    Athlete,
    kettlebells_text,
    parse_athlete,
)
from runstrong.engine.progression import step_up
from runstrong.engine.state import ExerciseState
from runstrong.engine.wording import unit_after

# Reps in reserve are counted on reps only: the effort reason goes with the reps.
EFFORT_PREFIX = "Effort: "
STARTS_UNLOADED = Reason("Starts unloaded; a kettlebell comes once the range is mastered.", ("M4",))


@dataclass(frozen=True, slots=True)
class AthleteExercises:
    """The athlete's starting prescriptions in session order, and what was left out and why."""

    items: tuple[Item, ...]
    omitted: tuple[Reason, ...]
    notes: tuple[Reason, ...]


_EXERCISES: dict[tuple[object, ...], tuple[Catalog, AthleteExercises]] = {}
_EXERCISES_MAX = 4096


def athlete_exercises(athlete: Athlete, catalog: Catalog) -> AthleteExercises:
    """The athlete's starting prescriptions, from the profile fields that shape them.

    Kept per catalog and profile: the web app replans an athlete on every logged session, and a
    squad shares most profiles. Results are immutable, so a concurrent recompute only replaces
    an entry with an equal one.
    """
    key = (
        id(catalog),
        athlete.experience,
        athlete.body_mass_kg,
        athlete.leg_length,
        athlete.stride_goal,
        athlete.problems,
        athlete.equipment,
        athlete.kettlebells_kg,
    )
    known = _EXERCISES.get(key)
    if known is not None and known[0] is catalog:
        return known[1]
    result = _athlete_exercises(athlete, catalog)
    if len(_EXERCISES) >= _EXERCISES_MAX:
        _EXERCISES.clear()
    _EXERCISES[key] = (catalog, result)
    return result


def _athlete_exercises(athlete: Athlete, catalog: Catalog) -> AthleteExercises:
    items: list[Item] = []
    omitted: list[Reason] = []
    notes: list[Reason] = []
    bells = _kettlebells(athlete, catalog, notes)
    for block in ("A", "B", "C"):
        in_block = [exercise for exercise in catalog.exercises if exercise.block == block]
        for position, exercise in enumerate(in_block, start=1):
            slot = f"{block}{position}"
            adjustments = [
                adjustment
                for adjustment in catalog.adjustments
                if adjustment.exercise == exercise.slug and adjustment.flag in athlete.problems
            ]
            fit = _fitting_loads(exercise, adjustments, bells)
            missing = {str(need) for need in exercise.equipment} - set(athlete.equipment)
            if fit.why_none is not None and "kettlebells" in exercise.equipment:
                # The exercise cannot be done without a bell that fits: as if there were none.
                missing.add("kettlebells")
            substitute = _substitute(catalog, exercise, missing, athlete) if missing else None
            too_heavy = (fit.why_none,) if fit.why_none is not None and missing else ()
            if substitute is not None and substitute.omit:
                omitted.append(
                    Reason(f"{exercise.name} left out: {substitute.reason}", substitute.sources)
                )
                omitted.extend(Reason(f"{why.text}.", why.keys) for why in too_heavy)
                continue
            if missing and substitute is None:
                omitted.append(
                    Reason(
                        f"{exercise.name} left out: needs {', '.join(sorted(missing))} and the "
                        f"catalog has no substitute for that.",
                        exercise.sources,
                    )
                )
                omitted.extend(Reason(f"{why.text}.", why.keys) for why in too_heavy)
                continue
            items.append(
                _starting_item(slot, exercise, substitute, adjustments, athlete, catalog, fit)
            )
    _pair_superset(items)
    return AthleteExercises(tuple(items), tuple(omitted), tuple(notes))


@dataclass(frozen=True, slots=True)
class _Fit:
    """The kettlebell sizes an exercise may use, and why none when bells at hand are there."""

    loads: tuple[float, ...]
    why_none: Reason | None = None


def _fitting_loads(
    exercise: Exercise, adjustments: list[Adjustment], bells: dict[float, int]
) -> _Fit:
    """Sizes at hand, enough of them for the exercise (a pair for a farmer's carry), never above
    the exercise's cap or a flag's [S17]."""
    load = exercise.load
    if load is None or not bells:
        return _Fit(())
    cap, capped_by = load.max_kg, None
    for adjustment in adjustments:
        if adjustment.max_kg is not None and adjustment.max_kg < cap:
            cap, capped_by = adjustment.max_kg, adjustment
    loads = tuple(size for size, count in bells.items() if count >= load.bells and size <= cap)
    if loads:
        return _Fit(loads)
    at_hand = kettlebells_text(tuple(bells.items()))
    whose = f" for {PROBLEMS[capped_by.flag].lower()}" if capped_by is not None else ""
    keys = (*load.sources, *(capped_by.sources if capped_by is not None else ()))
    if load.bells > 1 and any(size <= cap for size in bells):
        text = (
            f"{exercise.name} holds {load.bells} kettlebells of one size, at most {cap:g} kg "
            f"each{whose}, and the bells at hand ({at_hand} kg) have no such set"
        )
    else:
        text = (
            f"{exercise.name}: no kettlebell at hand ({at_hand} kg) is at or under its "
            f"{cap:g} kg cap{whose}"
        )
    return _Fit((), Reason(text, tuple(dict.fromkeys(keys))))


_LADDERS: dict[tuple[Item, int], tuple[tuple[Item, ...], int | None]] = {}
_LADDERS_MAX = 4096


def planned_rungs(start: Item, count: int, sessions_per_step: int = 1) -> tuple[Item, ...]:
    """The first `count` rungs of the planned progression, each one `step_up` from the last.

    Once nothing is left to climb, each further rung keeps the dose and says how long it has
    been at the top, counted in steps of `sessions_per_step` sessions.

    Shared between athletes with the same starting prescription (a squad in one gym mostly is):
    items are immutable and the ladder is a pure function of the start, so a concurrent
    recompute only replaces an entry with an equal one.
    """
    key = (start, sessions_per_step)
    known, top_since = _LADDERS.get(key, ((start,), None))
    if len(known) >= count:
        return known
    rungs = list(known)
    # Rungs on one ladder at one load share their reasons but the last.
    fitted: dict[tuple[float | None, int], tuple[Reason, ...]] = {}

    def reasons_for(item: Item) -> tuple[Reason, ...]:
        form = (item.load_kg, id(item.ladder))
        known_reasons = fitted.get(form)
        if known_reasons is None:
            known_reasons = fitted[form] = _with_load(item, start.reasons)
        return known_reasons

    held_why: Reason | None = None
    while len(rungs) < count:
        index = len(rungs)
        if top_since is not None:
            at_top = rungs[top_since]
            if held_why is None:
                held_why = step_up(at_top)[2]
            since = f"since projected step {top_since}" if top_since else "from the start"
            sessions = (index - top_since) * sessions_per_step
            held = Reason(
                f"Projected step {index}: at the top {since}, about {sessions} sessions. "
                f"{held_why.text}",
                held_why.keys,
            )
            rungs.append(at_top.but(reasons=(*reasons_for(at_top), held)))
            continue
        previous = rungs[-1]
        advanced, change, why = step_up(previous)
        if change == "top":
            top_since = index - 1
            continue
        planned = Reason(
            f"Projected step {index}, if the sessions before it go to plan: {why.text}",
            why.keys,
        )
        rungs.append(advanced.but(reasons=(*reasons_for(advanced), planned)))
    if len(_LADDERS) >= _LADDERS_MAX:
        _LADDERS.clear()
    result = tuple(rungs)
    _LADDERS[key] = (result, top_since)
    return result


def resumed_item(start: Item, state: ExerciseState | None) -> Item:
    """The athlete's fresh starting item carried to where their log left the exercise.

    The start brings today's profile (kettlebells at hand, cues, placement); the state brings the
    rung, load, target and sets. A state from another form of the exercise (reps then, holds
    now) does not carry over. The log's own reason is the planner's to add, to the sessions
    that keep this dose.
    """
    if state is None:
        return start
    done = state.prescription
    ladder = _same_form(start.ladder, done.ladder)
    if ladder is None:
        return start
    notes: list[Reason] = []
    load = done.load_kg
    if load is not None and load not in ladder.loads_kg:
        lighter = [size for size in ladder.loads_kg if size <= load]
        load = lighter[-1] if lighter else None
        now = "bodyweight" if load is None else f"{load:g} kg"
        notes.append(
            Reason(f"{done.load_kg:g} kg is not among the kettlebells at hand: {now}.", ("S17",))
        )
    if load is None and not ladder.bodyweight_first and ladder.loads_kg:
        load = ladder.loads_kg[0]
    target = min(max(done.target, ladder.start), ladder.top)
    resumed = replace(start, ladder=ladder, target=target, load_kg=load, sets=done.sets)
    return replace(resumed, reasons=(*_with_load(resumed, start.reasons), *notes))


def _same_form(start: Ladder, done: Ladder) -> Ladder | None:
    """The form in today's ladder (its next form, its steps past the top) the logged one was
    on, with today's bells; else the first of the same measure; else None."""
    forms: list[Ladder] = []
    waiting: list[Ladder] = [start]
    while waiting:
        form = waiting.pop(0)
        forms.append(form)
        waiting += [then for then in (form.then, form.beyond) if then is not None]

    def shape(form: Ladder) -> tuple[object, ...]:
        return (form.measure, form.start, form.top, form.step, form.tempo, form.sets)

    same = [form for form in forms if shape(form) == shape(done)]
    measured = [form for form in forms if form.measure == done.measure]
    found = same or measured
    return found[0] if found else None


def _with_load(item: Item, reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """`reasons` with the load's own reason for this item's load, "starts unloaded" only while
    it still is, and the reps-in-reserve target only on reps [S18]."""
    kept = tuple(
        reason
        for reason in reasons
        if not reason.text.startswith(LOAD_PREFIX)
        and (item.load_kg is None or reason != STARTS_UNLOADED)
        and (item.measure == "reps" or not reason.text.startswith(EFFORT_PREFIX))
    )
    if item.load_kg is None:
        return kept
    ladder = item.ladder
    text = f"{LOAD_PREFIX}{item.load_text()}. {ladder.note}".strip()
    return (*kept, Reason(text, ladder.keys))


def _kettlebells(athlete: Athlete, catalog: Catalog, notes: list[Reason]) -> dict[float, int]:
    """The bells at hand, size → count; none without kettlebells in the equipment."""
    if "kettlebells" not in athlete.equipment:
        notes.append(
            Reason(
                "No kettlebells: every exercise stays at bodyweight and progresses by reps, "
                "distance or hold time.",
                ("S17",),
            )
        )
        return {}
    if athlete.kettlebells_kg:
        return athlete.kettlebell_counts
    notes.append(
        Reason(
            "No kettlebell sizes given: assuming a gym with a pair of each common size, "
            f"{', '.join(f'{size:g}' for size in catalog.kettlebell_sizes_kg)} kg.",
            catalog.kettlebell_sizes_sources,
        )
    )
    return dict.fromkeys(catalog.kettlebell_sizes_kg, 2)


def _substitute(
    catalog: Catalog, exercise: Exercise, missing: set[str], athlete: Athlete
) -> Substitute | None:
    """The most specific substitute whose missing equipment matches and whose needs are met."""
    fitting = [
        substitute
        for substitute in catalog.substitutes
        if substitute.exercise == exercise.slug
        and set(substitute.when_missing) <= missing
        and set(substitute.requires) <= set(athlete.equipment)
        and _covers(substitute, exercise, missing)
    ]
    if not fitting:
        return None
    # The most specific: the most missing items covered, then the most needs met (a stand-in
    # beats leaving the exercise out when the gym has what it needs).
    return max(
        fitting,
        key=lambda substitute: (
            len(substitute.when_missing),
            len(substitute.requires),
            not substitute.omit,
        ),
    )


def _covers(substitute: Substitute, exercise: Exercise, missing: set[str]) -> bool:
    # A substitute only stands in when nothing the exercise needs stays missing: either it names
    # the missing item, or the substitute itself does without it.
    still_needed = missing - set(substitute.when_missing)
    return not still_needed or substitute.omit


def _starting_item(
    slot: str,
    exercise: Exercise,
    substitute: Substitute | None,
    adjustments: list[Adjustment],
    athlete: Athlete,
    catalog: Catalog,
    fit: _Fit,
) -> Item:
    dose = exercise.dose
    measure: Measure = dose.measure
    start, top, step = dose.start, dose.top, dose.step
    sets = dose.sets
    per_side = dose.per_side
    name = exercise.name
    cues = exercise.cues
    reasons = [Reason(exercise.purpose, exercise.sources)]
    own_measure = False
    if substitute is not None:
        name = substitute.name
        cues = substitute.cues or cues
        reasons.append(
            Reason(f"Instead of {exercise.name}: {substitute.reason}", substitute.sources)
        )
        if substitute.measure is not None:
            measure, own_measure = substitute.measure, True
            start, top, step = _range(substitute, start, top, step)
            per_side = False

    load = exercise.load
    keep_unloaded = own_measure
    own_sets = sets + sum(adjustment.extra_sets for adjustment in adjustments)
    sets = own_sets
    # The form before a flag changes the measure: what a pain-gated form goes back to.
    own_form: tuple[Measure, float, float, float, bool, bool] | None = None
    pain_free_sessions = 0
    for adjustment in adjustments:
        if adjustment.measure is not None:
            own_form = (measure, start, top, step, per_side, own_measure)
            measure, own_measure = adjustment.measure, True
            start, top, step = _range(adjustment, start, top, step)
            per_side = False
            pain_free_sessions = adjustment.pain_free_sessions or 0
        sets = adjustment.sets or sets
        keep_unloaded = keep_unloaded or adjustment.keep_unloaded

    loads: tuple[float, ...] = ()
    implement = "bodyweight"
    load_kg: float | None = None
    if load is not None:
        implement = load.implement
        if not keep_unloaded:
            loads = fit.loads
        if load.start_with_load and loads:
            load_kg = loads[0]
        elif loads:
            reasons.append(STARTS_UNLOADED)
    experience = catalog.rules.experience
    level = experience.level(athlete.experience)
    label = EXPERIENCE[athlete.experience]
    if load is not None and load.start_from_body_mass and load_kg is not None:
        # A bell near the catalog's share of body mass, never above the caps: `loads` holds only
        # sizes that fit.
        mass = round(athlete.body_mass_kg, 1)
        aim = round(mass * level.kg_per_kg_body_mass, 1)
        under = [size for size in loads if size <= aim]
        load_kg = under[-1] if under else loads[0]
        which = (
            "the heaviest bell at hand within the caps and not above it"
            if under
            else "the lightest bell at hand within the caps"
        )
        reasons.append(
            Reason(
                f"First kettlebell from body mass ({label.lower()}): "
                f"{level.kg_per_kg_body_mass:g} × {mass:g} kg = {aim:g} kg, so "
                f"{load_kg:g} kg, {which}.",
                experience.body_mass_sources,
            )
        )
    why_none = fit.why_none
    if why_none is not None and substitute is not None and "kettlebells" in substitute.when_missing:
        reasons.append(Reason(f"{why_none.text}.", why_none.keys))
    elif why_none is not None and load is not None and not keep_unloaded:
        reasons.append(Reason(f"{why_none.text}: it stays at bodyweight.", why_none.keys))
    bodyweight_first = not (load and load.start_with_load)

    # Beyond the top [S17]: a substitute with its own measure brings its own steps; a form a
    # flag imposes (holds while a tendon hurts) has none, it lasts only while it hurts.
    steps = (
        substitute.beyond_top
        if substitute is not None and substitute.measure is not None
        else exercise.beyond_top
    )

    def ladder_for(
        form: tuple[Measure, float, float, float, bool, bool],
        form_sets: int | None,
        beyond_top: tuple[BeyondTop, ...],
        base_sets: int,
    ) -> Ladder:
        form_measure, form_start, form_top, form_step, _, form_own = form
        timed = exercise.timed
        then = None
        if timed is not None and form_measure == "reps" and not form_own:
            then = Ladder(
                "seconds",
                timed.start,
                timed.top,
                timed.step,
                implement,
                loads,
                bodyweight_first=bodyweight_first,
                keys=timed.sources,
                note=load.note if load else "",
                bells=load.bells if load else 1,
            )
            then = replace(then, beyond=_beyond(beyond_top, then, base_sets))
        main = Ladder(
            form_measure,
            form_start,
            form_top,
            form_step,
            implement,
            loads,
            bodyweight_first=bodyweight_first,
            then=then,
            keys=load.sources if load else exercise.sources,
            sets=form_sets,
            note=load.note if load else "",
            bells=load.bells if load else 1,
        )
        if then is None:
            main = replace(main, beyond=_beyond(beyond_top, main, base_sets))
        return main

    ladder = ladder_for(
        (measure, start, top, step, per_side, own_measure),
        None,
        () if own_form is not None else steps,
        sets,
    )
    if pain_free_sessions and own_form is not None:
        back = ladder_for(own_form, own_sets, steps, own_sets)
        ladder = replace(ladder, then=back, pain_free_sessions=pain_free_sessions)
    for adjustment in adjustments:
        reasons.append(_adjusted(adjustment, exercise, sets, own_sets, ladder))
    if load is not None and load.start_with_load and loads:
        reasons.append(
            Reason(
                "Loaded from the first session: the kettlebell is part of the exercise, not a "
                "later step.",
                load.sources,
            )
        )
    first_target = start
    if level.start_steps and own_form is None and top > start:
        first_target = min(start + level.start_steps * step, top)
        unit = unit_after(measure)
        reasons.append(
            Reason(
                f"{label}: starts {level.start_steps} step{'s' if level.start_steps > 1 else ''}"
                f" up the range, at {first_target:g}{unit} instead of {start:g}{unit}.",
                experience.sources,
            )
        )
    if exercise.front_foot_placement:
        placement = _front_foot(athlete)
        cues = (placement.text, *cues)
        reasons.append(placement)
    effort = catalog.rules.effort
    reasons.append(
        Reason(
            f"{EFFORT_PREFIX}finish each set with {effort.reps_in_reserve[0]}–"
            f"{effort.reps_in_reserve[1]} reps in reserve.",
            effort.sources,
        )
    )
    item = Item(
        slot=slot,
        exercise=exercise.slug,
        name=name,
        sets=sets,
        target=first_target,
        ladder=ladder,
        per_side=per_side,
        load_kg=load_kg,
        rest_s=exercise.rest_s,
        reps_in_reserve=effort.reps_in_reserve,
        cues=cues,
        reasons=tuple(reasons),
        substitute_for=exercise.slug if substitute is not None else None,
        footwear=(substitute and substitute.footwear) or exercise.footwear or None,
    )
    return replace(item, reasons=_with_load(item, item.reasons))


_TEMPO = {
    "lowering": "lower over {seconds:g} s",
    "pause-bottom": "{seconds:g} s pause at the bottom",
    "squeeze-top": "{seconds:g} s squeeze at the top",
    "slow-steps": "slow steps of {seconds:g} s each",
}


def _beyond(steps: tuple[BeyondTop, ...], base: Ladder, sets: int) -> Ladder | None:
    """The chain of ladders past the top of `base` with no heavier bell [S17]: each step starts
    again at the bottom of the range (or its own), slower tempos add up, sets are absolute."""
    forms: list[tuple[float, float, float, str, int, tuple[str, ...]]] = []
    tempo: list[str] = []
    start, top, step = base.start, base.top, base.step
    for beyond in steps:
        if beyond.kind == "sets" and beyond.sets is not None:
            sets += beyond.sets
        elif beyond.kind == "range":
            start, top, step = _range(beyond, start, top, step)
        elif beyond.seconds is not None:
            tempo.append(_TEMPO[beyond.kind].format(seconds=beyond.seconds))
        forms.append((start, top, step, ", ".join(tempo), sets, beyond.sources))
    chain: Ladder | None = None
    for start, top, step, how, form_sets, keys in reversed(forms):
        chain = replace(
            base,
            start=start,
            top=top,
            step=step,
            tempo=how,
            sets=form_sets,
            keys=keys,
            then=None,
            pain_free_sessions=0,
            beyond=chain,
        )
    return chain


def _adjusted(
    adjustment: Adjustment, exercise: Exercise, sets: int, own_sets: int, ladder: Ladder
) -> Reason:
    """The flag's note with the numbers it sets, each formatted from its field."""
    details: list[str] = []
    if adjustment.measure is not None:
        unit = unit_after(ladder.measure)
        details.append(f"{sets} × {ladder.start:g}–{ladder.top:g}{unit}")
        back = ladder.then
        if ladder.pain_free_sessions and back is not None:
            details.append(
                f"back to {back.sets} × {back.start:g}{unit_after(back.measure)} after "
                f"{ladder.pain_free_sessions} pain-free sessions in a row"
            )
    elif adjustment.extra_sets:
        details.append(f"{own_sets} sets instead of {exercise.dose.sets}")
    if adjustment.max_kg is not None:
        details.append(f"kettlebell at most {adjustment.max_kg:g} kg")
    text = adjustment.note.rstrip(".")
    if details:
        text = f"{text}: {'; '.join(details)}"
    return Reason(f"{text}.", adjustment.sources)


def _range(
    source: Substitute | Adjustment | BeyondTop, start: float, top: float, step: float
) -> tuple[float, float, float]:
    return (
        source.start if source.start is not None else start,
        source.top if source.top is not None else top,
        source.step if source.step is not None else step,
    )


def _front_foot(athlete: Athlete) -> Reason:
    """Front-foot distance from the bench follows leg length and stride goal [M3].

    Longer legs want the foot closer in (more quadriceps) while a longer stride wants it further
    forward: an athlete with both keeps the foot close and moves it forward for the last set, so
    neither aim is averaged away.
    """
    lengthen = athlete.stride_goal == "lengthen"
    if athlete.leg_length == "long" and lengthen:
        return Reason(
            "Front foot closer to the bench for the quadriceps (longer legs); on the last set "
            "place it further forward to work a longer stride.",
            ("M3",),
        )
    if athlete.leg_length == "long":
        return Reason(
            "Front foot closer to the bench: longer legs, and more work for the quadriceps.",
            ("M3",),
        )
    if athlete.leg_length == "short" and lengthen:
        return Reason(
            "Front foot further forward from the bench: suits shorter legs and works a longer "
            "stride.",
            ("M3",),
        )
    if athlete.leg_length == "short":
        return Reason("Front foot further forward from the bench: suits shorter legs.", ("M3",))
    if lengthen:
        return Reason("Front foot further forward from the bench: works a longer stride.", ("M3",))
    return Reason("Front foot at a natural lunge length from the bench.", ("M3",))


def _pair_superset(items: list[Item]) -> None:
    """Block A is a superset [M1]: the Spanish squat (or its stand-in) then the crawl, back to
    back with no rest between them; the rest comes after the last of the block."""
    in_a = [index for index, item in enumerate(items) if item.slot.startswith("A")]
    if len(in_a) < 2:
        return
    last = items[in_a[-1]]
    why = Reason(
        "Superset A1/A2: the squat opens the ankle and loads the knee, then the crawl "
        f"strengthens ankle and foot. No rest between them; rest {last.rest_s} s after "
        f"{last.slot}.",
        ("M1",),
    )
    for index in in_a:
        rest = items[index].rest_s if index == in_a[-1] else 0
        items[index] = replace(items[index], rest_s=rest, reasons=(why, *items[index].reasons))


def superset_sets(items: list[Item], kept: frozenset[str] = frozenset()) -> list[Item]:
    """A superset's exercises are done in rounds, so each gets as many sets as the one with the
    most [M1]; each exercise's own progression keeps its own count.

    An exercise a step back for pain took a set from (`kept`, by exercise slug) keeps its fewer
    sets and sits out the rounds it does not do: pain in one exercise steps back that one
    only, and the rounds do not give the set back [S18].
    """
    if len(items) < 2:
        return items
    sets = items[0].sets
    if all(item.sets == sets for item in items):
        return items
    most = max(items, key=lambda item: item.sets)
    why = Reason(
        f"{most.sets} sets, as many as {most.slot} with it in the superset (done in rounds).",
        ("M1",),
    )
    paired = []
    for item in items:
        if item.sets == most.sets:
            paired.append(item)
        elif item.exercise in kept:
            alone = most.sets - item.sets
            sits_out = Reason(
                f"{item.sets} sets while it is a step back for pain: {most.slot} does the last "
                f"{'round' if alone == 1 else f'{alone} rounds'} of the superset alone.",
                ("S18", "M1"),
            )
            paired.append(item.but(reasons=(*item.reasons, sits_out)))
        else:
            paired.append(item.but(sets=most.sets, reasons=(*item.reasons, why)))
    return paired


def prescription_for(
    catalog: Catalog,
    exercise: str,
    *,
    kettlebells_kg: object = (),
    sets: int | None = None,
    target: float | None = None,
    load_kg: float | None = None,
    timed: bool = False,
) -> Item:
    """A single prescription outside a plan, e.g. to ask what comes after a logged session."""
    slugs = [entry.slug for entry in catalog.exercises]
    if exercise not in slugs:
        raise ProfileError("exercise", exercise, f"expected one of {', '.join(slugs)}")
    athlete = parse_athlete(
        {
            "event_group": catalog.groups[0].slug,
            "kettlebells_kg": kettlebells_kg,
            "equipment": DEFAULT_EQUIPMENT,
        }
    )
    item = next(i for i in athlete_exercises(athlete, catalog).items if i.exercise == exercise)
    if timed:
        if item.ladder.then is None:
            raise ProfileError("timed", True, f"{item.name} has no timed form")
        item = replace(item, ladder=item.ladder.then, target=item.ladder.then.start)
    if load_kg is not None and load_kg not in item.ladder.loads_kg:
        sizes = ", ".join(f"{size:g}" for size in item.ladder.loads_kg) or "none"
        raise ProfileError("load_kg", load_kg, f"expected one of the kettlebells at hand: {sizes}")
    return replace(
        item,
        sets=sets if sets is not None else item.sets,
        target=target if target is not None else item.target,
        load_kg=load_kg if load_kg is not None else item.load_kg,
    )
