"""Request and response shapes shared by the routers. Responses resolve from model instances
(the fields named alike are read as they are; the others have a `resolve_` method), so an
endpoint returns its rows or a queryset and a list paginates in SQL."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator

from runstrong.api.verdicts import verdict_of
from runstrong.engine.errors import ProfileError
from runstrong.engine.pain import PAIN_AREAS, PainArea
from runstrong.engine.profile import counted_kettlebells
from runstrong.engine.serialize import verdict_data
from runstrong.web.coaching.models import (
    BenchmarkResult,
    PainReport,
    Plan,
    PlannedItem,
    PlannedSession,
    SessionLog,
    Squad,
)
from runstrong.web.coaching.site_catalog import GROUP_SLUG_MAX, group_names, site_catalog
from runstrong.web.coaching.validators import MAX_ROW_ID, PlausibleDate

# Database ids are 64-bit; larger numbers are refused as input instead of reaching the driver.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


def _catalog_group(slug: str) -> str:
    groups = group_names()
    if slug not in groups:
        raise ValueError(f"expected an event group of the catalog: {', '.join(groups)}")
    return slug


# The catalog's groups, read on each request: a club catalog with a group of its own is
# accepted without a change here (a 422 naming the field otherwise).
EventGroup = Annotated[
    str,
    Field(
        min_length=1,
        max_length=GROUP_SLUG_MAX,
        description="An event group's slug, one of those GET /groups lists.",
    ),
    AfterValidator(_catalog_group),
]


class ReasonOut(Schema):
    text: str
    keys: list[str]


class ErrorItem(Schema):
    field: str
    reason: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class KettlebellOut(Schema):
    size_kg: float
    count: int


class AthleteOut(Schema):
    id: int
    name: str
    squad_id: int
    event_group: str
    sex: str
    body_mass_kg: float
    experience: str
    leg_length: str
    stride_goal: str
    problems: list[str]
    equipment: list[str]
    kettlebells_kg: list[float] = Field(description="The sizes at hand, each once.")
    kettlebells: list[KettlebellOut] = Field(description="The bells at hand, with counts.")
    strength_days: list[str]
    hard_run_days: list[str]
    threshold_hr: int | None = Field(description="Threshold heart rate (bpm)")
    threshold_pace: str | None = Field(description="Threshold pace per km, min:s")

    @staticmethod
    def resolve_threshold_pace(athlete: Any) -> str | None:
        seconds = athlete.threshold_pace
        return None if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"

    @staticmethod
    def resolve_kettlebells_kg(athlete: Any) -> list[float]:
        return [size for size, _ in counted_kettlebells(athlete.kettlebells_kg or [])]

    @staticmethod
    def resolve_kettlebells(athlete: Any) -> list[dict[str, float]]:
        bells = counted_kettlebells(athlete.kettlebells_kg or [])
        return [{"size_kg": size, "count": count} for size, count in bells]


class SquadOut(Schema):
    id: int
    name: str
    club: str
    athletes: int

    @staticmethod
    def resolve_club(squad: Squad) -> str:
        return squad.club.name

    @staticmethod
    def resolve_athletes(squad: Squad) -> int:
        annotated = getattr(squad, "athlete_count", None)  # lists annotate the count
        return int(annotated) if annotated is not None else squad.athletes.count()


class ItemOut(Schema):
    id: int
    slot: str
    exercise: str
    name: str
    sets: int
    measure: str
    target: float
    per_side: bool
    load_kg: float | None
    rest_s: int
    reps_in_reserve: list[int]
    footwear: str | None
    cues: list[str]
    reasons: list[ReasonOut]
    edited_by_coach: bool

    @staticmethod
    def resolve_reps_in_reserve(item: PlannedItem) -> list[int]:
        # Reps in reserve apply to rep-counted work only: none on metres or holds.
        return [item.rir_low, item.rir_high] if item.measure == "reps" else []

    @staticmethod
    def resolve_footwear(item: PlannedItem) -> str | None:
        return item.footwear or None


class SessionLogOut(Schema):
    """What the athlete reported: effort, pain and notes for a done session, the reason for a
    missed one."""

    status: Literal["done", "missed"]
    reps_in_reserve: int | None
    pain: int
    pain_where: str
    notes: str
    missed_reason: str
    logged_at: datetime


class SessionOut(Schema):
    id: int
    athlete_id: int
    plan_id: int
    date: date
    week_index: int
    phase: str
    deload: bool
    kind: str
    placement: ReasonOut
    status: Literal["planned", "done", "missed"]
    log: SessionLogOut | None = None

    @staticmethod
    def resolve_log(session: PlannedSession) -> SessionLog | None:
        return getattr(session, "log", None)  # none yet: Django raises an AttributeError

    @staticmethod
    def resolve_status(session: PlannedSession) -> str:
        log = getattr(session, "log", None)
        return "planned" if log is None else str(log.status)


class PainReportOut(Schema):
    id: int
    athlete_id: int
    session_id: int | None
    date: date
    score: int
    exercise: str = Field(description="The exercise it hurt in (its slug); empty: elsewhere")
    exercise_name: str
    area: str = Field(description=f"One of {', '.join(PAIN_AREAS)}; empty on older reports")
    side: str
    where: str = Field(description="Where, in words: `left knee`, or an older report's text")
    resolved: bool
    flag: bool = Field(description="At or over the catalog's pain_regress_at and not resolved")

    @staticmethod
    def resolve_exercise_name(report: PainReport) -> str:
        return getattr(report, "exercise_name", None) or ""  # read through `named()`

    @staticmethod
    def resolve_where(report: PainReport) -> str:
        return report.where_text

    @staticmethod
    def resolve_resolved(report: PainReport) -> bool:
        return report.resolved_at is not None

    @staticmethod
    def resolve_flag(report: PainReport) -> bool:
        threshold = site_catalog().rules.progression.pain_regress_at
        return report.resolved_at is None and report.score >= threshold


class SessionDetailOut(SessionOut):
    items: list[ItemOut]
    pains: list[PainReportOut] = Field(
        default_factory=list, description="Pain reported in this session, the worst first"
    )

    @staticmethod
    def resolve_items(session: PlannedSession) -> QuerySet[PlannedItem]:
        return session.items.select_related("text")

    @staticmethod
    def resolve_pains(session: PlannedSession) -> QuerySet[PainReport]:
        return PainReport.objects.filter(session=session).named().order_by("-score", "pk")


class PlanOut(Schema):
    id: int
    athlete_id: int
    season_start: date
    weeks: int
    catalog: str
    published: bool
    sessions: int

    @staticmethod
    def resolve_catalog(plan: Plan) -> str:
        return plan.catalog_name

    @staticmethod
    def resolve_published(plan: Plan) -> bool:
        return plan.is_published

    @staticmethod
    def resolve_sessions(plan: Plan) -> int:
        # Lists annotate the count; a single plan (after publishing) asks for it.
        annotated = getattr(plan, "session_count", None)
        return int(annotated) if annotated is not None else plan.sessions.count()


class PlanPreviewIn(Schema):
    athlete_ids: list[RowId] = Field(default_factory=list)
    group: EventGroup | None = None
    start: PlausibleDate
    weeks: int = Field(ge=1, le=104)


class PlanPreviewOut(Schema):
    plans: list[PlanOut]
    problems: list[ErrorItem]


class SetLogIn(Schema):
    item_id: RowId
    set_number: int = Field(ge=1, le=10)
    side: Literal["", "left", "right"] = ""
    done: float = Field(ge=0, le=600)
    load_kg: float | None = Field(default=None, ge=0, le=100)


class SetLogOut(Schema):
    id: int
    item_id: int
    set_number: int
    side: str
    done: float
    load_kg: float | None


class PainIn(Schema):
    """Pain in one exercise of the session (that exercise steps back next time) or, with
    `exercise` empty, somewhere else (nothing steps back; the coach sees a flag)."""

    score: int = Field(ge=1, le=10)
    area: PainArea
    side: Literal["", "left", "right", "both"] = ""
    exercise: str = Field(
        default="", max_length=60, description="An exercise slug of the session, or empty"
    )


class CompleteIn(Schema):
    reps_in_reserve: int | None = Field(default=None, ge=0, le=10)
    pains: list[PainIn] = Field(default_factory=list, max_length=20)
    pain: int = Field(
        default=0,
        ge=0,
        le=10,
        description="Pain not tied to an exercise, with `pain_where` in words: steps nothing "
        "back, the coach sees it (use `pains` to say where and in which exercise)",
    )
    pain_where: str = Field(default="", max_length=120)
    notes: str = Field(default="", max_length=2000)


class ChangeOut(Schema):
    exercise: str
    change: str
    before: str
    after: str
    reason: str
    keys: list[str]
    coach_flag: str | None


class MissedIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class BenchmarkIn(Schema):
    athlete_id: RowId
    movement: str = Field(min_length=1, max_length=60)
    date: PlausibleDate
    value: float | None = Field(default=None, ge=0, le=10000)
    left: float | None = Field(default=None, ge=0, le=10000)
    right: float | None = Field(default=None, ge=0, le=10000)


class VerdictOut(Schema):
    """The engine's verdict, as `runstrong check --json` prints it (runstrong.verdict/1)."""

    status: str
    value: float
    target: float
    close_from: float
    sex: str
    own_figure: bool
    ratio: float
    asymmetry_pct: float | None
    asymmetry_flag: bool
    reason: list[ReasonOut]
    rule_keys: list[str]


class ResultOut(Schema):
    """A test result as it was recorded."""

    id: int
    athlete_id: int
    movement: str
    date: date
    value: float | None
    left: float | None
    right: float | None


class BenchmarkOut(ResultOut):
    """A test result with its verdict against the athlete's group standard."""

    verdict: VerdictOut | None

    @staticmethod
    def resolve_verdict(result: BenchmarkResult, context: dict[str, Any]) -> Any:
        request: HttpRequest | None = (context or {}).get("request")
        try:
            return verdict_data(verdict_of(result, request))
        except ProfileError:
            return None  # a movement the athlete's group has no standard for (any more)


class ProgressPointOut(Schema):
    date: date
    target: float
    unit: str
    load_kg: float | None
    best: float
    sets: int


class ExerciseOut(Schema):
    slug: str
    name: str
    block: str
    equipment: list[str]
    footwear: str
    purpose: str
    cues: list[str]
    sources: list[str]


class SubstituteOut(Schema):
    exercise: str
    when_missing: list[str]
    requires: list[str]
    name: str
    omit: bool
    reason: str
    sources: list[str]


class SexStandardOut(Schema):
    """What athletes of one sex are judged on: a source's own figure, or the group figure."""

    sex: str
    target: float
    close_from: float
    sources: list[str]
    weak: bool
    own_figure: bool
    note: str | None


class StandardOut(Schema):
    """The group figure (for athletes whose sex is not given), and each sex's standard."""

    movement: str
    target: float
    close_from: float
    sources: list[str]
    weak: bool
    screen: bool
    by_sex: list[SexStandardOut]


class GroupOut(Schema):
    slug: str
    name: str
    events: list[str]
    standards: list[StandardOut]


class PlanChangeOut(Schema):
    id: int
    at: datetime
    session_date: date | None
    what: str
    before: str
    after: str
    cause: str
    reason: str
    keys: list[str]


class HealthOut(Schema):
    status: Literal["ok", "unavailable"]
    version: str
    detail: str = ""
