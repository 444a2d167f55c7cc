"""Secrets that travel in URLs stay out of the logs.

A calendar feed's token, an invitation's token and a password-reset token are the whole of
their credential: anyone who reads them in a log (or in a Referer header written to it) can
follow the athlete's calendar or claim their login. Every access-log line gunicorn writes and
every record Django's request loggers emit has them replaced by `[redacted]`.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Cheap substring checks first: most log lines carry none of these.
_MARKERS = ("/calendar/", "/invite/", "/password/reset/")
_SECRET_IN_PATH = re.compile(
    r"(?P<keep>/calendar/(?:squad/)?|/invite/|/password/reset/[^/?#\s\"]+/)"
    r"(?P<secret>[^/?#\s\".]+)"
)


def redact(text: str) -> str:
    """`text` with each URL secret replaced: `/calendar/[redacted].ics`, `/invite/[redacted]/`,
    `/password/reset/<uid>/[redacted]/`."""
    if not any(marker in text for marker in _MARKERS):
        return text
    return _SECRET_IN_PATH.sub(lambda found: found["keep"] + REDACTED, text)


class RedactingGunicornLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's logger (`logger_class` in web/config/gunicorn.py) with the access log's
    request line, path, Referer and every other text atom redacted."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = redact(value)
        return atoms


class RedactTokens(logging.Filter):
    """For Django's loggers: `Not Found: /calendar/…` and its kin, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
