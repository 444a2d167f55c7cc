"""Accounts: creating coaches (and later inviting athletes)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from runstrong.engine.errors import RunstrongError
from runstrong.web.coaching.models import Club, Coach, Squad


class AccountError(RunstrongError):
    pass


def coach_create(*, username: str, password: str, club: str, squad: str) -> Coach:
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise AccountError(f"username: {username!r} is taken; choose another")
    user = users(username=username)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(f"password: {' '.join(error.messages)}") from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        club_row, _ = Club.objects.get_or_create(name=club)
        coach = Coach.objects.create(user=user, club=club_row)
        Squad.objects.create(club=club_row, coach=coach, name=squad)
    return coach
