"""Plans as rows: generate drafts with the engine, let the coach edit items, publish."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import RunstrongError
from runstrong.engine.model import Week
from runstrong.engine.planner import replan
from runstrong.engine.wording import MEASURE_UNITS, count, weekday_date, weekday_date_year
from runstrong.web.coaching.convert import athlete_to_engine, season_for
from runstrong.web.coaching.gc_pause import gc_paused
from runstrong.web.coaching.item_overrides import (
    NOTE_PREFIX,
    catalog_exercise,
    edits_carried,
    is_note,
    load_cap,
    note_reason,
    substitute_named,
)
from runstrong.web.coaching.item_texts import reason_ids_for
from runstrong.web.coaching.logged_state import athletes_progress, log_marks
from runstrong.web.coaching.models import (
    Athlete,
    Coach,
    ItemOverride,
    Plan,
    PlanChange,
    PlannedItem,
    PlannedSession,
    Race,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.plan_review import edits_left_behind, race_beyond
from runstrong.web.coaching.replanning import (
    COACH_EDIT,
    current_plan,
    drafts_write,
    plan_basis,
    plan_follow,
)
from runstrong.web.coaching.running_plan import running_days_many
from runstrong.web.coaching.session_rows import (
    lock_athlete_then_session,
    logged_keys,
    sessions_delete,
    sessions_supersede,
    unlogged,
)
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.tasks import purge_superseded_sessions


@dataclass(frozen=True)
class PlanProblem:
    athlete: Athlete
    message: str


@gc_paused()
def plan_generate(
    *,
    athletes: Iterable[Athlete],
    start: date,
    weeks: int,
    catalog: Catalog | None = None,
    today: date | None = None,
) -> tuple[list[Plan], list[PlanProblem]]:
    """A draft plan per athlete, starting from where their log left each exercise.

    Sessions before today are left out: they are the past, and the log holds what happened.
    An athlete whose profile the engine refuses is reported, and so is one whose days hold no
    session or too few (their draft is made all the same).
    """
    catalog = catalog or site_catalog()
    today = today or timezone.localdate()
    athletes = list(athletes)
    from_date = max(start, today)
    races: dict[int, list[Race]] = {athlete.pk: [] for athlete in athletes}
    for race in Race.objects.filter(athlete__in=athletes):
        races[race.athlete_id].append(race)
    # The marks first: a log landing between the two reads makes the basis stale (the draft is
    # re-derived at publish), never a stale draft with a current basis.
    marks = log_marks([athlete.pk for athlete in athletes])
    states = athletes_progress(athletes, catalog, marks)
    season_end = start + timedelta(days=7 * weeks - 1)
    running = running_days_many(
        {athlete.pk: (start, season_end) for athlete in athletes},
        {athlete.pk: athlete for athlete in athletes},
    )
    laid: list[tuple[Athlete, list[Week], str]] = []
    problems: list[PlanProblem] = []
    for athlete in athletes:
        try:
            result = replan(
                athlete_to_engine(athlete),
                season_for(start, weeks, races[athlete.pk], running[athlete.pk]),
                states[athlete.pk],
                from_date,
                catalog,
            )
        except RunstrongError as error:
            problems.append(PlanProblem(athlete, str(error)))
            continue
        if result.shortfall is not None:
            # Drafted all the same, so the coach sees what the days hold and why.
            problems.append(PlanProblem(athlete, result.shortfall.text))
        beyond = race_beyond(start, weeks, races[athlete.pk])
        if beyond:
            problems.append(PlanProblem(athlete, beyond))
        basis = plan_basis(
            athlete,
            races[athlete.pk],
            start,
            weeks,
            catalog,
            log=marks.get(athlete.pk, {}),
            running=running[athlete.pk],
        )
        laid.append((athlete, list(result.weeks), basis))
    with transaction.atomic():
        ids = [athlete.pk for athlete, _, _ in laid]
        list(Athlete.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        # Drafts are never logged (athletes see published plans only): plain deletes.
        old = list(
            Plan.objects.filter(athlete__in=ids, published_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        sessions_delete(PlannedSession.objects.filter(plan__in=old))
        ItemOverride.objects.filter(plan__in=old)._raw_delete(connection.alias)
        Plan.objects.filter(pk__in=old)._raw_delete(connection.alias)
        drafts = Plan.objects.bulk_create(
            [
                Plan(
                    athlete=athlete,
                    season_start=start,
                    weeks=weeks,
                    catalog_name=catalog.name,
                    basis=basis,
                    laid_from=from_date,
                    created_at=timezone.now(),
                )
                for athlete, _, basis in laid
            ]
        )
        # One moment for the whole build (auto_now_add stamps each row apart): the review
        # shows drafts by build, and publishes or discards a build as one.
        built = timezone.now()
        Plan.objects.filter(pk__in=[draft.pk for draft in drafts]).update(created_at=built)
        for draft in drafts:
            draft.created_at = built
        days = {
            (athlete.pk, session.day, item.exercise)
            for athlete, season, _ in laid
            for week in season
            for session in week.sessions
            for item in session.items
        }
        drafts_write(
            [
                (draft, athlete, season, from_date)
                for draft, (athlete, season, _) in zip(drafts, laid, strict=True)
            ],
            edits_carried(drafts, days, from_date),
        )
    return drafts, problems


class AlreadyPublished(ValueError):
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__(f"Plan {plan.pk} was published on {plan.published_at:%Y-%m-%d %H:%M}.")


def plan_publish(*, plan: Plan, today: date | None = None) -> Plan:
    """Make a draft the athlete's plan from `today` on, keeping everything already logged.

    Publishing a published plan changes nothing and raises AlreadyPublished; a draft replaced
    by a newer one meanwhile is a 404.
    """
    with transaction.atomic():
        published = plans_publish(plans=[plan], today=today)
        if not published:
            found = Plan.objects.filter(pk=plan.pk).first()
            if found is None:
                raise Http404
            raise AlreadyPublished(found)
    return published[0]


@gc_paused()
def plans_publish(*, plans: list[Plan], today: date | None = None) -> list[Plan]:
    """Publish these drafts from `today` on, keeping everything already logged; the ones
    already published (a second submit) are left as they are. The published plans.

    Only sessions from today on without any logged set give way: the previous plans', and the
    drafts' own before today or on a day that already holds a logged session. A draft whose
    basis (profile, races, log) moved since its preview is re-derived from the athlete's state
    as it is now. A squad's worth is a fixed number of statements; the replaced sessions are
    set aside in one UPDATE and deleted by the worker after the commit.
    """
    today = today or timezone.localdate()
    catalog = site_catalog()
    with transaction.atomic():
        athlete_ids = sorted({plan.athlete_id for plan in plans})
        list(Athlete.objects.select_for_update().filter(pk__in=athlete_ids).values_list("pk"))
        drafts = list(
            Plan.objects.filter(
                pk__in=[plan.pk for plan in plans], published_at__isnull=True
            ).select_related("athlete")
        )
        if not drafts:
            return []
        ids = [draft.athlete_id for draft in drafts]
        published = list(
            Plan.objects.filter(athlete__in=ids, published_at__isnull=False)
            .order_by("published_at", "pk")
            .values_list("pk", "athlete_id")
        )
        older = [pk for pk, _ in published]
        replaced = list({athlete_id: pk for pk, athlete_id in published}.values())
        set_aside = sessions_supersede(
            PlannedSession.objects.filter(plan__in=older, date__gte=today)
        )
        if set_aside:
            transaction.on_commit(purge_superseded_sessions.enqueue)
        sessions_delete(PlannedSession.objects.filter(plan__in=drafts, date__lt=today))
        taken = {
            (athlete_id, day)
            for _, athlete_id, day in logged_keys(
                PlannedSession.objects.filter(athlete__in=ids, date__gte=today)
            )
        }
        clashing = [
            pk
            for pk, athlete_id, day in PlannedSession.objects.filter(
                plan__in=drafts, date__gte=today
            ).values_list("pk", "athlete_id", "date")
            if (athlete_id, day) in taken
        ]
        sessions_delete(PlannedSession.objects.filter(pk__in=clashing))
        now = timezone.now()
        Plan.objects.filter(pk__in=[draft.pk for draft in drafts]).update(published_at=now)
        races: dict[int, list[Race]] = {athlete_id: [] for athlete_id in ids}
        for race in Race.objects.filter(athlete__in=ids):
            races[race.athlete_id].append(race)
        marks = log_marks(ids)
        running = running_days_many(
            {
                draft.athlete_id: (
                    draft.season_start,
                    draft.season_start + timedelta(days=7 * draft.weeks - 1),
                )
                for draft in drafts
            },
            {draft.athlete_id: draft.athlete for draft in drafts},
        )
        for draft in drafts:
            draft.published_at = now
            basis = plan_basis(
                draft.athlete,
                races[draft.athlete_id],
                draft.season_start,
                draft.weeks,
                catalog,
                log=marks.get(draft.athlete_id, {}),
                running=running[draft.athlete_id],
            )
            laid_late = draft.laid_from is not None and max(draft.season_start, today) < (
                draft.laid_from
            )
            if basis != draft.basis or laid_late:
                plan_follow(athlete=draft.athlete, plan=draft, cause="Plan published", today=today)
        left_behind = edits_left_behind(replaced, drafts, today)
        PlanChange.objects.bulk_create(
            [
                PlanChange(
                    athlete_id=draft.athlete_id,
                    what="Plan published",
                    after=f"{draft.weeks} weeks from {weekday_date_year(draft.season_start)}",
                    cause="Published by coach",
                    reason="Sessions with a logged set are kept; the rest of the season is new."
                    + (
                        f" {count(left_behind[draft.athlete_id], 'coach edit')} of the"
                        " previous plan from today on not carried over."
                        if draft.athlete_id in left_behind
                        else ""
                    ),
                )
                for draft in drafts
            ]
        )
    return drafts


class ItemEditError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class ItemEdit:
    """What a coach typed for one item: the dose, the rest, a note and a swap ("" none)."""

    sets: int
    target: float
    load_kg: float | None
    rest_s: int | None = None
    note: str = ""
    swap_to: str = ""


def item_edit_check(item: PlannedItem, edit: ItemEdit, catalog: Catalog | None = None) -> None:
    """Refuse an edit outside what the catalog allows (ItemEditError names the field)."""
    catalog = catalog or site_catalog()
    if not 1 <= edit.sets <= 10:
        raise ItemEditError("sets", "Sets must be from 1 to 10.")
    if not 1 <= edit.target <= 600:
        raise ItemEditError("target", "Target must be from 1 to 600.")
    cap = load_cap(item.exercise, catalog)
    if edit.load_kg is not None and not 0 < edit.load_kg <= cap:
        raise ItemEditError(
            "load_kg",
            f"Load must be more than 0 and at most {cap:g} kg (the catalog's cap), "
            "or empty for bodyweight.",
        )
    if edit.rest_s is not None and not 0 <= edit.rest_s <= 600:
        raise ItemEditError("rest_s", "Rest must be from 0 to 600 s.")
    if len(edit.note) > 200:
        raise ItemEditError("note", "A note holds at most 200 characters.")
    if edit.swap_to and substitute_named(item.exercise, edit.swap_to, catalog) is None:
        raise ItemEditError("swap_to", "Choose one of the catalog's substitutes.")


def plan_item_update_from_form(item: PlannedItem, data: Mapping[str, Any]) -> PlannedItem:
    """`plan_item_update` with the item editor's cleaned data (the page's and the API's)."""
    return plan_item_update(
        item=item,
        sets=data["sets"],
        target=data["target"],
        load_kg=data["load_kg"],
        rest_s=data["rest_s"],
        note=data["note"],
        swap_to=data.get("swap_to", ""),
    )


def plan_item_update(
    *,
    item: PlannedItem,
    sets: int,
    target: float,
    load_kg: float | None,
    rest_s: int | None = None,
    note: str | None = None,
    swap_to: str | None = None,
    today: date | None = None,
) -> PlannedItem:
    """A coach's edit of one item, pinned to its day: every replan keeps it until removed.

    `note` and `swap_to` None keep what the edit already had. A swap to a catalog substitute
    (or back) re-derives the plan from today on, so the substitute's cues and reasons come
    from the catalog; it is refused for a past session or a plan since replaced.
    """
    today = today or timezone.localdate()
    session = item.session
    existing = ItemOverride.objects.filter(
        plan_id=session.plan_id, date=session.date, exercise=item.exercise
    ).first()
    edit = ItemEdit(
        sets=sets,
        target=target,
        load_kg=load_kg,
        rest_s=item.rest_s if rest_s is None else rest_s,
        note=(existing.note if existing else "") if note is None else note.strip(),
        swap_to=(existing.swap_to if existing else "") if swap_to is None else swap_to,
    )
    item_edit_check(item, edit)
    had = (
        (existing.sets, existing.target, existing.load_kg, existing.rest_s, existing.note)
        if existing
        else None
    )
    swapping = edit.swap_to != (existing.swap_to if existing else "")
    if (
        item.edited_by_coach
        and not swapping
        and had == (edit.sets, edit.target, edit.load_kg, edit.rest_s, edit.note)
    ):
        return item  # the same edit again (a second submit): nothing changes
    plan = session.plan
    if swapping and (
        session.date < today
        or (plan.published_at is not None and plan != current_plan(session.athlete))
    ):
        raise ItemEditError(
            "swap_to", "Only sessions from today on of the current plan or a draft can swap."
        )
    before = item.dose_text
    with transaction.atomic():
        _lock_unlogged(session)
        ItemOverride.objects.update_or_create(
            plan_id=session.plan_id,
            date=session.date,
            exercise=item.exercise,
            defaults={
                "sets": edit.sets,
                "target": edit.target,
                "load_kg": edit.load_kg,
                "rest_s": edit.rest_s,
                "note": edit.note,
                "swap_to": edit.swap_to,
            },
        )
        if swapping:
            # The substitute's name, cues and reasons come from the catalog through the replan.
            plan_follow(
                athlete=session.athlete,
                plan=plan,
                today=today,
                cause=f"{item.name} on {weekday_date(session.date)}: exercise swapped by coach",
            )
            return PlannedItem.objects.select_related("text", "session").get(pk=item.pk)
        reasons = [r for r in item.reasons if r != COACH_EDIT and not is_note(r)]
        reasons.append(COACH_EDIT)
        if edit.note:
            reasons.append(note_reason(edit.note))
        item.reason_ids = reason_ids_for(reasons)
        item.__dict__.pop("reason_lines", None)
        item.sets, item.target, item.load_kg = edit.sets, edit.target, edit.load_kg
        item.rest_s = edit.rest_s if edit.rest_s is not None else item.rest_s
        item.edited_by_coach = True
        item.fingerprint = ""  # no longer what the engine wrote: the next replan rewrites it
        item.save(
            update_fields=[
                "sets", "target", "load_kg", "rest_s", "edited_by_coach", "reason_ids",
                "fingerprint",
            ]
        )  # fmt: skip
        if plan.is_published:
            PlanChange.objects.create(
                athlete_id=session.athlete_id,
                session_date=session.date,
                what=f"{item.name}, {weekday_date(session.date)}",
                before=before,
                after=item.dose_text,
                cause="Edited by coach",
                reason=COACH_EDIT["text"] + (f" {NOTE_PREFIX}{edit.note}" if edit.note else ""),
            )
    return item


def plan_item_edit_remove(*, item: PlannedItem) -> PlannedItem | None:
    """Drop the coach's edit of this item: the engine's prescription for that day comes back.

    Returns the item as it is now, or None when the replan no longer has a session that day
    (the training days changed since the edit).
    """
    session = item.session
    with transaction.atomic():
        _lock_unlogged(session)
        ItemOverride.objects.filter(
            plan_id=session.plan_id, date=session.date, exercise=item.exercise
        ).delete()
        plan = session.plan
        following = plan.published_at is None or plan == current_plan(session.athlete)
        if following and session.date >= timezone.localdate():
            plan_follow(
                athlete=session.athlete,
                plan=plan,
                cause=f"Coach edit of {item.name} on {weekday_date(session.date)} removed",
            )
        else:
            # A past session, or one of a plan since replaced: history, left as it was.
            PlannedItem.objects.filter(pk=item.pk).update(edited_by_coach=False, fingerprint="")
    return PlannedItem.objects.filter(pk=item.pk).first()


def _lock_unlogged(session: PlannedSession) -> None:
    """Lock the session a coach edits (its athlete first, as every plan write does), then
    refuse it if anything is logged in it. Locked before the check, as a set's write
    share-locks it: a set logged meanwhile is seen here, or waits until the edit is in."""
    lock_athlete_then_session(session.pk)
    if session_is_logged(session):
        raise ItemEditError(
            "session", "This session is already logged: what was prescribed that day stays."
        )


def session_is_logged(session: PlannedSession) -> bool:
    return (
        SessionLog.objects.filter(session=session).exists()
        or SetLog.objects.filter(item__session=session).exists()
    )


def plans_discard(*, plans: Iterable[Plan]) -> int:
    """Delete these drafts (never logged: athletes see published plans only); a published
    plan among them is left alone. The number discarded; a second submit discards none."""
    with transaction.atomic():
        ids = list(
            Plan.objects.filter(
                pk__in=[plan.pk for plan in plans], published_at__isnull=True
            ).values_list("pk", flat=True)
        )
        if not ids:
            return 0
        sessions_delete(PlannedSession.objects.filter(plan__in=ids))
        ItemOverride.objects.filter(plan__in=ids)._raw_delete(connection.alias)
        Plan.objects.filter(pk__in=ids)._raw_delete(connection.alias)
    return len(ids)


@dataclass(frozen=True)
class GroupEditResult:
    athletes: int
    sessions: int
    # Athletes whose form of the exercise counts another measure (a substitute's holds):
    # their sessions are left as they are.
    other_measure: list[str]
    first: date | None
    draft_sessions: int = 0  # the same edit in the group's drafts


def group_edit_from_form(coach: Coach, data: Mapping[str, Any]) -> GroupEditResult:
    """`group_edit` with the group editor's cleaned data (the page's and the API's)."""
    return group_edit(
        coach=coach,
        group=data["group"],
        exercise=data["exercise"],
        from_date=data["start"],
        sets=data["sets"],
        target=data["target"],
        load_kg=data["load_kg"],
    )


def group_edit(
    *,
    coach: Coach,
    group: str,
    exercise: str,
    from_date: date,
    sets: int,
    target: float,
    load_kg: float | None,
    today: date | None = None,
    catalog: Catalog | None = None,
) -> GroupEditResult:
    """One exercise's dose for a whole event group from a date on: a coach's edit pinned to
    each matching session from that date (today at the earliest) of every athlete of the
    group in this coach's squads, in their current plan and their draft. Sessions with
    anything logged are never touched. `load_kg` None keeps each athlete's own load."""
    catalog = catalog or site_catalog()
    today = today or timezone.localdate()
    found = catalog_exercise(exercise, catalog)
    if found is None:
        raise ItemEditError("exercise", "Choose an exercise of the catalog.")
    if not 1 <= sets <= 10:
        raise ItemEditError("sets", "Sets must be from 1 to 10.")
    if not 1 <= target <= 600:
        raise ItemEditError("target", "Target must be from 1 to 600.")
    cap = load_cap(exercise, catalog)
    if load_kg is not None and not 0 < load_kg <= cap:
        raise ItemEditError(
            "load_kg", f"Load must be more than 0 and at most {cap:g} kg (the catalog's cap)."
        )
    start = max(from_date, today)
    measure = found.dose.measure
    with transaction.atomic():
        athletes = dict(
            Athlete.objects.filter(squad__coach=coach, event_group=group).values_list("pk", "name")
        )
        list(Athlete.objects.select_for_update().filter(pk__in=sorted(athletes)).values_list("pk"))
        current: dict[int, int] = {}
        for pk, athlete_id in (
            Plan.objects.filter(athlete__in=athletes, published_at__isnull=False)
            .order_by("published_at", "pk")
            .values_list("pk", "athlete_id")
        ):
            current[athlete_id] = pk  # the latest published wins
        plans = [
            *current.values(),
            *Plan.objects.filter(athlete__in=athletes, published_at__isnull=True).values_list(
                "pk", flat=True
            ),
        ]
        sessions = unlogged(PlannedSession.objects.filter(plan__in=plans, date__gte=start))
        rows = list(
            PlannedItem.objects.filter(session__in=sessions, exercise=exercise).values_list(
                "pk", "session__plan_id", "session__date", "session__athlete_id", "measure",
                "reason_ids", "name", "load_kg", "edited_by_coach",
            )
        )  # fmt: skip
        other = sorted({athletes[row[3]] for row in rows if row[4] != measure})
        rows = [row for row in rows if row[4] == measure]
        if not rows:
            return GroupEditResult(0, 0, other, None)
        overrides = {
            (o.plan_id, o.date): o
            for o in ItemOverride.objects.filter(plan__in=plans, exercise=exercise, date__gte=start)
        }
        new, changed = [], []
        for _, plan_id, day, _, _, _, _, own_load, _ in rows:
            load = own_load if load_kg is None else load_kg
            override = overrides.get((plan_id, day))
            if override is None:
                new.append(
                    ItemOverride(
                        plan_id=plan_id,
                        date=day,
                        exercise=exercise,
                        sets=sets,
                        target=target,
                        load_kg=load,
                    )
                )
            else:
                override.sets, override.target, override.load_kg = sets, target, load
                changed.append(override)
        ItemOverride.objects.bulk_create(new)
        ItemOverride.objects.bulk_update(changed, ["sets", "target", "load_kg"])
        # Items keep their reasons, with the coach's added once after them.
        (coach_edit,) = reason_ids_for([COACH_EDIT])
        by_change: dict[tuple[tuple[int, ...], float | None], list[int]] = {}
        for pk, *_, reason_ids, _, own_load, edited in rows:
            reasons = tuple(reason_ids) if edited else (*reason_ids, coach_edit)
            load = own_load if load_kg is None else load_kg
            by_change.setdefault((reasons, load), []).append(pk)
        for (reasons, load), ids in by_change.items():
            PlannedItem.objects.filter(pk__in=ids).update(
                sets=sets,
                target=target,
                load_kg=load,
                reason_ids=list(reasons),
                edited_by_coach=True,
                fingerprint="",
            )
        published = set(current.values())
        dose = f"{sets} × {target:g} {MEASURE_UNITS[measure]}" + (
            f", {load_kg:g} kg" if load_kg is not None else ""
        )
        counts: dict[int, list[date]] = {}
        for _, plan_id, day, athlete_id, *_ in rows:
            if plan_id in published:
                counts.setdefault(athlete_id, []).append(day)
        PlanChange.objects.bulk_create(
            [
                PlanChange(
                    athlete_id=athlete_id,
                    session_date=min(days),
                    what=f"{found.name} from {weekday_date(min(days))}",
                    after=f"{dose} in {len(days)} sessions",
                    cause="Group edit by coach",
                    reason=COACH_EDIT["text"],
                )
                for athlete_id, days in counts.items()
            ]
        )
    return GroupEditResult(
        athletes=len({row[3] for row in rows}),
        sessions=len({(row[1], row[2]) for row in rows if row[1] in published}),
        other_measure=other,
        first=min(row[2] for row in rows),
        draft_sessions=len({(row[1], row[2]) for row in rows if row[1] not in published}),
    )
