"""Personal API tokens: created and revoked by their owner in the web app."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import timezone

from runstrong.engine.errors import RunstrongError
from runstrong.web.coaching.models import ApiToken
from runstrong.web.coaching.secret_links import new_secret, secret_digest
from runstrong.web.coaching.sql import columns, table

TOKEN_PREFIX = "rs_"
MAX_NEW_PER_HOUR = 10


class TokenError(RunstrongError):
    pass


def token_create(*, user: User, name: str, read_only: bool) -> tuple[ApiToken, str]:
    """A new token and its secret, which is returned here once and never stored."""
    hour_ago = timezone.now() - timedelta(hours=1)
    if ApiToken.objects.filter(user=user, created_at__gte=hour_ago).count() >= MAX_NEW_PER_HOUR:
        raise TokenError(f"At most {MAX_NEW_PER_HOUR} new tokens an hour; try again later.")
    secret = TOKEN_PREFIX + new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        token_hash=secret_digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 5],
        read_only=read_only,
    )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke the user's own token; one revoked already keeps its first revocation time."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@dataclass(frozen=True)
class TokenUse:
    """Who a presented token acts for, and whether it may write."""

    user: User
    read_only: bool


LAST_USED_EVERY = timedelta(minutes=5)


@functools.cache
def _lookup_sql() -> str:
    # Runs on every API request, so it is one plain statement (see sql.py).
    user_model = get_user_model()
    token, user = columns(ApiToken), columns(user_model)
    return (
        f"SELECT t.{token['id']}, t.{token['read_only']},"
        f" (t.{token['last_used_at']} IS NULL OR t.{token['last_used_at']} < %s),"
        f" u.{user['id']}, u.{user[user_model.USERNAME_FIELD]}"
        f" FROM {table(ApiToken)} t JOIN {table(user_model)} u"
        f" ON u.{user['id']} = t.{token['user']}"
        f" WHERE t.{token['token_hash']} = %s AND t.{token['revoked_at']} IS NULL"
        f" AND u.{user['is_active']}"
    )


def token_authenticate(secret: str) -> TokenUse | None:
    """The live token for this secret, as its active owner, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_EVERY)
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [stale_before, secret_digest(secret)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, read_only, last_used_is_stale, *user_values = row
    if last_used_is_stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    # The key and the name (so that printing the user needs no query) are loaded; the ORM
    # fetches any other field the moment something reads it.
    user_model = get_user_model()
    user = user_model.from_db(DEFAULT_DB_ALIAS, ["id", user_model.USERNAME_FIELD], user_values)
    return TokenUse(user=user, read_only=bool(read_only))
