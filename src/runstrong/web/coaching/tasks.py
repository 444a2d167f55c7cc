"""Background work: what must not hold a coach's or an athlete's request."""

from __future__ import annotations

from django_tasks import task

from runstrong.web.coaching.session_rows import superseded_purge


@task()
def purge_superseded_sessions() -> int:
    """Delete the sessions publishes set aside, never one with a log or a logged set."""
    return superseded_purge()
