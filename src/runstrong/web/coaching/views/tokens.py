"""Personal API tokens: list, create (shown once), revoke. For coaches and athletes alike."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from runstrong.web.coaching.forms import TokenForm
from runstrong.web.coaching.models import ApiToken
from runstrong.web.coaching.request_types import AuthenticatedHttpRequest
from runstrong.web.coaching.tokens import TokenError, token_create, token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
            )
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user)
    return render(request, "coaching/tokens.html", {"form": form, "tokens": rows, "secret": secret})


@login_required
@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    try:
        token = token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, f"Revoked “{token.name}”. Tools using it are locked out now.")
    return redirect("coaching:tokens")
