"""One way to write dates, training days and event groups wherever a person reads them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import runstrong
from runstrong.engine.catalog import default_catalog
from runstrong.engine.wording import (
    day_month,
    group_label,
    weekday_date,
    weekday_date_year,
    weekdays,
)

SRC = Path(runstrong.__file__).parent


def test_dates_have_no_leading_zero_and_english_names() -> None:
    assert weekday_date(date(2026, 12, 3)) == "Thu 3 Dec"
    assert weekday_date_year(date(2027, 1, 4)) == "Mon 4 Jan 2027"
    assert day_month(date(2027, 6, 12)) == "12 Jun"


def test_training_days_come_in_weekday_order() -> None:
    assert weekdays(["sat", "mon", "thu"]) == "Mon, Thu, Sat"
    assert weekdays(["sun", "tue", "sun"]) == "Tue, Sun"
    assert weekdays([]) == ""


def test_groups_read_as_the_catalogs_label() -> None:
    catalog = default_catalog()
    assert {group.slug: group_label(group.slug, default_catalog()) for group in catalog.groups} == {
        "800-1500m": "800–1500 m",
        "5k": "5 km",
        "10k": "10 km",
    }
    renamed = catalog.model_copy(
        update={"groups": (catalog.groups[0].model_copy(update={"name": "Middle distance"}),)}
    )
    assert group_label(catalog.groups[0].slug, renamed) == "Middle distance"
    assert group_label("marathon", default_catalog()) == "marathon"


def test_no_page_pdf_or_reason_writes_a_zero_padded_day() -> None:
    padded = re.compile(r"%d %b|%a %d|\|date:\"[^\"]*\bd\b")
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted([*SRC.rglob("*.py"), *SRC.rglob("*.html")])
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if padded.search(line)
    ]
    assert offenders == []
