"""PDFs: what is printed is the athlete's own exercises and doses."""

from __future__ import annotations

import io

from django.test import Client
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from runstrong.web.coaching import models
from tests.personas import World, login


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_session_card_fits_one_page_with_the_doses(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    login(client, world.athlete_a)
    response = client.get(f"/sessions/{session.pk}/card.pdf")
    pages, text = pdf_text(response.content)
    assert response["Content-Type"] == "application/pdf"
    assert pages == 1
    for item in session.items.all():
        assert item.name in text
        assert f"{item.sets} × {item.target:g} {item.unit}" in text
    assert "Set 3" in text


def test_season_overview_lists_every_week(client: Client, world: World) -> None:
    login(client, world.coach_x)
    _, text = pdf_text(client.get(f"/coach/athletes/{world.athlete_a.pk}/season.pdf").content)
    assert f"{world.athlete_a.name}: season" in text
    assert "Crouching crawl" in text
    assert "deload" in text


def test_test_day_sheet_has_the_athletes_and_movements(client: Client, world: World) -> None:
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad, date=world.today, movements=["heel-raise", "glute-ham-hold"]
    )
    login(client, world.coach_x)
    _, text = pdf_text(client.get(f"/coach/test-days/{day.pk}/sheet.pdf").content)
    assert world.athlete_a.name in text
    assert world.athlete_b.name in text
    assert "heel raise" in text.lower()
    assert "(reps)" in text, "each column says what to write down"
    assert "(s)" in text


def test_test_day_sheet_keeps_a_long_name_within_its_cell(client: Client, world: World) -> None:
    long_name = "Maximilian Alexander von Hohenzollern-Sigmaringen de la Vega y Montgomery"
    world.athlete_a.name = long_name
    world.athlete_a.save(update_fields=["name"])
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad, date=world.today, movements=["heel-raise"]
    )
    login(client, world.coach_x)
    page = PdfReader(io.BytesIO(client.get(f"/coach/test-days/{day.pk}/sheet.pdf").content)).pages[
        0
    ]
    printed: list[tuple[str, float]] = []

    def right_edge(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip() and text.strip() in long_name:
            printed.append(
                (text.strip(), cm[4] + tm[4] + stringWidth(text.strip(), "Helvetica", size))
            )

    page.extract_text(visitor_text=right_edge)
    assert " ".join(part for part, _ in printed) == long_name, "the whole name, over lines"
    name_column_end = 10 * mm + 40 * mm  # the page margin and the name column
    assert all(edge <= name_column_end for _, edge in printed), printed
