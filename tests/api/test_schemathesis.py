"""Property-based API testing with schemathesis against the app's own OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from runstrong.web.coaching.tokens import token_create
from runstrong.web.config.wsgi import application
from tests.personas import World

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def keep_test_connection() -> Iterator[None]:
    """Calling the WSGI app directly would close the test's database connection at the end of
    each request; Django's own test client prevents that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["athlete_a", "coach_x"])
def token(request: pytest.FixtureRequest, world: World) -> str:
    """Each operation runs once as an athlete and once as their coach."""
    owner = getattr(world, request.param)
    return token_create(user=owner.user, name="schemathesis", read_only=False)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_errors_and_matches_its_schema(case: object, token: str) -> None:
    case.call_and_validate(  # type: ignore[attr-defined]
        headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
    )
