"""The catalog as data: exercises, substitutes, rules and group standards, loaded from TOML.

Every default names its source keys (M1–M6 from the method, S/B/P from the standards brief), and
loading refuses a catalog whose keys, references or numbers do not hold together.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from runstrong.engine.errors import CatalogError
from runstrong.engine.profile import Equipment, Problem

Measure = Literal["reps", "metres", "seconds"]
Positive = Annotated[float, Field(gt=0)]
FOOTWEAR_MAX = 60  # what a planned item's row keeps


class _Frozen(BaseModel):
    # A number a coach writes is a real number: TOML's nan and inf are refused everywhere.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _check_range(start: float | None, top: float | None) -> None:
    if start is not None and top is not None and top < start:
        raise ValueError("top must be at least start")


class Source(_Frozen):
    summary: str
    citation: str = ""
    weak: bool = False


class Dose(_Frozen):
    """A double-progression range: start at `start`, add `step` up to `top`, then load up [S16]."""

    measure: Measure
    sets: int = Field(ge=1, le=10)
    start: float = Field(gt=0)
    top: float = Field(gt=0)
    step: float = Field(gt=0)
    per_side: bool = False

    @model_validator(mode="after")
    def _range(self) -> Dose:
        _check_range(self.start, self.top)
        return self


class Timed(_Frozen):
    start: float = Field(gt=0)
    top: float = Field(gt=0)
    step: float = Field(gt=0)
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _range(self) -> Timed:
        _check_range(self.start, self.top)
        return self


class BeyondTop(_Frozen):
    """One way to keep progressing at the top of the range with the heaviest bell at hand
    [S17]: the steps run in catalog order, each back at the bottom of the range (or of its own
    `range`), and the slower tempos and pauses add up.

    - `lowering`: lower over `seconds`; `pause-bottom` / `squeeze-top`: hold `seconds` there;
    - `slow-steps`: crawl steps taking `seconds` each (a crawl has no lowering);
    - `sets`: `sets` more sets; `range`: a new `start`–`top` by `step` (e.g. longer crawls).
    """

    kind: Literal["lowering", "pause-bottom", "squeeze-top", "slow-steps", "sets", "range"]
    seconds: float | None = Field(default=None, gt=0, le=30)
    sets: int | None = Field(default=None, ge=1, le=3)
    start: float | None = Field(default=None, gt=0)
    top: float | None = Field(default=None, gt=0)
    step: float | None = Field(default=None, gt=0)
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _fields_for_kind(self) -> BeyondTop:
        if self.kind == "sets" and self.sets is None:
            raise ValueError("a sets step needs sets")
        if self.kind == "range":
            if self.start is None or self.top is None or self.step is None:
                raise ValueError("a range step needs start, top and step")
            if self.top < self.start:
                raise ValueError("top must be at least start")
        if self.kind not in {"sets", "range"} and self.seconds is None:
            raise ValueError(f"a {self.kind} step needs seconds")
        return self


class Load(_Frozen):
    """The kettlebell an exercise progresses with; `note` says what the load adds."""

    implement: str
    max_kg: float = Field(gt=0)
    start_with_load: bool = False
    note: str = ""
    # How many bells of one size the exercise holds at once: 2 for a farmer's carry.
    bells: int = Field(default=1, ge=1, le=2)
    # Loaded from the first session with a bell chosen by body mass ([rules.experience]).
    start_from_body_mass: bool = False
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _body_mass_start_is_loaded(self) -> Load:
        if self.start_from_body_mass and not self.start_with_load:
            raise ValueError("start_from_body_mass needs start_with_load = true")
        return self


class Exercise(_Frozen):
    slug: str
    name: str
    block: Literal["A", "B", "C"]
    equipment: tuple[Equipment, ...]
    footwear: str = Field(max_length=FOOTWEAR_MAX)
    purpose: str
    cues: tuple[str, ...]
    sources: tuple[str, ...]
    rest_s: int = Field(ge=0, le=600)
    dose: Dose
    load: Load | None = None
    timed: Timed | None = None
    max_sessions_per_week: int | None = Field(default=None, ge=1, le=7)
    front_foot_placement: bool = False
    beyond_top: tuple[BeyondTop, ...] = ()


class Substitute(_Frozen):
    exercise: str
    when_missing: tuple[Equipment, ...] = Field(min_length=1)
    requires: tuple[Equipment, ...] = ()
    name: str = ""
    omit: bool = False
    # What to wear for the substitute when the exercise's footwear does not suit it.
    footwear: str | None = Field(default=None, max_length=FOOTWEAR_MAX)
    measure: Measure | None = None
    start: Positive | None = None
    top: Positive | None = None
    step: Positive | None = None
    reason: str
    cues: tuple[str, ...] = ()
    sources: tuple[str, ...]
    # For a substitute with its own measure; one without keeps the exercise's steps.
    beyond_top: tuple[BeyondTop, ...] = ()

    @model_validator(mode="after")
    def _named_unless_omitted(self) -> Substitute:
        if not self.omit and not self.name:
            raise ValueError("a substitute needs a name unless omit = true")
        _check_range(self.start, self.top)
        return self


class Adjustment(_Frozen):
    """What a problem flag changes in one exercise. `note` says why in words; the engine adds
    the numbers from the fields, so a coach who changes a number changes the text too.

    With `pain_free_sessions` the changed form (e.g. timed holds) lasts only while it hurts:
    that many pain-free sessions in a row in the log bring back the exercise's own dose.
    """

    flag: Problem
    exercise: str
    note: str
    sources: tuple[str, ...]
    measure: Measure | None = None
    sets: int | None = Field(default=None, ge=1, le=10)
    start: Positive | None = None
    top: Positive | None = None
    step: Positive | None = None
    extra_sets: int = Field(default=0, ge=0, le=3)
    keep_unloaded: bool = False
    max_kg: Positive | None = None
    pain_free_sessions: int | None = Field(default=None, ge=1, le=10)

    @model_validator(mode="after")
    def _range(self) -> Adjustment:
        _check_range(self.start, self.top)
        return self

    @model_validator(mode="after")
    def _pain_free_needs_a_form(self) -> Adjustment:
        if self.pain_free_sessions is not None and self.measure is None:
            raise ValueError("pain_free_sessions needs a measure: the form lasting while it hurts")
        return self


BenchmarkMeasure = Literal["reps", "seconds", "kg_per_kg", "cm", "symmetry_pct"]
Sex = Literal["female", "male"]
SEXES: tuple[Sex, ...] = ("female", "male")


class Symmetry(_Frozen):
    """How far apart left and right may be, in per cent of the stronger side, and who says so."""

    limit_pct: float = Field(gt=0, lt=100)
    sources: tuple[str, ...] = Field(min_length=1)


class Protocol(_Frozen):
    """The fixed part of a test, said with it: the reps a load is lifted for, the distance it is
    carried, or the kettlebell a timed set is done with."""

    reps: int | None = Field(default=None, ge=1, le=100)
    distance_m: float | None = Field(default=None, gt=0, le=400)
    load_kg: float | None = Field(default=None, gt=0, le=100)


class Movement(_Frozen):
    """A test. `kg_per_kg` takes the load in kg and judges it per kg of body mass;
    `symmetry_pct` takes one result a leg and judges the weaker leg as a share of the stronger.
    A `screen` is optional: a coach adds it to a test day when it is wanted."""

    slug: str
    name: str
    measure: BenchmarkMeasure
    per_side: bool
    sources: tuple[str, ...]
    screen: bool = False
    exercise: str | None = None
    protocol: Protocol | None = None
    symmetry: Symmetry | None = None

    @model_validator(mode="after")
    def _sides(self) -> Movement:
        if self.measure == "symmetry_pct" and not self.per_side:
            raise ValueError("a symmetry_pct test needs per_side = true")
        if self.symmetry is not None and not self.per_side:
            raise ValueError("symmetry applies to a per_side test only")
        return self

    @property
    def protocol_text(self) -> str:
        """`heaviest for 10 reps each side`, `heaviest over 10 m`, `8 kg kettlebell`: what every
        tester keeps the same."""
        if self.protocol is None:
            return ""
        parts = []
        if self.protocol.reps is not None:
            side = " each side" if self.per_side else ""
            parts.append(f"for {self.protocol.reps} reps{side}")
        if self.protocol.distance_m is not None:
            parts.append(f"over {self.protocol.distance_m:g} m")
        text = " ".join(parts)
        if text and self.measure == "kg_per_kg":
            text = f"heaviest {text}"
        if self.protocol.load_kg is not None:
            text = ", ".join(filter(None, (text, f"{self.protocol.load_kg:g} kg kettlebell")))
        return text

    @property
    def title(self) -> str:
        protocol = self.protocol_text
        return f"{self.name} ({protocol})" if protocol else self.name


def _close_below_target(target: float, close_from: float | None) -> None:
    if close_from is not None and close_from >= target:
        raise ValueError("close_from must be below target")


class SexFigure(_Frozen):
    """A source's own figure for one sex: met at `target`, close from `close_from`."""

    target: float = Field(gt=0)
    close_from: float | None = Field(default=None, ge=0)
    sources: tuple[str, ...] = Field(min_length=1)
    weak: bool = False

    @model_validator(mode="after")
    def _band(self) -> SexFigure:
        _close_below_target(self.target, self.close_from)
        return self


class Standard(_Frozen):
    """A group's target on a movement; `weak` marks a coach default that no source states.

    `target` is the group figure; `by_sex` holds a source's figures for a sex, which take its
    place for athletes of that sex. `close_from` sets the "close" band where a source gives
    one; without it the band is `benchmarking.close_within_pct` under the target.
    """

    movement: str
    target: float = Field(gt=0)
    close_from: float | None = Field(default=None, ge=0)
    sources: tuple[str, ...]
    weak: bool = False
    by_sex: dict[Sex, SexFigure] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _band(self) -> Standard:
        _close_below_target(self.target, self.close_from)
        return self


class BenchmarkRule(_Frozen):
    """Bands every standard shares unless it states its own."""

    close_within_pct: float = Field(gt=0, lt=100)
    close_sources: tuple[str, ...] = Field(min_length=1)
    symmetry_limit_pct: float = Field(gt=0, lt=100)
    symmetry_sources: tuple[str, ...] = Field(min_length=1)
    # The most a typed result can plausibly be for each measure, in its entry unit.
    entry_max: dict[BenchmarkMeasure, Positive]

    @model_validator(mode="after")
    def _every_measure_bounded(self) -> BenchmarkRule:
        missing = set(get_args(BenchmarkMeasure)) - set(self.entry_max)
        if missing:
            raise ValueError(f"entry_max needs {', '.join(sorted(missing))}")
        return self


class Group(_Frozen):
    slug: str
    name: str
    events: tuple[str, ...]
    standards: tuple[Standard, ...]


class SessionsPerWeek(_Frozen):
    preparation: int = Field(ge=0, le=7)
    competition: int = Field(ge=0, le=7)
    taper: int = Field(ge=0, le=7)
    transition: int = Field(ge=0, le=7)
    sources: tuple[str, ...]


class BeginnerRule(_Frozen):
    sessions_per_week: int = Field(ge=1, le=7)
    weeks: int = Field(ge=0, le=52)
    sources: tuple[str, ...]


class PhaseRule(_Frozen):
    """Competition is the last `competition_weeks` before the taper, cut short when the weeks
    before the taper are few so preparation keeps at least `min_preparation_share` of them."""

    competition_weeks: int = Field(ge=0, le=26)
    min_preparation_share: float = Field(ge=0, le=1)
    transition_weeks: int = Field(ge=0, le=8)
    sources: tuple[str, ...]


class TaperRule(_Frozen):
    """The `days` before an A race; sets cut by a share inside `volume_cut_percent`."""

    days: int = Field(ge=0, le=42)
    volume_cut_percent: tuple[int, int]
    no_load_days: int = Field(ge=0, le=42)
    last_light_session_days: tuple[int, int]
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _window(self) -> TaperRule:
        low, high = self.last_light_session_days
        if not 1 <= low <= high:
            raise ValueError("last_light_session_days must be [low, high] with 1 <= low <= high")
        cut_low, cut_high = self.volume_cut_percent
        if not 0 < cut_low <= cut_high < 100:
            raise ValueError("volume_cut_percent must be [low, high] with 0 < low <= high < 100")
        return self


class AfterRaceRule(_Frozen):
    """After an A race: nothing for `rest_days`, nothing loaded until `no_load_days` have passed."""

    rest_days: int = Field(ge=0, le=14)
    no_load_days: int = Field(ge=0, le=28)
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _order(self) -> AfterRaceRule:
        if self.no_load_days < self.rest_days:
            raise ValueError("no_load_days must be at least rest_days")
        return self


class DeloadRule(_Frozen):
    every_weeks: int = Field(ge=2, le=12)
    set_reduction: int = Field(ge=0, le=5)
    sources: tuple[str, ...]


class EffortRule(_Frozen):
    reps_in_reserve: tuple[int, int]
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _window(self) -> EffortRule:
        low, high = self.reps_in_reserve
        if not 0 <= low <= high <= 10:
            raise ValueError("reps_in_reserve must be [low, high] with 0 <= low <= high <= 10")
        return self


class ProgressionRule(_Frozen):
    # A projected step every this many progressing sessions: steps follow sessions done,
    # not weeks passed, so a once-a-week beginner climbs per session like everyone else.
    sessions_per_step: int = Field(ge=1, le=24)
    pain_regress_at: int = Field(ge=1, le=10)
    # The 2-for-2 rule [S15]: load up when the last set beats the target by this many reps in
    # this many logged sessions in a row.
    load_up_extra_reps: int = Field(ge=1, le=10)
    load_up_sessions: int = Field(ge=1, le=5)
    sources: tuple[str, ...]


class ExperienceLevel(_Frozen):
    """Where one level of lifting experience starts: `start_steps` up each range, and the
    first bell of an exercise loaded by body mass at about `kg_per_kg_body_mass` of it."""

    start_steps: int = Field(ge=0, le=10)
    kg_per_kg_body_mass: float = Field(gt=0, le=1)


class ExperienceRule(_Frozen):
    new: ExperienceLevel
    some: ExperienceLevel
    experienced: ExperienceLevel
    # `sources` back the start steps; `body_mass_sources` the first bell by body mass.
    sources: tuple[str, ...]
    body_mass_sources: tuple[str, ...]

    def level(self, experience: str) -> ExperienceLevel:
        level: ExperienceLevel = getattr(self, experience)
        return level


class PlacementRule(_Frozen):
    """Where sessions sit around runs; a season below `min_share` of its wanted sessions fails."""

    min_hours_after_run: int = Field(ge=0, le=24)
    better_hours_after_run: int = Field(ge=0, le=24)
    min_gap_days: int = Field(ge=2, le=3)
    min_share: float = Field(ge=0, le=1)
    sources: tuple[str, ...]


class ReviewRule(_Frozen):
    """What the coach's squad overview highlights: compliance below this share of the
    sessions due in the last four weeks."""

    low_compliance_below: float = Field(gt=0, le=1)
    sources: tuple[str, ...]


class RunKindRule(_Frozen):
    """How a planned run counts as hard: words in its title or description (each list under a
    rule key a coach can look up), or a duration of `long_run_minutes` or more. Words under a
    key in `race_keys` also make the day a race: no strength that day or the day before [S11].
    `easy_words` name a run easy outright (a "recovery jog" is not a hard "jog")."""

    hard_words: dict[str, tuple[str, ...]] = Field(min_length=1)
    easy_words: tuple[str, ...] = ()
    race_keys: tuple[str, ...] = ()
    long_run_minutes: int = Field(ge=30, le=600)
    # Acute 7-day running load over this times the 28-day weekly average flags the coach.
    load_jump_ratio: float = Field(gt=1, le=5)
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _words_hold(self) -> RunKindRule:
        for key, words in self.hard_words.items():
            if not key or not key.replace("-", "").isalnum() or key != key.lower():
                raise ValueError(f"hard_words.{key}: keys are lower-case words joined by -")
            if not words:
                raise ValueError(f"hard_words.{key}: at least one word")
            for word in words:
                if not word.strip() or word != word.strip().lower():
                    raise ValueError(f"hard_words.{key}: {word!r} must be lower-case, trimmed")
        for word in self.easy_words:
            if not word.strip() or word != word.strip().lower():
                raise ValueError(f"easy_words: {word!r} must be lower-case, trimmed")
        for key in self.race_keys:
            if key not in self.hard_words:
                raise ValueError(f"race_keys: {key!r} is not a key of hard_words")
        return self


class Rules(_Frozen):
    sessions_per_week: SessionsPerWeek
    beginner: BeginnerRule
    phases: PhaseRule
    taper: TaperRule
    after_race: AfterRaceRule
    deload: DeloadRule
    effort: EffortRule
    progression: ProgressionRule
    placement: PlacementRule
    review: ReviewRule
    experience: ExperienceRule
    running: RunKindRule


class LoadZone(_Frozen):
    """Minutes at or above `from_share` of threshold heart rate count `weight` each."""

    from_share: float = Field(ge=0, le=2)
    weight: float = Field(gt=0, le=20)


class CompletedRunRule(_Frozen):
    """When a completed run counts as hard (running.py): any one of these makes it hard.

    - `share_above_threshold_hr`: that share of the time at or above threshold heart rate;
    - `fast_lap_min_seconds`: laps faster than threshold pace (each at least `lap_min_seconds`)
      adding up to that long;
    - `hard_load`: a TRIMP-style load (minutes × the weight of their `load_zones` zone);
    - `long_run_minutes`: that long, whatever the heart rate (a long run is a hard day).
    """

    share_above_threshold_hr: float = Field(gt=0, le=1)
    fast_lap_min_seconds: int = Field(ge=1, le=7200)
    lap_min_seconds: int = Field(ge=1, le=3600)
    hard_load: float = Field(gt=0)
    long_run_minutes: int = Field(ge=10, le=600)
    load_zones: tuple[LoadZone, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _zones_rise(self) -> CompletedRunRule:
        shares = [zone.from_share for zone in self.load_zones]
        if shares != sorted(set(shares)) or shares[0] != 0:
            raise ValueError("load_zones start at from_share 0 and rise")
        return self


DEFAULT_COMPLETED_RUN_RULE = CompletedRunRule(
    share_above_threshold_hr=0.2,
    fast_lap_min_seconds=240,
    lap_min_seconds=60,
    hard_load=150,
    long_run_minutes=90,
    load_zones=(
        LoadZone(from_share=0, weight=1),
        LoadZone(from_share=0.85, weight=2),
        LoadZone(from_share=0.92, weight=3),
        LoadZone(from_share=1.0, weight=4),
        LoadZone(from_share=1.05, weight=5),
    ),
)


class Catalog(_Frozen):
    schema_: Literal["runstrong.catalog/1"] = Field(alias="schema")
    name: str
    kettlebell_sizes_kg: tuple[Positive, ...] = Field(min_length=1)
    kettlebell_sizes_sources: tuple[str, ...]
    sources: dict[str, Source]
    rules: Rules
    exercises: tuple[Exercise, ...] = Field(min_length=1)
    substitutes: tuple[Substitute, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    benchmarking: BenchmarkRule
    movements: tuple[Movement, ...] = ()
    groups: tuple[Group, ...] = Field(min_length=1)
    # A club catalog written before runs were read keeps working with the defaults.
    completed_runs: CompletedRunRule = DEFAULT_COMPLETED_RUN_RULE

    @model_validator(mode="after")
    def _references_hold(self) -> Catalog:
        _check_references(self)
        _check_method(self)
        return self

    def exercise(self, slug: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.slug == slug:
                return exercise
        raise KeyError(slug)

    def group(self, slug: str) -> Group:
        for group in self.groups:
            if group.slug == slug:
                return group
        raise KeyError(slug)

    def movement(self, slug: str) -> Movement:
        for movement in self.movements:
            if movement.slug == slug:
                return movement
        raise KeyError(slug)

    def is_weak(self, keys: tuple[str, ...]) -> bool:
        return any(self.sources[key].weak for key in keys if key in self.sources)


class _BrokenReference(ValueError):
    def __init__(self, key: str, expected: str) -> None:
        self.key = key
        self.expected = expected
        super().__init__(f"{key}: {expected}")


def _check_references(catalog: Catalog) -> None:
    """Raise _BrokenReference naming the first key that points at nothing."""
    known = set(catalog.sources)
    slugs = {exercise.slug for exercise in catalog.exercises}
    movements = {movement.slug for movement in catalog.movements}
    for field, keys in _source_lists(catalog):
        for key in keys:
            if key not in known:
                raise _BrokenReference(field, f"a key under [sources], not {key!r}")
    for index, sub in enumerate(catalog.substitutes):
        if sub.exercise not in slugs:
            raise _BrokenReference(
                f"substitutes[{index}].exercise", f"an exercise slug, not {sub.exercise!r}"
            )
    for index, adjustment in enumerate(catalog.adjustments):
        if adjustment.exercise not in slugs:
            raise _BrokenReference(
                f"adjustments[{index}].exercise", f"an exercise slug, not {adjustment.exercise!r}"
            )
    for m, movement in enumerate(catalog.movements):
        if movement.exercise is not None and movement.exercise not in slugs:
            raise _BrokenReference(
                f"movements[{m}].exercise", f"an exercise slug, not {movement.exercise!r}"
            )
    for g, group in enumerate(catalog.groups):
        for i, standard in enumerate(group.standards):
            if standard.movement not in movements:
                raise _BrokenReference(
                    f"groups[{g}].standards[{i}].movement",
                    f"a movement slug, not {standard.movement!r}",
                )
    if len(slugs) != len(catalog.exercises):
        raise _BrokenReference("exercises", "a different slug for each exercise")
    if list(catalog.kettlebell_sizes_kg) != sorted(set(catalog.kettlebell_sizes_kg)):
        raise _BrokenReference("kettlebell_sizes_kg", "sizes increasing without repeats")


# The article's four exercises by slug. Their rules (M1–M6) are the method, not coach data: a
# coach may change doses, loads, cues and standards, but not what the article says about these.
SPANISH_SQUAT = "banded-spanish-squat"
CRAWL = "crouching-crawl"
SINGLE_LEG_SQUAT = "single-leg-squat"
ROW = "glute-ham-iso-row"
ARTICLE_EXERCISES = {
    SPANISH_SQUAT: "M1 — the banded Spanish squat is the first half of the A1/A2 superset",
    CRAWL: "M1 — the crouching crawl is the second half of the A1/A2 superset",
    SINGLE_LEG_SQUAT: "M2 — the single-leg squat is trained once or twice a week",
    ROW: "M5 — the glute-ham isometric row moves from reps to timed work",
}
SUPERSET_BLOCK = "A"


def _check_method(catalog: Catalog) -> None:
    """Raise _BrokenReference naming the first key that breaks one of the article's rules."""
    index = {exercise.slug: number for number, exercise in enumerate(catalog.exercises)}
    for slug, rule in ARTICLE_EXERCISES.items():
        if slug not in index:
            raise _BrokenReference("exercises", f"{rule}: keep an exercise with slug {slug!r}")

    def key(slug: str, field: str) -> str:
        return f"exercises[{index[slug]}].{field}"

    squat, crawl = catalog.exercise(SPANISH_SQUAT), catalog.exercise(CRAWL)
    if squat.block != SUPERSET_BLOCK:
        raise _BrokenReference(
            key(SPANISH_SQUAT, "block"),
            f'M1 — the banded Spanish squat opens the superset with the crouching crawl: block "'
            f'{SUPERSET_BLOCK}", not "{squat.block}"',
        )
    if crawl.block != SUPERSET_BLOCK:
        raise _BrokenReference(
            key(CRAWL, "block"),
            "M1 — the crouching crawl is trained in a superset with the banded Spanish squat: "
            f'block "{SUPERSET_BLOCK}", not "{crawl.block}"',
        )
    in_superset = [e.slug for e in catalog.exercises if e.block == SUPERSET_BLOCK]
    if in_superset != [SPANISH_SQUAT, CRAWL]:
        extra = next((slug for slug in in_superset if slug not in (SPANISH_SQUAT, CRAWL)), None)
        if extra is not None:
            raise _BrokenReference(
                key(extra, "block"),
                "M1 — the superset is the banded Spanish squat and the crouching crawl only: "
                f'put {extra} in another block than "{SUPERSET_BLOCK}"',
            )
        raise _BrokenReference(
            key(CRAWL, "block"),
            "M1 — the banded Spanish squat comes first (A1), then the crouching crawl (A2): "
            "list the squat before the crawl",
        )

    single = catalog.exercise(SINGLE_LEG_SQUAT)
    if single.max_sessions_per_week is None or not 1 <= single.max_sessions_per_week <= 2:
        given = single.max_sessions_per_week
        raise _BrokenReference(
            key(SINGLE_LEG_SQUAT, "max_sessions_per_week"),
            "M2 — the single-leg squat is trained once or twice a week, never more: 1 or 2, "
            f"not {'nothing' if given is None else given}",
        )
    if not single.front_foot_placement:
        raise _BrokenReference(
            key(SINGLE_LEG_SQUAT, "front_foot_placement"),
            "M3 — the single-leg squat's front-foot placement follows the athlete's legs and "
            "stride: true",
        )
    for slug, name in ((CRAWL, "crouching crawl"), (SINGLE_LEG_SQUAT, "single-leg squat")):
        load = catalog.exercise(slug).load
        if load is not None and load.start_with_load:
            raise _BrokenReference(
                key(slug, "load.start_with_load"),
                f"M4 — the {name} starts unloaded and earns its load: false",
            )

    row = catalog.exercise(ROW)
    if row.dose.measure != "reps":
        raise _BrokenReference(
            key(ROW, "dose.measure"),
            f'M5 — the isometric row starts with counted rows: "reps", not "{row.dose.measure}"',
        )
    if row.timed is None:
        raise _BrokenReference(
            key(ROW, "timed"),
            "M5 — the isometric row moves from counted reps to timed work: give [exercises.timed]",
        )

    for slug, name in (
        (SPANISH_SQUAT, "banded Spanish squat"),
        (SINGLE_LEG_SQUAT, "single-leg squat"),
    ):
        load = catalog.exercise(slug).load
        if load is None or "goblet" not in load.implement.casefold():
            found = "no load" if load is None else repr(load.implement)
            raise _BrokenReference(
                key(slug, "load.implement" if load is not None else "load"),
                f"M6 — the {name} is loaded with a goblet hold, which trains the trunk too: "
                f"a goblet kettlebell, not {found}",
            )


def _source_lists(catalog: Catalog) -> list[tuple[str, tuple[str, ...]]]:
    lists: list[tuple[str, tuple[str, ...]]] = [
        ("kettlebell_sizes_sources", catalog.kettlebell_sizes_sources)
    ]
    rules = catalog.rules
    for name in type(rules).model_fields:
        lists.append((f"rules.{name}.sources", getattr(rules, name).sources))
    lists.append(("rules.experience.body_mass_sources", rules.experience.body_mass_sources))
    for i, exercise in enumerate(catalog.exercises):
        lists.append((f"exercises[{i}].sources", exercise.sources))
        lists += [
            (f"exercises[{i}].beyond_top[{j}].sources", step.sources)
            for j, step in enumerate(exercise.beyond_top)
        ]
        if exercise.load:
            lists.append((f"exercises[{i}].load.sources", exercise.load.sources))
        if exercise.timed:
            lists.append((f"exercises[{i}].timed.sources", exercise.timed.sources))
    lists += [(f"substitutes[{i}].sources", s.sources) for i, s in enumerate(catalog.substitutes)]
    lists += [
        (f"substitutes[{i}].beyond_top[{j}].sources", step.sources)
        for i, sub in enumerate(catalog.substitutes)
        for j, step in enumerate(sub.beyond_top)
    ]
    lists += [(f"adjustments[{i}].sources", a.sources) for i, a in enumerate(catalog.adjustments)]
    bench = catalog.benchmarking
    lists.append(("benchmarking.close_sources", bench.close_sources))
    lists.append(("benchmarking.symmetry_sources", bench.symmetry_sources))
    for i, movement in enumerate(catalog.movements):
        lists.append((f"movements[{i}].sources", movement.sources))
        if movement.symmetry:
            lists.append((f"movements[{i}].symmetry.sources", movement.symmetry.sources))
    for g, group in enumerate(catalog.groups):
        for i, standard in enumerate(group.standards):
            where = f"groups[{g}].standards[{i}]"
            lists.append((f"{where}.sources", standard.sources))
            for sex, figure in standard.by_sex.items():
                lists.append((f"{where}.by_sex.{sex}.sources", figure.sources))
    return lists


def parse_catalog(text: str, *, source: str = "<catalog>") -> Catalog:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(source, "(syntax)", f"valid TOML ({error})") from None
    try:
        return Catalog.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        broken = first.get("ctx", {}).get("error")
        if isinstance(broken, _BrokenReference):
            raise CatalogError(source, broken.key, broken.expected) from None
        key = _key_path(first["loc"]) or "(top level)"
        raise CatalogError(source, key, first["msg"].removeprefix("Value error, ")) from None


def _key_path(loc: tuple[int | str, ...]) -> str:
    """`exercises[1].load.max_kg`: a TOML array's entries by their index, counting from 0."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def load_catalog(path: str | os.PathLike[str] | None) -> Catalog:
    """The catalog at `path`, or the packaged defaults when None.

    The engine reads no environment: the CLI passes its `--catalog` (or RUNSTRONG_CATALOG) and
    the web app its settings' file. A file is parsed once and reused until it changes on disk:
    the web app asks for the catalog on every request and every logged set.
    """
    if path is None:
        return default_catalog()
    file = Path(path)
    try:
        stat = file.stat()
    except OSError as error:
        raise CatalogError(
            str(file), "(file)", f"a readable TOML file ({error.strerror})"
        ) from None
    return _parse_file(str(file), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _parse_file(path: str, mtime_ns: int, size: int) -> Catalog:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(path, "(file)", f"a readable TOML file ({error.strerror})") from None
    return parse_catalog(text, source=path)


@cache
def default_catalog() -> Catalog:
    text = resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")
    return parse_catalog(text, source="runstrong/engine/data/catalog.toml")
