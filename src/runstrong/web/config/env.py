"""Typed readers for RUNSTRONG_* environment variables, so a bad value fails at start-up."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env_str(name, "")
    if raw == "":
        return default
    if not (raw.strip().isascii() and raw.strip().isdigit()) or int(raw) < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number, at least {minimum}")
    return int(raw)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Requests allowed and the window in seconds: 1200/m is (1200, 60)."""
    count, _, unit = rate.partition("/")
    if not (count.isascii() and count.isdigit()) or unit[:1] not in _SECONDS:
        raise ValueError(f"{rate!r} is not requests/period, like 1200/m (periods s, m, h, d)")
    return int(count), _SECONDS[unit[:1]]


def env_rate(name: str, default: str) -> str:
    raw = env_str(name, default)
    try:
        parse_rate(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r}: {error}") from None
    return raw
