"""A publish sets the replaced plan's future aside at once; the worker deletes it afterwards.

The coach does not wait for a squad's season of rows to be deleted one by one, the athlete
never sees a replaced session, and nothing logged is ever part of the purge.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from runstrong.cli.main import app
from runstrong.web.coaching.models import Athlete, Plan, PlannedItem, PlannedSession, SetLog
from runstrong.web.coaching.plans import plan_generate, plans_publish
from runstrong.web.coaching.session_rows import superseded_purge
from runstrong.web.coaching.tasks import purge_superseded_sessions
from tests.personas import World, login
from tests.web.test_plan_follows_log import bearer, finish, upcoming


def test_a_replaced_session_is_hidden_at_once_and_purged_after_the_commit(
    client: Client, world: World, django_capture_on_commit_callbacks
) -> None:
    athlete = world.athlete_a
    done = world.next_session(athlete)
    finish(done)
    replaced = upcoming(athlete, after=done)[0]
    items = list(replaced.items.values_list("pk", flat=True))
    sets = SetLog.objects.filter(item__session=done).count()
    login(client, athlete)
    link = f"/sessions/{replaced.pk}/"
    assert link in client.get(reverse("coaching:today")).content.decode()
    drafts, _ = plan_generate(athletes=[athlete], start=world.today, weeks=6)
    with django_capture_on_commit_callbacks() as queued:
        plans_publish(plans=drafts)

    assert not PlannedSession.objects.filter(pk=replaced.pk).exists()
    assert PlannedSession.all_rows.get(pk=replaced.pk).superseded
    assert client.get(reverse("coaching:session-log", args=[replaced.pk])).status_code == 404
    assert link not in client.get(reverse("coaching:today")).content.decode()

    assert len(queued) == 1
    queued[0]()  # the worker's turn
    assert not PlannedSession.all_rows.filter(pk=replaced.pk).exists()
    assert not PlannedItem.objects.filter(pk__in=items).exists()
    assert PlannedSession.objects.filter(pk=done.pk).exists()
    assert SetLog.objects.filter(item__session=done).count() == sets


def _set_sent(client: Client, athlete: Athlete, item: PlannedItem, *, web: bool) -> Any:
    """Set 1 of `item` as the phone page (JSON) or an API client sends it."""
    side = "left" if item.per_side else ""
    if web:
        login(client, athlete)
        prefix = f"set-{item.pk}-1" + (f"-{side}" if side else "")
        return client.post(
            reverse("coaching:session-set", args=[item.session_id]),
            {"prefix": prefix, f"{prefix}-done": str(item.target), f"{prefix}-load": ""},
            HTTP_ACCEPT="application/json",
        )
    body = {"item_id": item.pk, "set_number": 1, "side": side, "done": item.target}
    return client.post(
        f"/api/v1/sessions/{item.session_id}/sets",
        json.dumps(body),
        content_type="application/json",
        **bearer(athlete),
    )


def _todays_squat_then_a_new_plan(world: World) -> tuple[PlannedItem, list[Plan]]:
    """Athlete A's Spanish squat in today's session, and the plans a publish then put in
    place of it (the session that held it is replaced)."""
    today = PlannedSession.objects.filter(athlete=world.athlete_a, date=world.today).first()
    assert today is not None
    squat = today.items.get(exercise="banded-spanish-squat")
    drafts, _ = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=6)
    plans_publish(plans=drafts)
    return squat, drafts


@pytest.mark.parametrize("web", [True, False], ids=["phone page", "API"])
def test_a_set_sent_to_todays_replaced_session_lands_in_the_one_that_replaced_it(
    client: Client, world: World, web: bool
) -> None:
    """A phone that showed today's session offline while the coach published: its sets are
    saved in the new plan's session of that day, where the athlete and coach see them, and
    none stays hidden in the replaced one."""
    athlete = world.athlete_a
    squat, drafts = _todays_squat_then_a_new_plan(world)
    superseded_purge()  # the worker's turn: today's replaced session is kept for such sets

    answer = _set_sent(client, athlete, squat, web=web)

    assert answer.status_code == (200 if web else 201), answer.content
    taken = PlannedItem.objects.get(
        session__plan=drafts[0], session__date=world.today, exercise="banded-spanish-squat"
    )
    assert list(SetLog.objects.filter(item__session__athlete=athlete).values_list("item_id")) == [
        (taken.pk,)
    ]
    if web:
        assert answer.json()["moved"] is True
        assert "replaced this one" in answer.json()["message"]
    else:
        assert answer.json()["item_id"] == taken.pk


def test_a_moved_set_the_new_session_cannot_take_is_explained_by_it(
    client: Client, world: World
) -> None:
    """The session that took the day is already finished: the phone hears that, not that
    its session is gone; and a prefix made up to break the page is a plain 404."""
    athlete = world.athlete_a
    squat, drafts = _todays_squat_then_a_new_plan(world)
    finish(PlannedSession.objects.get(plan=drafts[0], date=world.today))

    answer = _set_sent(client, athlete, squat, web=False)
    login(client, athlete)
    crafted = client.post(
        reverse("coaching:session-set", args=[squat.session_id]),
        {"prefix": f"set-{'9' * 30}-1", f"set-{'9' * 30}-1-done": "10"},  # past any id
        HTTP_ACCEPT="application/json",
    )

    assert answer.status_code == 409, answer.content
    assert "already marked done" in answer.json()["errors"][0]["reason"]
    assert crafted.status_code == 404


def test_the_purge_keeps_replaced_sessions_a_phone_may_still_log_for_the_edit_window(
    world: World,
) -> None:
    athlete = world.athlete_a
    published = world.today - timedelta(days=7)
    for _ in range(2):  # a week ago, then again the day after its first session
        drafts, _ = plan_generate(athletes=[athlete], start=published, weeks=6, today=published)
        plans_publish(plans=drafts, today=published)
        first = PlannedSession.objects.filter(plan=drafts[0]).order_by("date")[0]
        published = first.date + timedelta(days=1)
    replaced = PlannedSession.all_rows.filter(athlete=athlete, superseded=True)
    assert replaced.filter(date__lt=world.today).exists()

    superseded_purge(today=world.today)

    left = set(replaced.values_list("date", flat=True))
    assert left
    assert all(day <= world.today + timedelta(days=1) for day in left)
    assert min(left) < world.today, "the days just gone are kept for a phone that was offline"


def test_a_set_for_a_replaced_session_already_purged_is_refused_and_stored_nowhere(
    client: Client, world: World
) -> None:
    athlete = world.athlete_a
    later = PlannedSession.objects.filter(
        athlete=athlete, date__gt=world.today + timedelta(days=1)
    ).first()
    assert later is not None
    item = later.items.order_by("slot").first()
    assert item is not None
    drafts, _ = plan_generate(athletes=[athlete], start=world.today, weeks=6)
    plans_publish(plans=drafts)
    superseded_purge()

    api, page = (_set_sent(client, athlete, item, web=web) for web in (False, True))

    assert (api.status_code, page.status_code) == (404, 404)
    assert not SetLog.objects.filter(item__session__athlete=athlete).exists()


def test_the_purge_never_deletes_a_session_that_holds_a_log(world: World) -> None:
    session = world.next_session(world.athlete_a)
    finish(session)
    sets = SetLog.objects.filter(item__session=session).count()
    PlannedSession.all_rows.filter(pk=session.pk).update(superseded=True)  # as if by a bug

    superseded_purge()

    assert PlannedSession.all_rows.filter(pk=session.pk).exists()
    assert SetLog.objects.filter(item__session=session).count() == sets


def test_a_publish_with_nothing_to_replace_queues_no_work(
    world: World, django_capture_on_commit_callbacks
) -> None:
    athlete = world.athlete_a
    PlannedSession.objects.filter(athlete=athlete).update(superseded=True)
    drafts, _ = plan_generate(athletes=[athlete], start=world.today, weeks=6)
    with django_capture_on_commit_callbacks() as queued:
        plans_publish(plans=drafts)
    assert queued == []


@pytest.mark.django_db(transaction=True)
def test_runstrong_worker_runs_the_queued_purge(
    world: World, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setenv("RUNSTRONG_DATA_DIR", str(tmp_path))
    athlete = world.athlete_a
    # past tomorrow: today's and tomorrow's replaced sessions wait for a later purge
    replaced = upcoming(athlete, after=world.next_session(athlete))[1]
    assert replaced.date > world.today + timedelta(days=1)
    drafts, _ = plan_generate(athletes=[athlete], start=world.today, weeks=6)
    plans_publish(plans=drafts)
    assert PlannedSession.all_rows.filter(pk=replaced.pk).exists()  # queued, not yet run
    assert purge_superseded_sessions.get_backend().supports_defer

    result = CliRunner().invoke(app, ["worker", "--batch"])

    assert result.exit_code == 0, result.output
    assert not PlannedSession.all_rows.filter(pk=replaced.pk).exists()
