"""The account page: where log out, the calendar link and API tokens live, off the main nav."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from runstrong.web.coaching.access import role_of
from runstrong.web.coaching.models import Athlete
from runstrong.web.coaching.request_types import AuthenticatedHttpRequest


@login_required
@require_safe
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    role = role_of(request.user)
    athlete = (
        Athlete.objects.select_related("squad").filter(user=request.user).first()
        if role == "athlete"
        else None
    )
    return render(request, "coaching/account.html", {"role": role, "athlete": athlete})
