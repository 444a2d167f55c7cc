from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from runstrong.web.coaching.access import role_of
from runstrong.web.coaching.health import database_problem


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == "coach":
        return redirect("coaching:overview")
    if role == "athlete":
        return redirect("coaching:today")
    return render(request, "coaching/no_role.html")


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    problem = database_problem()
    if problem:
        return HttpResponse(problem, content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")
