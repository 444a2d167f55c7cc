"""Pages answer 503 "try again shortly", styled like the other error pages, when the database
is unavailable; any other failure is still the 500 page."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client, RequestFactory

from runstrong.web.coaching.views import home
from runstrong.web.coaching.views.errors import server_error
from tests.personas import World, login


def _client() -> Client:
    return Client(raise_request_exception=False)


def test_a_page_write_to_a_read_only_database_is_a_503_page(world: World) -> None:
    client = login(_client(), world.athlete_a)
    # What a read-only data folder or a PostgreSQL standby does to every write; in a savepoint
    # rolled back after, so the test's own data stays checkable.
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = ON")
            else:
                cursor.execute("SET LOCAL transaction_read_only = on")
        try:
            page = client.post("/account/calendar/", {"action": "create"})
        finally:
            if connection.vendor == "sqlite":
                connection.connection.execute("PRAGMA query_only = OFF")
            transaction.set_rollback(True)
    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/html")
    assert page["Retry-After"] == "30"
    html = page.content.decode()
    assert "Error 503" in html
    assert "cannot reach its data just now" in html
    assert 'class="card problem"' in html, "the same card as the 404 and 500 pages"
    assert "app.css" in html
    assert '<a class="button primary" href="/account/calendar/">Try again</a>' in html


def test_a_locked_database_is_a_503_page(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(user: object) -> str:
        raise OperationalError("database is locked")

    monkeypatch.setattr(home, "role_of", locked)
    page = login(_client(), world.coach_x).get("/")
    assert page.status_code == 503
    assert "Error 503" in page.content.decode()


def test_a_bug_is_still_the_500_page(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(user: object) -> str:
        raise ValueError("a bug")

    monkeypatch.setattr(home, "role_of", broken)
    page = login(_client(), world.coach_x).get("/")
    assert page.status_code == 500
    assert "Error 500" in page.content.decode()
    assert "Retry-After" not in page


def test_an_api_path_failing_outside_the_api_gets_json() -> None:
    request = RequestFactory().get("/api/v1/sessions")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert b"database unavailable" in response.content
