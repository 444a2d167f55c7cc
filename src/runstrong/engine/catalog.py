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
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from runstrong.engine.errors import CatalogError
from runstrong.engine.profile import Problem

CATALOG_ENV = "RUNSTRONG_CATALOG"
EQUIPMENT = ("band", "ghd", "kettlebells", "bench")
Measure = Literal["reps", "metres", "seconds"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
        if self.top < self.start:
            raise ValueError("top must be at least start")
        return self


class Timed(_Frozen):
    start: float = Field(gt=0)
    top: float = Field(gt=0)
    step: float = Field(gt=0)
    sources: tuple[str, ...]


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
    equipment: tuple[Literal["band", "ghd", "kettlebells", "bench"], ...]
    footwear: str
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
    when_missing: tuple[Literal["band", "ghd", "kettlebells", "bench"], ...] = Field(min_length=1)
    requires: tuple[Literal["band", "ghd", "kettlebells", "bench"], ...] = ()
    name: str = ""
    omit: bool = False
    measure: Measure | None = None
    start: float | None = None
    top: float | None = None
    step: float | None = None
    reason: str
    cues: tuple[str, ...] = ()
    sources: tuple[str, ...]
    # For a substitute with its own measure; one without keeps the exercise's steps.
    beyond_top: tuple[BeyondTop, ...] = ()

    @model_validator(mode="after")
    def _named_unless_omitted(self) -> Substitute:
        if not self.omit and not self.name:
            raise ValueError("a substitute needs a name unless omit = true")
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
    start: float | None = Field(default=None, gt=0)
    top: float | None = Field(default=None, gt=0)
    step: float | None = Field(default=None, gt=0)
    extra_sets: int = Field(default=0, ge=0, le=3)
    keep_unloaded: bool = False
    max_kg: float | None = Field(default=None, gt=0)
    pain_free_sessions: int | None = Field(default=None, ge=1, le=10)

    @model_validator(mode="after")
    def _pain_free_needs_a_form(self) -> Adjustment:
        if self.pain_free_sessions is not None and self.measure is None:
            raise ValueError("pain_free_sessions needs a measure: the form lasting while it hurts")
        return self


class Movement(_Frozen):
    slug: str
    name: str
    measure: Literal["reps", "seconds", "kg_per_kg"]
    per_side: bool
    sources: tuple[str, ...]


class Standard(_Frozen):
    """A group's target on a movement; `weak` marks a coach default that no source states."""

    movement: str
    target: float = Field(gt=0)
    sources: tuple[str, ...]
    weak: bool = False


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
    competition_weeks: int = Field(ge=0, le=26)
    transition_weeks: int = Field(ge=0, le=8)
    sources: tuple[str, ...]


class TaperRule(_Frozen):
    days: int = Field(ge=0, le=42)
    volume_factor: float = Field(gt=0, le=1)
    no_load_days: int = Field(ge=0, le=42)
    last_light_session_days: tuple[int, int]
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _window(self) -> TaperRule:
        low, high = self.last_light_session_days
        if not 1 <= low <= high:
            raise ValueError("last_light_session_days must be [low, high] with 1 <= low <= high")
        return self


class DeloadRule(_Frozen):
    every_weeks: int = Field(ge=2, le=12)
    set_reduction: int = Field(ge=0, le=5)
    sources: tuple[str, ...]


class EffortRule(_Frozen):
    reps_in_reserve: tuple[int, int]
    sources: tuple[str, ...]


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
    min_hours_after_run: int = Field(ge=0, le=24)
    better_hours_after_run: int = Field(ge=0, le=24)
    sources: tuple[str, ...]


class Rules(_Frozen):
    sessions_per_week: SessionsPerWeek
    beginner: BeginnerRule
    phases: PhaseRule
    taper: TaperRule
    deload: DeloadRule
    effort: EffortRule
    progression: ProgressionRule
    placement: PlacementRule
    experience: ExperienceRule


class Catalog(_Frozen):
    schema_: Literal["runstrong.catalog/1"] = Field(alias="schema")
    name: str
    kettlebell_sizes_kg: tuple[float, ...] = Field(min_length=1)
    kettlebell_sizes_sources: tuple[str, ...]
    sources: dict[str, Source]
    rules: Rules
    exercises: tuple[Exercise, ...] = Field(min_length=1)
    substitutes: tuple[Substitute, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    movements: tuple[Movement, ...] = ()
    groups: tuple[Group, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_hold(self) -> Catalog:
        _check_references(self)
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
                f"substitutes.{index}.exercise", f"an exercise slug, not {sub.exercise!r}"
            )
    for index, adjustment in enumerate(catalog.adjustments):
        if adjustment.exercise not in slugs:
            raise _BrokenReference(
                f"adjustments.{index}.exercise", f"an exercise slug, not {adjustment.exercise!r}"
            )
    for group in catalog.groups:
        for standard in group.standards:
            if standard.movement not in movements:
                raise _BrokenReference(
                    f"groups.{group.slug}.standards",
                    f"a movement slug, not {standard.movement!r}",
                )
    if len(slugs) != len(catalog.exercises):
        raise _BrokenReference("exercises", "a different slug for each exercise")
    if list(catalog.kettlebell_sizes_kg) != sorted(set(catalog.kettlebell_sizes_kg)):
        raise _BrokenReference("kettlebell_sizes_kg", "sizes increasing without repeats")


def _source_lists(catalog: Catalog) -> list[tuple[str, tuple[str, ...]]]:
    lists: list[tuple[str, tuple[str, ...]]] = [
        ("kettlebell_sizes_sources", catalog.kettlebell_sizes_sources)
    ]
    rules = catalog.rules
    for name in type(rules).model_fields:
        lists.append((f"rules.{name}.sources", getattr(rules, name).sources))
    lists.append(("rules.experience.body_mass_sources", rules.experience.body_mass_sources))
    for exercise in catalog.exercises:
        lists.append((f"exercises.{exercise.slug}.sources", exercise.sources))
        lists += [
            (f"exercises.{exercise.slug}.beyond_top.{i}.sources", step.sources)
            for i, step in enumerate(exercise.beyond_top)
        ]
        if exercise.load:
            lists.append((f"exercises.{exercise.slug}.load.sources", exercise.load.sources))
        if exercise.timed:
            lists.append((f"exercises.{exercise.slug}.timed.sources", exercise.timed.sources))
    lists += [(f"substitutes.{i}.sources", s.sources) for i, s in enumerate(catalog.substitutes)]
    lists += [
        (f"substitutes.{i}.beyond_top.{j}.sources", step.sources)
        for i, sub in enumerate(catalog.substitutes)
        for j, step in enumerate(sub.beyond_top)
    ]
    lists += [(f"adjustments.{i}.sources", a.sources) for i, a in enumerate(catalog.adjustments)]
    lists += [(f"movements.{m.slug}.sources", m.sources) for m in catalog.movements]
    for group in catalog.groups:
        lists += [(f"groups.{group.slug}.standards", s.sources) for s in group.standards]
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
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise CatalogError(source, key, first["msg"].removeprefix("Value error, ")) from None


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """The catalog at `path`, else at $RUNSTRONG_CATALOG, else the packaged defaults.

    A file is parsed once and reused until it changes on disk: the web app asks for the
    catalog on every request and every logged set.
    """
    chosen = path if path is not None else os.environ.get(CATALOG_ENV) or None
    if chosen is None:
        return default_catalog()
    file = Path(chosen)
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
