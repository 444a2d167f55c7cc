"""In Debian's Chromium, keyboard only: a coach types a test day's results into the grid,
moving between cells with the arrow keys as its help says, and sees a typo refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from runstrong.web.coaching import models
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import make_athlete, make_coach

DOCS = Path(__file__).resolve().parents[2] / "docs"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


def focused(page: Any) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label') || ''")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page (the page's CSP is bypassed)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations")
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def tab_to(page: Any, matches: str, most: int = 60) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", matches):
            return
    raise AssertionError(f"Tab never reached {matches}")


@pytest.mark.django_db(transaction=True)
def test_the_grid_works_from_the_keyboard(live_server: Any, browser: Any) -> None:
    base = live_server.url
    coach = make_coach("coach")
    ann = make_athlete(coach, None, name="Ann Able", sex="female")
    ben = make_athlete(coach, None, name="Ben Brook", sex="male")
    make_athlete(coach, None, name="Cat Cole", sex="female")
    day = models.TestDay.objects.create(
        squad=coach.squads.get(),
        date=timezone.localdate(),
        event_group="5k",
        movements=["heel-raise", "glute-ham-hold"],
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    log_in(page, base, "coach")
    page.goto(f"{base}/coach/test-days/{day.pk}/")
    tab_to(page, "table.grid input")
    assert focused(page) == "Ann Able Single-leg heel raise to fatigue (60 bpm) left, reps"
    page.keyboard.type("26")
    page.keyboard.press("ArrowRight")  # the cursor is at the end: on to the right leg
    assert focused(page).endswith("right, reps")
    page.keyboard.type("30")
    page.keyboard.press("ArrowRight")
    assert focused(page) == "Ann Able Glute-ham isometric hold, s"
    page.keyboard.type("5000")
    page.keyboard.press("ArrowDown")
    assert focused(page) == "Ben Brook Glute-ham isometric hold, s"
    page.keyboard.type("150")
    page.keyboard.press("ArrowLeft")  # inside what is typed: the cursor moves, not the cell
    assert focused(page) == "Ben Brook Glute-ham isometric hold, s"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")  # at the start: back to the cell on the left
    assert focused(page) == "Ben Brook Single-leg heel raise to fatigue (60 bpm) right, reps"
    page.keyboard.type("25")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    assert focused(page) == "Ben Brook Single-leg heel raise to fatigue (60 bpm) left, reps"
    page.keyboard.type("24")
    page.keyboard.press("ArrowUp")
    assert focused(page).startswith("Ann Able Single-leg heel raise")
    page.keyboard.press("Enter")  # Enter moves down a row, it does not submit
    assert focused(page).startswith("Ben Brook Single-leg heel raise")
    assert models.BenchmarkResult.objects.count() == 0
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("p.error")
    assert "5000 s is more than plausible (at most 900 s)" in page.inner_text("table.grid")
    assert page.input_value('[aria-label="Ann Able Glute-ham isometric hold, s"]') == "5000"
    saved = {(r.athlete_id, r.movement): r for r in models.BenchmarkResult.objects.all()}
    assert (saved[(ann.pk, "heel-raise")].left, saved[(ann.pk, "heel-raise")].right) == (26, 30)
    assert (saved[(ben.pk, "heel-raise")].left, saved[(ben.pk, "heel-raise")].right) == (24, 25)
    assert saved[(ben.pk, "glute-ham-hold")].value == 150
    assert (ann.pk, "glute-ham-hold") not in saved
    page.screenshot(path=str(DOCS / "test-day-grid.png"), full_page=True)
    assert serious_violations(page) == []
    for path in ("/coach/test-days/", "/account/calendar/"):
        page.goto(base + path)
        assert serious_violations(page) == [], path
    phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)
    log_in(phone, base, "coach")
    phone.goto(f"{base}/coach/test-days/{day.pk}/")
    phone.screenshot(path=str(SHOTS / "test-day-grid-375.png"), full_page=True)
