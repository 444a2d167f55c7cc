"""Background work: what must not hold a coach's or an athlete's request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task, task_backends
from django_tasks_db.models import DBTaskResult

from runstrong.engine.catalog import Catalog
from runstrong.web.coaching.completed_runs import run_stored_upload
from runstrong.web.coaching.outbox import invitation_emails_send, plain_emails_send
from runstrong.web.coaching.session_rows import superseded_purge


@task()
def purge_superseded_sessions() -> int:
    """Delete the sessions publishes set aside, never one with a log or a logged set."""
    return superseded_purge()


@task(takes_context=True)
def send_invitation_emails(context: TaskContext, messages: list[dict[str, Any]]) -> int:
    """Email invitation links. The queued messages hold the links themselves, which are
    otherwise kept only as hashes: the task's stored arguments are blanked once it has run."""
    try:
        return invitation_emails_send(messages)
    finally:
        forget_arguments(context)


@task(takes_context=True)
def send_emails(context: TaskContext, messages: list[dict[str, Any]]) -> int:
    """Email {subject, body, to} messages, such as password reset links; like invitations,
    the stored arguments are blanked once sent."""
    try:
        return plain_emails_send(messages)
    finally:
        forget_arguments(context)


def forget_arguments(context: TaskContext) -> None:
    DBTaskResult.objects.filter(id=context.task_result.id).update(
        args_kwargs={"args": [], "kwargs": {}}
    )


def _sync_one(athlete_id: int, fetched: dict[str, Any] | None = None) -> str:
    from runstrong.web.coaching.models import Athlete
    from runstrong.web.coaching.running_plan import calendar_fetch
    from runstrong.web.coaching.standards import club_catalog

    athlete = Athlete.objects.select_related("squad__club").filter(pk=athlete_id).first()
    if athlete is None:
        return "gone"
    result = calendar_fetch(athlete, club_catalog(athlete.squad.club), fetched)
    return "ok" if result.ok else result.error


@task()
def sync_running_calendar(athlete_id: int) -> str:
    """Fetch one athlete's running-plan subscription; a failure keeps the last good copy."""
    return _sync_one(athlete_id)


@task()
def sync_due_running_calendars() -> int:
    """Fetch every subscription not tried for RUNSTRONG_CALENDAR_SYNC_MINUTES (a URL once,
    however many athletes share it), re-place the sessions of those whose hard days moved all
    at once, then queue this task again for one interval later: the schedule is the queue."""
    from runstrong.web.coaching.models import Athlete
    from runstrong.web.coaching.running_plan import calendars_due, calendars_fetch_many
    from runstrong.web.coaching.running_replace import plans_follow
    from runstrong.web.coaching.standards import club_catalog

    every = timedelta(minutes=settings.RUNSTRONG_CALENDAR_SYNC_MINUTES)
    due = calendars_due(every)
    fetched: dict[str, Any] = {}
    clubs: dict[int, list[Athlete]] = {}
    catalogs: dict[int, Catalog] = {}
    for athlete in Athlete.objects.filter(pk__in=due).select_related("squad__club"):
        club = athlete.squad.club
        clubs.setdefault(club.pk, []).append(athlete)
        if club.pk not in catalogs:
            catalogs[club.pk] = club_catalog(club)
    for club_id, athletes in clubs.items():
        results = calendars_fetch_many(athletes, catalogs[club_id], fetched)
        causes = {pk: result.moved for pk, result in results.items() if result.moved}
        moved = [athlete for athlete in athletes if athlete.pk in causes]
        if moved:
            plans_follow(moved, causes, catalogs[club_id])
    if task_backends["default"].supports_defer:
        sync_due_running_calendars.using(run_after=timezone.now() + every).enqueue()
    return len(due)


def schedule_running_syncs() -> bool:
    """Queue the first scheduled sync unless one is waiting already (a worker's start)."""
    waiting = DBTaskResult.objects.filter(
        task_path=sync_due_running_calendars.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    sync_due_running_calendars.enqueue()
    return True


@task()
def import_run_upload(upload_id: int) -> None:
    """Import an upload of many run files (a bulk export), all or nothing."""
    run_stored_upload(upload_id)
