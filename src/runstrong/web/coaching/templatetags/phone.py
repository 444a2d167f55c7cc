"""Template filters for the athlete's phone pages."""

from __future__ import annotations

from django import template

from runstrong.web.coaching.phone import CHANGE_WORDS

register = template.Library()


@register.filter
def change_words(change: str) -> str:
    """The engine's change code in the athlete's words: `regress` is "eased back"."""
    return CHANGE_WORDS.get(change, "changed")
