"""The OpenAPI document a club's tools generate clients from: short operation ids, every error
answer an operation can give, and links from one operation's answer to the next one's input.

Added here, for every router, so an endpoint added later is documented the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.openapi.schema import OpenAPISchema

from runstrong.api.schemas import ErrorOut

if TYPE_CHECKING:
    from ninja.operation import Operation

SAFE_METHODS = {"get", "head", "options"}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
RETRY_AFTER = {
    "Retry-After": {"description": "Seconds until a retry may work.", "schema": {"type": "integer"}}
}

ERROR_ANSWERS: dict[int, str] = {
    400: "The body is not JSON, or the engine refuses a value: the field and what is allowed.",
    401: "No valid Bearer token and no signed-in session.",
    403: "Not allowed: a read-only token, a session without its CSRF token, or a coach "
    "logging an athlete's session.",
    404: "Not found, or not the caller's to see or change (existence is never revealed).",
    413: "The request body is over RUNSTRONG_MAX_REQUEST_BYTES (run uploads have their own "
    "larger limit).",
    409: "Conflict with what is stored: an Idempotency-Key reused with another body, or the "
    "state already changed (a published plan, a session already marked).",
    422: "Invalid input: each error names the field as the document spells it.",
    429: "Too many requests from this caller; Retry-After says when to try again.",
    503: "The database is unavailable or read-only; Retry-After says when to try again.",
}

# (from operation, status) -> links a client (or schemathesis) follows to the next operation.
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("list_athletes", "200"): {
        "GetAthlete": {
            "operationId": "get_athlete",
            "parameters": {"athlete_id": "$response.body#/items/0/id"},
        },
        "GetAthleteProgress": {
            "operationId": "get_athlete_progress",
            "parameters": {"athlete_id": "$response.body#/items/0/id"},
        },
        "PreviewPlans": {
            "operationId": "preview_plans",
            "requestBody": {"athlete_ids": ["$response.body#/items/0/id"]},
        },
        "ListPlanChanges": {
            "operationId": "list_plan_changes",
            "parameters": {"athlete_id": "$response.body#/items/0/id"},
        },
    },
    ("list_sessions", "200"): {
        "GetSession": {
            "operationId": "get_session",
            "parameters": {"session_id": "$response.body#/items/0/id"},
        },
        "ListSessionSets": {
            "operationId": "list_session_sets",
            "parameters": {"session_id": "$response.body#/items/0/id"},
        },
    },
    ("get_session", "200"): {
        "LogSet": {
            "operationId": "log_set",
            "parameters": {"session_id": "$response.body#/id"},
            # The first set of the session's first item; the rest of the body is the caller's.
            "requestBody": {"item_id": "$response.body#/items/0/id", "set_number": 1},
        },
        "CompleteSession": {
            "operationId": "complete_session",
            "parameters": {"session_id": "$response.body#/id"},
        },
        "MissSession": {
            "operationId": "miss_session",
            "parameters": {"session_id": "$response.body#/id"},
        },
    },
    ("log_set", "201"): {
        "ListSessionSets": {
            "operationId": "list_session_sets",
            "parameters": {"session_id": "$request.path.session_id"},
        },
        "CompleteSession": {
            "operationId": "complete_session",
            "parameters": {"session_id": "$request.path.session_id"},
        },
    },
    ("preview_plans", "201"): {
        "PublishPlan": {
            "operationId": "publish_plan",
            "parameters": {"plan_id": "$response.body#/plans/0/id"},
        },
    },
    ("list_plans", "200"): {
        "PublishPlan": {
            "operationId": "publish_plan",
            "parameters": {"plan_id": "$response.body#/items/0/id"},
        },
    },
    ("publish_plan", "200"): {
        "ListPlanSessions": {
            "operationId": "list_sessions",
            "parameters": {"athlete": "$response.body#/athlete_id"},
        },
    },
    ("record_benchmark_result", "201"): {
        "ListAthleteResults": {
            "operationId": "list_benchmark_results",
            "parameters": {"athlete": "$response.body#/athlete_id"},
        },
    },
}


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error answers this operation can give, read from what it takes and how it is
    called; statuses an operation declares itself keep their own description."""
    if not operation.get("security"):
        return []  # the health check: no sign-in, no throttle, no input
    parameters = operation.get("parameters", [])
    writes = method not in SAFE_METHODS
    statuses = [401, 429, 503]
    if writes:
        statuses.append(403)  # a read-only token, CSRF, or logging someone else's session
    if writes or any(p["in"] == "path" for p in parameters):
        statuses.append(404)  # coach-only actions and ids are 404 for anyone else
    if parameters or "requestBody" in operation:
        statuses.append(422)
    if "requestBody" in operation:
        statuses += [400, 413]
    if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in parameters):
        statuses.append(409)
    return sorted(statuses)


def document_errors(schema: OpenAPISchema) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components.setdefault("ErrorOut", error_schema)
    for path in schema["paths"].values():
        for method, operation in path.items():
            # ninja keys statuses by int; JSON has strings: one kind, so none is added twice.
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            operation["responses"] = responses
            for status in error_statuses(method, operation):
                answer = responses.setdefault(str(status), {})
                answer.setdefault("description", ERROR_ANSWERS[status])
                answer.setdefault("content", {"application/json": {"schema": ERROR_REF}})
                if status in (429, 503):
                    answer.setdefault("headers", RETRY_AFTER)


def add_links(schema: OpenAPISchema) -> None:
    for path in schema["paths"].values():
        for operation in path.values():
            for status, answer in operation.get("responses", {}).items():
                links = LINKS.get((operation["operationId"], status))
                if links:
                    answer["links"] = links


class RunstrongAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's own name (`log_set`), stable across moves between modules."""
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        add_links(schema)
        return schema

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """Error locations as the document names the fields: `("body", "set_number")`, not
        ninja's `("body", "payload", "set_number")` with the view's parameter name."""
        error = super().validation_error_from_error_contexts(error_contexts)
        whole_body = any(
            context.model.__ninja_param_source__ == "body" and len(context.model.model_fields) == 1
            for context in error_contexts
        )
        for item in error.errors if whole_body else []:
            loc = tuple(item.get("loc", ()))
            if loc[:1] == ("body",) and len(loc) >= 2:
                item["loc"] = ("body", *loc[2:])
        return error
