"""The athlete's session page on a phone: taps finish a session, late logging, every failure
shown next to its set, decimal commas, idempotent taps, and the ✓ without JavaScript."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from runstrong.engine.model import block_of
from runstrong.web.coaching.forms import SessionLogForm
from runstrong.web.coaching.models import (
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.overview import squad_overview
from runstrong.web.coaching.phone import offline_pages, rest_rounds
from tests.personas import World, login

JSON = {"HTTP_ACCEPT": "application/json"}


def rows(session: PlannedSession) -> list[dict[str, Any]]:
    return SessionLogForm(session=session).rows


def tap(
    client: Client, session: PlannedSession, row: dict[str, Any], done: str = "", **headers: Any
) -> Any:
    prefix = row["prefix"]
    body = {
        "prefix": prefix,
        f"{prefix}-done": done or f"{row['item'].target:g}",
        f"{prefix}-load": "" if row["item"].load_kg is None else f"{row['item'].load_kg:g}",
    }
    return client.post(reverse("coaching:session-set", args=[session.pk]), body, **headers)


def tap_all(client: Client, session: PlannedSession) -> list[Any]:
    return [tap(client, session, row, **JSON) for row in rows(session)]


def test_tapping_every_set_finishes_the_session_and_the_page_says_done(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    answers = tap_all(client, session)
    assert all(answer.status_code == 200 for answer in answers)
    assert [a.json()["session"]["state"] for a in answers[-2:]] == ["open", "details"]
    assert answers[-1].json()["session"]["logged"] == len(answers)
    log = SessionLog.objects.get(session=session)
    assert (log.status, log.by_last_set) == ("done", True)
    page = client.get(reverse("coaching:session-log", args=[session.pk])).content.decode()
    assert "Done ✓ Every set is saved." in page
    assert "Save effort, pain and notes" in page
    assert "Missed this session?" not in page
    overview = squad_overview(coach=world.coach_x, today=session.date)
    row = next(row for row in overview if row.id == world.athlete_a.pk)
    assert row.week_done == 1


def test_effort_pain_and_notes_follow_a_session_its_last_set_finished(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    tap_all(client, session)
    url = reverse("coaching:session-log", args=[session.pk])
    response = client.post(url, {"reps_in_reserve": "2", "notes": "felt light"})
    assert response.status_code == 302
    log = SessionLog.objects.get(session=session)
    assert (log.reps_in_reserve, log.notes, log.by_last_set) == (2, "felt light", False)
    page = client.get(url).content.decode()
    assert "Done ✓ Saved." in page
    assert "felt light" in page
    assert "Save effort" not in page


def test_yesterdays_unfinished_session_stays_on_today_and_is_logged_on_its_day(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    yesterday = world.today - timedelta(days=1)
    PlannedSession.objects.filter(pk=session.pk).update(date=yesterday)
    login(client, world.athlete_a)
    today = client.get(reverse("coaching:today")).content.decode()
    assert "Not logged yet" in today
    assert reverse("coaching:session-log", args=[session.pk]) in today
    session.refresh_from_db()
    tap_all(client, session)
    client.post(
        reverse("coaching:session-log", args=[session.pk]),
        {"reps_in_reserve": "", "pain-else-score": "4", "pain-else-area": "knee", "notes": ""},
    )
    assert SessionLog.objects.get(session=session).status == "done"
    assert PainReport.objects.get(session=session).date == yesterday
    overview = squad_overview(coach=world.coach_x, today=world.today)
    row = next(row for row in overview if row.id == world.athlete_a.pk)
    assert row.last_session == yesterday
    assert "Not logged yet" not in client.get(reverse("coaching:today")).content.decode()


def test_a_session_older_than_a_week_is_no_longer_offered(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    PlannedSession.objects.filter(pk=session.pk).update(date=world.today - timedelta(days=8))
    login(client, world.athlete_a)
    today = client.get(reverse("coaching:today")).content.decode()
    assert reverse("coaching:session-log", args=[session.pk]) not in today


def test_a_decimal_comma_is_a_decimal_point(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    row = next(row for row in rows(session) if row["item"].exercise == "crouching-crawl")
    prefix = row["prefix"]
    body = {"prefix": prefix, f"{prefix}-done": "12,5", f"{prefix}-load": " 16,5 "}
    answer = client.post(reverse("coaching:session-set", args=[session.pk]), body, **JSON)
    assert answer.status_code == 200
    saved = SetLog.objects.get(item=row["item"], set_number=1)
    assert (saved.done, saved.load_kg) == (12.5, 16.5)


def test_an_empty_box_says_what_to_type_next_to_the_set(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    row = next(row for row in rows(session) if row["item"].exercise == "crouching-crawl")
    prefix = row["prefix"]
    body = {"prefix": prefix, f"{prefix}-done": " ", f"{prefix}-load": "1.2.3"}
    answer = client.post(reverse("coaching:session-set", args=[session.pk]), body, **JSON)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert errors["done"] == ["The box is empty: type the metres you did, e.g. 10."]
    assert errors["load"] == ["Type a number, e.g. 12 or 16,5."]
    assert not SetLog.objects.filter(item=row["item"]).exists()


def test_a_tap_sent_twice_with_its_key_is_stored_once(client: Client, world: World) -> None:
    """An offline queue may send a tap again after the first reached the server: the key
    replays the first answer and a later edit of that set stays."""
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    row = next(row for row in rows(session) if row["item"].exercise == "crouching-crawl")
    first = tap(client, session, row, "10", HTTP_IDEMPOTENCY_KEY="tap-1", **JSON)
    edit = tap(client, session, row, "12", HTTP_IDEMPOTENCY_KEY="tap-2", **JSON)
    replay = tap(client, session, row, "10", HTTP_IDEMPOTENCY_KEY="tap-1", **JSON)
    assert first.status_code == edit.status_code == replay.status_code == 200
    assert replay.json() == first.json()
    assert list(SetLog.objects.filter(item=row["item"]).values_list("done", flat=True)) == [12]
    reused = tap(client, session, row, "9", HTTP_IDEMPOTENCY_KEY="tap-1", **JSON)
    assert reused.status_code == 409
    assert "another request" in reused.json()["message"]


def test_a_tap_on_a_finished_session_is_refused_with_its_reason(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    client.post(reverse("coaching:session-missed", args=[session.pk]), {"reason": "ill"})
    answer = tap(client, session, rows(session)[0], **JSON)
    assert answer.status_code == 409
    assert answer.json()["message"].startswith("This session is already finished")


def test_without_javascript_each_tick_saves_its_set_and_reshows_the_page(
    client: Client, world: World
) -> None:
    """The ✓ is a submit button of the whole form aimed at the set endpoint: every set can
    be saved one by one, and the page comes back with the message next to the set."""
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    form = client.get(url).context["form"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    all_rows = rows(session)
    bad = all_rows[0]["prefix"]
    data[f"{bad}-done"] = ""
    refused = client.post(
        reverse("coaching:session-set", args=[session.pk]), data | {"prefix": bad}
    )
    assert refused.status_code == 400
    assert "The box is empty" in refused.content.decode()
    data[f"{bad}-done"] = "9,5"
    for row in all_rows:
        page = client.post(
            reverse("coaching:session-set", args=[session.pk]), data | {"prefix": row["prefix"]}
        )
        assert page.status_code == 200
    assert SetLog.objects.filter(item__session=session).count() == len(all_rows)
    assert SetLog.objects.get(item=all_rows[0]["item"], set_number=1).done == 9.5
    assert "Done ✓ Every set is saved." in page.content.decode()
    assert SessionLog.objects.get(session=session).status == "done"


def test_enter_in_a_box_without_javascript_says_to_tap_the_sets_tick(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    page = client.post(reverse("coaching:session-set", args=[session.pk]), {"prefix": ""})
    assert page.status_code == 400
    assert "Tap ✓ next to a set to save it." in page.content.decode()
    assert not SetLog.objects.filter(item__session=session).exists()


def test_the_athlete_reads_plain_words_not_change_codes(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    tap_all(client, session)
    log = SessionLog.objects.get(session=session)
    log.outcome = [
        {
            "exercise": "Banded Spanish squat",
            "change": "regress",
            "before": "3 × 12 reps",
            "after": "2 × 12 reps",
            "reason": "Pain 4/10: one step back.",
            "keys": ["S16"],
            "coach_flag": None,
        }
    ]
    log.save()
    page = client.get(reverse("coaching:session-log", args=[session.pk])).content.decode()
    assert "a step back" in page
    assert "regress" not in page


def test_a_supersets_rest_comes_after_its_last_item_from_the_plan(
    client: Client, world: World
) -> None:
    """M1: A1 then A2, then the rest; the seconds are the plan's (catalog `rest_s`)."""
    session = world.next_session(world.athlete_a)
    items = {item.slot: item for item in session.items.all()}
    PlannedItem.objects.filter(pk=items["A2"].pk).update(rest_s=123)
    rounds = rest_rounds(list(session.items.all()))
    assert rounds[items["A1"].pk] == rounds[items["A2"].pk] == ("A", True, 123)
    single = next(item for item in items.values() if item.per_side)
    assert rounds[single.pk] == (block_of(single.slot), False, single.rest_s)
    login(client, world.athlete_a)
    page = client.get(reverse("coaching:session-log", args=[session.pk])).content.decode()
    assert f'id="set-{items["A1"].pk}-1"' in page
    assert page.count('data-rest="123"') == items["A1"].sets + items["A2"].sets
    assert "then rest 123 s" in page


def test_a_rest_the_coach_gives_the_first_item_of_a_superset_counts_for_the_round(
    client: Client, world: World
) -> None:
    """A superset has no rest inside it (M1): a longer rest on A1 is the round's rest."""
    session = world.next_session(world.athlete_a)
    items = {item.slot: item for item in session.items.all()}
    PlannedItem.objects.filter(pk=items["A1"].pk).update(rest_s=150)
    PlannedItem.objects.filter(pk=items["A2"].pk).update(rest_s=90)
    login(client, world.athlete_a)
    page = client.get(reverse("coaching:session-log", args=[session.pk])).content.decode()
    assert "then rest 150 s" in page
    assert page.count('data-rest="150"') == items["A1"].sets + items["A2"].sets


def test_the_service_worker_is_served_by_the_app_as_javascript(
    client: Client, world: World
) -> None:
    response = client.get(reverse("coaching:service-worker"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert reverse("coaching:service-worker") == "/sw.js"  # its scope covers every page
    head, _, _ = response.content.decode().partition("\n")
    config = json.loads(head.removeprefix("const CONFIG = ").removesuffix(";"))
    assert config["today"] == reverse("coaching:today")
    for asset in config["assets"]:
        assert client.get(asset).status_code == 200, asset


def test_the_manifest_makes_today_an_installable_app(client: Client, world: World) -> None:
    response = client.get(reverse("coaching:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["display"]) == ("/today/", "standalone")
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    login(client, world.athlete_a)
    today = client.get(reverse("coaching:today")).content.decode()
    assert f'<link rel="manifest" href="{reverse("coaching:manifest")}">' in today


def test_the_phone_keeps_today_and_the_next_two_sessions_and_the_late_ones(world: World) -> None:
    sessions = list(
        PlannedSession.objects.filter(athlete=world.athlete_a, date__gte=world.today).order_by(
            "date"
        )
    )
    late = sessions[-1]
    PlannedSession.objects.filter(pk=late.pk).update(date=world.today - timedelta(days=2))
    pages = offline_pages(world.athlete_a, world.today)
    assert [page.partition("@")[0] for page in pages] == [
        reverse("coaching:today"),
        *(reverse("coaching:session-log", args=[s.pk]) for s in sessions[:3]),
        reverse("coaching:session-log", args=[late.pk]),
    ]


def test_a_kept_page_changes_version_only_when_what_it_shows_does(
    client: Client, world: World
) -> None:
    """The phone refetches a kept page only when its version changes: a logged set or a
    replanned next session changes it; loading the page again does not."""
    before = offline_pages(world.athlete_a, world.today)
    assert offline_pages(world.athlete_a, world.today) == before
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    tap(client, session, rows(session)[0], **JSON)
    after = offline_pages(world.athlete_a, world.today)
    assert after[1] != before[1]  # the session with the set
    assert after[0] != before[0]  # Today shows it
