"""`runstrong prune`: drop the bookkeeping that otherwise grows for ever.

What goes: expired login sessions, idempotency records, login-lockout attempts and access
logs, finished background-task results, and the token hashes of invitations that expired
(the invitation row stays, so the roster still shows it was sent). Nothing an athlete or a
coach entered is touched: each step names its one table, and none of them cascades into a
plan, a log, a pain report or a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from runstrong.web.coaching.models import IdempotencyRecord, Invitation

# A phone offline in the gym may retry a tap days later, and sessions of the last 7 days can
# still be logged: an idempotency record must outlive that window.
MIN_DAYS = 8
DEFAULT_DAYS = 30
# What a pruned invitation keeps in place of its token hash: not hex, so no token's SHA-256
# can ever match it, and unique per row as the column requires.
PRUNED_TOKEN_PREFIX = "pruned:"


@dataclass(frozen=True)
class Pruned:
    """How many rows each step removed (or, for invitations, cleared)."""

    sessions: int
    idempotency_records: int
    lockouts: int
    access_logs: int
    task_results: int
    invitation_tokens: int

    def lines(self) -> list[tuple[str, int]]:
        return [
            ("expired login sessions", self.sessions),
            ("idempotency records", self.idempotency_records),
            ("login attempts and lockouts", self.lockouts),
            ("access and failure logs", self.access_logs),
            ("finished background-task results", self.task_results),
            ("expired invitations' tokens", self.invitation_tokens),
        ]


def prune(*, days: int = DEFAULT_DAYS) -> Pruned:
    """Remove what is older than `days` (at least MIN_DAYS); each step is its own short
    transaction, so a busy server waits for none of them for long."""
    if days < MIN_DAYS:
        raise ValueError(f"days must be at least {MIN_DAYS} (the logging window plus a day)")
    now = timezone.now()
    before = now - timedelta(days=days)
    with transaction.atomic():
        sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    with transaction.atomic():
        records = IdempotencyRecord.objects.filter(created_at__lt=before).delete()[0]
    with transaction.atomic():
        lockouts = AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0]
    with transaction.atomic():
        logs = AccessLog.objects.filter(attempt_time__lt=before).delete()[0]
        logs += AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0]
    with transaction.atomic():
        tasks = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()[0]
    with transaction.atomic():
        tokens = (
            Invitation.objects.filter(expires_at__lt=before)
            .exclude(token_hash__startswith=PRUNED_TOKEN_PREFIX)
            .update(
                token_hash=Concat(
                    Value(PRUNED_TOKEN_PREFIX), Cast(F("pk"), output_field=CharField())
                )
            )
        )
    return Pruned(sessions, records, lockouts, logs, tasks, tokens)
