"""Who the plan is for and which season it covers: validated input to the planner."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from runstrong.engine.errors import ProfileError

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Equipment = Literal["band", "ghd", "kettlebells", "bench"]
Problem = Literal["knee", "patellar-tendon", "shin", "calf", "lower-back"]
# The problem flags with the labels forms and help texts show; the catalog's adjustments say
# what each flag changes.
PROBLEMS: dict[Problem, str] = {
    "knee": "Front-of-knee pain",
    "patellar-tendon": "Patellar tendon pain",
    "shin": "Shin pain",
    "calf": "Calf problem",
    "lower-back": "Lower-back problem",
}
# Lifting experience levels with the labels forms and reasons show.
EXPERIENCE: dict[str, str] = {
    "new": "New to lifting",
    "some": "Some lifting experience",
    "experienced": "Experienced lifter",
}
# What a gym may have, with the labels forms show; the catalog's exercises say what they need.
EQUIPMENT: dict[Equipment, str] = {
    "band": "Long band",
    "ghd": "Glute-ham developer",
    "kettlebells": "Kettlebells",
    "bench": "Bench",
}
DEFAULT_EQUIPMENT: frozenset[Equipment] = frozenset(EQUIPMENT)
MAX_KETTLEBELL_KG = 100
MAX_KETTLEBELL_COUNT = 20
MAX_WEEKS = 104
M = TypeVar("M", bound=BaseModel)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Race(_Frozen):
    name: str = Field(default="Race", max_length=120)
    date: date
    priority: Literal["A", "B", "C"] = "A"


class Athlete(_Frozen):
    name: str = Field(default="Athlete", max_length=120)
    event_group: str
    sex: Literal["female", "male", "unspecified"] = "unspecified"
    body_mass_kg: float = Field(default=60.0, ge=25, le=200)
    experience: Literal["new", "some", "experienced"] = "some"
    leg_length: Literal["short", "average", "long"] = "average"
    stride_goal: Literal["keep", "lengthen"] = "keep"
    problems: frozenset[Problem] = frozenset()
    equipment: frozenset[Equipment] = DEFAULT_EQUIPMENT
    # The bells at hand as (size in kg, how many), sizes increasing. Input may be sizes (one of
    # each; a size given twice is two bells), "12x2" strings, [size, count] pairs, a size→count
    # mapping, or one "8,12x2,16" string; "none" means no kettlebells at all.
    kettlebells_kg: tuple[tuple[float, int], ...] = ()
    # Empty: not given, the planner derives them from the hard-run days [S9, S11].
    strength_days: tuple[Weekday, ...] = ()
    hard_run_days: tuple[Weekday, ...] = ("tue", "thu")

    @model_validator(mode="before")
    @classmethod
    def _none_means_no_kettlebells(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            given = data.get("kettlebells_kg")
            if isinstance(given, str) and given.strip().lower() == "none":
                data = dict(data)
                data["kettlebells_kg"] = ()
                equipment = data.get("equipment", DEFAULT_EQUIPMENT)
                data["equipment"] = [item for item in equipment if item != "kettlebells"]
        return data

    @field_validator("kettlebells_kg", mode="before")
    @classmethod
    def _counted(cls, given: Any) -> tuple[tuple[float, int], ...]:
        return counted_kettlebells(given)

    @property
    def kettlebell_counts(self) -> dict[float, int]:
        return dict(self.kettlebells_kg)

    @field_validator("strength_days", "hard_run_days")
    @classmethod
    def _unique_days(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        return tuple(day for day in WEEKDAYS if day in days)


class RunningDays(_Frozen):
    """Hard runs by date, from a running-plan calendar (and runs done), for the days it
    covers: inside `first`..`last` these dates replace the profile's hard-run weekdays."""

    first: date
    last: date
    hard: frozenset[date] = frozenset()
    # Races in the running plan: hard, and no strength session that day either [S11].
    races: frozenset[date] = frozenset()

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


class Season(_Frozen):
    start: date
    weeks: int = Field(ge=1, le=MAX_WEEKS)
    races: tuple[Race, ...] = ()
    running: RunningDays | None = None

    @property
    def end(self) -> date:
        """The last day of the season (inclusive)."""
        return self.start + timedelta(days=7 * self.weeks - 1)

    @model_validator(mode="after")
    def _races_inside(self) -> Season:
        for index, race in enumerate(self.races):
            if race.date < self.start:
                raise _RaceOutside(index, race.date, f"on or after the season start {self.start}")
            if race.date > self.end:
                raise _RaceOutside(index, race.date, f"on or before the season end {self.end}")
        object.__setattr__(self, "races", tuple(sorted(self.races, key=lambda r: r.date)))
        return self


class _RaceOutside(ValueError):
    def __init__(self, index: int, when: date, allowed: str) -> None:
        self.index = index
        self.when = when
        self.allowed = allowed
        super().__init__(allowed)


def counted_kettlebells(given: Any) -> tuple[tuple[float, int], ...]:
    """Kettlebells as (size, count) pairs, sizes increasing, from any of the accepted forms.

    `"8, 12x2, 16"`, `[8, "12x2", 16]`, `[8, 12, 12, 16]`, `[[8, 1], [12, 2], [16, 1]]` and
    `{8: 1, 12: 2, 16: 1}` are the same three sizes with two 12s; a plain size list (what the
    web app stored before counts) is one of each. Raises ValueError naming the bad entry.
    """
    counts: dict[float, int] = {}

    def add(size: Any, count: Any = 1) -> None:
        if isinstance(size, bool) or not isinstance(size, int | float):
            raise ValueError(f"kettlebell {size!r} is not a size in kg")
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValueError(f"kettlebell count {count!r} is not a whole number")
        if not 0 < size <= MAX_KETTLEBELL_KG:
            raise ValueError(
                f"kettlebell size {size:g} kg must be above 0 and at most {MAX_KETTLEBELL_KG} kg"
            )
        if count < 1:
            raise ValueError(f"kettlebell count {count} for {size:g} kg must be at least 1")
        counts[float(size)] = counts.get(float(size), 0) + count
        if counts[float(size)] > MAX_KETTLEBELL_COUNT:
            raise ValueError(f"at most {MAX_KETTLEBELL_COUNT} kettlebells of {size:g} kg")

    def add_text(text: str) -> None:
        size_text, times, count_text = text.strip().lower().replace("×", "x").partition("x")
        size_text = size_text.strip().removesuffix("kg").strip()
        try:
            size = float(size_text)
            count = int(count_text.strip()) if times else 1
        except ValueError:
            raise ValueError(
                f"kettlebell {text.strip()!r} is not SIZE or SIZExCOUNT, e.g. 16 or 12x2"
            ) from None
        add(size, count)

    if given is None:
        return ()
    if isinstance(given, str):
        given = [part for part in given.replace(";", ",").split(",") if part.strip()]
    if isinstance(given, Mapping):
        given = list(given.items())
    for entry in given:
        if isinstance(entry, str):
            add_text(entry)
        elif isinstance(entry, Mapping):
            add(entry.get("size_kg"), entry.get("count", 1))
        elif isinstance(entry, list | tuple):
            if len(entry) != 2:
                raise ValueError(f"kettlebell {list(entry)!r} is not [size, count]")
            add(_number(entry[0]), _whole(entry[1]))
        else:
            add(entry)
    return tuple(sorted(counts.items()))


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value.strip().removesuffix("kg"))
        except ValueError:
            return value
    return value


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    return value


def kettlebells_text(bells: tuple[tuple[float, int], ...]) -> str:
    """`8, 12x2, 16`: the form the CLI and the profile page take back."""
    return ", ".join(f"{size:g}" if count == 1 else f"{size:g}x{count}" for size, count in bells)


def kettlebells_list(bells: tuple[tuple[float, int], ...]) -> list[float]:
    """One entry per bell (`[8, 12, 12, 16]`): how the web app stores them, so a plain size
    list from before counts still means one of each."""
    return [size for size, count in bells for _ in range(count)]


def parse_race_spec(text: str, *, field: str = "race") -> dict[str, Any]:
    """`DATE[:PRIORITY[:NAME]]`, e.g. `2027-06-12:A:County 5000`, as Race fields."""
    when, _, rest = text.strip().partition(":")
    priority, _, name = rest.partition(":")
    try:
        day = date.fromisoformat(when.strip())
    except ValueError:
        raise ProfileError(field, text, "DATE[:A|B|C[:NAME]] with DATE as YYYY-MM-DD") from None
    chosen = (priority.strip() or "A").upper()
    if chosen not in {"A", "B", "C"}:
        raise ProfileError(field, text, "priority A, B or C after the date")
    race: dict[str, Any] = {"date": day, "priority": chosen}
    if name.strip():
        race["name"] = name.strip()
    return race


def parse_athlete(data: Mapping[str, Any]) -> Athlete:
    return _validate(Athlete, data, prefix="athlete")


def parse_season(data: Mapping[str, Any]) -> Season:
    try:
        return _validate(Season, data, prefix="season")
    except _RaceOutside as error:
        raise ProfileError(
            f"season.races[{error.index}].date", str(error.when), error.allowed
        ) from None


def _validate(model: type[M], data: Mapping[str, Any], *, prefix: str) -> M:
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, _RaceOutside):
            raise cause from None
        field = ".".join([prefix, *(str(part) for part in first["loc"])])
        message = first["msg"].removeprefix("Value error, ")
        value = first.get("input", "")
        if first["type"] == "missing":
            raise ProfileError(field, None, "this field is required") from None
        raise ProfileError(field, value, _plain(message)) from None


def _plain(message: str) -> str:
    return message[0].lower() + message[1:] if message else message
