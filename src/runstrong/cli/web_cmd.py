"""`runstrong demo`, `serve`, `worker`, `createcoach` and `manage`: the web app from the command
line.

Django is imported inside each command so the planning commands start fast without it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

SETTINGS = "runstrong.web.config.settings"
DEMO_PORT = 8000


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        # A setting missing or wrong (say, no secret key outside the demo): one line, not a
        # traceback.
        typer.echo(f"runstrong: error: {' '.join(str(error).split())}", err=True)
        raise typer.Exit(2) from None


def _refuse_a_broken_setup() -> None:
    """Django's system checks (the catalog's among them) before serving: a wrong
    RUNSTRONG_CATALOG stops here with one line, not later as a 500 on every page."""
    from django.core import checks

    errors = [
        message
        for message in checks.run_checks()
        if message.is_serious() and not message.is_silenced()
    ]
    for message in errors:
        typer.echo(f"runstrong: error: {' '.join(str(message.msg).split())}", err=True)
    if errors:
        raise typer.Exit(2)


def _data_dir() -> Path:
    path = Path(os.environ.get("RUNSTRONG_DATA_DIR", "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """The production server's command line (settings in runstrong.web.config.gunicorn)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "runstrong.web.config.wsgi:application",
        "--config",
        "python:runstrong.web.config.gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
    ]


def _gunicorn(bind: str, workers: int) -> None:
    """Replace this process with gunicorn serving the WSGI app."""
    sys.stdout.flush()
    os.execv(sys.executable, gunicorn_command(bind, workers))


def demo(
    port: Annotated[
        int, typer.Option(help="Port on 127.0.0.1, 1 to 65535.", min=1, max=65535)
    ] = DEMO_PORT,
    serve: Annotated[bool, typer.Option(help="Start the server after seeding.")] = True,
) -> None:
    """Run the app with a demo club on SQLite, on this machine only (127.0.0.1)."""
    data = _data_dir()
    os.environ["RUNSTRONG_DEMO"] = "1"
    secret_file = data / "demo-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    os.environ.setdefault("RUNSTRONG_SECRET_KEY_FILE", str(secret_file.resolve()))
    _setup_django()
    _refuse_a_broken_setup()
    from django.core.management import call_command
    from django.utils import timezone

    from runstrong.web.coaching.seed import DEMO_PASSWORD, demo_exists, seed_demo

    console = Console()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if demo_exists():
        console.print("Reusing the demo club already in", data.resolve())
    else:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            task = bar.add_task("Seeding athletes", total=24)

            def advance(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            seed_demo(today=timezone.localdate(), progress=advance)
    console.print(f"\nrunstrong demo at [bold]http://127.0.0.1:{port}/[/]")
    console.print(f"  coach:    coach / {DEMO_PASSWORD}")
    console.print(f"  athletes: athlete1 … athlete24 / {DEMO_PASSWORD}")
    console.print("  (demo accounts; the server listens on this machine only)\n")
    if serve:
        # The background worker runs beside the server; Ctrl-C in this terminal stops both.
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--no-startup-delay"]
        )
        # The server stops it when it exits (web/config/gunicorn.py on_exit).
        os.environ["RUNSTRONG_DEMO_WORKER_PID"] = str(worker.pid)
        _gunicorn(f"127.0.0.1:{port}", workers=2)


def serve(
    bind: Annotated[str, typer.Option(help="Address and port to listen on.")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(help="Worker processes, 1 to 64.", min=1, max=64)] = 2,
) -> None:
    """Serve the app for real use; configure it with RUNSTRONG_* environment variables."""
    _data_dir()
    _setup_django()
    _refuse_a_broken_setup()
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    _gunicorn(bind, workers)


def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the tasks already queued, then exit.")
    ] = False,
) -> None:
    """Run background work queued by the app (e.g. purging the sessions a publish replaced);
    one or more beside `serve`, sharing its database and settings."""
    _data_dir()
    _setup_django()
    _refuse_a_broken_setup()
    from django.core.management import call_command

    call_command("db_worker", batch=batch, startup_delay=not batch)


def createcoach(
    username: Annotated[str, typer.Argument(help="Login name for the coach.")],
    club: Annotated[str, typer.Option(help="Club name (created if new).")],
    squad: Annotated[str, typer.Option(help="First squad's name.")] = "Squad",
) -> None:
    """Create a coach account with a club and a first squad; asks for the password."""
    _setup_django()
    from runstrong.web.coaching.accounts import coach_create

    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    coach = coach_create(username=username, password=password, club=club, squad=squad)
    typer.echo(f"Created coach {coach.user.username} in {coach.club.name}.")


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `runstrong manage migrate`."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["runstrong manage", *ctx.args])
