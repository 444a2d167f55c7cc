"""The plan follows the log: an athlete's future unlogged sessions, re-derived from their state.

Logged sessions are history and are never touched here. Everything from today on that has no
logged set is laid out again by `engine.planner.replan` from the state folded from the log,
with the coach's pinned edits on top. Session and item rows keep their ids where the day and
exercise stay, so a phone that has today's session open can still log it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from runstrong.engine.catalog import Catalog
from runstrong.engine.model import Item, Reason, Week
from runstrong.engine.model import Session as EngineSession
from runstrong.engine.planner import replan
from runstrong.engine.profile import RunningDays
from runstrong.engine.wording import weekday_date
from runstrong.web.coaching.convert import (
    ITEM_COLUMNS,
    athlete_to_engine,
    item_fields,
    ladder_data,
    season_for,
)
from runstrong.web.coaching.gc_pause import gc_paused
from runstrong.web.coaching.item_overrides import EditsByDay, EditTexts, override_applied
from runstrong.web.coaching.item_texts import (
    Line,
    Payload,
    ids_json,
    line_digest,
    line_ids,
    line_of,
    text_digest,
    text_ids,
    text_json,
)
from runstrong.web.coaching.logged_state import AthleteState, athlete_state_resumed, log_marks
from runstrong.web.coaching.models import (
    Athlete,
    ItemOverride,
    ItemText,
    Plan,
    PlanChange,
    PlannedItem,
    PlannedSession,
)
from runstrong.web.coaching.running_plan import running_days
from runstrong.web.coaching.session_rows import (
    has_logged_set,
    insert_rows,
    logged_keys,
    sessions_delete,
    update_rows,
)
from runstrong.web.coaching.site_catalog import catalog_digest, site_catalog

COACH_EDIT: dict[str, Any] = {
    "text": "Edited by the coach; kept until the coach removes the edit.",
    "keys": [],
}
COACH_EDIT_LINE = line_of(COACH_EDIT)
COACH_EDIT_DIGEST = line_digest(COACH_EDIT_LINE)
SESSION_FIELDS = ("week_index", "phase", "deload", "kind", "placement")


def current_plan(athlete: Athlete) -> Plan | None:
    return (
        Plan.objects.filter(athlete=athlete, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class FollowResult:
    state: AthleteState  # its transitions: those of the sessions logged since the last fold
    changes: list[PlanChange]


@gc_paused()
def plan_follow(
    *,
    athlete: Athlete,
    cause: str,
    plan: Plan | None = None,
    today: date | None = None,
    catalog: Catalog | None = None,
    after_log: bool = False,
) -> FollowResult | None:
    """Re-derive the plan's sessions from today on that have no logged set; None without a plan.

    `plan` defaults to the athlete's current (latest published) plan; a draft can follow too.
    Changes to a published plan are recorded with `cause` for the coach; `after_log`: the
    cause is a session logged, so each change is the progression's step.
    """
    catalog = catalog or site_catalog()
    today = today or timezone.localdate()
    # Inside a caller's transaction (a completion's) a savepoint would cost two round trips
    # and buy nothing: an error here ends the caller's transaction too.
    with transaction.atomic(savepoint=False):
        # One replan of an athlete at a time: two completions at once must not interleave.
        Athlete.objects.select_for_update().filter(pk=athlete.pk).values_list("pk").first()
        plan = plan or current_plan(athlete)
        if plan is None:
            return None
        folded = athlete_state_resumed(athlete, catalog)
        from_date = max(today, plan.season_start)
        season_end = plan.season_start + timedelta(days=7 * plan.weeks - 1)
        running = running_days(athlete, plan.season_start, season_end)
        result = replan(
            athlete_to_engine(athlete),
            season_for(plan.season_start, plan.weeks, athlete.races.all(), running),
            folded.state,
            from_date,
            catalog,
        )
        changes = write_sessions_many(
            [SessionsWrite(plan, athlete, result.weeks, from_date, cause, after_log)]
        )[0]
    return FollowResult(folded, changes)


# What a plan says of each exercise at its first session: (day, name, dose, and why: the
# reason ids it held before a write, the reason given for it after one).
Said = dict[str, tuple[date, str, str, Any]]


@dataclass(frozen=True)
class SessionsWrite:
    """One plan's sessions from `from_date` on, as a replan laid them (one plan an athlete)."""

    plan: Plan
    athlete: Athlete
    weeks: Sequence[Week]
    from_date: date
    cause: str
    after_log: bool = False  # the cause is a session logged: changes are progression steps


def write_sessions_many(writes: list[SessionsWrite]) -> list[list[PlanChange]]:
    """Write each plan's future unlogged sessions as laid, keeping rows whose day stays and
    rewriting only what differs; the changes recorded for each, in order. A squad's writes go
    in a few statements in all, not a few an athlete."""
    if not writes:
        return []
    low = min(write.from_date for write in writes)
    starts = {write.plan.pk: write.from_date for write in writes}
    athlete_starts = {write.athlete.pk: write.from_date for write in writes}
    if connection.vendor == "postgresql":
        # Lock, then look, as sessions_delete does: set logging share-locks its session, so a
        # set logged before this sees its session left alone below, and one after waits.
        list(
            PlannedSession.objects.select_for_update()
            .filter(plan__in=list(starts), date__gte=low)
            .values_list("pk")
        )
    # One read of the athletes' sessions ahead: those they touched keep their day, and the
    # plans' untouched ones are what may be rewritten.
    logged_days: dict[int, set[date]] = {athlete_id: set() for athlete_id in athlete_starts}
    existing: dict[int, dict[date, tuple[Any, ...]]] = {plan_id: {} for plan_id in starts}
    # The log by a join: as an EXISTS, PostgreSQL hashes every log in the database.
    for pk, plan_id, athlete_id, day, log_id, has_set, *fields in (
        PlannedSession.objects.filter(athlete__in=list(athlete_starts), date__gte=low)
        .annotate(has_set=has_logged_set())
        .values_list("pk", "plan_id", "athlete_id", "date", "log__pk", "has_set", *SESSION_FIELDS)
    ):
        if log_id is not None or has_set:
            if day >= athlete_starts[athlete_id]:
                logged_days[athlete_id].add(day)
        elif plan_id in starts and day >= starts[plan_id]:
            existing[plan_id][day] = (pk, day, *fields)
    wanted: dict[int, dict[date, tuple[Week, EngineSession]]] = {
        write.plan.pk: {
            session.day: (week, session)
            for week in write.weeks
            for session in week.sessions
            if session.day not in logged_days[write.athlete.pk]
        }
        for write in writes
    }
    session_ids = [row[0] for rows in existing.values() for row in rows.values()]
    old_items: dict[int, dict[str, tuple[Any, ...]]] = {}
    known = _KnownItems()
    for row in PlannedItem.objects.filter(session_id__in=session_ids).values_list(
        "pk", "session_id", "exercise", "fingerprint", "text__digest", "text_id", *DOSE_COLUMNS,
        "reason_ids",
    ):  # fmt: skip
        old_items.setdefault(row[1], {})[row[2]] = row
        known.texts.stored[row[4]] = row[5]  # a replan mostly lays the texts it laid before
    overrides: dict[int, dict[tuple[date, str], ItemOverride]] = {plan_id: {} for plan_id in starts}
    for edit in ItemOverride.objects.filter(plan__in=list(starts), date__gte=low):
        if edit.date >= starts[edit.plan_id]:
            overrides[edit.plan_id][edit.date, edit.exercise] = edit

    gone = {
        plan_id: [day for day in rows if day not in wanted[plan_id]]
        for plan_id, rows in existing.items()
    }
    gone_ids = [existing[plan_id][day][0] for plan_id, days in gone.items() for day in days]
    if gone_ids:
        sessions_delete(PlannedSession.objects.filter(pk__in=gone_ids))
    new_rows = PlannedSession.objects.bulk_create(
        [
            PlannedSession(
                plan=write.plan,
                athlete=write.athlete,
                date=day,
                **_session_fields(week, session),
            )
            for write in writes
            for day, (week, session) in sorted(wanted[write.plan.pk].items())
            if day not in existing[write.plan.pk]
        ]
    )
    by_day = {(row.plan_id, row.date): row for row in new_rows}
    added: dict[int, list[date]] = {plan_id: [] for plan_id in starts}
    for row in new_rows:
        added[row.plan_id].append(row.date)
    sessions_changed: list[tuple[Any, ...]] = []
    items_new: list[tuple[Any, ...]] = []
    items_changed: list[tuple[Any, ...]] = []
    items_gone: list[int] = []
    laid: list[tuple[SessionsWrite, Said, Said]] = []
    # A squad's athletes share their doses: each distinct one is worded once.
    old_doses: dict[tuple[Any, ...], str] = {}
    new_doses: dict[int, str] = {}  # by id() of the Known, which _KnownItems keeps alive
    for write in writes:
        plan_id = write.plan.pk
        before: Said = {}
        for day, row in sorted(existing[plan_id].items()):
            for item in old_items.get(row[0], {}).values():
                if item[2] not in before:
                    doses = item[_DOSES]
                    dose = old_doses.get(doses)
                    if dose is None:
                        sets, target, measure, per_side, load, bells, tempo = doses
                        text = ItemText(ladder={"bells": bells or 1, "tempo": tempo or ""})
                        dose = old_doses[doses] = _dose_text(
                            sets, target, measure, per_side, load, text
                        )
                    before[item[2]] = (day, item[6], dose, item[-1])
        after: Said = {}
        for day, (week, session) in sorted(wanted[plan_id].items()):
            fields = _session_fields(week, session)
            row = existing[plan_id].get(day)
            if row is not None:
                session_id = row[0]
                if tuple(row[2:]) != tuple(fields.values()):
                    sessions_changed.append((session_id, *fields.values()))
                olds = dict(old_items.get(session_id, {}))
            else:
                session_id, olds = by_day[plan_id, day].pk, {}
            for engine_item in session.items:
                override = overrides[plan_id].get((day, engine_item.exercise))
                found = known.of(engine_item, override)
                values, _, prepared = found
                old = olds.pop(engine_item.exercise, None)
                if old is None:
                    items_new.append((session_id, found))
                elif old[3] != prepared[-1]:
                    items_changed.append((old[0], found))
                if engine_item.exercise not in after:
                    dose = new_doses.get(id(found))
                    if dose is None:
                        text = ItemText(ladder=ladder_data(engine_item.ladder))
                        dose = new_doses[id(found)] = PlannedItem(**values, text=text).dose_text
                    # Its reason ids once stored: the old row's while it stays as it was.
                    kept = old[-1] if old is not None and old[3] == prepared[-1] else None
                    pending = (engine_item, override is not None, found, kept)
                    after[engine_item.exercise] = (day, values["name"], dose, pending)
            items_gone += [item[0] for item in olds.values()]
        laid.append((write, before, after))

    PlannedItem.objects.filter(pk__in=items_gone)._raw_delete(connection.alias)
    rows = known.texts.rows([found for _, found in (*items_new, *items_changed)])
    for write, before, after in laid:
        for exercise, (day, name, dose, (engine_item, edited, found, kept)) in after.items():
            if edited:
                why = COACH_EDIT
            elif write.after_log or not engine_item.reasons:
                why = _reason_data(engine_item.reasons[-1]) if engine_item.reasons else {}
            else:
                stored = kept if kept is not None else json.loads(rows[id(found)][-1])
                was = before.get(exercise)
                why = _reason_new(engine_item.reasons, stored, was[3] if was else ())
            after[exercise] = (day, name, dose, why)
    _insert_items([((sid,), rows[id(found)]) for sid, found in items_new])
    update_rows(PlannedSession, list(SESSION_FIELDS), sessions_changed)
    update_rows(
        PlannedItem,
        list(ITEM_ROW_NAMES),
        [(pk, *rows[id(found)]) for pk, found in items_changed],
        prepared=True,
    )
    changes = [
        _changes(write, before, after, gone[write.plan.pk], added[write.plan.pk])
        if write.plan.published_at is not None
        else []
        for write, before, after in laid
    ]
    PlanChange.objects.bulk_create([change for made in changes for change in made])
    return changes


class _KnownItems:
    """Items' rows for one write: sessions share their item objects, and athletes with the
    same profile lay equal ones, so each distinct item (with its coach's edit) is serialised
    once."""

    def __init__(self) -> None:
        self.texts = Texts()
        self._by_object: dict[tuple[int, int | None], tuple[Item, Known]] = {}
        self._by_value: dict[tuple[tuple[Any, ...], int | None], Known] = {}

    def of(self, item: Item, override: ItemOverride | None) -> Known:
        edit = override.pk if override is not None else None
        seen = self._by_object.get((id(item), edit))
        if seen is not None and seen[0] is item:
            return seen[1]
        value = _value_key(item)  # its ladder and cues by id: `item` is kept below
        found = self._by_value.get((value, edit))
        if found is None:
            found = self._by_value[value, edit] = _known(item, override, self.texts)
        self._by_object[id(item), edit] = (item, found)
        return found


def drafts_write(
    drafts: list[tuple[Plan, Athlete, list[Week], date]],
    edits: dict[int, EditsByDay] | None = None,
) -> None:
    """Lay out new drafts' sessions and items in one go: one query for the logged days, one
    insert for the sessions and one for the items, however many athletes a preview has.
    `edits`: the coach's edits already in each draft (by plan id), laid over its items."""
    edits = edits or {}
    if not drafts:
        return
    taken = {
        (athlete_id, day)
        for _, athlete_id, day in logged_keys(
            PlannedSession.objects.filter(
                athlete__in=[athlete.pk for _, athlete, _, _ in drafts],
                date__gte=min(from_date for *_, from_date in drafts),
            )
        )
    }
    # Sessions of a week share their tail (phase, deload, kind, placement): rendered once.
    tails: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    laid: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
    for plan, athlete, weeks, _ in drafts:
        for week in weeks:
            for session in week.sessions:
                if (athlete.pk, session.day) in taken:
                    continue
                key = (week.phase, week.deload, session.kind, id(session.placement))
                tail = tails.get(key)
                if tail is None:
                    reason = session.placement
                    placement = text_json({"text": reason.text, "keys": list(reason.keys)})
                    tail = tails[key] = (*key[:3], placement)
                laid.append(((plan.pk, athlete.pk, session.day, week.index), tail))
    insert_rows(PlannedSession, ["plan", "athlete", "date", *SESSION_FIELDS], laid)
    ids = {
        (plan_id, day): pk
        for pk, plan_id, day in PlannedSession.objects.filter(
            plan__in=[plan for plan, *_ in drafts]
        ).values_list("pk", "plan_id", "date")
    }
    # Athletes with the same profile share items: each distinct one is serialised once.
    by_object: dict[int, Known] = {}
    by_value: dict[tuple[Any, ...], Known] = {}
    texts = Texts()
    placed: list[tuple[int, Known]] = []
    for plan, athlete, weeks, _ in drafts:
        plan_edits = edits.get(plan.pk, {})
        for week in weeks:
            for session in week.sessions:
                if (athlete.pk, session.day) in taken:
                    continue
                session_id = ids[plan.pk, session.day]
                for engine_item in (item for block in session.blocks for item in block.items):
                    edit = plan_edits.get((session.day, engine_item.exercise))
                    if edit is not None:
                        placed.append((session_id, _known(engine_item, edit, texts)))
                        continue
                    found = by_object.get(id(engine_item))
                    if found is None:
                        value = _value_key(engine_item)
                        found = by_value.get(value)
                        if found is None:
                            found = _known(engine_item, None, texts)
                            by_value[value] = found
                        by_object[id(engine_item)] = found
                    placed.append((session_id, found))
    rows = texts.rows([found for _, found in placed])
    _insert_items([((sid,), rows[id(found)]) for sid, found in placed])


def _value_key(item: Item) -> tuple[Any, ...]:
    """What makes two items' rows equal, cheap to hash: the engine shares ladders and cue
    lists between items, so those count by identity (an equal copy only costs a second
    rendering), where hashing the Item itself walks every rung of its ladder."""
    return (
        item.slot, item.exercise, item.name, item.sets, item.target, item.per_side,
        item.load_kg, item.rest_s, item.reps_in_reserve, item.substitute_for, item.footwear,
        id(item.ladder), id(item.cues), item.reasons,
    )  # fmt: skip


def plan_basis(
    athlete: Athlete,
    races: list[Any],
    start: date,
    weeks: int,
    catalog: Catalog,
    log: dict[str, Any] | None = None,
    running: RunningDays | None = None,
) -> str:
    """A digest of everything a plan's sessions are derived from: profile, races, the log so
    far (`log_marks`), the running plan's hard days and the catalog's content. Not the day it
    runs: a later day only cuts sessions off the front of a replan (projected steps count from
    the log)."""
    if log is None:
        log = log_marks([athlete.pk]).get(athlete.pk, {})
    text = json.dumps(
        [
            athlete_to_engine(athlete).model_dump(mode="json"),
            [(race.name, race.date, race.priority) for race in races],
            [start, weeks, catalog_digest(catalog)],
            log,
            *([running.model_dump(mode="json")] if running is not None else []),
        ],
        default=str,
        sort_keys=True,
    )
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


# An item's own columns (convert.item_fields plus the edit flag); its texts are an ItemText.
ITEM_VALUE_NAMES = (*ITEM_COLUMNS, "edited_by_coach")
# The load's wording (a pair of bells) and the tempo are in the item's text.
DOSE_COLUMNS = (
    "name", "sets", "target", "measure", "per_side", "load_kg",
    "text__ladder__bells", "text__ladder__tempo",
)  # fmt: skip
# The dose values in a row of the old-items read (after pk, session, exercise, fingerprint,
# text digest, text id and name).
_DOSES = slice(7, 6 + len(DOSE_COLUMNS))


def _dose_text(
    sets: int, target: float, measure: str, per_side: bool, load: float | None, text: ItemText
) -> str:
    return PlannedItem(
        sets=sets, target=target, per_side=per_side, load_kg=load, measure=measure, text=text
    ).dose_text


def _fingerprint(values: dict[str, Any]) -> str:
    """What an item row holds, in 16 hex digits: a replan rewrites only rows that differ."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


# An item's column values, what it says (its texts' and reasons' digests) and its row as the
# database takes it, fingerprint last; the text and reason ids follow once they are stored.
Known = tuple[dict[str, Any], tuple[str, tuple[str, ...]], tuple[Any, ...]]
ITEM_ROW_NAMES = (*ITEM_VALUE_NAMES, "fingerprint", "text", "reason_ids")


def _known(engine_item: Item, override: ItemOverride | None, texts: Texts) -> Known:
    values = item_fields(engine_item)
    values["edited_by_coach"] = override is not None
    if override is not None:
        values["sets"], values["target"] = override.sets, override.target
        values["load_kg"] = override.load_kg
    says = texts.digests(engine_item, edited=override is not None)
    if override is not None:  # rest, a swap to a catalog substitute, a note
        says = texts.edited(says, engine_item, override_applied(values, override))
    fingerprint = _fingerprint(values | {"text": says[0], "reasons": says[1]})
    return values, says, (*(values[name] for name in ITEM_VALUE_NAMES), fingerprint)


class Texts:
    """Items' texts for one write. The engine shares cue lists, reasons and ladders between
    the items of a season (and between athletes), so each shared one is rendered and digested
    once where a squad's preview has thousands of distinct items; each distinct text and
    reason is then stored once (item_texts.py)."""

    def __init__(self) -> None:
        self._reasons: dict[Reason, str] = {}
        # Keyed by id(); the objects are kept beside their digest so the ids cannot be reused.
        self._texts: dict[tuple[int, int], tuple[object, object, str]] = {}
        self._payloads: dict[str, Payload] = {}
        self._lines: dict[str, Line] = {COACH_EDIT_DIGEST: COACH_EDIT_LINE}
        self.stored: dict[str, int] = {}  # texts known to be stored, by digest: their ids

    def digests(self, item: Item, *, edited: bool) -> tuple[str, tuple[str, ...]]:
        """The digest of the item's cues and ladder, and of each of its reasons."""
        text = self._text(item)
        reasons = [self._reason(reason) for reason in item.reasons]
        if edited:
            reasons.append(COACH_EDIT_DIGEST)
        return text, tuple(reasons)

    def edited(
        self, says: tuple[str, tuple[str, ...]], item: Item, edit: EditTexts
    ) -> tuple[str, tuple[str, ...]]:
        """A coach's edit laid over the engine's texts: a substitute's cues, its reason before
        "edited by the coach" (last in `says`) and the coach's note after it."""
        text, reasons = says
        if edit.cues is not None:
            payload: Payload = (text_json(list(edit.cues)), text_json(ladder_data(item.ladder)))
            text = text_digest(payload)
            self._payloads[text] = payload
        before = tuple(self._line(reason) for reason in edit.before_edit)
        after = tuple(self._line(reason) for reason in edit.after_edit)
        return text, reasons[:-1] + before + reasons[-1:] + after

    def _line(self, reason: dict[str, Any]) -> str:
        line = line_of(reason)
        digest = line_digest(line)
        self._lines[digest] = line
        return digest

    def rows(self, found: list[Known]) -> dict[int, tuple[Any, ...]]:
        """Each item's row with its text and reason ids, storing what is new: keyed by id()
        of the Known, which items sharing a prescription share."""
        # A squad's 78k items share a few thousand Knowns: walk each distinct one once.
        distinct = list({id(known): known for known in found}.values())
        wanted = {text for _, (text, _), _ in distinct}
        texts = {text: self.stored[text] for text in wanted if text in self.stored}
        texts |= text_ids({text: self._payloads[text] for text in wanted - texts.keys()})
        used = {digest for _, (_, reasons), _ in distinct for digest in reasons}
        lines = line_ids({digest: self._lines[digest] for digest in used})
        return {
            id(known): (*known[2], texts[known[1][0]], ids_json(lines[d] for d in known[1][1]))
            for known in distinct
        }

    def _text(self, item: Item) -> str:
        key = (id(item.cues), id(item.ladder))
        seen = self._texts.get(key)
        if seen is None or seen[0] is not item.cues or seen[1] is not item.ladder:
            payload: Payload = (text_json(list(item.cues)), text_json(ladder_data(item.ladder)))
            seen = self._texts[key] = (item.cues, item.ladder, text_digest(payload))
            self._payloads[seen[2]] = payload
        return seen[2]

    def _reason(self, reason: Reason) -> str:
        # By value: the engine makes equal reasons afresh for many items of a season.
        digest = self._reasons.get(reason)
        if digest is None:
            line = line_of(_reason_data(reason))
            digest = self._reasons[reason] = line_digest(line)
            self._lines[digest] = line
        return digest


def _reason_data(reason: Reason) -> dict[str, Any]:
    return {"text": reason.text, "keys": list(reason.keys)}


def _insert_items(rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
    insert_rows(PlannedItem, ["session", *ITEM_ROW_NAMES], rows)


def _session_fields(week: Week, session: EngineSession) -> dict[str, Any]:
    return {
        "week_index": week.index,
        "phase": week.phase,
        "deload": week.deload,
        "kind": session.kind,
        "placement": {"text": session.placement.text, "keys": list(session.placement.keys)},
    }


def _reason_new(reasons: Sequence[Reason], ids: Sequence[int], held: Sequence[int]) -> Any:
    """Why a coach's change moved an exercise's next dose: the first of its reasons (`ids`,
    stored) that its prescription before did not hold (`held`), such as the problem flag a
    profile edit added, rather than the progression's last step; else that last step."""
    before = set(held)
    for reason, line in zip(reasons, ids, strict=False):
        if line not in before:
            return _reason_data(reason)
    return _reason_data(reasons[-1])


def _changes(
    write: SessionsWrite, before: Said, after: Said, gone: list[date], added: list[date]
) -> list[PlanChange]:
    """What moved and why, for the athlete and the coach (saved by the caller)."""
    athlete, cause = write.athlete, write.cause
    changes: list[PlanChange] = []
    for exercise, (day, name, dose, last_reason) in after.items():
        was = before.get(exercise)
        if was is not None and was[2] == dose:
            continue
        reason = last_reason or {"text": "", "keys": []}
        changes.append(
            PlanChange(
                athlete=athlete,
                session_date=day,
                what=f"{name}, next session",
                before=f"{weekday_date(was[0])}: {was[2]}" if was else "",
                after=f"{weekday_date(day)}: {dose}",
                cause=cause,
                reason=reason["text"],
                keys=reason["keys"],
            )
        )
    for exercise, (day, name, dose, _) in before.items():
        if exercise not in after:
            changes.append(
                PlanChange(
                    athlete=athlete,
                    session_date=day,
                    what=f"{name} left out",
                    before=f"{weekday_date(day)}: {dose}",
                    cause=cause,
                )
            )
    if gone or added:
        changes.append(
            PlanChange(
                athlete=athlete,
                session_date=min([*gone, *added]),
                what="Session days",
                before=_days(sorted(gone)),
                after=_days(sorted(added)),
                cause=cause,
                reason="Days follow the training days, hard-run days and races.",
                keys=["S9", "S10", "S11"],
            )
        )
    return changes


def _days(days: list[date]) -> str:
    text = ", ".join(weekday_date(day) for day in days[:8])
    return text + (f" and {len(days) - 8} more" if len(days) > 8 else "")
