"""Who the plan is for and which season it covers: validated input to the planner."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from runstrong.engine.errors import ProfileError

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Equipment = Literal["band", "ghd", "kettlebells", "bench"]
Problem = Literal["knee", "shin", "calf", "lower-back"]
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
    equipment: frozenset[Equipment] = frozenset({"band", "ghd", "kettlebells", "bench"})
    kettlebells_kg: tuple[float, ...] = ()
    # Empty: not given, the planner derives them from the hard-run days [S9, S11].
    strength_days: tuple[Weekday, ...] = ()
    hard_run_days: tuple[Weekday, ...] = ("tue", "thu")

    @field_validator("kettlebells_kg")
    @classmethod
    def _positive_sorted(cls, sizes: tuple[float, ...]) -> tuple[float, ...]:
        for size in sizes:
            if not 0 < size <= 100:
                raise ValueError(f"kettlebell size {size:g} kg must be between 0 and 100")
        return tuple(sorted(set(sizes)))

    @field_validator("strength_days", "hard_run_days")
    @classmethod
    def _unique_days(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        return tuple(day for day in WEEKDAYS if day in days)


class Season(_Frozen):
    start: date
    weeks: int = Field(ge=1, le=MAX_WEEKS)
    races: tuple[Race, ...] = ()

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
