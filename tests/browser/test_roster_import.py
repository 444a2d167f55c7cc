"""In Debian's Chromium: a coach imports a roster with one bad row, takes the refused rows away
as CSV, and copies an invitation link; the new athlete accepts it."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from runstrong.web.coaching.models import Athlete
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import make_athlete, make_coach

DOCS = Path(__file__).resolve().parents[2] / "docs"
ROSTER = """name,email,event_group,sex,body_mass_kg,hard_run_days,equipment,kettlebells,races
Ada Quick,ada@example.org,5 km,f,55,tue;thu,band;kettlebells;bench,8;12x2;16,2027-06-12:A:County
Ben Steady,ben@example.org,10k,m,70,wed;sat,,,
Cy Rowe,cy@example,marathon,,heavy,,,,
Dee Long,dee@example.org,800–1500 m,female,58,mon,,,
Eli Known,eli@example.org,10 km,m,66,,,,
"""

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


@pytest.mark.django_db(transaction=True)
def test_roster_import_with_a_refused_row_and_a_copied_link(
    live_server: object, browser: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    coach = make_coach("coach")
    make_athlete(coach, None, name="Eli Known", email="eli@example.org", event_group="5k")
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
    )
    page = context.new_page()
    log_in(page, base, "coach")
    page.goto(f"{base}/coach/roster/")
    page.fill("textarea[name=text]", ROSTER)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_selector("text=Check the import")
    assert page.locator("tr.flagged").count() == 1
    assert "marathon" in page.locator("tr.flagged").inner_text()
    assert page.locator("text=Updates").count() == 1, "Eli is matched by email"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"roster-import-{width}.png"), full_page=True)
        if width == 1280 and os.environ.get("RUNSTRONG_DOCS_SCREENSHOTS"):
            page.screenshot(path=str(DOCS / "roster-import.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as preview_download:
        page.get_by_role("button", name="Download the refused rows (CSV)").click()
    refused = list(
        csv.DictReader(
            io.StringIO(Path(preview_download.value.path()).read_text(encoding="utf-8-sig"))
        )
    )
    assert [row["name"] for row in refused] == ["Cy Rowe"]
    assert "event_group “marathon”" in refused[0]["why_refused"]

    page.get_by_role("button", name="Import 4 athletes, leave out 1").click()
    page.wait_for_selector("text=Invitation links")
    assert Athlete.objects.filter(squad__coach=coach).count() == 4, "Eli is not added twice"
    assert Athlete.objects.get(name="Eli Known").event_group == "10k"
    assert not Athlete.objects.filter(name="Cy Rowe").exists()
    page.screenshot(path=str(SHOTS / "roster-done-1280.png"), full_page=True)

    with page.expect_download() as done_download:
        page.get_by_role("button", name="Download the refused rows (CSV)").click()
    assert "Cy Rowe" in Path(done_download.value.path()).read_text(encoding="utf-8-sig")

    with page.expect_download() as links_download:
        page.get_by_role("button", name="Download the links (CSV)").click()
    links = list(
        csv.DictReader(
            io.StringIO(Path(links_download.value.path()).read_text(encoding="utf-8-sig"))
        )
    )
    assert [row["name"] for row in links] == ["Ada Quick", "Ben Steady", "Dee Long"]

    page.get_by_role("button", name="Copy the link for Ada Quick").click()
    page.wait_for_selector("text=Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == links[0]["invitation_link"]
    assert page.locator("#copy-status").inner_text() == "Link copied"

    athlete = browser.new_page(viewport={"width": 375, "height": 812})  # type: ignore[attr-defined]
    athlete.goto(copied)
    athlete.fill("#id_username", "ada")
    athlete.fill("#id_password1", "tempo-run-42x")
    athlete.fill("#id_password2", "tempo-run-42x")
    athlete.get_by_role("button", name="Create my login").click()
    athlete.wait_for_url(f"{base}/today/")
    assert Athlete.objects.get(name="Ada Quick").user is not None
    context.close()
