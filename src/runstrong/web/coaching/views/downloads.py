"""Coach downloads: a squad's or one athlete's logs and test results, as CSV or JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from runstrong.web.coaching.access import athlete_get_for_coach, coach_for
from runstrong.web.coaching.downloads import (
    LOG_COLUMNS,
    RESULT_COLUMNS,
    as_csv,
    as_json,
    log_rows,
    result_rows,
)
from runstrong.web.coaching.models import Athlete
from runstrong.web.coaching.site_catalog import group_names

KINDS = {"logs": (log_rows, LOG_COLUMNS), "results": (result_rows, RESULT_COLUMNS)}
TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@login_required
@require_safe
def export(
    request: HttpRequest, kind: str, fmt: str, athlete_id: int | None = None
) -> StreamingHttpResponse:
    if kind not in KINDS or fmt not in TYPES:
        raise Http404
    coach = coach_for(request.user)
    if athlete_id is not None:
        athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
        athletes = Athlete.objects.filter(pk=athlete.pk)
        label = f"athlete-{athlete.pk}"
    else:
        athletes = Athlete.objects.filter(squad__coach=coach)
        group = request.GET.get("group")
        if group in group_names():
            athletes = athletes.filter(event_group=group)
        label = "squad" if not group else f"squad-{group}"
    rows, columns = KINDS[kind]
    body = (
        as_csv(rows(athletes), columns) if fmt == "csv" else as_json(rows(athletes), columns, kind)
    )
    response = StreamingHttpResponse(body, content_type=TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="runstrong-{label}-{kind}-{stamp}.{fmt}"'
    )
    return response
