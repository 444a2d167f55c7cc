"""Invitations: a one-time link for an athlete to choose a login. Only a hash is stored.

A link works once and until it expires (RUNSTRONG_INVITATION_DAYS, 7 by default). Issuing a
new link for the athlete replaces the old one, which stops working at once. Accepting claims
the link with one conditional UPDATE (`used_at IS NULL AND expires_at > now`), so of two
concurrent accepts exactly one sees its row updated: on PostgreSQL the second UPDATE waits for
the first's row lock and re-checks the condition; on SQLite the write lock serialises them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from runstrong.web.coaching.models import Athlete, Coach, Invitation, invitation_expiry
from runstrong.web.coaching.secret_links import new_secret, secret_digest
from runstrong.web.coaching.tasks import send_invitation_emails


class InvitationGone(Exception):
    """The link is unknown, used, replaced, or expired: `reason` says which, for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UsernameTaken(Exception):
    pass


@dataclass(frozen=True)
class Issued:
    athlete: Athlete
    token: str
    expires_at: datetime


def invitation_issue(*, athlete: Athlete) -> Issued:
    """A new link for an athlete who has no login yet; the previous link stops working."""
    if athlete.user_id is not None:
        raise InvitationGone(f"{athlete.name} already has a login.")
    token = new_secret()
    expires = invitation_expiry()
    Invitation.objects.update_or_create(
        athlete=athlete,
        defaults={
            "token_hash": secret_digest(token),
            "used_at": None,
            "created_at": timezone.now(),
            "expires_at": expires,
        },
    )
    return Issued(athlete, token, expires)


def invitation_states(
    athletes: Iterable[Athlete], now: datetime
) -> list[tuple[Athlete, Invitation | None, str]]:
    """Each athlete without a login, their link if any, and where it stands: `none`, `open`,
    `used` or `expired`."""
    athletes = list(athletes)
    links = {i.athlete_id: i for i in Invitation.objects.filter(athlete__in=athletes)}
    rows = []
    for athlete in athletes:
        invitation = links.get(athlete.pk)
        if invitation is None:
            state = "none"
        elif invitation.used_at is not None:
            state = "used"
        else:
            state = "expired" if invitation.expires_at <= now else "open"
        rows.append((athlete, invitation, state))
    return rows


def invitation_get(*, token: str) -> Invitation:
    """The open invitation for a token, or InvitationGone saying why it no longer works."""
    invitation = (
        Invitation.objects.select_related("athlete").filter(token_hash=secret_digest(token)).first()
    )
    if invitation is None:
        raise InvitationGone(
            "This link is not known. It may have been replaced by a newer one: "
            "ask your coach to send you a new link."
        )
    if invitation.used_at is not None or invitation.athlete.user_id is not None:
        raise InvitationGone("This link has been used. Log in with the username you chose.")
    if invitation.expires_at <= timezone.now():
        raise InvitationGone("This link has expired. Ask your coach to send you a new one.")
    return invitation


def invitation_open_for_coach(*, token: str, coach: Coach) -> Invitation | None:
    """The open invitation for `token` if it is for one of this coach's athletes, else None."""
    return (
        Invitation.objects.select_related("athlete__squad")
        .filter(
            token_hash=secret_digest(token),
            athlete__squad__coach=coach,
            athlete__user__isnull=True,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def invitation_accept(*, invitation: Invitation, username: str, password: str) -> User:
    """Claim the link and create the login, all or nothing; InvitationGone if another accept
    (or a re-issue, or expiry) got there first, UsernameTaken if the name went meanwhile."""
    now = timezone.now()
    try:
        with transaction.atomic():
            # The claim comes first, so on SQLite this transaction holds the write lock before
            # it reads anything, and on PostgreSQL the row lock decides the race.
            claimed = Invitation.objects.filter(
                pk=invitation.pk,
                token_hash=invitation.token_hash,
                used_at__isnull=True,
                expires_at__gt=now,
            ).update(used_at=now)
            if claimed != 1:
                raise InvitationGone("This link has just been used or replaced.")
            user = get_user_model().objects.create_user(
                username=username, password=password, email=invitation.athlete.email
            )
            linked = Athlete.objects.filter(pk=invitation.athlete_id, user__isnull=True).update(
                user=user
            )
            if linked != 1:
                raise InvitationGone("This athlete already has a login.")
    except IntegrityError:
        raise UsernameTaken(username) from None
    invitation.athlete.user = user
    invitation.used_at = now
    return user


def invitation_email(*, issued: list[tuple[Issued, str]], coach_name: str) -> int:
    """Queue an email of each link to its athlete (those with an address); the count queued.

    The worker sends them (`send_invitation_emails`), so a coach inviting a squad does not
    wait on the mail server; each invitation then says when it was emailed or why not."""
    messages = []
    for item, link in issued:
        if not item.athlete.email:
            continue
        context = {
            "athlete": item.athlete,
            "link": link,
            "expires_at": item.expires_at,
            "coach_name": coach_name,
            "days": settings.RUNSTRONG_INVITATION_DAYS,
        }
        messages.append(
            {
                "token_hash": secret_digest(item.token),
                "subject": f"{coach_name} invites you to runstrong",
                "body": render_to_string("coaching/email/invitation.txt", context),
                "to": item.athlete.email,
            }
        )
    if messages:
        send_invitation_emails.enqueue(messages)
    return len(messages)


def invitations_issue(
    *, athletes: Iterable[Athlete], link_for: Callable[[str], str]
) -> list[tuple[Issued, str]]:
    """A new link for each athlete (the caller's transaction), with its address from
    `link_for(token)`."""
    issued = [invitation_issue(athlete=athlete) for athlete in athletes]
    return [(item, link_for(item.token)) for item in issued]
