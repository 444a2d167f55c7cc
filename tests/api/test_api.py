"""The API as a club's own tools use it: tokens, reads, logging, idempotency, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from runstrong.api.api import api
from runstrong.api.throttles import SignedInRate
from runstrong.web.coaching.models import ApiToken, IdempotencyRecord, SetLog
from runstrong.web.coaching.tokens import token_create
from tests.personas import World, login

API = "/api/v1"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(person: Any, read_only: bool = False) -> str:
    return token_create(user=person.user, name="test", read_only=read_only)[1]


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def first_set(world: World) -> tuple[int, dict[str, Any]]:
    session = world.next_session(world.athlete_a)
    item = session.items.get(exercise="crouching-crawl")
    return session.pk, {"item_id": item.pk, "set_number": 1, "side": "", "done": 10}


def test_a_token_reads_its_owners_athletes_only(client: Client, world: World) -> None:
    response = client.get(f"{API}/athletes", **bearer(token_for(world.coach_x)))
    names = [row["name"] for row in response.json()["items"]]
    assert response.status_code == 200
    assert sorted(names) == sorted([world.athlete_a.name, world.athlete_b.name])


def test_an_athlete_reads_with_kettlebell_counts_and_old_size_lists_mean_one_of_each(
    client: Client, world: World
) -> None:
    world.athlete_a.kettlebells_kg = [8, 12, 12, 16]
    world.athlete_a.save()
    world.athlete_b.kettlebells_kg = [8, 16]  # stored before counts: one of each
    world.athlete_b.save()
    headers = bearer(token_for(world.coach_x))
    a = client.get(f"{API}/athletes/{world.athlete_a.pk}", **headers).json()
    b = client.get(f"{API}/athletes/{world.athlete_b.pk}", **headers).json()
    assert a["kettlebells_kg"] == [8, 12, 16]
    assert a["kettlebells"] == [
        {"size_kg": 8, "count": 1},
        {"size_kg": 12, "count": 2},
        {"size_kg": 16, "count": 1},
    ]
    assert b["kettlebells"] == [{"size_kg": 8, "count": 1}, {"size_kg": 16, "count": 1}]


def test_a_token_is_stored_hashed_and_works_until_revoked(client: Client, world: World) -> None:
    token, secret = token_create(user=world.athlete_a.user, name="shortcut", read_only=False)
    assert secret not in {t.token_hash for t in ApiToken.objects.all()}
    assert client.get(f"{API}/sessions", **bearer(secret)).status_code == 200
    login(client, world.athlete_a)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    anonymous = Client()
    assert anonymous.get(f"{API}/sessions", **bearer(secret)).status_code == 401


def test_the_token_page_shows_a_new_token_once(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    page = client.post("/account/tokens/", {"name": "Shortcut"}).content.decode()
    secret = page.split('class="token"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert secret.startswith("rs_")
    assert secret not in client.get("/account/tokens/").content.decode()


def test_a_read_only_token_cannot_log(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    response = post(
        client,
        f"{API}/sessions/{session_id}/sets",
        body,
        **bearer(token_for(world.athlete_a, True)),
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "Authorization"
    assert not SetLog.objects.exists()


def test_logging_a_set_with_a_token(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    response = post(
        client, f"{API}/sessions/{session_id}/sets", body, **bearer(token_for(world.athlete_a))
    )
    assert response.status_code == 201
    assert response.json()["done"] == 10
    assert SetLog.objects.count() == 1


def test_logging_the_same_set_again_updates_it(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    headers = bearer(token_for(world.athlete_a))
    first = post(client, f"{API}/sessions/{session_id}/sets", body, **headers)
    again = post(client, f"{API}/sessions/{session_id}/sets", body | {"done": 12}, **headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert SetLog.objects.get().done == 12


def test_an_athlete_cannot_log_into_another_athletes_session(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    response = post(
        client, f"{API}/sessions/{session_id}/sets", body, **bearer(token_for(world.athlete_b))
    )
    assert response.status_code == 404, "another athlete's session does not exist for B"
    assert not SetLog.objects.exists()


def test_an_item_of_another_session_is_refused(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    later = world.athlete_a.sessions.exclude(pk=session_id).order_by("date").first()
    assert later is not None
    other_item = later.items.get(exercise="crouching-crawl")
    response = post(
        client,
        f"{API}/sessions/{session_id}/sets",
        body | {"item_id": other_item.pk},
        **bearer(token_for(world.athlete_a)),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "item_id"
    assert not SetLog.objects.exists()


def test_a_draft_plans_session_cannot_be_logged(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    world.next_session(world.athlete_a).plan.__class__.objects.filter(
        athlete=world.athlete_a
    ).update(published_at=None)
    response = post(
        client, f"{API}/sessions/{session_id}/sets", body, **bearer(token_for(world.athlete_a))
    )
    assert response.status_code == 404
    assert not SetLog.objects.exists()


def test_a_deactivated_users_token_stops_working(client: Client, world: World) -> None:
    secret = token_for(world.athlete_a)
    assert client.get(f"{API}/sessions", **bearer(secret)).status_code == 200
    user = world.athlete_a.user
    user.is_active = False
    user.save()
    assert client.get(f"{API}/sessions", **bearer(secret)).status_code == 401


def test_a_token_shows_when_it_was_last_used(client: Client, world: World) -> None:
    token, secret = token_create(user=world.athlete_a.user, name="shortcut", read_only=False)
    assert token.last_used_at is None
    client.get(f"{API}/sessions", **bearer(secret))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    client.get(f"{API}/sessions", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first_use, "rewritten at most every few minutes, not per call"


def test_each_signed_in_user_has_their_own_request_limit(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    (per_user,) = [t for t in api.throttle if isinstance(t, SignedInRate)]
    monkeypatch.setattr(per_user, "rate", "3/h")
    athlete = bearer(token_for(world.athlete_a))
    codes = [client.get(f"{API}/sessions", **athlete).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(f"{API}/sessions", **athlete)
    assert limited.json()["errors"][0]["field"] == "request"
    assert 0 < int(limited["Retry-After"]) <= 3600
    other = client.get(f"{API}/sessions", **bearer(token_for(world.athlete_b)))
    assert other.status_code == 200, "one user's limit does not slow anyone else"


def test_same_idempotency_key_and_body_records_once(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    headers = bearer(token_for(world.athlete_a)) | {"HTTP_IDEMPOTENCY_KEY": "tap-1"}
    first = post(client, f"{API}/sessions/{session_id}/sets", body, **headers)
    again = post(client, f"{API}/sessions/{session_id}/sets", body, **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert SetLog.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_idempotency_key_with_another_body_is_a_conflict(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    headers = bearer(token_for(world.athlete_a)) | {"HTTP_IDEMPOTENCY_KEY": "tap-2"}
    post(client, f"{API}/sessions/{session_id}/sets", body, **headers)
    clash = post(client, f"{API}/sessions/{session_id}/sets", body | {"done": 9}, **headers)
    assert clash.status_code == 409
    assert clash.json()["errors"][0]["field"] == "Idempotency-Key"
    assert SetLog.objects.get().done == 10


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"done": -1}, "done"),
        ({"done": "ten"}, "done"),
        ({"set_number": 0}, "set_number"),
        ({"set_number": 9}, "set_number"),
        ({"side": "left"}, "side"),
        ({"item_id": 999999}, "item_id"),
    ],
)
def test_bad_set_logs_are_4xx_naming_the_field(
    client: Client, world: World, change: dict[str, Any], field: str
) -> None:
    session_id, body = first_set(world)
    response = post(
        client,
        f"{API}/sessions/{session_id}/sets",
        body | change,
        **bearer(token_for(world.athlete_a)),
    )
    assert 400 <= response.status_code < 500
    assert field in [error["field"].split(".")[-1] for error in response.json()["errors"]]
    assert not SetLog.objects.exists()


def test_a_per_side_exercise_needs_its_side(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    item = session.items.get(exercise="single-leg-squat")
    url, headers = f"{API}/sessions/{session.pk}/sets", bearer(token_for(world.athlete_a))
    body = {"item_id": item.pk, "set_number": 1, "side": "", "done": 6}
    refused = post(client, url, body, **headers)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "side"
    assert post(client, url, body | {"side": "left"}, **headers).status_code == 201
    assert post(client, url, body | {"side": "right"}, **headers).status_code == 201
    assert SetLog.objects.filter(item=item).count() == 2, "each leg is its own set"


def test_a_coach_reads_but_cannot_log_an_athletes_session(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    headers = bearer(token_for(world.coach_x))
    assert client.get(f"{API}/sessions/{session_id}", **headers).status_code == 200
    assert post(client, f"{API}/sessions/{session_id}/sets", body, **headers).status_code == 403


def test_session_api_needs_csrf(world: World) -> None:
    session_id, body = first_set(world)
    browser = Client(enforce_csrf_checks=True)
    login(browser, world.athlete_a)
    response = post(browser, f"{API}/sessions/{session_id}/sets", body)
    assert response.status_code == 403
    assert not SetLog.objects.exists()


def test_a_write_with_neither_token_nor_session_is_a_401_not_a_csrf_403(world: World) -> None:
    session_id, body = first_set(world)
    anonymous = Client(enforce_csrf_checks=True)
    response = post(anonymous, f"{API}/sessions/{session_id}/sets", body)
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "Authorization"
    assert not SetLog.objects.exists()


def test_complete_returns_what_changes_next_time(client: Client, world: World) -> None:
    session_id, body = first_set(world)
    headers = bearer(token_for(world.athlete_a))
    for number in (1, 2, 3):
        post(client, f"{API}/sessions/{session_id}/sets", body | {"set_number": number}, **headers)
    response = post(
        client, f"{API}/sessions/{session_id}/complete", {"reps_in_reserve": 2}, **headers
    )
    crawl = next(c for c in response.json() if c["exercise"] == "Crouching crawl")
    assert response.status_code == 200
    assert crawl["change"] == "progress"
    assert crawl["keys"] == ["S16"]


def test_coach_previews_and_publishes_through_the_api(client: Client, world: World) -> None:
    headers = bearer(token_for(world.coach_x))
    preview = post(
        client,
        f"{API}/plans/preview",
        {"group": "10k", "start": "2027-01-04", "weeks": 8},
        **headers,
    )
    plans = preview.json()["plans"]
    assert preview.status_code == 201
    assert [plan["athlete_id"] for plan in plans] == [world.athlete_b.pk]
    published = post(client, f"{API}/plans/{plans[0]['id']}/publish", {}, **headers)
    assert published.json()["published"] is True


def test_a_coach_cannot_preview_another_coachs_athlete(client: Client, world: World) -> None:
    response = post(
        client,
        f"{API}/plans/preview",
        {"athlete_ids": [world.athlete_c.pk], "start": "2027-01-04", "weeks": 8},
        **bearer(token_for(world.coach_x)),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "athlete_ids"


def test_benchmark_result_gets_a_verdict(client: Client, world: World) -> None:
    response = post(
        client,
        f"{API}/benchmark-results",
        {"athlete_id": world.athlete_a.pk, "movement": "heel-raise", "date": "2027-01-10",
         "left": 22, "right": 28},
        **bearer(token_for(world.coach_x)),
    )  # fmt: skip
    verdict = response.json()["verdict"]
    assert response.status_code == 201
    assert verdict["status"] == "below"
    assert verdict["asymmetry_flag"] is True


def test_openapi_document_and_docs_are_served_without_a_cdn(client: Client, world: World) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["info"]["title"] == "runstrong API"
    login(client, world.coach_x)
    docs = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn." not in docs


def test_guessing_tokens_is_throttled(client: Client, world: World) -> None:
    guesses = [
        client.get(f"{API}/sessions", **bearer(f"rs_guess{n}")).status_code for n in range(21)
    ]
    assert guesses[:20] == [401] * 20
    assert guesses[20] == 429
    real = client.get(f"{API}/sessions", **bearer(token_for(world.athlete_a)))
    assert real.status_code == 200, "only failures count: a valid token is never locked out"
