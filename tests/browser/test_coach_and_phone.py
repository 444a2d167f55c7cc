"""End to end in Debian's Chromium: the coach publishes plans, an athlete logs on a phone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import make_athlete, make_coach

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


@pytest.mark.django_db(transaction=True)
def test_coach_publishes_and_athlete_logs_on_a_phone(live_server: object, browser: object) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url  # type: ignore[attr-defined]
    coach = make_coach("coach")
    for index, group in enumerate(["5k", "5k", "10k", "800-1500m"]):
        make_athlete(coach, f"runner{index}", event_group=group)
    assert get_user_model().objects.count() == 5

    desk = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    log_in(desk, base, "coach")
    desk.click("text=Build plans")
    desk.select_option("#id_group", "5k")
    desk.fill("#id_weeks", "12")
    desk.click("text=Generate drafts")
    desk.wait_for_url("**/coach/plans/review/")
    assert desk.locator(".athletes li").count() == 2
    desk.click("text=Publish all 2")
    desk.wait_for_selector("text=kept exactly as logged")
    desk.click("button:has-text('Publish 2 drafts')")
    desk.wait_for_selector("text=Published 2 plans.")
    row = desk.locator("tr", has_text="Runner0")
    assert "0/1" in row.inner_text()

    phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)  # type: ignore[attr-defined]
    log_in(phone, base, "runner0")
    phone.wait_for_selector("text=Today")
    first_done = phone.locator(".set-row input.num").first
    first_done.fill("abc")
    phone.select_option("#id_reps_in_reserve", "2")
    phone.click("text=Save session")
    phone.wait_for_selector("text=Some values need fixing")
    assert phone.locator(".set-row input.num").first.input_value() == "abc"
    phone.screenshot(path=str(SHOTS / "phone-log-error.png"), full_page=True)
    phone.locator(".set-row input.num").first.fill("10")
    phone.locator(".set-row .tick").first.click()
    phone.wait_for_selector(".set-row.logged")
    phone.screenshot(path=str(SHOTS / "phone-log.png"), full_page=False)
    phone.click("text=Save session")
    phone.wait_for_selector("text=What changes next time")
    phone.screenshot(path=str(SHOTS / "phone-after-save.png"), full_page=False)

    desk.goto(f"{base}/coach/")
    assert "1/1" in desk.locator("tr", has_text="Runner0").inner_text()
    desk.screenshot(path=str(SHOTS / "coach-overview.png"), full_page=True)

    desk.click("text=Benchmarks")
    desk.wait_for_selector("text=Benchmarks by event group")
    desk.screenshot(path=str(SHOTS / "benchmark-matrix.png"), full_page=True)
    desk.goto(f"{base}/coach/")
    desk.click("text=Runner0")
    # One session logged: each exercise's one point is told in words, not drawn as a history
    # (tests/browser/test_charts.py draws a season's charts).
    progress = desk.locator("#progress").inner_text()
    assert "One session so far" in progress
    assert desk.locator(".plot").count() == 0
    desk.screenshot(path=str(SHOTS / "athlete-progress.png"), full_page=True)

    changes = desk.locator("#plan-changes")
    text = changes.inner_text()
    assert "logged" in text, "the coach sees which log moved the plan"
    assert "→" in text
    changes.screenshot(path=str(SHOTS / "plan-changes.png"))
    narrow = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)  # type: ignore[attr-defined]
    log_in(narrow, base, "coach")
    narrow.goto(desk.url)
    narrow.locator("#plan-changes").screenshot(path=str(SHOTS / "plan-changes-phone.png"))
