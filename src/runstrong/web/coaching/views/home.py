from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from runstrong.web.coaching.access import role_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == "coach":
        return redirect("coaching:overview")
    if role == "athlete":
        return redirect("coaching:today")
    return render(request, "coaching/no_role.html")


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
