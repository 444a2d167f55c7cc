"""Idempotency keys: the same key and body records once and replays the first response."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from ninja import HeaderEx, P

from runstrong.api.errors import Conflict
from runstrong.web.coaching.access import AnyUser
from runstrong.web.coaching.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# An operation's optional `Idempotency-Key` header parameter, in the form mypy reads too.
IdempotencyKey = HeaderEx[str | None, P(alias=HEADER)]


def body_hash(path: str, body: dict[str, Any]) -> str:
    canonical = json.dumps({"path": path, "body": body}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(
    *,
    user: AnyUser,
    key: str | None,
    path: str,
    body: dict[str, Any],
    action: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run `action` for this key once; a retry with the same body gets the stored response.

    The record and the action commit together, so a concurrent retry blocks on the unique key
    until the first request has finished, then replays its response.
    """
    if not key or not user.is_authenticated:  # only a signed-in caller has records
        return action()
    if len(key) > 200:
        raise Conflict(HEADER, "Idempotency-Key is longer than 200 characters.")
    digest = body_hash(path, body)
    for _ in range(2):
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is not None:
            if existing.request_hash != digest:
                raise Conflict(HEADER, "This Idempotency-Key was used with another request body.")
            return existing.status, existing.body
        try:
            with transaction.atomic():
                status, response = action()
                IdempotencyRecord.objects.create(
                    user=user, key=key, request_hash=digest, status=status, body=response
                )
                return status, response
        except IntegrityError:
            continue  # another request with this key committed first: replay its response
    raise Conflict(HEADER, "This Idempotency-Key is being used by another request; retry.")
