"""The caller's address: one answer for API rate limits, bad-token limits and login lockouts.

RUNSTRONG_TRUSTED_PROXIES is how many reverse proxies stand in front of the app. With 0 (the
default) the caller is REMOTE_ADDR and X-Forwarded-For is ignored: anyone can write that
header. With N, each proxy appends the address it saw to X-Forwarded-For, so the Nth entry
from the right is the one the outermost proxy saw; anything to its left came from the client
and may be forged. A request that did not pass through all N proxies (too few entries) or
whose entry is not an address counts as REMOTE_ADDR, i.e. against the proxy's own address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "RUNSTRONG_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
