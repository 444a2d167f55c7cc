"""Refuse a request body over RUNSTRONG_MAX_REQUEST_BYTES before anything reads it.

Django caps form fields in memory (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams file parts of
any size to a temporary file, and CSRF checking parses the body of every POST: a 400 MB
anonymous POST to the login page would be written to disk before the view refuses it. This
middleware, first in the list, answers 413 from the Content-Length header alone. (A body
without Content-Length is never read by Django's WSGI request at all.) The proxy in front
should refuse earlier still (nginx `client_max_body_size`, Caddy `request_body max_size`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.RUNSTRONG_MAX_REQUEST_BYTES)
        if is_run_upload(request.path):
            limit = int(settings.RUNSTRONG_MAX_RUN_UPLOAD_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def is_run_upload(path: str) -> bool:
    """The routes that take run files (a year's bulk export): web pages and the API."""
    return path.endswith("/runs/upload/") or (path.startswith("/api/") and path.endswith("/runs"))


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    reason = f"The request is over {limit / 1_048_576:.1f} MB."
    if request.path.startswith("/api/"):
        body = {"detail": reason, "errors": [{"field": "body", "reason": reason}]}
        return JsonResponse(body, status=413)
    return HttpResponse(
        f"{reason} Files for runstrong (a roster, a standards file) are far smaller.",
        status=413,
        content_type="text/plain; charset=utf-8",
    )
