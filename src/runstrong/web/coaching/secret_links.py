"""Secrets handed to a person once (API tokens, invitation links, calendar-feed URLs).

Only the digest is stored, so a copy of the database opens nothing. The secrets are long and
random, so one unsalted SHA-256 is enough and a lookup by digest stays an index hit.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
