"""The running-plan API: a calendar put as text or URL, synced, runs listed, a coach's override;
bad input names its field."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from runstrong.web.coaching.running_models import RunningCalendar
from runstrong.web.coaching.tokens import token_create
from tests.web.factories import make_athlete, make_coach
from tests.web.running_feeds import Feed, feed_server, ics

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _headers(person: Any) -> dict[str, str]:
    secret = token_create(user=person.user, name="t", read_only=False)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _send(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def people():
    coach = make_coach("coach")
    return coach, make_athlete(coach, "ana")


def test_put_text_list_runs_and_override(client: Client, people) -> None:
    coach, athlete = people
    day = timezone.localdate() + timedelta(days=2)
    text = ics([("Fartlek 10 x 1 min", day, None), ("Steady", day + timedelta(1), None)])
    base = f"{API}/athletes/{athlete.pk}"
    put = _send(
        client, "put", f"{base}/running-calendar", {"ics": text.decode()}, _headers(athlete)
    )
    assert put.status_code == 200, put.content
    assert put.json()["last_good_from"] == "upload"
    runs = client.get(f"{base}/planned-runs", **_headers(athlete)).json()
    assert [(r["title"], r["hard"], r["rule_keys"]) for r in runs] == [
        ("Fartlek 10 x 1 min", True, ["fartlek"]),
        ("Steady", False, ["no-hard-word"]),
    ]
    steady = runs[1]["id"]
    refused = _send(
        client, "patch", f"{base}/planned-runs/{steady}", {"override": "hard"}, _headers(athlete)
    )
    assert refused.status_code == 403
    done = _send(
        client, "patch", f"{base}/planned-runs/{steady}", {"override": "hard"}, _headers(coach)
    )
    assert done.status_code == 200
    assert (done.json()["hard"], done.json()["engine_hard"], done.json()["override"]) == (
        True,
        False,
        "hard",
    )


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"ics": "not a calendar"}, "ics", 400),  # the calendar reader refuses the file
        ({"url": "ftp://example.com/a.ics"}, "url", 422),
        ({}, "url", 422),
        ({"url": "https://a.example/x.ics", "ics": "BEGIN:VCALENDAR"}, "url", 422),
    ],
)
def test_bad_input_names_the_field(client: Client, people, body, field, status) -> None:
    _, athlete = people
    response = _send(
        client, "put", f"{API}/athletes/{athlete.pk}/running-calendar", body, _headers(athlete)
    )
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field


@override_settings(RUNSTRONG_FETCH_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8881/plan.ics",
        "http://localhost/plan.ics",
        "http://10.1.2.3/plan.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/plan.ics",
    ],
)
def test_an_inside_subscription_url_is_refused_when_saved(client: Client, people, url) -> None:
    _, athlete = people
    response = _send(
        client, "put", f"{API}/athletes/{athlete.pk}/running-calendar", {"url": url},
        _headers(athlete),
    )  # fmt: skip
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "url"
    assert "only public addresses" in error["reason"]
    assert not RunningCalendar.objects.filter(athlete=athlete).exclude(url="").exists()


def test_sync_fetches_and_keeps_the_last_good_copy(client: Client, people) -> None:
    _, athlete = people
    base = f"{API}/athletes/{athlete.pk}/running-calendar"
    day = timezone.localdate() + timedelta(days=1)
    headers = _headers(athlete)
    assert _send(client, "post", f"{base}/sync", {}, headers).status_code == 409
    with feed_server(8883) as server:
        server.feeds["/p.ics"] = Feed(ics([("Race: parkrun", day, None)]))
        put = _send(client, "put", base, {"url": server.url("/p.ics")}, headers)
        assert put.json()["runs_from_today"] == 1
        server.feeds["/p.ics"] = Feed(status=404)
        sync = _send(client, "post", f"{base}/sync", {}, headers).json()
    assert (sync["ok"], sync["error"]) == (False, "the server answered 404, not 200")
    state = client.get(base, **headers).json()
    assert state["error"] == "the server answered 404, not 200"
    assert state["last_good_at"] is not None
    assert state["runs_from_today"] == 1
