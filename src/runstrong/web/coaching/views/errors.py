"""The server-error page: 503 "try again shortly" when the database is unavailable, 500 else.

Django calls it for any exception a view or middleware let through, inside the handler that
caught it, so `sys.exception()` is that exception. Rendered without the request, as Django's
own 500 view is: nothing on the page may need the database that just failed.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from runstrong.web.coaching.db_unavailable import RETRY_AFTER_SECONDS, database_unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    if not database_unavailable(sys.exception()):
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    response: HttpResponse
    if request.path.startswith("/api/"):
        # The API's own handler answers in the view; this is for failures around it.
        detail = "The database is unavailable. Try again shortly."
        errors = [{"field": "request", "reason": "database unavailable"}]
        body = {"detail": detail, "errors": errors}
        response = JsonResponse(body, status=503)
    else:
        # "Try again" opens the same address (a form's page again, after a POST).
        page = loader.get_template("503.html").render({"retry": request.get_full_path()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
