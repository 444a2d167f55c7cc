"""Numbers in reason texts, written from the catalog parameter they state.

Counts are always digits ("1 session", "2 sessions"), so a coach who edits the catalog reads the
same form for every value; ordinals follow English ("1st", "2nd", "3rd", "4th", "11th", "22nd").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import get_args

from runstrong.engine.catalog import Catalog, Measure
from runstrong.engine.profile import WEEKDAYS

# How a dose's measure is written after its number (`10 reps`, `20 m`, `30 s`): the one
# mapping for the engine's reasons, the pages, the exports and the CLI.
MEASURE_UNITS: dict[str, str] = {"reps": "reps", "metres": "m", "seconds": "s"}
# A unit or a measure as someone types it (a log file's `unit` column), back to its measure;
# the measure's name is also the unit in words (`metres`).
UNIT_MEASURES: dict[str, Measure] = {
    name: measure for measure in get_args(Measure) for name in (measure, MEASURE_UNITS[measure])
}


def unit_after(measure: str, *, bare_reps: bool = False) -> str:
    """` reps`, ` m` or ` s` to follow a number; with `bare_reps` a count of reps stands alone
    (`3 × 10`, as the compact doses write it)."""
    return "" if bare_reps and measure == "reps" else f" {MEASURE_UNITS[measure]}"


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


def sentence(text: str) -> str:
    """`text` ending in one full stop: a name or an abbreviation that already ends in one
    (`Zara V.`) or in `!`, `?` or `…` gets no second."""
    return text if text.endswith((".", "!", "?", "\u2026")) else f"{text}."


def percent(share: float) -> str:
    """A share as a whole percentage: 0.5 → `50 %`."""
    return f"{round(share * 100)} %"


# Dates and days, one way everywhere a person reads them (pages, PDFs, feeds, reasons):
# no leading zeros ("Thu 3 Dec", never "Thu 03 Dec"), English day and month abbreviations
# whatever the machine's locale.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(day: date) -> str:
    """`3 Dec`."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def weekday_date(day: date) -> str:
    """`Thu 3 Dec`."""
    return f"{_DAYS[day.weekday()]} {day_month(day)}"


def age_text(day: date, today: date) -> str:
    """How long ago, as a coach says it: `today`, `yesterday`, `3 days ago`, `2 weeks ago`;
    older or future days by date."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 14:
        return f"{days} days ago"
    if 14 <= days < 8 * 7:
        return f"{days // 7} weeks ago"
    return weekday_date(day) if days < 0 else f"{day_month(day)} {day.year}"


def weekday_date_year(day: date) -> str:
    """`Thu 3 Dec 2026`."""
    return f"{weekday_date(day)} {day.year}"


def weekdays(codes: Iterable[str]) -> str:
    """Training days in weekday order, whatever order they were stored in: `Mon, Thu, Sat`."""
    chosen = set(codes)
    return ", ".join(_DAYS[i] for i, code in enumerate(WEEKDAYS) if code in chosen)


def group_label(slug: str, catalog: Catalog) -> str:
    """The catalog's name of an event group (`10k` → `10 km`); an unknown slug as given."""
    return next((group.name for group in catalog.groups if group.slug == slug), slug)
