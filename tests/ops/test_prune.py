"""`runstrong prune`: the bookkeeping that grows for ever goes; anything entered stays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from runstrong.cli.main import app
from runstrong.web.coaching.invitations import InvitationGone, invitation_get, invitation_issue
from runstrong.web.coaching.models import (
    BenchmarkResult,
    IdempotencyRecord,
    Invitation,
    PainReport,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.prune import prune
from runstrong.web.coaching.session_log import SetEntry, set_record
from tests.personas import World
from tests.web.factories import make_athlete

LONG_AGO = timedelta(days=90)


def _aged(model: type, row_id: object, field: str, age: timedelta) -> None:
    model._default_manager.filter(pk=row_id).update(**{field: timezone.now() - age})


def _session(expire_in: timedelta) -> str:
    store = SessionStore()
    store["who"] = "someone"
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expire_in)
    return str(store.session_key)


def _axes_rows(age: timedelta, username: str) -> None:
    common = {"user_agent": "phone", "ip_address": "10.0.0.1", "username": username}
    attempt = AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=5
    )
    log = AccessLog.objects.create(**common)
    failure = AccessFailureLog.objects.create(**common, locked_out=True)
    for model, row in ((AccessAttempt, attempt), (AccessLog, log), (AccessFailureLog, failure)):
        _aged(model, row.pk, "attempt_time", age)


def _task_result(status: str, finished_ago: timedelta | None) -> DBTaskResult:
    finished = None if finished_ago is None else timezone.now() - finished_ago
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="runstrong.web.coaching.tasks.purge",
        backend_name="default",
        run_after=timezone.now() - LONG_AGO,
        finished_at=finished,
    )


def _log_everything_long_ago(world: World) -> None:
    """A set, a finished session, a pain report and a test result, all from years back."""
    session = world.next_session(world.athlete_a)
    item = session.items.first()
    set_record(SetEntry(item_id=item.pk, set_number=1, side="", done=10, load_kg=None))
    SessionLog.objects.create(session=session, status="done", pain=4, notes="old")
    PainReport.objects.create(athlete=world.athlete_a, date=date(2020, 1, 1), score=4)
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=date(2020, 1, 1), value=20
    )


def _row_counts() -> dict[str, int]:
    coaching = apps.get_app_config("coaching").get_models()
    return {model._meta.label: model._default_manager.count() for model in coaching}


def test_prune_removes_the_old_and_keeps_the_fresh(world: World) -> None:
    user = world.athlete_a.user
    old_record = IdempotencyRecord.objects.create(
        user=user, key="old-tap", request_hash="x", status=201, body={}
    )
    _aged(IdempotencyRecord, old_record.pk, "created_at", LONG_AGO)
    IdempotencyRecord.objects.create(
        user=user, key="fresh-tap", request_hash="x", status=201, body={}
    )
    expired_session, live_session = _session(-timedelta(days=1)), _session(timedelta(days=1))
    _axes_rows(LONG_AGO, "old-guess")
    _axes_rows(timedelta(minutes=5), "fresh-guess")
    old_done = _task_result(TaskResultStatus.SUCCESSFUL, LONG_AGO)
    old_failed = _task_result(TaskResultStatus.FAILED, LONG_AGO)
    fresh_done = _task_result(TaskResultStatus.SUCCESSFUL, timedelta(days=1))
    waiting = _task_result(TaskResultStatus.READY, None)

    long_expired = invitation_issue(athlete=make_athlete(world.coach_x, None, name="Gone Long"))
    just_expired = invitation_issue(athlete=make_athlete(world.coach_x, None, name="Gone Now"))
    still_open = invitation_issue(athlete=make_athlete(world.coach_x, None, name="Still Open"))
    _aged(Invitation, long_expired.athlete.invitation.pk, "expires_at", LONG_AGO)
    _aged(Invitation, just_expired.athlete.invitation.pk, "expires_at", timedelta(days=1))

    pruned = prune(days=30)

    assert (pruned.sessions, pruned.idempotency_records, pruned.lockouts) == (1, 1, 1)
    assert (pruned.access_logs, pruned.task_results, pruned.invitation_tokens) == (2, 2, 1)
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh-tap"]
    assert not Session.objects.filter(pk=expired_session).exists()
    assert Session.objects.filter(pk=live_session).exists()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("username", flat=True)) == ["fresh-guess"]
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {fresh_done.pk, waiting.pk}
    assert not {old_done.pk, old_failed.pk} & left

    # The long-expired link is no longer known at all; the rest answer as before.
    with pytest.raises(InvitationGone, match="not known"):
        invitation_get(token=long_expired.token)
    with pytest.raises(InvitationGone, match="expired"):
        invitation_get(token=just_expired.token)
    assert invitation_get(token=still_open.token).athlete.name == "Still Open"
    # The coach still sees that each athlete was invited.
    assert Invitation.objects.count() == 3

    assert prune(days=30).lines() == [(what, 0) for what, _ in pruned.lines()], "idempotent"


def test_prune_never_touches_what_was_logged(world: World) -> None:
    _log_everything_long_ago(world)
    # Everything else is old too, so a prune that reached further would show.
    IdempotencyRecord.objects.create(
        user=world.athlete_a.user, key="tap", request_hash="x", status=201, body={}
    )
    IdempotencyRecord.objects.update(created_at=timezone.now() - LONG_AGO)
    before = _row_counts()
    sets = list(SetLog.objects.values())

    prune(days=8)

    after = _row_counts()
    assert after.pop("coaching.IdempotencyRecord") == 0
    before.pop("coaching.IdempotencyRecord")
    assert after == before
    assert list(SetLog.objects.values()) == sets
    assert before["coaching.SetLog"] == 1
    assert before["coaching.PainReport"] >= 1
    assert before["coaching.BenchmarkResult"] >= 1


def test_a_signed_in_athlete_stays_signed_in(world: World) -> None:
    client = Client()
    client.force_login(world.athlete_a.user, backend="django.contrib.auth.backends.ModelBackend")
    prune(days=8)
    assert client.get("/today/").status_code == 200


def test_cli_prints_what_it_removed(world: World) -> None:
    _session(-timedelta(days=1))
    result = CliRunner().invoke(app, ["prune", "--days", "14"])
    assert result.exit_code == 0, result.output
    assert "expired login sessions" in result.output
    assert "│ 1 " in result.output


def test_cli_refuses_a_window_shorter_than_the_logging_window(world: World) -> None:
    expired = _session(-timedelta(days=1))
    result = CliRunner().invoke(app, ["prune", "--days", "3"])
    assert result.exit_code == 2
    assert Session.objects.filter(pk=expired).exists(), "nothing pruned"
