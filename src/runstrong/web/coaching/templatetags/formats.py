"""`{% load formats %}`: dates, training days and event groups written the one way the engine's
wording module writes them, so pages, PDFs and feeds agree ("Thu 3 Dec", "10 km", "Mon, Thu")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from runstrong.engine import wording
from runstrong.engine.running import pace_text
from runstrong.web.coaching.site_catalog import site_catalog

register = template.Library()


def _local_day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def _on_day(write: Callable[[date], str]) -> Callable[[date | datetime | None], str]:
    """A date filter that takes dates and (local) datetimes and writes nothing for no date."""

    def written(value: date | datetime | None) -> str:
        return write(_local_day(value)) if value else ""

    return written


register.filter("day", _on_day(wording.weekday_date))
register.filter("day_year", _on_day(wording.weekday_date_year))
register.filter("day_month", _on_day(wording.day_month))


@register.filter
def ago(value: date | datetime | None) -> str:
    """`3 days ago` as the overview says it, the date itself in a tooltip and for machines."""
    if not value:
        return ""
    day = _local_day(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        day.isoformat(),
        wording.weekday_date(day),
        wording.age_text(day, timezone.localdate()),
    )


@register.filter
def weekdays(codes: Iterable[str] | None) -> str:
    return wording.weekdays(codes or ())


@register.filter
def group(slug: str | None) -> str:
    return wording.group_label(slug, site_catalog()) if slug else ""


@register.filter
def pace(seconds_per_km: float | None) -> str:
    """245 → `4:05 /km`."""
    return pace_text(seconds_per_km)
