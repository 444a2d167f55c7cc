"""Input checks shared by the pages' forms and the API, so both refuse the same things.

- Dates: a training, race or test date outside 2000–2100 is a typo (`0001`, `9999`), and
  such a date breaks the date arithmetic of every page that shows it. One validator, used
  by every form date field and (as `PlausibleDate`) by every API date.
- Row ids: what a browser posts as a list of ids, checked as whole numbers a database
  column holds (`²` passes str.isdigit, a 30-digit number overflows SQLite).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from pydantic import AfterValidator

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
DATE_RANGE_MESSAGE = f"Enter a date between {EARLIEST.year} and {LATEST.year}."
MAX_ROW_ID = 2**63 - 1


def validate_plausible_date(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def _plausible(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(DATE_RANGE_MESSAGE)
    return value


PlausibleDate = Annotated[date, AfterValidator(_plausible)]


def plausible_date_field(**kwargs: Any) -> forms.DateField:
    """A form date field with the browser's date picker, refusing implausible years."""
    kwargs.setdefault(
        "widget",
        forms.DateInput(
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
            format="%Y-%m-%d",
        ),
    )
    return forms.DateField(validators=[validate_plausible_date], **kwargs)


class RowIdsField(forms.Field):
    """A list of row ids, as hidden inputs or checkboxes post them; any other value is an
    error for the whole field."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "These are not ids of rows: %(values)s."}

    def to_python(self, value: Any) -> list[int]:
        values = [] if value in self.empty_values else list(value)
        ids, bad = [], []
        for raw in values:
            text = str(raw).strip()
            if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ROW_ID:
                ids.append(int(text))
            else:
                bad.append(text[:20])
        if bad:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"values": ", ".join(bad)},
            )
        return ids
