"""Property-based API testing with schemathesis against the app's own OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from runstrong.web.coaching.tokens import token_create
from runstrong.web.config.wsgi import application
from tests.personas import World

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Every answer is documented: its status, its body and its headers (the error answers too).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    response_headers_conformance,
    content_type_conformance,
]


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


STARTS = {"list_sessions", "list_athletes", "list_plans"}
# The operations the document links, and where its chains start: the test above covers every
# operation; here the sequences stay among the linked ones, so they follow links, not chance.
CHAINED = {
    *STARTS, "get_athlete", "get_athlete_progress", "list_plan_changes", "preview_plans",
    "publish_plan", "get_session", "list_session_sets", "log_set", "complete_session",
    "miss_session", "record_benchmark_result", "list_benchmark_results",
}  # fmt: skip


class SignedInWorkflow(schema.include(operation_id=sorted(CHAINED)).as_state_machine()):  # type: ignore[misc]
    """Sequences of calls that follow the document's links: a listed athlete's id into the
    preview, a previewed plan's id into publish, a session's first item into a logged set."""

    token: ClassVar[str] = ""
    answers: ClassVar[list[tuple[str, int]]] = []

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": {"Authorization": f"Bearer {self.token}"}}

    def before_call(self, case: Any) -> None:
        # Listings that start a chain are asked plainly, so the chain starts from real rows
        # (random filters find none); the test above fuzzes their filters.
        if case.operation.definition.raw["operationId"] in STARTS:
            case.query = {}

    def after_call(self, response: Any, case: Any) -> None:
        self.answers.append((case.operation.definition.raw["operationId"], response.status_code))

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)


# What only a real id reaches: an answer other than 404 from these shows a link was followed.
LINKED = {
    "coach_x": {"get_athlete", "get_athlete_progress", "list_plan_changes", "publish_plan"},
    "athlete_a": {"get_session", "list_session_sets", "log_set", "complete_session",
                  "miss_session"},
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(LINKED))
def test_linked_calls_never_error_and_match_the_schema(
    persona: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = getattr(world, persona)
    secret = token_create(user=owner.user, name="stateful", read_only=False)[1]
    answers: list[tuple[str, int]] = []
    monkeypatch.setattr(SignedInWorkflow, "token", secret)
    monkeypatch.setattr(SignedInWorkflow, "answers", answers)
    SignedInWorkflow.run(
        settings=settings(
            max_examples=20,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    reached = {(name, status) for name, status in answers if name in LINKED[persona]}
    assert any(status != 404 for _, status in reached), sorted(set(answers))
