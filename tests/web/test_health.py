"""Health says what a user would meet: a database that cannot take a write is not ok."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client

from tests.api.test_api import API, bearer, first_set, post, token_for
from tests.personas import World


@pytest.fixture
def read_only_database(db: None) -> Iterator[None]:
    """What a read-only data folder (or a PostgreSQL standby) does to every write."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        yield
        # On the driver's connection: Django refuses queries in a transaction that failed.
        connection.connection.execute("PRAGMA query_only = OFF")
    else:
        # Allowed mid-transaction in this direction; the test's rollback undoes it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL transaction_read_only = on")
        yield


def test_health_is_ok_with_a_writable_database(client: Client, db: None) -> None:
    page = client.get("/healthz")
    assert (page.status_code, page.content) == (200, b"ok")
    api = client.get(f"{API}/health")
    assert api.status_code == 200
    assert api.json()["status"] == "ok"


def test_health_is_503_when_the_database_takes_no_writes(
    client: Client, read_only_database: None
) -> None:
    page = client.get("/healthz")
    assert page.status_code == 503
    assert b"database" in page.content
    api = client.get(f"{API}/health")
    assert api.status_code == 503
    assert api.json()["status"] == "unavailable"


def test_an_api_write_to_an_unavailable_database_is_a_503_json_answer(
    client: Client, world: World, request: pytest.FixtureRequest
) -> None:
    session_id, body = first_set(world)
    headers = bearer(token_for(world.athlete_a))
    request.getfixturevalue("read_only_database")
    response = post(client, f"{API}/sessions/{session_id}/sets", body, **headers)
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The database is unavailable")
    assert "Retry-After" in response
