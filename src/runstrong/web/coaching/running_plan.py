"""The plan follows the running: a calendar's runs stored, classified, and the strength
sessions re-placed when the hard days move [S9–S11].

A calendar arrives as an upload or a fetch of its subscription URL. A good copy replaces the
planned runs (a coach's override stays with its event); a failed fetch records when and why and
changes nothing else. When the hard days from today on differ from before, the athlete's future
unlogged sessions are laid again by `plan_follow`, which records what moved and why.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from runstrong.engine.catalog import Catalog
from runstrong.engine.profile import RunningDays
from runstrong.engine.run_kinds import LoadJump, RunKind, classify_run, load_jumps
from runstrong.engine.wording import weekday_date
from runstrong.web.coaching.models import Athlete, PlanChange
from runstrong.web.coaching.running_hooks import (
    completed_hard_days,
    completed_hard_days_many,
    completed_minutes,
)
from runstrong.web.coaching.running_ics import CalendarInvalid, RunEvent, runs_from_ics
from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
from runstrong.web.coaching.safe_fetch import FetchRefused, fetch, subscription_problem
from runstrong.web.coaching.session_rows import update_rows
from runstrong.web.coaching.site_catalog import site_catalog

ERROR_MAX = 300


@dataclass(frozen=True)
class SyncResult:
    ok: bool
    runs: int
    error: str
    changes: list[PlanChange]
    # Why the sessions must be re-placed, when the caller re-places them itself (a squad's
    # scheduled sync does, all at once); empty when the hard days did not move.
    moved: str = ""


def calendar_of(athlete: Athlete) -> RunningCalendar:
    calendar, _ = RunningCalendar.objects.get_or_create(athlete=athlete)
    calendar.athlete = athlete  # already read: storing the runs reads it again otherwise
    return calendar


def calendar_upload(athlete: Athlete, data: bytes, catalog: Catalog | None = None) -> SyncResult:
    """Store an uploaded .ics as the running plan; an invalid file changes nothing."""
    calendar = calendar_of(athlete)
    return _store(calendar, data, "upload", catalog)


def calendar_set_url(athlete: Athlete, url: str) -> str | None:
    """Keep `url` as the athlete's subscription; the reason it cannot be one, or None."""
    url = url.strip()
    problem = subscription_problem(url) if url else None
    if problem:
        return problem
    calendar = calendar_of(athlete)
    calendar.url = url
    calendar.save(update_fields=["url"])
    return None


def calendar_fetch(
    athlete: Athlete,
    catalog: Catalog | None = None,
    fetched: dict[str, bytes | FetchRefused] | None = None,
    *,
    replace: bool = True,
) -> SyncResult:
    """Fetch the subscription now; on failure keep the last good copy and say why.

    `fetched` carries what one scheduled run already fetched: a squad subscribed to its
    coach's one plan is fetched once, not once an athlete.
    """
    calendar = calendar_of(athlete)
    if not calendar.url:
        return SyncResult(False, 0, NO_URL, [])
    calendar.tried_at = timezone.now()
    got = _fetched(calendar.url, fetched)
    if isinstance(got, FetchRefused):
        return _failed(calendar, str(got))
    return _store(calendar, got, "url", catalog, replace=replace)


NO_URL = "no subscription URL is set"
CHUNK = 50  # athletes a transaction when a squad's runs are stored together


def calendars_fetch_many(
    athletes: list[Athlete], catalog: Catalog, fetched: dict[str, bytes | FetchRefused]
) -> dict[int, SyncResult]:
    """`calendar_fetch(..., replace=False)` for many athletes of one catalog: each URL
    fetched and read once, and the runs of every athlete whose copy changed stored in a few
    statements a chunk of athletes rather than a few an athlete."""
    today = timezone.localdate()
    calendars = {
        calendar.athlete_id: calendar
        for calendar in RunningCalendar.objects.filter(athlete__in=[a.pk for a in athletes])
    }
    results: dict[int, SyncResult] = {}
    same: list[RunningCalendar] = []
    read: dict[str, list[LaidRun] | CalendarInvalid] = {}
    changed: list[tuple[RunningCalendar, str, list[LaidRun]]] = []
    for athlete in athletes:
        calendar = calendars.get(athlete.pk) or calendar_of(athlete)
        calendar.athlete = athlete
        if not calendar.url:
            results[athlete.pk] = SyncResult(False, 0, NO_URL, [])
            continue
        calendar.tried_at = timezone.now()
        got = _fetched(calendar.url, fetched)
        if isinstance(got, FetchRefused):
            results[athlete.pk] = _failed(calendar, str(got))
            continue
        text = got.decode("utf-8", errors="replace")
        if calendar.good_at is not None and text == calendar.good_ics:
            _good_again(calendar)
            same.append(calendar)
            continue
        laid = read.get(text)
        if laid is None:
            try:
                laid = read[text] = _laid(runs_from_ics(got, today), catalog)
            except CalendarInvalid as invalid:
                laid = read[text] = invalid
        if isinstance(laid, CalendarInvalid):
            results[athlete.pk] = _failed(calendar, str(laid))
            continue
        changed.append((calendar, text, laid))
    _update_calendars(same, ["good_at", "tried_at", "error", "error_at"])
    counts = _run_counts([calendar.athlete_id for calendar in same])
    for calendar in same:
        results[calendar.athlete_id] = SyncResult(True, counts.get(calendar.athlete_id, 0), "", [])
    for first in range(0, len(changed), CHUNK):
        results |= _store_many(changed[first : first + CHUNK], today)
    return results


def _fetched(url: str, fetched: dict[str, bytes | FetchRefused] | None) -> bytes | FetchRefused:
    got = fetched.get(url) if fetched is not None else None
    if got is None:
        try:
            got = fetch(url)
        except FetchRefused as refused:
            got = refused
        if fetched is not None:
            fetched[url] = got
    return got


def _run_counts(athlete_ids: list[int]) -> dict[int, int]:
    if not athlete_ids:
        return {}
    rows = (
        PlannedRun.objects.filter(athlete__in=athlete_ids)
        .values_list("athlete")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _update_calendars(calendars: list[RunningCalendar], names: list[str]) -> None:
    """One plain UPDATE a calendar, sent together (bulk_update's CASE of a squad's
    calendars costs more to build than the rows do to write)."""
    update_rows(
        RunningCalendar,
        names,
        [(calendar.pk, *(getattr(calendar, name) for name in names)) for calendar in calendars],
    )


def _good_again(calendar: RunningCalendar) -> None:
    """Fetched as it was: a good copy again, nothing to read or re-place."""
    calendar.good_at = calendar.tried_at or timezone.now()
    calendar.error, calendar.error_at = "", None


def _store_many(
    changed: list[tuple[RunningCalendar, str, list[LaidRun]]], today: date
) -> dict[int, SyncResult]:
    results: dict[int, SyncResult] = {}
    with transaction.atomic():
        old = _old_runs([calendar.athlete_id for calendar, _, _ in changed])
        diffs = [
            _runs_diff(calendar.athlete, old.get(calendar.athlete_id, []), laid, today)
            for calendar, _, laid in changed
        ]
        _write_runs(diffs)
        now = timezone.now()
        for (calendar, text, laid), diff in zip(changed, diffs, strict=True):
            _stored(calendar, text, "url", now)
            cause = _moved_cause(diff.before, diff.after) if diff.before != diff.after else ""
            results[calendar.athlete_id] = SyncResult(True, len(laid), "", [], cause)
        _update_calendars([calendar for calendar, _, _ in changed], STORED)
    return results


def calendars_due(every: timedelta, now: Any = None) -> list[int]:
    """The athletes whose subscription was last tried longer than `every` ago."""
    now = now or timezone.now()
    calendars = RunningCalendar.objects.exclude(url="")
    due = calendars.filter(tried_at__isnull=True) | calendars.filter(tried_at__lt=now - every)
    return list(due.values_list("athlete_id", flat=True))


def _failed(calendar: RunningCalendar, why: str) -> SyncResult:
    calendar.error = why[:ERROR_MAX]
    calendar.error_at = calendar.tried_at or timezone.now()
    calendar.save(update_fields=["tried_at", "error", "error_at"])
    return SyncResult(False, 0, calendar.error, [])


def _store(
    calendar: RunningCalendar,
    data: bytes,
    source: str,
    catalog: Catalog | None,
    *,
    replace: bool = True,
) -> SyncResult:
    catalog = catalog or site_catalog()
    today = timezone.localdate()
    athlete = calendar.athlete
    text = data.decode("utf-8", errors="replace")
    if source == "url" and calendar.good_at is not None and text == calendar.good_ics:
        _good_again(calendar)
        calendar.save(update_fields=["good_at", "tried_at", "error", "error_at"])
        return SyncResult(True, PlannedRun.objects.filter(athlete=athlete).count(), "", [])
    try:
        events = runs_from_ics(data, today)
    except CalendarInvalid as invalid:
        if source == "upload":
            return SyncResult(False, 0, str(invalid), [])
        return _failed(calendar, str(invalid))
    with transaction.atomic():
        old = _old_runs([athlete.pk]).get(athlete.pk, [])
        diff = _runs_diff(athlete, old, _laid(events, catalog), today)
        _write_runs([diff])
        before, after = diff.before, diff.after
        _stored(calendar, text, source, timezone.now())
        calendar.save()
        cause = _moved_cause(before, after) if before != after else ""
        if cause and not replace:
            return SyncResult(True, len(events), "", [], cause)
        changes = replace_if_moved(athlete, before, cause, catalog, after) if cause else []
    return SyncResult(True, len(events), "", changes)


# The hard days (ISO date, race?) from today on, and the first and last day the plan covers.
Signature = tuple[tuple[tuple[str, bool], ...], tuple[str, ...]]
CAUSE_MAX = 200


def _moved_cause(before: Signature, after: Signature) -> str:
    """ "Running plan calendar changed: hard Tue 1 Dec → Wed 2 Dec", the days that moved."""
    was = {day for day, _ in before[0]}
    now = {day for day, _ in after[0]}
    gone = sorted(was - now)[:3]
    added = sorted(now - was)[:3]
    cause = "Running plan calendar changed"
    if gone or added:
        named = [weekday_date(date.fromisoformat(day)) for day in gone]
        new = [weekday_date(date.fromisoformat(day)) for day in added]
        cause += f": hard {', '.join(named) or 'none'} → {', '.join(new) or 'none'}"
    return cause[:CAUSE_MAX]


# The columns a calendar's event sets on its run (the coach's override is the run's own).
RUN_FIELDS = ("start", "minutes", "title", "description", "hard", "race", "reasons", "rule_keys")
STORED = ["good_ics", "good_at", "good_from", "tried_at", "error", "error_at"]
# An event of the calendar and its run's RUN_FIELDS values, classified.
LaidRun = tuple[RunEvent, tuple[Any, ...]]
# A stored run as read: pk, uid, date, override, then its RUN_FIELDS values.
OldRun = tuple[Any, ...]


def _stored(calendar: RunningCalendar, text: str, source: str, now: Any) -> None:
    calendar.good_ics = text
    calendar.good_at = now
    calendar.good_from = source
    if source == "url":
        calendar.tried_at = calendar.tried_at or now
        calendar.error, calendar.error_at = "", None


def _laid(events: Iterable[RunEvent], catalog: Catalog) -> list[LaidRun]:
    """Each event with what its run holds; a plan repeats its sessions, each kind read once."""
    rule = catalog.rules.running
    kinds: dict[tuple[str, str, int | None], RunKind] = {}
    laid: list[LaidRun] = []
    for event in events:
        said = (event.title, event.description, event.minutes)
        kind = kinds.get(said)
        if kind is None:
            kind = kinds[said] = classify_run(*said, rule)
        values = (
            event.start,
            event.minutes,
            event.title,
            event.description,
            kind.hard,
            kind.race,
            [{"text": r.text, "keys": list(r.keys)} for r in kind.reasons],
            list(kind.rule_keys),
        )
        laid.append((event, values))
    return laid


def _old_runs(athlete_ids: list[int]) -> dict[int, list[OldRun]]:
    """The athletes' stored runs. The JSON columns are read as text and each distinct text
    decoded once: a squad's runs repeat the same few reasons tens of thousands of times."""
    old: dict[int, list[OldRun]] = defaultdict(list)
    decoded: dict[str, Any] = {}
    rows = PlannedRun.objects.filter(athlete__in=athlete_ids).values_list(
        "athlete_id",
        "pk",
        "uid",
        "date",
        "override",
        *RUN_FIELDS[:-2],
        Cast("reasons", TextField()),
        Cast("rule_keys", TextField()),
    )
    for athlete_id, *row, reasons, rule_keys in rows:
        for text in (reasons, rule_keys):
            if text not in decoded:
                decoded[text] = json.loads(text)
        old[athlete_id].append((*row, decoded[reasons], decoded[rule_keys]))
    return old


@dataclass(frozen=True)
class RunsDiff:
    """What storing a calendar changes of one athlete's runs, and the hard days from today
    on before and after."""

    before: Signature
    after: Signature
    gone: list[int]
    new: list[PlannedRun]
    changed: list[PlannedRun]


def _runs_diff(athlete: Athlete, old: list[OldRun], laid: list[LaidRun], today: date) -> RunsDiff:
    """The calendar's runs in place of the old ones; an override stays with its run."""
    by_key = {(row[1], row[2]): row for row in old}
    marks = [(row[2], _is_hard(row[3], row[8]), row[9]) for row in old]
    kept: list[tuple[date, bool, bool]] = []
    new: list[PlannedRun] = []
    changed: list[PlannedRun] = []
    for event, values in laid:
        row = by_key.pop((event.uid, event.date), None)
        if row is None:
            new.append(
                PlannedRun(
                    athlete=athlete,
                    uid=event.uid,
                    date=event.date,
                    **dict(zip(RUN_FIELDS, values, strict=True)),
                )
            )
            continue
        if tuple(row[4:]) != values:
            changed.append(
                PlannedRun(
                    pk=row[0],
                    athlete=athlete,
                    uid=row[1],
                    date=row[2],
                    override=row[3],
                    **dict(zip(RUN_FIELDS, values, strict=True)),
                )
            )
        kept.append((event.date, _is_hard(row[3], values[4]), values[5]))
    kept += [(run.date, run.is_hard, run.race) for run in new]
    return RunsDiff(
        _signature(marks, today),
        _signature(kept, today),
        [row[0] for row in by_key.values()],
        new,
        changed,
    )


def _write_runs(diffs: list[RunsDiff]) -> None:
    gone = [pk for diff in diffs for pk in diff.gone]
    if gone:
        PlannedRun.objects.filter(pk__in=gone).delete()
    PlannedRun.objects.bulk_create([run for diff in diffs for run in diff.new])
    PlannedRun.objects.bulk_update([run for diff in diffs for run in diff.changed], RUN_FIELDS)


def _is_hard(override: str, engine_hard: bool) -> bool:
    """PlannedRun.is_hard, for a run read as values."""
    return override == "hard" if override else engine_hard


def run_override(
    athlete: Athlete, run_id: int, kind: str, by: str, catalog: Catalog | None = None
) -> tuple[PlannedRun, list[PlanChange]]:
    """The coach's hard/easy over the engine's ("" removes it); re-places if days move."""
    if kind not in ("", "hard", "easy"):
        raise ValueError("override must be hard, easy or empty")
    today = timezone.localdate()
    with transaction.atomic():
        run = PlannedRun.objects.select_for_update().get(pk=run_id, athlete=athlete)
        before = hard_signature(athlete, today)
        run.override = kind
        run.override_by = by[:150] if kind else ""
        run.override_at = timezone.now() if kind else None
        run.save(update_fields=["override", "override_by", "override_at"])
        what = f"{run.title or 'Run'} on {weekday_date(run.date)} set {kind or 'back'} by coach"
        changes = replace_if_moved(athlete, before, what[:200], catalog)
    return run, changes


def hard_signature(athlete: Athlete, today: date) -> Signature:
    """The hard days and races from today on that placement reads, to see if they moved."""
    runs = PlannedRun.objects.filter(athlete=athlete, date__gte=today)
    return _signature(
        [
            (day, _is_hard(override, hard), race)
            for day, override, hard, race in runs.values_list("date", "override", "hard", "race")
        ],
        today,
    )


def _signature(runs: Iterable[tuple[date, bool, bool]], today: date) -> Signature:
    """From (day, hard, race) of each run."""
    rows = [run for run in runs if run[0] >= today]
    marks = {(day.isoformat(), race and hard) for day, hard, race in rows if hard}
    days = sorted({day for day, _, _ in rows})
    ends = (days[0].isoformat(), days[-1].isoformat()) if days else ()
    return tuple(sorted(marks)), ends


def replace_if_moved(
    athlete: Athlete,
    before: Signature,
    cause: str,
    catalog: Catalog | None,
    after: Signature | None = None,
) -> list[PlanChange]:
    """Re-place the athlete's future unlogged sessions when the hard days moved."""
    if after is None:
        after = hard_signature(athlete, timezone.localdate())
    if after == before:
        return []
    from runstrong.web.coaching.replanning import plan_follow  # replanning reads this module

    followed = plan_follow(athlete=athlete, cause=cause, catalog=catalog)
    return followed.changes if followed else []


def running_days_many(
    ranges: dict[int, tuple[date, date]], athletes: dict[int, Athlete]
) -> dict[int, RunningDays | None]:
    """`running_days` for many athletes, each over their own (start, end), in one query."""
    if not ranges:
        return {}
    low = min(start for start, _ in ranges.values())
    high = max(end for _, end in ranges.values())
    rows: dict[int, list[tuple[date, bool, bool, str]]] = defaultdict(list)
    for athlete_id, day, hard, race, override in PlannedRun.objects.filter(
        athlete__in=list(ranges), date__gte=low, date__lte=high
    ).values_list("athlete_id", "date", "hard", "race", "override"):
        start, end = ranges[athlete_id]
        if start <= day <= end:
            rows[athlete_id].append((day, hard, race, override))
    yesterday = timezone.localdate() - timedelta(days=1)
    done = completed_hard_days_many(
        athletes,
        {athlete_id: (start, min(end, yesterday)) for athlete_id, (start, end) in ranges.items()},
    )
    return {
        athlete_id: _days_of(rows.get(athlete_id, []), done[athlete_id]) for athlete_id in ranges
    }


def running_days(athlete: Athlete, start: date, end: date) -> RunningDays | None:
    """Hard days by date for `start`..`end`: planned runs, and runs done before today (the
    completed-runs hook); None when neither covers any day, so the profile's weekdays hold."""
    runs = PlannedRun.objects.filter(athlete=athlete, date__gte=start, date__lte=end)
    rows = list(runs.values_list("date", "hard", "race", "override"))
    done = completed_hard_days(athlete, start, min(end, timezone.localdate() - timedelta(1)))
    return _days_of(rows, done)


def _days_of(rows: list[tuple[date, bool, bool, str]], done: set[date]) -> RunningDays | None:
    days: list[date] = []
    hard: set[date] = set()
    races: set[date] = set()
    for day, engine_hard, race, override in rows:
        days.append(day)
        if (override == "hard") if override else engine_hard:
            hard.add(day)
            if race:
                races.add(day)
    if not days and not done:
        return None
    days += done
    return RunningDays(
        first=min(days), last=max(days), hard=frozenset(hard | done), races=frozenset(races)
    )


def running_load_jumps(
    athletes: Iterable[Athlete], catalog: Catalog | None = None, today: date | None = None
) -> dict[int, list[LoadJump]]:
    """Each athlete's weeks, from last week on, whose running minutes jump (planned runs,
    and runs done through the completed-runs hook)."""
    catalog = catalog or site_catalog()
    today = today or timezone.localdate()
    start = today - timedelta(days=today.weekday() + 7)
    window_start = start - timedelta(days=28)
    by_athlete: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    known_from: dict[int, date] = {}
    athletes = list(athletes)
    rows = PlannedRun.objects.filter(
        athlete__in=[athlete.pk for athlete in athletes], date__gte=window_start
    ).values_list("athlete_id", "date", "minutes")
    for athlete_id, day, minutes in rows:
        by_athlete[athlete_id][day] += minutes or 0
        known_from[athlete_id] = min(known_from.get(athlete_id, day), day)
    jumps: dict[int, list[LoadJump]] = {}
    completed = completed_minutes([athlete.pk for athlete in athletes], window_start, today)
    for athlete in athletes:
        planned = by_athlete.get(athlete.pk)
        done = completed.get(athlete.pk, {})
        if not planned and not done:
            continue
        merged: dict[date, float] = dict(planned or {})
        for day, value in done.items():
            merged[day] = merged.get(day, 0.0) + value
        first = min([known_from.get(athlete.pk, today), *done])
        found = load_jumps(merged, first, start, max(merged), catalog.rules.running)
        if found:
            jumps[athlete.pk] = found
    return jumps


def running_card(athlete: Athlete, catalog: Catalog, today: date) -> dict[str, Any]:
    """What the coach's athlete page says of the running plan: source, next runs, flags."""
    calendar = RunningCalendar.objects.filter(athlete=athlete).first()
    upcoming = list(PlannedRun.objects.filter(athlete=athlete, date__gte=today)[:60])
    return {
        "calendar": calendar,
        "runs": len(upcoming),
        "hard": [run for run in upcoming if run.is_hard][:6],
        "overridden": sum(1 for run in upcoming if run.override),
        "jumps": running_load_jumps([athlete], catalog, today).get(athlete.pk, []),
    }
