"""Whether the app can do its work: the database answers and takes a write.

A read-only data folder (SQLite) or a standby (PostgreSQL) still answers reads, so a plain
`SELECT 1` says ok while every page that saves answers an error. The check runs one UPDATE
that matches no row, in a savepoint that is rolled back: the database must accept a write
statement, and nothing changes.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import F

log = logging.getLogger(__name__)


def database_problem() -> str | None:
    """None when the database takes writes, else what is wrong, in a few words."""
    try:
        with transaction.atomic():
            MigrationRecorder.Migration.objects.filter(pk=-1).update(app=F("app"))
    except DatabaseError as error:
        log.warning("health: the database takes no writes: %s", error)
        return f"database unavailable: {error}".strip()
    return None
