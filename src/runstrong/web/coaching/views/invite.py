"""An invited athlete chooses a username and password, then lands on today's session."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from runstrong.web.coaching.forms import InviteAcceptForm
from runstrong.web.coaching.invitations import (
    InvitationGone,
    UsernameTaken,
    invitation_accept,
    invitation_get,
)


def _gone(request: HttpRequest, reason: str) -> HttpResponse:
    # 404 like any unknown link, with a page that says what to do next.
    return render(request, "coaching/invite_gone.html", {"reason": reason}, status=404)


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_get(token=token)
    except InvitationGone as gone:
        return _gone(request, gone.reason)
    initial = {
        "username": invitation.athlete.email.split("@")[0] if invitation.athlete.email else ""
    }
    form = InviteAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except InvitationGone as gone:
            return _gone(request, gone.reason)
        except UsernameTaken:
            form.add_error("username", "That username is taken; choose another.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("coaching:today")
    return render(
        request,
        "coaching/invite.html",
        {"form": form, "athlete": invitation.athlete, "expires_at": invitation.expires_at},
    )
