"""A coach's personal API tokens: the tokens page's list, create and revoke, as JSON.

A token's secret is in the create answer only; the server keeps its hash. So create takes
no Idempotency-Key (a replay would mean storing the secret in the clear); a retry makes a
second token, which the hourly limit bounds and `revoke_token` removes. Revoking is
repeatable as it is: a revoked token stays revoked, from the first time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import Throttled
from ninja.pagination import paginate

from runstrong.api.form_errors import check
from runstrong.api.idempotency import IdempotencyKey, run_once
from runstrong.api.pagination import Page
from runstrong.api.schemas import ErrorOut, RowId
from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.forms import TokenForm
from runstrong.web.coaching.models import ApiToken
from runstrong.web.coaching.tokens import TokenError, token_create, token_revoke

router = Router(tags=["tokens"])


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The secret's first characters, to tell tokens apart")
    read_only: bool
    created_at: datetime
    last_used_at: datetime | None = Field(description="Kept to within a few minutes")
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    secret: str = Field(description="The token itself, shown this once: `Bearer <secret>`")


class ApiTokenIn(Schema):
    name: str = Field(description="What it is for")
    read_only: bool = Field(default=False, description="Reads only: every write answers 403")


class TokenLimit(Throttled):
    """429: the hourly limit on new tokens, in the limit's own words (Retry-After: at most
    an hour)."""

    def __init__(self, reason: str) -> None:
        super().__init__(wait=3600)
        self.message = reason


@router.get("/tokens", response={200: list[ApiTokenOut], 404: ErrorOut}, operation_id="list_tokens")
@paginate(Page)
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """The coach's own tokens, newest first, revoked ones too; never a secret."""
    coach = coach_for(request.user)
    return ApiToken.objects.filter(user_id=coach.user_id).order_by("-created_at", "-pk")


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="create_token",
)
def create_token(request: HttpRequest, payload: ApiTokenIn) -> Status[dict[str, Any]]:
    """A new token acting as the coach, made from a signed-in session only: a token cannot
    make another, so a leaked one cannot leave tokens behind that outlive its revocation.
    Its secret is in this answer only: keep it then."""
    coach = coach_for(request.user)
    if getattr(request, "api_token", None) is not None:
        raise PermissionDenied("Tokens are made from a signed-in session, not with a token.")
    form = TokenForm(payload.dict())
    check(form)
    try:
        token, secret = token_create(
            user=coach.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
        )
    except TokenError as error:
        raise TokenLimit(str(error)) from None
    body = ApiTokenOut.from_orm(token).model_dump() | {"secret": secret}
    return Status(201, body)


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 404: ErrorOut, 409: ErrorOut},
    operation_id="revoke_token",
)
def revoke_token(
    request: HttpRequest, token_id: RowId, idempotency_key: IdempotencyKey = None
) -> Status[None]:
    """Revoke one of the coach's tokens: tools using it get 401 from now on. Revoking it
    again answers the same."""
    coach = coach_for(request.user)

    def revoke() -> tuple[int, dict[str, Any]]:
        try:
            token_revoke(user=coach.user, token_id=token_id)
        except ApiToken.DoesNotExist:
            raise Http404 from None
        return 204, {}

    status, _ = run_once(
        user=request.user, key=idempotency_key, path=request.path, body={}, action=revoke
    )
    return Status(status, None)
