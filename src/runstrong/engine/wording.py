"""Numbers in reason texts, written from the catalog parameter they state.

Counts are always digits ("1 session", "2 sessions"), so a coach who edits the catalog reads the
same form for every value; ordinals follow English ("1st", "2nd", "3rd", "4th", "11th", "22nd").
"""

from __future__ import annotations

from collections.abc import Iterable


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """`1 session`, `2 sessions`, `0 sessions`."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def listed(words: Iterable[str]) -> str:
    """`Monday`, `Monday and Friday`, `Monday, Wednesday and Friday`."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def percent(share: float) -> str:
    """A share as a whole percentage: 0.5 → `50 %`."""
    return f"{round(share * 100)} %"
