"""The plan follows the running: a calendar's runs stored, classified, and the strength
sessions re-placed when the hard days move [S9–S11].

A calendar arrives as an upload or a fetch of its subscription URL. A good copy replaces the
planned runs (a coach's override stays with its event); a failed fetch records when and why and
changes nothing else. When the hard days from today on differ from before, the athlete's future
unlogged sessions are laid again by `plan_follow`, which records what moved and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
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
        return SyncResult(False, 0, "no subscription URL is set", [])
    calendar.tried_at = timezone.now()
    got = fetched.get(calendar.url) if fetched is not None else None
    if got is None:
        try:
            got = fetch(calendar.url)
        except FetchRefused as refused:
            got = refused
        if fetched is not None:
            fetched[calendar.url] = got
    if isinstance(got, FetchRefused):
        return _failed(calendar, str(got))
    return _store(calendar, got, "url", catalog, replace=replace)


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
        # Fetched as it was: a good copy again, nothing to read or re-place.
        calendar.good_at = calendar.tried_at or timezone.now()
        calendar.error, calendar.error_at = "", None
        calendar.save(update_fields=["good_at", "tried_at", "error", "error_at"])
        return SyncResult(True, PlannedRun.objects.filter(athlete=athlete).count(), "", [])
    try:
        events = runs_from_ics(data, today)
    except CalendarInvalid as invalid:
        if source == "upload":
            return SyncResult(False, 0, str(invalid), [])
        return _failed(calendar, str(invalid))
    with transaction.atomic():
        before, after = _replace_runs(athlete, events, catalog, today)
        now = timezone.now()
        calendar.good_ics = text
        calendar.good_at = now
        calendar.good_from = source
        if source == "url":
            calendar.tried_at = calendar.tried_at or now
            calendar.error, calendar.error_at = "", None
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


def _replace_runs(
    athlete: Athlete, events: Iterable[RunEvent], catalog: Catalog, today: date
) -> tuple[Signature, Signature]:
    """Store the calendar's runs in place of the old ones (an override stays with its run);
    the hard days from today on before and after."""
    rule = catalog.rules.running
    old = {(run.uid, run.date): run for run in PlannedRun.objects.filter(athlete=athlete)}
    before = _signature(old.values(), today)
    kept: list[PlannedRun] = []
    new_rows: list[PlannedRun] = []
    changed: list[PlannedRun] = []
    kinds: dict[tuple[str, str, int | None], RunKind] = {}  # a plan repeats its sessions
    for event in events:
        said = (event.title, event.description, event.minutes)
        kind = kinds.get(said)
        if kind is None:
            kind = kinds[said] = classify_run(*said, rule)
        values: dict[str, Any] = {
            "start": event.start,
            "minutes": event.minutes,
            "title": event.title,
            "description": event.description,
            "hard": kind.hard,
            "race": kind.race,
            "reasons": [{"text": r.text, "keys": list(r.keys)} for r in kind.reasons],
            "rule_keys": list(kind.rule_keys),
        }
        row = old.pop((event.uid, event.date), None)
        if row is None:
            new_rows.append(PlannedRun(athlete=athlete, uid=event.uid, date=event.date, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        else:
            kept.append(row)
    PlannedRun.objects.filter(pk__in=[row.pk for row in old.values()]).delete()
    PlannedRun.objects.bulk_create(new_rows)
    PlannedRun.objects.bulk_update(
        changed,
        ["start", "minutes", "title", "description", "hard", "race", "reasons", "rule_keys"],
    )
    return before, _signature([*kept, *changed, *new_rows], today)


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
    return _signature(PlannedRun.objects.filter(athlete=athlete, date__gte=today), today)


def _signature(runs: Iterable[PlannedRun], today: date) -> Signature:
    rows = [run for run in runs if run.date >= today]
    marks = {(run.date.isoformat(), run.race and run.is_hard) for run in rows if run.is_hard}
    days = sorted({run.date for run in rows})
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
