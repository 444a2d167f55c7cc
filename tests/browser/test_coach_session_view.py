"""In Debian's Chromium: what an athlete types on a 375 px phone reaches the coach's session
view, on a phone and on a desk."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from runstrong.web.coaching.models import Invitation
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import make_athlete, make_coach, publish_plan

DOCS = Path(__file__).resolve().parents[2] / "docs"
NOTE = "Left knee niggled on the last Spanish squat set; crawl felt easy."

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


@pytest.mark.django_db(transaction=True)
def test_the_athletes_note_reaches_the_coachs_session_view(
    live_server: object,
    browser: object,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url  # type: ignore[attr-defined]
    coach = make_coach("coach")
    today = timezone.localdate()
    athlete = make_athlete(coach, "runner")
    publish_plan(athlete, start=today, weeks=4)
    behind = make_athlete(coach, "behind", name="Ada Behind")
    publish_plan(
        behind, start=today - timedelta(days=20), weeks=6, today=today - timedelta(days=20)
    )
    make_athlete(coach, "fresh", name="Bo Unplanned")
    invited = make_athlete(coach, None, name="Cy Invited")
    publish_plan(invited, start=today, weeks=4)
    Invitation.objects.create(athlete=invited, token_hash="z" * 64)
    steady = make_athlete(coach, "steady", name="Al Steady")
    publish_plan(steady, start=today, weeks=4)

    phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)  # type: ignore[attr-defined]
    log_in(phone, base, "runner")
    phone.wait_for_selector("textarea[name=notes]")
    phone.select_option("select[name=reps_in_reserve]", "2")
    squat = phone.locator("details.pain-row").first  # A1: the Spanish squat
    squat.locator("summary").click()
    squat.locator("select[name$=-score]").select_option("4")
    squat.locator("select[name$=-area]").select_option("knee")
    squat.locator("select[name$=-side]").select_option("left")
    phone.fill("textarea[name=notes]", NOTE)
    phone.locator("form:has(textarea[name=notes]) button[type=submit]").last.click()
    phone.wait_for_selector("text=Session saved")

    for name, viewport, mobile in [
        ("coach-session.png", {"width": 1280, "height": 900}, False),
        ("coach-session-phone.png", {"width": 375, "height": 812}, True),
    ]:
        page = browser.new_page(viewport=viewport, is_mobile=mobile)  # type: ignore[attr-defined]
        log_in(page, base, "coach")
        page.wait_for_url("**/coach/")
        rows = page.locator("table.overview tbody tr")
        order = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
        assert order == ["Runner", "Ada Behind", "Bo Unplanned", "Cy Invited", "Al Steady"]
        overview = f"coach-overview{'-phone' if mobile else ''}.png"
        page.screenshot(path=str(SHOTS / overview), full_page=True)
        if not mobile and os.environ.get("RUNSTRONG_DOCS_SCREENSHOTS"):
            page.screenshot(path=str(DOCS / overview), full_page=True)
        page.click("a.need.pain >> text=Pain 4/10 left knee in the Banded Spanish squat · today")
        page.wait_for_url("**/coach/sessions/*/")
        from_overview = page.url
        page.click(f"text=← {athlete.name}")
        page.locator("#sessions").screenshot(path=str(SHOTS / f"athlete-sessions-{name}"))
        page.locator("#sessions a").first.click()
        page.wait_for_url(from_overview)
        says = page.locator("#athlete-says")
        assert NOTE in says.inner_text()
        assert "4/10 left knee" in says.inner_text()
        assert "2 reps in reserve" in says.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name}: the page scrolls sideways ({width} px)"
        page.screenshot(path=str(SHOTS / name), full_page=True)
        if os.environ.get("RUNSTRONG_DOCS_SCREENSHOTS"):
            # The README shows a phone's first screen: the whole page is a long strip.
            page.screenshot(path=str(DOCS / name), full_page=not mobile)
        page.close()
