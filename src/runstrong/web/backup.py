"""Backups of the app's database while it serves: SQLite's online backup API, or PostgreSQL's
`pg_dump -Fc` and `pg_restore`.

SQLite copies every page in one step, so the copy is the database as it was at one instant
(a consistent read; with WAL, writers carry on meanwhile), written beside the target and
renamed into place so a half-written file never carries the backup's name.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the user."""


def _sqlite_path(database: Mapping[str, Any]) -> Path:
    return Path(str(database["NAME"]))


def _is_sqlite(database: Mapping[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("sqlite3")


def _is_postgres(database: Mapping[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("postgresql")


def backup(database: Mapping[str, Any], target: Path) -> None:
    """Write a copy of `database` (a Django DATABASES entry) to `target`."""
    if _is_sqlite(database):
        _sqlite_backup(_sqlite_path(database), target)
    elif _is_postgres(database):
        partial = _partial(target)
        try:
            _pg_run("pg_dump", ["--format=custom", "--no-owner", f"--file={partial}"], database)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    else:
        raise BackupError(f"cannot back up a {database['ENGINE']} database")


def restore(database: Mapping[str, Any], source: Path) -> None:
    """Replace the contents of `database` with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if _is_sqlite(database):
        _sqlite_restore(source, _sqlite_path(database))
    elif _is_postgres(database):
        try:
            _pg_run(
                "pg_restore",
                ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
                database,
            )
        except BackupError as error:
            raise BackupError(f"{source}: {error}") from None
    else:
        raise BackupError(f"cannot restore a {database['ENGINE']} database")


def _sqlite_backup(live: Path, target: Path) -> None:
    if not live.is_file():
        raise BackupError(f"{live}: no database to back up (run `runstrong manage migrate`)")
    if target.resolve() == live.resolve():
        raise BackupError(f"{target} is the live database: write the backup somewhere else")
    partial = _partial(target)
    try:
        with closing(_connect(live)) as source, closing(_connect(partial)) as copy:
            source.backup(copy)  # every page in one step: one consistent snapshot
            # The copy stands alone: one file, no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        partial.replace(target)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup to {target} failed: {error}") from None


def _sqlite_restore(source: Path, live: Path) -> None:
    if source.resolve() == live.resolve():
        raise BackupError(f"{source} is the live database itself, not a backup")
    try:
        with closing(_connect(source)) as backup_copy:
            ok = backup_copy.execute("PRAGMA quick_check").fetchone()[0]
            has_app = backup_copy.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source}: not a SQLite backup ({error})") from None
    if ok != "ok" or not has_app:
        raise BackupError(f"{source}: not a runstrong backup (integrity: {ok})")
    live.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Page by page into the live file under its write lock, so a running server sees the
        # old database or the restored one, never a mixture.
        with closing(_connect(source)) as backup_copy, closing(_connect(live)) as target:
            backup_copy.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"restore into {live} failed: {error}") from None


def _partial(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial")


def _connect(path: Path) -> sqlite3.Connection:
    # Wait for a writer's lock rather than fail at once.
    return sqlite3.connect(path, timeout=30, isolation_level=None)


def _pg_run(tool: str, arguments: list[str], database: Mapping[str, Any]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} not found: install PostgreSQL's client tools "
            "(e.g. apt install postgresql-client) matching the server's version"
        )
    environment = {**os.environ, **_pg_environment(database)}
    command = [executable, *arguments]
    if tool == "pg_restore":
        command.insert(1, f"--dbname={database['NAME']}")
    else:
        command.append(str(database["NAME"]))
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{tool} failed: {lines[-1] if lines else f'exit {result.returncode}'}")


def _pg_environment(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq's own variables, so the password never shows in a process list."""
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    return {variable: str(database[key]) for key, variable in names.items() if database.get(key)}
