"""The NinjaAPI at /api/v1/: token or session auth, one router per area, JSON errors."""

from django.conf import settings
from django.http import HttpRequest
from ninja import Status
from ninja.renderers import JSONRenderer

from runstrong import __version__
from runstrong.api import (
    athletes,
    athletes_admin,  # noqa: F401  (adds the coach's writes to athletes.router)
    benchmarks,
    catalog,
    drafts,
    errors,
    invitations,
    item_edits,
    pain_flags,
    plans,
    races,
    roster_import,
    running,
    runs,
    sessions,
    standards,
    test_days,
    tokens,
    workouts,
)
from runstrong.api.auth import API_AUTH
from runstrong.api.document import RunstrongAPI
from runstrong.api.schemas import HealthOut
from runstrong.api.throttles import ANONYMOUS_RATE, SignedInRate
from runstrong.web.coaching.health import database_problem


class StrictJSONRenderer(JSONRenderer):
    """JSON as RFC 8259 has it: a NaN or infinity is an error here, never `Infinity` in a
    body that breaks every client's parser (input refuses them; this is the last guard)."""

    json_dumps_params = {"allow_nan": False}


api = RunstrongAPI(
    title="runstrong API",
    version="1",
    description=(
        "Plans, sessions, set logs and benchmarks for coaches and athletes. Authenticate with "
        "a personal token (`Authorization: Bearer rs_…`, created in the web app) or the "
        "browser session (with CSRF). Errors are JSON: `{detail, errors: [{field, reason}]}`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    renderer=StrictJSONRenderer(),
    throttle=[ANONYMOUS_RATE, SignedInRate(settings.RUNSTRONG_API_RATE)],
)
errors.install(api)
# item_edits before drafts: /plans/group-edit must not reach drafts' /plans/{plan_id}.
modules = (
    catalog,
    athletes,
    plans,
    sessions,
    workouts,
    benchmarks,
    item_edits,
    drafts,
    running,
    runs,
)
for module in modules:
    api.add_router("/", module.router)
for module in (races, test_days, invitations, pain_flags, roster_import, standards, tokens):
    api.add_router("/", module.router)


@api.get(
    "/health", auth=None, tags=["health"], throttle=[], response={200: HealthOut, 503: HealthOut}
)
def health(request: HttpRequest) -> Status[HealthOut]:
    """ok when the database answers and takes a write; 503 with the reason when not."""
    problem = database_problem()
    if problem:
        return Status(503, HealthOut(status="unavailable", version=__version__, detail=problem))
    return Status(200, HealthOut(status="ok", version=__version__))
