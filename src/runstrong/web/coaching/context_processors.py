"""Template context for every page: which nav the signed-in user gets, worked out only when a
page without its own nav asks for it (the account and token pages)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from runstrong.web.coaching.access import role_of


def nav(request: HttpRequest) -> dict[str, Any]:
    return {"nav_role": functools.partial(role_of, request.user)}
