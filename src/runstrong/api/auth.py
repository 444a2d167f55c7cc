"""Who is calling: a personal API token (Bearer) or the browser session (with CSRF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from runstrong.api.throttles import ANONYMOUS_RATE
from runstrong.web.coaching.client_ip import client_ip
from runstrong.web.coaching.tokens import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ReadOnlyToken(Exception):
    pass


FAILURES_PER_MINUTE = 20


def _failures_key(request: HttpRequest) -> str:
    return f"runstrong:token-failures:{client_ip(request)}"


def _count_failure(request: HttpRequest) -> int:
    key = _failures_key(request)
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=60)
        return 1


class TokenAuth(HttpBearer):
    """Bearer tokens. Wrong tokens from one caller are limited, to slow down guessing; only
    failures count, and a valid token is looked at first, so a flood of bad tokens from a
    shared address never locks a valid one out (a token is 256 random bits: the limit
    spares the database, it is not what makes tokens hard to guess)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            if _count_failure(request) > FAILURES_PER_MINUTE:
                raise Throttled(wait=60)
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # create_token refuses it
        return found.user


class SignedInSession(SessionAuth):
    """The browser session, CSRF-checked only when there is a signed-in session: a caller
    with neither token nor session gets the 401 that says to authenticate, not a 403 about
    CSRF (there is no session for a forged request to ride on)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


def anonymous_limit(request: HttpRequest) -> None:
    """The last auth callback: never authenticates, but counts the caller against the
    anonymous limit, which ninja's throttles (run only after authentication) cannot do."""
    if not ANONYMOUS_RATE.allow_request(request):
        raise Throttled(wait=int(ANONYMOUS_RATE.wait()) + 1)
    return None


API_AUTH: list[Callable[..., Any]] = [TokenAuth(), SignedInSession(), anonymous_limit]
