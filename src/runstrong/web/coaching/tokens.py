"""Personal API tokens: created and revoked by their owner in the web app."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from runstrong.engine.errors import RunstrongError
from runstrong.web.coaching.models import ApiToken

TOKEN_PREFIX = "rs_"
MAX_NEW_PER_HOUR = 10


class TokenError(RunstrongError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: AbstractBaseUser, name: str, read_only: bool) -> tuple[ApiToken, str]:
    """A new token and its secret, which is returned here once and never stored."""
    hour_ago = timezone.now() - timedelta(hours=1)
    if ApiToken.objects.filter(user=user, created_at__gte=hour_ago).count() >= MAX_NEW_PER_HOUR:
        raise TokenError(f"At most {MAX_NEW_PER_HOUR} new tokens an hour; try again later.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        token_hash=_digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 5],
        read_only=read_only,
    )
    return token, secret


def token_revoke(*, user: AbstractBaseUser, token_id: int) -> ApiToken:
    token = ApiToken.objects.get(pk=token_id, user=user, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token for this secret, with its user, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    try:
        token = ApiToken.objects.select_related("user").get(
            token_hash=_digest(secret), revoked_at__isnull=True, user__is_active=True
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
