"""The production server (`runstrong serve`'s gunicorn settings) in a subprocess, on a database
of its own: SQLite in a temporary folder, or, when RUNSTRONG_DATABASE_URL is PostgreSQL, a
database named after the test's database with a suffix (created fresh, dropped after).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from runstrong.cli.web_cmd import gunicorn_command

ROOT = Path(__file__).resolve().parents[2]
# The installed command, beside this interpreter.
RUNSTRONG = Path(sys.executable).with_name("runstrong")


def on_postgres() -> bool:
    return os.environ.get("RUNSTRONG_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@dataclass
class Site:
    """One database and the environment every process that uses it runs with."""

    data_dir: Path
    env: dict[str, str]
    seeded: dict[str, Any] = field(default_factory=dict)

    def run(
        self, *arguments: str, check: bool = True, answer: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """A command (`runstrong …` or `python -m …`) with this site's environment; `answer`
        is typed at its prompt."""
        return subprocess.run(
            list(arguments),
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=check,
            input=answer,
        )

    def runstrong(
        self, *arguments: str, check: bool = True, answer: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.run(str(RUNSTRONG), *arguments, check=check, answer=answer)

    def seed(self, athletes: int) -> dict[str, Any]:
        out = self.run(sys.executable, "-m", "tests.ops.seed_live", str(athletes))
        self.seeded = json.loads(out.stdout.strip().splitlines()[-1])
        return self.seeded

    def query(self, code: str) -> Any:
        """Run Python with Django set up on this site's database; `code` sets `result`."""
        script = f"import json, django\ndjango.setup()\n{code}\nprint(json.dumps(result))"
        out = self.run(sys.executable, "-c", script)
        return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres_url(suffix: str) -> str:
    parts = urlsplit(os.environ["RUNSTRONG_DATABASE_URL"])
    name = parts.path.lstrip("/") or "runstrong"
    return urlunsplit(parts._replace(path=f"/{name}_ops_{suffix}"))


def _recreate_postgres(url: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextmanager
def site(tmp_path: Path, suffix: str, **extra_env: str) -> Iterator[Site]:
    data = tmp_path / suffix
    data.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RUNSTRONG_", "DJANGO_", "PYTEST_"))
    }
    env.update(
        {
            "RUNSTRONG_DATA_DIR": str(data),
            "RUNSTRONG_SECRET_KEY": "ops-test-only-" + "k" * 40,
            "RUNSTRONG_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Static files straight from the app folders, as in the test run: no collectstatic.
            "RUNSTRONG_TESTING": "1",
            "RUNSTRONG_API_RATE": "100000/m",
            "DJANGO_SETTINGS_MODULE": "runstrong.web.config.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    if os.environ.get("RUNSTRONG_CACHE_URL"):
        env["RUNSTRONG_CACHE_URL"] = os.environ["RUNSTRONG_CACHE_URL"]
    url = None
    if on_postgres():
        url = _postgres_url(suffix)
        _recreate_postgres(url)
        env["RUNSTRONG_DATABASE_URL"] = url
    env.update(extra_env)
    try:
        yield Site(data, env)
    finally:
        if url is not None:
            _recreate_postgres(url, drop_only=True)


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    access_log: Path
    error_log: Path


@contextmanager
def serve(site: Site, port: int, workers: int = 2) -> Iterator[Server]:
    access_log = site.data_dir / f"access-{port}.log"
    error_log = site.data_dir / f"error-{port}.log"
    command = [
        *gunicorn_command(f"127.0.0.1:{port}", workers),
        "--access-logfile",
        str(access_log),
        "--error-logfile",
        str(error_log),
    ]
    with error_log.open("ab") as errors:
        process = subprocess.Popen(command, env=site.env, cwd=ROOT, stdout=errors, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    server = Server(base, process, access_log, error_log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server on {port} exited: {error_log.read_text()[-2000:]}")
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server on {port} did not start: {error_log.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(base: str, username: str, password: str) -> tuple[requests.Session, int]:
    """A browser's sign-in (the login form's CSRF cookie and token, then the POST) and the
    status it answered: 302 signed in, 200 the form again, 429 locked out."""
    browser = requests.Session()
    browser.get(f"{base}/login/", timeout=30)
    response = browser.post(
        f"{base}/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=60,
    )
    return browser, response.status_code


def form_post(
    browser: requests.Session, url: str, data: dict[str, Any] | list[tuple[str, Any]]
) -> requests.Response:
    """A form POST with the CSRF token, as the page's own form sends it."""
    token = browser.cookies.get("csrftoken", "")
    fields = list(data.items()) if isinstance(data, dict) else list(data)
    return browser.post(
        url,
        data=[*fields, ("csrfmiddlewaretoken", token)],
        headers={"Referer": url},
        allow_redirects=False,
        timeout=120,
    )
