"""Background work: what must not hold a coach's or an athlete's request."""

from __future__ import annotations

from django_tasks import task

from runstrong.web.coaching.completed_runs import run_stored_upload
from runstrong.web.coaching.session_rows import superseded_purge


@task()
def purge_superseded_sessions() -> int:
    """Delete the sessions publishes set aside, never one with a log or a logged set."""
    return superseded_purge()


@task()
def import_run_upload(upload_id: int) -> None:
    """Import an upload of many run files (a bulk export), all or nothing."""
    run_stored_upload(upload_id)
