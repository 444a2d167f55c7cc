"""`{% load plain %}`: engine codes as plain words on the athlete's pages (plain_words.py)."""

from __future__ import annotations

from django import template

from runstrong.web.coaching import plain_words
from runstrong.web.coaching.item_overrides import coach_notes

register = template.Library()

register.filter("plain_change", plain_words.plain_change)
register.filter("plain_phase", plain_words.plain_phase)
register.filter("plain_verdict", plain_words.plain_verdict)
register.filter("plain_sex", plain_words.plain_sex)
register.filter("coach_notes", coach_notes)


@register.filter
def of_standard(ratio: float) -> str:
    """0.893 → `89 % of the standard`."""
    return f"{ratio:.0%} of the standard".replace("%", " %", 1)


@register.filter
def number(value: float) -> str:
    """25.2 → `25.2`, 180.0 → `180`, 0.2467 → `0.25`: no trailing zeros."""
    return f"{round(float(value), 2):g}"
