"""Who is calling: a personal API token (Bearer) or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, django_auth

from runstrong.web.coaching.tokens import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ReadOnlyToken(Exception):
    pass


FAILURES_PER_MINUTE = 20


def _failures_key(request: HttpRequest) -> str:
    return f"runstrong:token-failures:{request.META.get('REMOTE_ADDR', '')}"


class TokenAuth(HttpBearer):
    """Bearer tokens; wrong tokens from one address are limited to slow down guessing."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = _failures_key(request)
        if cache.get(key, 0) >= FAILURES_PER_MINUTE:
            raise Throttled(wait=60)
        found = token_authenticate(token)
        if found is None:
            cache.add(key, 0, timeout=60)
            cache.incr(key)
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken
        request.user = found.user
        return found.user


API_AUTH = [TokenAuth(), django_auth]
