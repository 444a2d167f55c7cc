"""Every error is JSON naming the field and the reason; bad input is 4xx, never 5xx."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, InternalError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from runstrong.api.auth import ReadOnlyToken
from runstrong.engine.errors import ProfileError, RunstrongError

log = logging.getLogger(__name__)


# PostgreSQL's read_only_sql_transaction: a standby, or default_transaction_read_only.
READ_ONLY_SQLSTATE = "25006"


def _read_only(error: DatabaseError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE


class Conflict(Exception):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(reason)


def _body(detail: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"detail": detail, "errors": errors}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        errors = [
            {
                # loc is (source, field…): the source alone when the whole body is missing.
                "field": ".".join(str(part) for part in item.get("loc", ())[1:])
                or ".".join(str(part) for part in item.get("loc", ())),
                "reason": str(item.get("msg", "invalid")),
            }
            for item in error.errors
        ]
        return api.create_response(request, _body("Invalid input.", errors), status=422)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        # ninja raises these itself: an unparsable body (400), CSRF (403), throttling (429).
        field = "body" if error.status_code == 400 else "request"
        body = _body(str(error), [{"field": field, "reason": str(error)}])
        response = api.create_response(request, body, status=error.status_code)
        wait = getattr(error, "wait", None)
        if isinstance(error, Throttled) and wait is not None:
            # ninja's own throttles set it again after this; auth's limits rely on it here.
            response["Retry-After"] = str(math.ceil(wait))
        return response

    @api.exception_handler(ProfileError)
    def refused(request: HttpRequest, error: ProfileError) -> HttpResponse:
        body = _body(str(error), [{"field": error.field, "reason": error.allowed}])
        return api.create_response(request, body, status=400)

    @api.exception_handler(RunstrongError)
    def engine_error(request: HttpRequest, error: RunstrongError) -> HttpResponse:
        return api.create_response(request, _body(str(error), []), status=400)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
        body = _body(error.reason, [{"field": error.field, "reason": error.reason}])
        return api.create_response(request, body, status=409)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    @api.exception_handler(InternalError)
    def unavailable(request: HttpRequest, error: DatabaseError) -> HttpResponse:
        # The database is down, read-only or locked past its timeout: nothing the caller sent
        # is wrong, and retrying later may work. Logged with its traceback for the admin.
        if isinstance(error, InternalError) and not _read_only(error):
            raise error  # any other internal error is a bug: a 500, as before
        log.error("API %s %s: database unavailable", request.method, request.path, exc_info=error)
        detail = "The database is unavailable. Try again shortly."
        body = _body(detail, [{"field": "request", "reason": "database unavailable"}])
        response = api.create_response(request, body, status=503)
        response["Retry-After"] = "30"
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return api.create_response(request, _body("Not found.", []), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return api.create_response(request, _body(str(error) or "Not allowed.", []), status=403)

    @api.exception_handler(ReadOnlyToken)
    def read_only(request: HttpRequest, error: ReadOnlyToken) -> HttpResponse:
        body = _body(
            "This token is read-only.", [{"field": "Authorization", "reason": "read-only"}]
        )
        return api.create_response(request, body, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        body = _body(
            "Authentication required: a Bearer token or a signed-in session.",
            [{"field": "Authorization", "reason": "missing or invalid"}],
        )
        return api.create_response(request, body, status=401)
