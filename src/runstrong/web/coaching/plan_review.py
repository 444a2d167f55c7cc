"""What the coach's plan review reads: drafts by build, one week of one draft, and what a
publish or discard would change. Each reads only what the page shows, so a squad of 300
athletes' 16-week drafts costs a few small queries, not every item of every draft."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from runstrong.engine.profile import MAX_WEEKS
from runstrong.engine.wording import weekday_date_year
from runstrong.web.coaching.models import (
    Coach,
    ItemOverride,
    Plan,
    PlannedItem,
    PlannedSession,
    Race,
)
from runstrong.web.coaching.session_rows import touched_count
from runstrong.web.coaching.site_catalog import group_names


@dataclass(frozen=True)
class DraftRow:
    plan_id: int
    athlete_id: int
    athlete_name: str
    event_group: str


@dataclass
class Build:
    """The drafts one "Generate drafts" made: plans.plan_generate stamps them with one moment."""

    first: datetime
    last: datetime
    season_start: date
    weeks: int
    drafts: list[DraftRow] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return self.first

    @property
    def key(self) -> str:
        return f"{self.first.isoformat()}~{self.last.isoformat()}"


def coach_drafts(coach: Coach) -> Q:
    return Q(athlete__squad__coach=coach, published_at__isnull=True)


def draft_builds(coach: Coach) -> list[Build]:
    """The coach's drafts grouped by build, newest build first, athletes by name. A newer
    build of an athlete replaces their older draft, so each athlete is in one build."""
    builds: list[Build] = []
    labels = group_names()
    for pk, created, start, weeks, athlete_id, name, group in (
        Plan.objects.filter(coach_drafts(coach))
        .order_by("-created_at", "pk")
        .values_list(
            "pk", "created_at", "season_start", "weeks", "athlete_id", "athlete__name",
            "athlete__event_group",
        )
    ):  # fmt: skip
        build = builds[-1] if builds else None
        if build is None or (build.first, build.season_start, build.weeks) != (
            created,
            start,
            weeks,
        ):
            build = Build(created, created, start, weeks)
            builds.append(build)
        build.first = created
        build.drafts.append(DraftRow(pk, athlete_id, name, labels.get(group, group)))
    for build in builds:
        build.drafts.sort(key=lambda row: (row.athlete_name, row.plan_id))
    return builds


def drafts_chosen(coach: Coach, *, plan_ids: list[int], build: str | None) -> list[Plan]:
    """The coach's drafts named by id, or those of one build, or all of them."""
    drafts = Plan.objects.filter(coach_drafts(coach)).select_related("athlete")
    if plan_ids:
        drafts = drafts.filter(pk__in=plan_ids)
    elif build:
        try:
            first, last = (datetime.fromisoformat(part) for part in build.split("~"))
        except ValueError:
            return []
        drafts = drafts.filter(created_at__range=(first, last))
    return list(drafts.order_by("athlete__name", "pk"))


@dataclass(frozen=True)
class WeekChoice:
    index: int
    first_day: date
    sessions: int


def week_choices(plan: Plan) -> list[WeekChoice]:
    counts = dict(
        plan.sessions.values("week_index").annotate(n=Count("pk")).values_list("week_index", "n")
    )
    return [
        WeekChoice(index, plan.season_start + timedelta(weeks=index - 1), counts.get(index, 0))
        for index in range(1, plan.weeks + 1)
    ]


def week_sessions(plan: Plan, week: int) -> list[PlannedSession]:
    """One week of a draft, with items and their texts: two or three small queries."""
    return list(
        plan.sessions.filter(week_index=week)
        .order_by("date")
        .prefetch_related(
            Prefetch("items", queryset=PlannedItem.objects.select_related("text").order_by("slot"))
        )
    )


def first_week(choices: list[WeekChoice], today: date) -> int:
    """The week holding today's or the next session: the earlier weeks are the past."""
    for choice in choices:
        if choice.sessions and choice.first_day + timedelta(days=6) >= today:
            return choice.index
    return next((choice.index for choice in choices if choice.sessions), 1)


@dataclass(frozen=True)
class PublishEffect:
    """What publishing these drafts changes, for the confirmation."""

    athletes: int
    today: date
    replaced: int  # future sessions of the current plans without a log: they give way
    first_replaced: date | None
    new_sessions: int
    logged_kept: int  # sessions already logged, before or after today: never touched
    edits_dropped: int  # coach edits of the current plans from today on, not carried over
    first_plans: int  # athletes without a published plan yet
    # Athletes whose draft ends before their next A race, and why that matters.
    short_of_races: list[str] = field(default_factory=list)


def edits_left_behind(
    current: Iterable[int] | QuerySet[Plan], drafts: list[Plan], today: date
) -> dict[int, int]:
    """Per athlete, the coach's edits of the current plan from today on that the draft has no
    edit for (same day and exercise): those end with the plan. A group edit is made in both,
    so it carries over."""
    drafted = set(
        ItemOverride.objects.filter(plan__in=[d.pk for d in drafts], date__gte=today).values_list(
            "plan__athlete_id", "date", "exercise"
        )
    )
    left: dict[int, int] = {}
    for key in ItemOverride.objects.filter(plan__in=current, date__gte=today).values_list(
        "plan__athlete_id", "date", "exercise"
    ):
        if key not in drafted:
            left[key[0]] = left.get(key[0], 0) + 1
    return left


def race_beyond(start: date, weeks: int, races: list[Race]) -> str:
    """Why a season that ends before the athlete's next A race needs more weeks, or "": the
    plan would stop short of the taper that race should get (S12)."""
    end = start + timedelta(days=7 * weeks - 1)
    later = sorted((race for race in races if race.priority == "A" and race.date > end),
                   key=lambda race: race.date)  # fmt: skip
    if not later:
        return ""
    race = later[0]
    needed = ((race.date - start).days) // 7 + 1
    reach = (
        f"a plan of {needed} weeks from {weekday_date_year(start)} reaches it"
        if needed <= MAX_WEEKS
        else f"it is beyond the longest plan ({MAX_WEEKS} weeks); plan it in a later season"
    )
    return (
        f"The plan ends {weekday_date_year(end)}, before the A race {race.name} on "
        f"{weekday_date_year(race.date)}, so it gets no taper [S12]: {reach}."
    )


def publish_effect(drafts: list[Plan], today: date) -> PublishEffect:
    athlete_ids = [draft.athlete_id for draft in drafts]
    current = Plan.objects.filter(athlete__in=athlete_ids, published_at__isnull=False)
    with_plan = set(current.values_list("athlete_id", flat=True))
    # The athletes as well as their plans: PostgreSQL then reads the sessions through the
    # (athlete, date) index instead of scanning them all.
    published = touched_count(
        PlannedSession.objects.filter(athlete__in=athlete_ids, plan__in=current), today
    )
    # A draft's sessions hold no log and no set: an athlete logs only published sessions (the
    # set log's SQL checks it). So every draft session from today on is new, and the logged
    # ones are among the published plans' sessions: a squad's drafts are thousands of
    # sessions the database need not search for sets.
    new = PlannedSession.objects.filter(plan__in=[d.pk for d in drafts], date__gte=today).count()
    edits = sum(edits_left_behind(current, drafts, today).values())
    return PublishEffect(
        athletes=len(drafts),
        today=today,
        replaced=published.untouched_ahead,
        first_replaced=published.first_untouched_ahead,
        new_sessions=new,
        logged_kept=published.logged,
        edits_dropped=edits,
        first_plans=len(set(athlete_ids) - with_plan),
        short_of_races=short_of_races(drafts),
    )


def short_of_races(drafts: list[Plan]) -> list[str]:
    """`Name: the plan ends … before the A race …` for each draft that stops short."""
    races: dict[int, list[Race]] = {draft.athlete_id: [] for draft in drafts}
    for race in Race.objects.filter(athlete__in=list(races), priority="A"):
        races[race.athlete_id].append(race)
    found = []
    for draft in drafts:
        why = race_beyond(draft.season_start, draft.weeks, races[draft.athlete_id])
        if why:
            found.append(f"{draft.athlete.name}: {why}")
    return found
