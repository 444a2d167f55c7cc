"""Invitations: who has no login yet and where their link stands; new links on request.

A new link replaces the athlete's previous one (one invitation per athlete), so issuing
again never doubles anything. The answer carries the links themselves, which the server
keeps only as hashes: this operation takes no Idempotency-Key, as replaying it would mean
storing live links in the clear.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from runstrong.api.errors import Conflict
from runstrong.api.form_errors import check
from runstrong.api.pagination import Page
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.forms import InvitationIssueForm
from runstrong.web.coaching.invitations import (
    InvitationGone,
    invitation_email,
    invitation_states,
    invitations_issue,
)
from runstrong.web.coaching.models import Athlete, Squad

router = Router(tags=["invitations"])


class InvitationStateOut(Schema):
    athlete_id: int
    name: str
    email: str
    squad_id: int
    state: str = Field(description="none, open, used or expired")
    expires_at: datetime | None
    emailed_at: datetime | None = Field(description="When the worker emailed the link")
    email_error: str = Field(description="Why the link could not be emailed, or empty")


class InvitationsIn(Schema):
    athlete_ids: list[RowId] = Field(min_length=1, max_length=500)
    send_email: bool = Field(default=False, description="Email each link (athletes with one)")


class IssuedOut(Schema):
    athlete_id: int
    name: str
    link: str
    expires_at: datetime


class InvitationsOut(Schema):
    issued: list[IssuedOut]
    emailed: int = Field(
        description="Emails queued for the worker; list_invitations says when each went or why not"
    )


# A coach's list: anyone else gets the 404 every coach-only operation gives.
@router.get(
    "/invitations",
    response={200: list[InvitationStateOut], 404: ErrorOut},
    operation_id="list_invitations",
)
@paginate(Page)
def list_invitations(request: HttpRequest) -> list[dict[str, Any]]:
    """The coach's athletes without a login, and where each one's link stands."""
    coach = coach_for(request.user)
    waiting = (
        Athlete.objects.filter(squad__coach=coach, user__isnull=True)
        .select_related("squad")
        .order_by("squad_id", "name", "pk")
    )
    return _LazyStates(waiting, timezone.now())  # type: ignore[return-value]


class _LazyStates:
    """Looks up the links of the page the paginator slices only, not of every athlete."""

    def __init__(self, waiting: QuerySet[Athlete], now: datetime) -> None:
        self.waiting = waiting
        self.now = now

    def count(self) -> int:
        return self.waiting.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [
            {"athlete_id": athlete.pk, "name": athlete.name, "email": athlete.email,
             "squad_id": athlete.squad_id, "state": state,
             "expires_at": invitation.expires_at if invitation else None,
             "emailed_at": invitation.emailed_at if invitation else None,
             "email_error": invitation.email_error if invitation else ""}
            for athlete, invitation, state in invitation_states(self.waiting[window], self.now)
        ]  # fmt: skip


@router.post(
    "/invitations",
    response={201: InvitationsOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="issue_invitations",
)
def issue_invitations(request: HttpRequest, payload: InvitationsIn) -> Status[InvitationsOut]:
    """A new login link for each athlete named (of the coach's squads, without a login yet);
    each replaces that athlete's previous link, which stops working at once."""
    coach = coach_for(request.user)
    form = InvitationIssueForm(
        {"athletes": [str(pk) for pk in payload.athlete_ids], "send_email": payload.send_email},
        squads=Squad.objects.filter(coach=coach),
    )
    check(form, names={"athletes": "athlete_ids"})
    try:
        with transaction.atomic():
            issued = invitations_issue(
                athletes=list(form.cleaned_data["athletes"]),
                link_for=lambda token: request.build_absolute_uri(reverse("invite", args=[token])),
            )
    except InvitationGone as error:  # a login made meanwhile
        raise Conflict("athlete_ids", error.reason) from None
    sent = 0
    if payload.send_email:
        user = request.user
        name = (user.get_full_name() if user.is_authenticated else "") or coach.club.name
        sent = invitation_email(issued=issued, coach_name=name)
    return Status(
        201,
        InvitationsOut(
            issued=[
                IssuedOut(
                    athlete_id=item.athlete.pk,
                    name=item.athlete.name,
                    link=link,
                    expires_at=item.expires_at,
                )
                for item, link in issued
            ],
            emailed=sent,
        ),
    )
