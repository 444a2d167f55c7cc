"""What a view's request carries, for the type checker.

django-htmx's middleware adds `request.htmx`; behind `login_required` the user is an account,
never AnonymousUser. Annotating a view with these is the pattern django-htmx and django-stubs
document, in place of ignoring the checker at each use.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    user: User
