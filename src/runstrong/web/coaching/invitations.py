"""Invitations: a one-time link for an athlete to choose a login. Only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from runstrong.web.coaching.models import Athlete, Invitation


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, athlete: Athlete) -> str:
    """A fresh token for the athlete (replacing any earlier one); shown once, never stored."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.update_or_create(
        athlete=athlete, defaults={"token_hash": _digest(token), "used_at": None}
    )
    return token


def invitation_get(*, token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("athlete").get(
            token_hash=_digest(token), used_at__isnull=True, athlete__user__isnull=True
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def invitation_accept(*, invitation: Invitation, username: str, password: str) -> AbstractBaseUser:
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, password=password, email=invitation.athlete.email
        )
        invitation.athlete.user = user
        invitation.athlete.save(update_fields=["user"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return user
