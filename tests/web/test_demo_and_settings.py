"""The demo club and the production settings' refusals."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from runstrong.web.coaching.models import Athlete, BenchmarkResult, SessionLog
from runstrong.web.coaching.seed import DEMO_PASSWORD, demo_exists, seed_demo


def test_the_demo_history_is_a_plan_that_followed_each_log(db: None) -> None:
    """Each demo session was prescribed from the logs before it, as the app does day by day:
    what a finished session changed starts from what it prescribed (a deload week's fewer
    sets aside), so the athlete's "what changes next time" never reads as a drop in load."""
    seed_demo(today=timezone.localdate(), athletes=3)
    logs = SessionLog.objects.filter(
        status="done", session__deload=False, session__kind="strength"
    ).select_related("session")
    compared = 0
    for log in logs:
        prescribed = {item.name: item.dose_text for item in log.session.items.all()}
        for change in log.outcome:
            if change["exercise"] in prescribed:
                assert change["before"] == prescribed[change["exercise"]], (log.session, change)
                compared += 1
    assert compared > 50


def test_demo_club_has_a_coach_athletes_logs_and_a_test_day(db: None, client: Client) -> None:
    steps: list[int] = []
    seed_demo(
        today=timezone.localdate(), athletes=6, progress=lambda _s, done, _t: steps.append(done)
    )
    assert demo_exists()
    assert steps == [1, 2, 3, 4, 5, 6]
    assert Athlete.objects.count() == 6
    assert {a.event_group for a in Athlete.objects.all()} == {"800-1500m", "5k", "10k"}
    logs = SessionLog.objects.all()
    assert logs.filter(status="done").exists()
    assert logs.filter(status="missed").exists()
    assert BenchmarkResult.objects.exists()
    for username, home in [("coach", "coaching:overview"), ("athlete1", "coaching:today")]:
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.get(reverse("home"))["Location"] == reverse(home)
        client.post(reverse("logout"))


def _settings_import(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("RUNSTRONG_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import runstrong.web.config.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    refused = _settings_import({})
    assert refused.returncode != 0
    assert "RUNSTRONG_SECRET_KEY is required" in refused.stderr
    started = _settings_import({"RUNSTRONG_SECRET_KEY": "x" * 50})
    assert started.returncode == 0, started.stderr


def test_a_bad_boolean_setting_fails_at_start_up() -> None:
    refused = _settings_import({"RUNSTRONG_SECRET_KEY": "x" * 50, "RUNSTRONG_TLS": "maybe"})
    assert "RUNSTRONG_TLS='maybe'" in refused.stderr


def test_createcoach_makes_a_coach_with_a_club_and_squad(db: None, client: Client) -> None:
    from runstrong.web.coaching.accounts import AccountError, coach_create

    coach = coach_create(
        username="casey", password="tempo-run-42x", club="Harriers", squad="Seniors"
    )
    assert coach.club.name == "Harriers"
    assert [squad.name for squad in coach.squads.all()] == ["Seniors"]
    client.post(reverse("login"), {"username": "casey", "password": "tempo-run-42x"})
    assert client.get(reverse("home"))["Location"] == reverse("coaching:overview")
    with pytest.raises(AccountError, match="taken"):
        coach_create(username="casey", password="tempo-run-42x", club="Harriers", squad="B")
    with pytest.raises(AccountError, match="password"):
        coach_create(username="sam", password="123", club="Harriers", squad="B")


def test_the_production_server_starts_and_answers(tmp_path: Path) -> None:
    """`runstrong serve`'s own gunicorn command and settings, on a free loopback port."""
    from runstrong.cli.web_cmd import gunicorn_command

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUNSTRONG_")}
    env |= {
        "RUNSTRONG_SECRET_KEY": "x" * 50,
        "RUNSTRONG_DATA_DIR": str(tmp_path),
        "RUNSTRONG_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "runstrong.web.config.settings",
    }
    server = subprocess.Popen(
        gunicorn_command(f"127.0.0.1:{port}", workers=1),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    health = f"http://127.0.0.1:{port}/healthz"
    answer: tuple[int, bytes] | None = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(health, timeout=1)
            except urllib.error.HTTPError as error:
                answer = (error.code, error.read())
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1].decode()[-2000:]
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 10 s")
        # Not migrated yet: the server answers, and health says the database is not ok.
        assert answer is not None
        assert answer[0] == 503
        assert b"database unavailable" in answer[1]
        migrate = [sys.executable, "-m", "django", "migrate", "--verbosity", "0"]
        subprocess.run(migrate, env=env, check=True, timeout=120)
        with urllib.request.urlopen(health, timeout=5) as reply:
            assert reply.read() == b"ok"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_cache_url_that_is_not_redis_fails_at_start_up() -> None:
    refused = _settings_import(
        {"RUNSTRONG_SECRET_KEY": "x" * 50, "RUNSTRONG_CACHE_URL": "memcached://127.0.0.1"}
    )
    assert refused.returncode != 0
    assert "RUNSTRONG_CACHE_URL='memcached://127.0.0.1'" in refused.stderr


def test_a_malformed_api_rate_fails_at_start_up() -> None:
    refused = _settings_import({"RUNSTRONG_SECRET_KEY": "x" * 50, "RUNSTRONG_API_RATE": "fast"})
    assert refused.returncode != 0
    assert "RUNSTRONG_API_RATE='fast'" in refused.stderr
