"""Concurrent set logging: one row per idempotency key, no lost sets. Real on PostgreSQL."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from runstrong.web.coaching.models import IdempotencyRecord, PlannedSession, SetLog
from runstrong.web.coaching.tokens import token_create
from tests.personas import World

CLIENTS = 20

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so only PostgreSQL shows real concurrency",
)


def _in_parallel(calls: list[Callable[[], int]]) -> list[int]:
    statuses: list[int] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], int]) -> None:
        start.wait()
        try:
            statuses.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _poster(url: str, body: dict[str, Any], headers: dict[str, str]) -> Callable[[], int]:
    def call() -> int:
        response = Client().post(url, json.dumps(body), content_type="application/json", **headers)
        return response.status_code

    return call


@pytest.mark.django_db(transaction=True)
def test_same_key_from_twenty_clients_records_one_set(world: World) -> None:
    session = world.next_session(world.athlete_a)
    item = session.items.get(exercise="crouching-crawl")
    secret = token_create(user=world.athlete_a.user, name="race", read_only=False)[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_IDEMPOTENCY_KEY": "same-tap"}
    body = {"item_id": item.pk, "set_number": 1, "done": 10}
    url = f"/api/v1/sessions/{session.pk}/sets"
    statuses = _in_parallel([_poster(url, body, headers) for _ in range(CLIENTS)])
    assert statuses == [201] * CLIENTS
    assert SetLog.objects.filter(item=item).count() == 1
    assert IdempotencyRecord.objects.filter(key="same-tap").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_clients_logging_different_sets_lose_none(world: World) -> None:
    secret = token_create(user=world.athlete_a.user, name="race", read_only=False)[1]
    calls = []
    sessions = PlannedSession.objects.filter(athlete=world.athlete_a).order_by("date")[:3]
    for session in sessions:
        for item in session.items.all():
            for number in range(1, item.sets + 1):
                side = "left" if item.per_side else ""
                body = {"item_id": item.pk, "set_number": number, "side": side, "done": 10}
                headers = {
                    "HTTP_AUTHORIZATION": f"Bearer {secret}",
                    "HTTP_IDEMPOTENCY_KEY": f"{item.pk}-{number}",
                }
                calls.append(_poster(f"/api/v1/sessions/{session.pk}/sets", body, headers))
    calls = calls[:CLIENTS]
    assert len(calls) == CLIENTS
    statuses = _in_parallel(calls)
    assert statuses == [201] * CLIENTS
    assert SetLog.objects.count() == CLIENTS
