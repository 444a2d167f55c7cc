"""The athlete's session page on a phone: where the session stands, when to rest, what to keep
for offline use. Views and templates read these; nothing here writes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from django.urls import reverse

from runstrong.engine.model import block_of, round_rest
from runstrong.web.coaching.models import (
    Athlete,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)

# An unfinished session stays on the Today screen, and can be logged, for this many days.
LATE_DAYS = 7
# Today's session and this many after it open without a connection.
OFFLINE_AHEAD = 2

State = Literal["open", "done", "details", "missed"]


@dataclass(frozen=True)
class SessionStatus:
    """`details`: done by its last set; effort, pain and notes may still follow once."""

    state: State
    logged: int
    total: int
    late: bool
    log: SessionLog | None

    @property
    def finished(self) -> bool:
        return self.state != "open"

    @property
    def takes_sets(self) -> bool:
        return self.state == "open"

    @property
    def takes_details(self) -> bool:
        return self.state in ("open", "details")

    @property
    def text(self) -> str:
        if self.state == "missed":
            return "Marked missed."
        if self.state == "details":
            return "Done ✓ Every set is saved. How did it feel? Add it below if you like."
        if self.state == "done":
            return "Done ✓ Saved."
        return f"{self.logged} of {self.total} sets saved. The session is done when every set is."


def rest_rounds(items: list[PlannedItem]) -> dict[int, tuple[str, bool, int]]:
    """Per item: its block, whether the block is a superset, and the rest after one round.

    A round is one set of every item in the block (both sides of a per-side item): the rest
    comes after the round, never between A1 and A2 or between left and right. The round's rest
    is the longest `rest_s` of the block (the engine gives it to the last item).
    """
    blocks: dict[str, list[PlannedItem]] = {}
    for item in sorted(items, key=lambda item: item.slot):
        blocks.setdefault(block_of(item.slot), []).append(item)
    return {
        item.pk: (block, len(members) > 1, round_rest([member.rest_s for member in members]))
        for block, members in blocks.items()
        for item in members
    }


def session_status(
    session: PlannedSession, rows: list[dict[str, Any]], today: date, logged: int | None = None
) -> SessionStatus:
    """Where the session stands; `logged` counts its saved sets when `rows` predate a save."""
    log = SessionLog.objects.filter(session=session).first()
    logged = sum(1 for row in rows if row["logged"]) if logged is None else logged
    if log is None:
        state: State = "open"
    elif log.status == "missed":
        state = "missed"
    else:
        state = "details" if log.by_last_set else "done"
    return SessionStatus(state, logged, len(rows), session.date < today, log)


def late_sessions(athlete: Athlete, today: date) -> list[PlannedSession]:
    """The athlete's sessions of the last LATE_DAYS days that are neither done nor missed."""
    return list(
        PlannedSession.objects.filter(
            athlete=athlete,
            plan__published_at__isnull=False,
            date__lt=today,
            date__gte=today - timedelta(days=LATE_DAYS),
            log__isnull=True,
        ).order_by("-date")
    )


def offline_pages(athlete: Athlete, today: date) -> list[str]:
    """Pages the phone keeps for a gym without signal, as `url@version`: Today, today's
    session and the next OFFLINE_AHEAD, and the unfinished ones that can still be logged
    late. A version changes when what its page shows may have (the plan rewrote an item, a
    coach edited one, a set or the session was logged), so the phone fetches only those."""
    ahead = PlannedSession.objects.filter(
        athlete=athlete, plan__published_at__isnull=False, date__gte=today
    ).order_by("date")[: OFFLINE_AHEAD + 1]
    sessions = [*ahead, *late_sessions(athlete, today)]
    digests = {
        session.pk: hashlib.sha256(f"{session.date}|{session.plan_id}".encode())
        for session in sessions
    }
    rows = (
        PlannedItem.objects.filter(session_id__in=digests).order_by("pk").values_list(*ITEM_SHOWN),
        SetLog.objects.filter(item__session_id__in=digests)
        .order_by("pk")
        .values_list("item__session_id", "pk", "done", "load_kg"),
        SessionLog.objects.filter(session_id__in=digests).values_list(
            "session_id", "status", "logged_at"
        ),
    )
    for queryset in rows:
        for row in queryset:
            digests[row[0]].update(repr(row).encode())
    versions = {pk: digest.hexdigest()[:12] for pk, digest in digests.items()}
    every = hashlib.sha256(f"{today}|{sorted(versions.items())}".encode()).hexdigest()[:12]
    return [
        f"{reverse('coaching:today')}@{every}",
        *(
            f"{reverse('coaching:session-log', args=[session.pk])}@{versions[session.pk]}"
            for session in sessions
        ),
    ]


# What a kept session page shows of each item.
ITEM_SHOWN = (
    "session_id",
    "pk",
    "slot",
    "name",
    "sets",
    "target",
    "per_side",
    "load_kg",
    "rest_s",
    "measure",
    "footwear",
    "edited_by_coach",
    "fingerprint",
    "text_id",
)
