"""API request limits per caller, counted by `rate_windows` (a counter per fixed window).

ninja's SimpleRateThrottle keeps a list of timestamps on the throttle object, which every
thread of a worker shares, and re-pickles that list on each request.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from runstrong.web.coaching.client_ip import client_ip
from runstrong.web.coaching.rate_windows import window_left, within_limit


class WindowThrottle(BaseThrottle, ABC):
    scope = ""

    def __init__(self, rate: str) -> None:
        self.rate = rate

    @abstractmethod
    def caller(self, request: HttpRequest) -> str | None:
        """Whom this request counts against, or None when this limit does not apply."""

    def allow_request(self, request: HttpRequest) -> bool:
        caller = self.caller(request)
        return caller is None or within_limit(self.scope, caller, self.rate)

    def wait(self) -> float:
        return window_left(self.rate)

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
