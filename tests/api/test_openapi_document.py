"""The OpenAPI document as a club's client generator reads it: short unique operation ids,
every error answer documented with its schema, and 422 fields named as the document names
them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from runstrong.api.api import api
from runstrong.web.coaching.tokens import token_create
from tests.personas import World

API = "/api/v1"
METHODS = {"get", "post", "put", "patch", "delete"}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    paths = api.get_openapi_schema()["paths"]
    return [
        (path, method, operation)
        for path, item in paths.items()
        for method, operation in item.items()
        if method in METHODS
    ]


def bearer(person: Any) -> dict[str, str]:
    secret = token_create(user=person.user, name="test", read_only=False)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_operation_ids_are_short_unique_and_carry_no_module_path() -> None:
    ids = [operation["operationId"] for _, _, operation in operations()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all(i.isidentifier() and "runstrong" not in i and "api_" not in i for i in ids), ids
    assert {"log_set", "list_sessions", "publish_plan", "preview_plans"} <= set(ids)


def test_every_signed_in_operation_documents_its_errors_with_the_error_schema() -> None:
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, method, operation in operations():
        if not operation.get("security"):
            continue
        responses = operation["responses"]
        expected = {"401", "429", "503"}
        if method != "get":
            expected |= {"403", "404"}
        if "requestBody" in operation:
            expected |= {"400", "422"}
        if "{" in path:
            expected |= {"404", "422"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == error, (method, path, status)
    assert "ErrorOut" in api.get_openapi_schema()["components"]["schemas"]


def test_idempotent_writes_document_their_conflict() -> None:
    for path, method, operation in operations():
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        if "Idempotency-Key" in headers:
            assert "409" in operation["responses"], (method, path)


def test_links_point_at_operations_and_parameters_that_exist() -> None:
    by_id = {operation["operationId"]: operation for _, _, operation in operations()}
    found = 0
    for _, _, operation in operations():
        for answer in operation["responses"].values():
            for link in answer.get("links", {}).values():
                target = by_id[link["operationId"]]
                names = {p["name"] for p in target.get("parameters", [])}
                assert set(link.get("parameters", {})) <= names, link
                found += 1
    assert found >= 10


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("sets", {"item_id": 1, "set_number": 0, "done": 1}, "set_number"),
        ("sets", {"item_id": 1, "set_number": 1}, "done"),
        ("complete", {"pains": [{"score": 11, "area": "knee"}]}, "pains.0.score"),
    ],
)
def test_422_fields_are_named_without_the_parameter_name(
    client: Client, world: World, url: str, body: dict[str, Any], field: str
) -> None:
    session = world.next_session(world.athlete_a)
    response = client.post(
        f"{API}/sessions/{session.pk}/{url}",
        json.dumps(body),
        content_type="application/json",
        **bearer(world.athlete_a),
    )
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == [field]


def test_422_query_and_path_fields_are_named_as_documented(client: Client, world: World) -> None:
    headers = bearer(world.coach_x)
    query = client.get(f"{API}/sessions?athlete=x&limit=0", **headers)
    path = client.get(f"{API}/sessions/0", **headers)
    assert query.status_code == path.status_code == 422
    assert sorted(e["field"] for e in query.json()["errors"]) == ["athlete", "limit"]
    assert [e["field"] for e in path.json()["errors"]] == ["session_id"]


def test_a_missing_body_names_the_body(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    response = client.post(
        f"{API}/sessions/{session.pk}/sets", "", content_type="application/json",
        **bearer(world.athlete_a),
    )  # fmt: skip
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["field"] == "body"


def test_no_two_schemas_share_a_name() -> None:
    """The document names each schema by its class: a second `ErrorOut` in another module
    silently replaced the first, and generated clients parsed errors as untyped dicts."""
    from ninja import Schema

    import runstrong.api.api  # noqa: F401  (every router imported)

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]

    modules: dict[str, set[str]] = {}
    for schema in subclasses(Schema):
        if schema.__module__.startswith("runstrong."):
            modules.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}
