"""Request limits per caller: a counter per fixed window, kept in Django's cache.

ninja's SimpleRateThrottle keeps a list of timestamps on the throttle object, which every
thread of a worker shares, and re-pickles that list on each request. A counter per window is
one atomic cache increment and holds no state between calls; with a shared cache (Redis) the
limit holds across workers too. A caller may burst up to twice the limit across a window edge.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod

from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from runstrong.web.coaching.client_ip import client_ip
from runstrong.web.config.env import parse_rate


class WindowThrottle(BaseThrottle, ABC):
    scope = ""

    def __init__(self, rate: str) -> None:
        self.limit, self.window = parse_rate(rate)

    @abstractmethod
    def caller(self, request: HttpRequest) -> str | None:
        """Whom this request counts against, or None when this limit does not apply."""

    def allow_request(self, request: HttpRequest) -> bool:
        caller = self.caller(request)
        if caller is None:
            return True
        key = f"runstrong:throttle:{self.scope}:{caller}:{int(time.time() // self.window)}"
        try:
            count = cache.incr(key)
        except ValueError:  # the first request of this window
            count = 1 if cache.add(key, 1, timeout=self.window + 1) else cache.incr(key)
        return count <= self.limit

    def wait(self) -> float:
        return self.window - time.time() % self.window

    def get_ident(self, request: HttpRequest) -> str:
        # ninja's own reads its NUM_PROXIES setting; login lockouts read client_ip() too.
        return client_ip(request)


class SignedInRate(WindowThrottle):
    """Per signed-in user, whether by token or by session."""

    scope = "user"

    def caller(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        return None if auth is None else str(auth.pk)


class AnonymousRate(WindowThrottle):
    """Per address, for the endpoints that need no sign-in."""

    scope = "anon"

    def caller(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return str(self.get_ident(request))


# One instance: the API's throttle for auth=None operations and, as the last auth callback
# (see auth.py), the limit for requests that failed every authentication, because ninja
# answers 401 before any throttle runs.
ANONYMOUS_RATE = AnonymousRate("30/m")
