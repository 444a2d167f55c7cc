"""`runstrong backup`, `restore` and `prune`: looking after a running club's database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from runstrong.cli.web_cmd import _setup_django


def _fail(message: str) -> typer.Exit:
    typer.echo(f"runstrong: error: {message}", err=True)
    return typer.Exit(2)


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup.", dir_okay=False)],
) -> None:
    """Copy the database to FILE while the app keeps serving (SQLite's online backup, or
    pg_dump's custom format on PostgreSQL)."""
    _setup_django()
    from django.conf import settings

    from runstrong.web.backup import BackupError
    from runstrong.web.backup import backup as run_backup

    try:
        run_backup(settings.DATABASES["default"], file)
    except BackupError as error:
        raise _fail(str(error)) from None
    typer.echo(f"Backed up to {file}.")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `runstrong backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the database without asking first.")
    ] = False,
) -> None:
    """Replace the database's contents with a backup; then `runstrong manage migrate` brings
    an older backup up to this version."""
    _setup_django()
    from django.conf import settings

    from runstrong.web.backup import BackupError
    from runstrong.web.backup import restore as run_restore

    if not yes and not typer.confirm(
        f"Replace everything in the database with {file}?", default=False
    ):
        raise _fail("restore cancelled; nothing changed")
    try:
        run_restore(settings.DATABASES["default"], file)
    except BackupError as error:
        raise _fail(str(error)) from None
    typer.echo(f"Restored from {file}.")


def prune(
    days: Annotated[
        int,
        typer.Option(
            help="Keep what is younger than this many days (at least 8).", min=8, max=3650
        ),
    ] = 30,
) -> None:
    """Delete expired login sessions, old idempotency records, lockout and access logs,
    finished task results and expired invitations' tokens. Never anything logged."""
    _setup_django()
    from runstrong.web.coaching.prune import prune as run_prune

    pruned = run_prune(days=days)
    table = Table("removed", "rows", title=f"Pruned (older than {days} days)")
    for what, count in pruned.lines():
        table.add_row(what, str(count))
    Console().print(table)


def install(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
    app.command()(prune)
