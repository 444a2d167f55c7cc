"""Sending queued emails: invitation links (saying on each invitation how it went) and
password reset links."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from runstrong.web.coaching.models import Invitation

logger = logging.getLogger(__name__)


def invitation_emails_send(messages: list[dict[str, Any]]) -> int:
    """Send each message over one connection; the count sent. A link replaced or used since
    it was queued is not sent (it no longer works). Each invitation records when it was
    emailed, or why it could not be, for the coach's invitations page."""
    live = set(
        Invitation.objects.filter(
            token_hash__in=[m["token_hash"] for m in messages], used_at__isnull=True
        ).values_list("token_hash", flat=True)
    )
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        _failed([m["token_hash"] for m in messages if m["token_hash"] in live], error)
        return 0
    try:
        for message in messages:
            if message["token_hash"] not in live:
                continue
            email = EmailMessage(message["subject"], message["body"], to=[message["to"]])
            try:
                connection.send_messages([email])
            except (OSError, smtplib.SMTPException) as error:
                _failed([message["token_hash"]], error)
                continue
            sent += 1
            Invitation.objects.filter(token_hash=message["token_hash"]).update(
                emailed_at=timezone.now(), email_error=""
            )
    finally:
        connection.close()
    return sent


def _failed(token_hashes: list[str], error: BaseException) -> None:
    logger.warning("invitation email failed: %s", error)
    reason = (str(error) or type(error).__name__)[:200]
    Invitation.objects.filter(token_hash__in=token_hashes).update(email_error=reason)


def plain_emails_send(messages: list[dict[str, Any]]) -> int:
    """Send each {subject, body, to} message over one connection; the count sent."""
    emails = [EmailMessage(m["subject"], m["body"], to=[m["to"]]) for m in messages]
    with get_connection() as connection:
        return connection.send_messages(emails) or 0
