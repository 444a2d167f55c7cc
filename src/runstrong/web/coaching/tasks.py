"""Background work: what must not hold a coach's or an athlete's request."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

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


@task()
def import_run_upload(upload_id: int) -> None:
    """Import an upload of many run files (a bulk export), all or nothing."""
    run_stored_upload(upload_id)
