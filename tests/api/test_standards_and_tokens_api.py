"""The standards page and the tokens page as API operations: a coach reads and changes their
own club's standards and manages their own tokens; nobody else's, and athletes not at all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import ApiToken, ClubStandard
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.tokens import MAX_NEW_PER_HOUR, token_create
from tests.personas import World, login

API = "/api/v1"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def call(client: Client, person: Any, method: str, url: str, body: Any = None) -> Any:
    secret = token_create(user=person.user, name="t", read_only=False)[1]
    data = body if isinstance(body, str) else json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json", **bearer(secret))


def signed_in_call(client: Client, person: Any, method: str, url: str, body: Any = None) -> Any:
    """As the coach's browser session calls it: the way tokens are made."""
    login(client, person)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def target(groups: list[dict[str, Any]], group: str, movement: str) -> dict[str, Any]:
    found = next(g for g in groups if g["group"] == group)
    return next(s for s in found["standards"] if s["movement"] == movement)


def change(group: str = "5k", movement: str = "heel-raise", value: Any = 35) -> dict[str, Any]:
    return {"standards": [{"group": group, "movement": movement, "target": value}]}


def test_the_coach_reads_every_catalog_group_with_defaults_and_units(
    client: Client, world: World
) -> None:
    response = call(client, world.coach_x, "GET", f"{API}/standards")
    assert response.status_code == 200
    groups = response.json()
    catalog = site_catalog()
    assert [g["group"] for g in groups] == [g.slug for g in catalog.groups]
    for group, source in zip(groups, catalog.groups, strict=True):
        assert [s["movement"] for s in group["standards"]] == [s.movement for s in source.standards]
        for standard, figure in zip(group["standards"], source.standards, strict=True):
            assert standard["target"] == standard["default"] == figure.target
            assert standard["unit"]
            assert not standard["changed"]


def test_a_change_is_the_clubs_own_on_the_page_too_and_not_another_clubs(
    client: Client, world: World
) -> None:
    response = call(client, world.coach_x, "PATCH", f"{API}/standards", change(value=35))
    assert response.status_code == 200, response.content
    mine = target(response.json(), "5k", "heel-raise")
    assert (mine["target"], mine["changed"]) == (35, True)
    theirs = call(client, world.coach_y, "GET", f"{API}/standards").json()
    assert target(theirs, "5k", "heel-raise")["changed"] is False
    page = login(Client(), world.coach_x).get(reverse("coaching:standards"))
    assert 'name="5k__heel-raise"' in page.content.decode()
    assert 'value="35"' in page.content.decode()


def test_the_default_again_drops_the_clubs_own(client: Client, world: World) -> None:
    call(client, world.coach_x, "PATCH", f"{API}/standards", change(value=35))
    default = target(call(client, world.coach_x, "GET", f"{API}/standards").json(), "5k",
                     "heel-raise")["default"]  # fmt: skip
    response = call(client, world.coach_x, "PATCH", f"{API}/standards", change(value=default))
    assert target(response.json(), "5k", "heel-raise")["changed"] is False
    assert not ClubStandard.objects.filter(club=world.coach_x.club).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (change(value=0), "standards.0.target"),
        (change(value=1001), "standards.0.target"),
        (change(value="lots"), "standards.0.target"),
        # Python's json reads these; the API refuses them as it refuses any non-number.
        (json.dumps(change(value=0)).replace("0}", "NaN}"), "standards.0.target"),
        (json.dumps(change(value=0)).replace("0}", "Infinity}"), "standards.0.target"),
        (change(group="marathon"), "standards.0.group"),
        (change(movement="juggling"), "standards.0.movement"),
        ({"standards": []}, "standards"),
    ],
)
def test_a_bad_value_is_a_422_naming_it_and_saves_nothing(
    client: Client, world: World, body: Any, field: str
) -> None:
    response = call(client, world.coach_x, "PATCH", f"{API}/standards", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert not ClubStandard.objects.exists()


def test_the_same_movement_twice_is_refused(client: Client, world: World) -> None:
    body = {"standards": change(value=30)["standards"] + change(value=31)["standards"]}
    response = call(client, world.coach_x, "PATCH", f"{API}/standards", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["standards.1"]


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_athletes_have_no_standards_operations(client: Client, world: World, method: str) -> None:
    response = call(client, world.athlete_a, method, f"{API}/standards", change())
    assert response.status_code == 404
    assert not ClubStandard.objects.exists()


def test_a_created_token_works_once_shown_and_a_revoked_one_is_401(
    client: Client, world: World
) -> None:
    created = signed_in_call(client, world.coach_x, "POST", f"{API}/tokens", {"name": "Club sheet"})
    client.logout()
    assert created.status_code == 201, created.content
    token = created.json()
    secret = token["secret"]
    assert secret.startswith(token["prefix"])
    assert token["name"] == "Club sheet"

    listed = client.get(f"{API}/tokens", **bearer(secret))
    assert listed.status_code == 200
    row = next(t for t in listed.json()["items"] if t["id"] == token["id"])
    assert "secret" not in row
    assert secret not in listed.content.decode()
    assert row["prefix"] == token["prefix"]
    assert row["last_used_at"] is not None

    revoked = client.delete(f"{API}/tokens/{token['id']}", **bearer(secret))
    assert revoked.status_code == 204
    assert client.get(f"{API}/tokens", **bearer(secret)).status_code == 401
    again = call(client, world.coach_x, "DELETE", f"{API}/tokens/{token['id']}")
    assert again.status_code == 204  # revoking again answers the same, first time kept
    assert ApiToken.objects.get(pk=token["id"]).revoked_at is not None


def test_another_coach_neither_sees_nor_revokes_my_tokens(client: Client, world: World) -> None:
    mine = token_create(user=world.coach_x.user, name="mine", read_only=False)[0]
    listed = call(client, world.coach_y, "GET", f"{API}/tokens").json()["items"]
    assert mine.pk not in [t["id"] for t in listed]
    assert {t["name"] for t in listed} == {"t"}  # only the one coach Y's call made
    assert call(client, world.coach_y, "DELETE", f"{API}/tokens/{mine.pk}").status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/tokens"), ("POST", "/tokens"), ("DELETE", "/tokens/{own}")],
)
def test_athletes_have_no_token_operations(
    client: Client, world: World, method: str, url: str
) -> None:
    own = token_create(user=world.athlete_a.user, name="own", read_only=False)[0]
    before = ApiToken.objects.count()
    response = call(
        client, world.athlete_a, method, API + url.format(own=own.pk), {"name": "script"}
    )
    assert response.status_code == 404
    assert ApiToken.objects.count() == before + 1  # only the call's own token
    own.refresh_from_db()
    assert own.revoked_at is None


@pytest.mark.parametrize(("name", "field"), [("", "name"), ("x" * 81, "name")])
def test_a_bad_token_name_is_a_422_naming_it(
    client: Client, world: World, name: str, field: str
) -> None:
    response = signed_in_call(client, world.coach_x, "POST", f"{API}/tokens", {"name": name})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_token_cannot_make_another_so_a_leaked_one_leaves_none_behind(
    client: Client, world: World
) -> None:
    response = call(client, world.coach_x, "POST", f"{API}/tokens", {"name": "spare key"})
    assert response.status_code == 403
    assert "signed-in session" in response.json()["detail"]
    assert not ApiToken.objects.filter(name="spare key").exists()


def test_a_read_only_token_cannot_make_tokens(client: Client, world: World) -> None:
    secret = token_create(user=world.coach_x.user, name="reader", read_only=True)[1]
    response = client.post(
        f"{API}/tokens", json.dumps({"name": "more"}), content_type="application/json",
        **bearer(secret),
    )  # fmt: skip
    assert response.status_code == 403
    assert not ApiToken.objects.filter(name="more").exists()


def test_the_hourly_limit_on_new_tokens_is_a_429_with_retry_after(
    client: Client, world: World
) -> None:
    for _ in range(MAX_NEW_PER_HOUR):
        token_create(user=world.coach_x.user, name="more", read_only=False)
    response = signed_in_call(client, world.coach_x, "POST", f"{API}/tokens", {"name": "one more"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "an hour" in response.json()["detail"]
