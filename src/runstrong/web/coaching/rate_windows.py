"""Request limits: a counter per caller per fixed window, kept in Django's cache.

One atomic cache increment per request, no state between calls; with a shared cache (Redis)
the limit holds across workers too. A caller may burst up to twice the limit across a window
edge, which is fine for limits that only stop abuse.
"""

from __future__ import annotations

import time

from django.core.cache import caches

from runstrong.web.config.env import parse_rate


def within_limit(scope: str, caller: str, rate: str, *, alias: str = "default") -> bool:
    """Count this request against `caller` in `scope`; False once over `rate` (e.g. 5/h).
    `alias` "limits" counts across every worker of the server even without Redis."""
    cache = caches[alias]
    limit, window = parse_rate(rate)
    key = f"runstrong:throttle:{scope}:{caller}:{int(time.time() // window)}"
    try:
        count = cache.incr(key)
    except ValueError:  # the first request of this window
        count = 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)
    return count <= limit


def window_left(rate: str) -> float:
    """Seconds until the current window of `rate` ends."""
    _, window = parse_rate(rate)
    return window - time.time() % window
