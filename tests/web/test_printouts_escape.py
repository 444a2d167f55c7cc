"""User text in PDFs is text: reportlab markup in a name neither breaks nor changes the PDF."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from runstrong.web.coaching import models
from tests.personas import World, login


@pytest.fixture
def hostile_name() -> Iterator[str]:
    # A short folder: the name must fit the 120 characters PostgreSQL holds it to.
    folder = Path(tempfile.mkdtemp(prefix="rs"))
    picture = folder / "s.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    name = (
        f'A<B & C <img src="{picture}"/> '
        '<a href="https://x.example/">x</a> <font size="60">b</font>'
    )
    assert len(name) <= 120
    yield name
    shutil.rmtree(folder)


def _assert_plain(content: bytes, name: str) -> None:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Wrapped lines split the long name anywhere: compare without white space.
    assert "".join(name.split()) in "".join(text.split()), "the name is printed as typed"
    for page in reader.pages:
        assert not page.images, "no image pulled from the server's disk"
        assert "/Annots" not in page, "no link"


def test_session_card_and_season_print_markup_as_text(
    client: Client, world: World, hostile_name: str
) -> None:
    athlete = world.athlete_a
    athlete.name = hostile_name
    athlete.save(update_fields=["name"])
    athlete.squad.name = "<b>Squad</b> & <i>co</i>"
    athlete.squad.save(update_fields=["name"])
    session = world.next_session(athlete)
    login(client, athlete)
    card = client.get(f"/sessions/{session.pk}/card.pdf")
    assert card.status_code == 200
    _assert_plain(card.content, hostile_name)
    login(client, world.coach_x)
    season = client.get(f"/coach/athletes/{athlete.pk}/season.pdf")
    assert season.status_code == 200
    _assert_plain(season.content, hostile_name)
    assert (
        "<b>Squad</b> & <i>co</i>" in PdfReader(io.BytesIO(season.content)).pages[0].extract_text()
    )


def test_test_day_sheet_prints_markup_as_text(
    client: Client, world: World, hostile_name: str
) -> None:
    world.athlete_a.name = hostile_name
    world.athlete_a.save(update_fields=["name"])
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad, date=world.today, movements=["heel-raise"]
    )
    login(client, world.coach_x)
    sheet = client.get(f"/coach/test-days/{day.pk}/sheet.pdf")
    assert sheet.status_code == 200
    reader = PdfReader(io.BytesIO(sheet.content))
    assert "A<B & C" in reader.pages[0].extract_text()
    assert not reader.pages[0].images
    assert "/Annots" not in reader.pages[0]
