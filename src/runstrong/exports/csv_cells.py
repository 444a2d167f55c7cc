"""CSV cells a spreadsheet opens as text, never as a formula (CSV/formula injection).

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (and,
after trimming, a tab or carriage return) as a formula: an athlete's `=HYPERLINK(…)` in a
missed reason would become a link in the coach's sheet. OWASP's advice: put a `'` in front
of such text. Only strings are touched, so numbers (a negative load) stay numbers. A string
already starting with `'` gets one more, so `csv_cell_read` gives every text back exactly.

Every CSV runstrong writes goes through `csv_row` (or `csv_cell`); whatever reads runstrong's
own CSV back uses `csv_cell_read`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_QUOTED_STARTS = frozenset((*FORMULA_STARTS, QUOTE))


def csv_cell(value: Any) -> Any:
    """The value to write: None as empty, text that would run as a formula quoted."""
    return csv_row((value,))[0]


def csv_row(values: Iterable[Any]) -> list[Any]:
    # csv_cell written inline: a squad's season of logs is ten million cells, and the call
    # per cell was half the time of the download.
    return [
        ""
        if value is None
        else QUOTE + value
        if isinstance(value, str) and value[:1] in _QUOTED_STARTS
        else value
        for value in values
    ]


def csv_cell_read(text: str) -> str:
    """The text `csv_cell` was given, from what it wrote."""
    if text.startswith(QUOTE) and text[1:].startswith((*FORMULA_STARTS, QUOTE)):
        return text[1:]
    return text
