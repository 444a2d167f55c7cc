"""A club's own tool: a client generated from the OpenAPI document with openapi-python-client
previews and publishes a plan as the coach, then logs a set as the athlete."""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from runstrong.web.coaching.models import Athlete, SetLog
from runstrong.web.coaching.tokens import token_create
from runstrong.web.config.wsgi import application
from tests.personas import World

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """The generated client calls the WSGI app directly, which would close the test's
    database connection after each request (Django's test client prevents it the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def generated(tmp_path: Path, client: Client) -> Iterator[ModuleType]:
    """The package openapi-python-client writes from /api/v1/openapi.json, imported."""
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(client.get("/api/v1/openapi.json").json()))
    config = tmp_path / "config.yml"
    # No formatter run on the generated code; the watch workout (a FIT file) read as bytes,
    # as a club's own client would configure it (the generator knows octet-stream only).
    config.write_text(
        "post_hooks: []\n"
        "content_type_overrides:\n  application/vnd.ant.fit: application/octet-stream\n"
    )
    package = tmp_path / "runstrong_client"
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(document), "--meta", "none",
         "--output-path", str(package), "--config", str(config)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("runstrong_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.split(".")[0] == "runstrong_client"]:
            del sys.modules[name]


def signed_in(package: ModuleType, person: Any) -> Any:
    secret = token_create(user=person.user, name="generated client", read_only=False)[1]
    transport = httpx.WSGITransport(app=application)
    return package.AuthenticatedClient(
        base_url="http://testserver", token=secret, httpx_args={"transport": transport}
    )


def call(package: ModuleType, operation: str) -> Any:
    """`list_sessions` → the generated module's `sync_detailed`, wherever its tag put it."""
    for tag in ("athletes", "plans", "sessions", "benchmarks", "catalog"):
        try:
            module = importlib.import_module(f"runstrong_client.api.{tag}.{operation}")
        except ModuleNotFoundError:
            continue
        return module.sync_detailed
    raise AssertionError(f"no generated operation {operation}")


def test_a_generated_client_publishes_a_plan_and_logs_a_set(
    generated: ModuleType, world: World, keep_test_connection: None
) -> None:
    # keep_test_connection after `generated`: Django's test client (which fetched the
    # document) reconnects the signal that would close PostgreSQL's test connection.
    models = importlib.import_module("runstrong_client.models")
    coach = signed_in(generated, world.coach_x)
    new = models.AthleteCreateIn.from_dict(
        {"name": "Client Made", "event_group": "5k", "body_mass_kg": 61.5,
         "squad_id": world.athlete_a.squad_id}
    )  # fmt: skip
    created = call(generated, "create_athlete")(client=coach, body=new, idempotency_key="new-1")
    assert created.status_code == 201, created.content
    assert Athlete.objects.filter(name="Client Made", squad=world.athlete_a.squad).exists()
    body = models.PlanPreviewIn.from_dict(
        {"athlete_ids": [world.athlete_b.pk], "start": "2030-01-07", "weeks": 4}
    )
    preview = call(generated, "preview_plans")(client=coach, body=body)
    assert preview.status_code == 201, preview.content
    (draft,) = preview.parsed.plans
    assert draft.athlete_id == world.athlete_b.pk
    assert draft.published is False

    published = call(generated, "publish_plan")(client=coach, plan_id=draft.id)
    assert published.status_code == 200, published.content
    assert published.parsed.published is True
    again = call(generated, "publish_plan")(client=coach, plan_id=draft.id)
    assert again.status_code == 409
    assert isinstance(again.parsed, models.ErrorOut), "the documented error parses as ErrorOut"

    athlete = signed_in(generated, world.athlete_b)
    page = call(generated, "list_sessions")(
        client=athlete, date_from=datetime.date(2030, 1, 7), limit=1
    )
    assert page.status_code == 200, page.content
    first = page.parsed.items[0]
    detail = call(generated, "get_session")(client=athlete, session_id=first.id).parsed
    item = next(i for i in detail.items if not i.per_side)
    entry = models.SetLogIn.from_dict({"item_id": item.id, "set_number": 1, "done": item.target})
    logged = call(generated, "log_set")(
        client=athlete, session_id=first.id, body=entry, idempotency_key="tap-1"
    )
    assert logged.status_code == 201, logged.content
    assert logged.parsed.item_id == item.id
    assert SetLog.objects.get(item_id=item.id).done == item.target

    bad = models.SetLogIn.from_dict({"item_id": item.id, "set_number": 11, "done": 1})
    refused = call(generated, "log_set")(client=athlete, session_id=first.id, body=bad)
    assert refused.status_code == 422
    assert [e.field for e in refused.parsed.errors] == ["set_number"]

    workout = call(generated, "session_workout_fit")(client=athlete, session_id=first.id)
    assert workout.status_code == 200
    assert workout.content[8:12] == b".FIT", "the watch workout arrives as a FIT file"
