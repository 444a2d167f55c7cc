"""Resolving a pain flag: the coach has dealt with it. The report itself stays as logged."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from runstrong.web.coaching.models import Coach, PainReport


def pain_flag_resolve(*, coach: Coach, flag_id: int) -> PainReport:
    """Mark one of the coach's athletes' pain reports resolved; 404 for anyone else's.
    Resolving it again keeps the first time (a repeated click changes nothing)."""
    try:
        flag = PainReport.objects.get(pk=flag_id, athlete__squad__coach=coach)
    except PainReport.DoesNotExist:
        raise Http404 from None
    if flag.resolved_at is None:
        PainReport.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        flag.refresh_from_db(fields=["resolved_at"])
    return flag
