"""The athlete's pages on a 375 px phone in Debian's Chromium: touch targets, nav, no overflow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from runstrong.web.coaching.models import BenchmarkResult, PlannedSession
from runstrong.web.coaching.session_log import SetEntry, session_log_done, session_log_missed
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import add_race, make_athlete, make_coach, publish_plan

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")

TOUCH = 44  # px: the smallest comfortable touch target
PHONE = {"width": 375, "height": 812}


def _season() -> None:
    """An athlete four weeks into their season: sessions done, one missed, a race, a test."""
    today = timezone.localdate()
    coach = make_coach("coach")
    athlete = make_athlete(coach, "runner", strength_days=["mon", "wed", "fri"])
    start = today - timedelta(days=26)
    publish_plan(athlete, start=start, weeks=10, today=start)
    past = list(PlannedSession.objects.filter(athlete=athlete, date__lt=today).order_by("date"))
    for number, session in enumerate(past[:-1]):
        if number == 2:
            session_log_missed(session=session, reason="work trip")
            continue
        entries = [
            SetEntry(item.pk, n, side, item.target - (1 if n == item.sets else 0), item.load_kg)
            for item in session.items.all()
            for n in range(1, item.sets + 1)
            for side in (("left", "right") if item.per_side else ("",))
        ]
        session_log_done(
            session=session, sets=entries, reps_in_reserve=2, pain=0, pain_where="", notes=""
        )
    race = add_race(athlete, today + timedelta(days=17))
    race.name = "County 10 km"
    race.save()
    BenchmarkResult.objects.create(
        athlete=athlete, movement="heel-raise", date=today - timedelta(days=5), left=24, right=27
    )


@pytest.mark.django_db(transaction=True)
def test_athlete_pages_on_a_phone(live_server: object, browser: object) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    _season()
    base = live_server.url  # type: ignore[attr-defined]
    phone = browser.new_page(viewport=PHONE, is_mobile=True)  # type: ignore[attr-defined]
    log_in(phone, base, "runner")
    phone.wait_for_selector("header nav")

    nav = phone.locator("header nav a")
    labels = nav.all_inner_texts()
    assert labels == ["Today", "Weeks", "History", "Progress", "Account"]
    for link in nav.all():
        box = link.bounding_box()
        assert box["height"] >= TOUCH, f"{link.inner_text()}: {box['height']} px tall"
        assert box["width"] >= TOUCH, f"{link.inner_text()}: {box['width']} px wide"
    assert phone.locator("header a[href='/account/tokens/']").count() == 0, "no API link"
    assert phone.locator("header", has_text="Log out").count() == 0

    pages = {
        "today": "/today/",
        "history": "/history/",
        "weeks": "/weeks/",
        "progress": "/progress/",
        "tests": "/progress/tests/",
        "races": "/weeks/races/",
        "account": "/account/",
    }
    for name, path in pages.items():
        phone.goto(f"{base}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways: {width} px"
        for target in phone.locator("main a, main button").all():
            if not target.is_visible():
                continue
            box = target.bounding_box()
            assert box["height"] >= TOUCH, f"{path} {target.inner_text()!r}: {box['height']} px"
        phone.screenshot(path=str(SHOTS / f"phone-{name}.png"))
        phone.screenshot(path=str(SHOTS / f"phone-{name}-full.png"), full_page=True)

    # Log out stands alone on the account page, far from every other link.
    logout = phone.get_by_role("button", name="Log out").bounding_box()
    for link in phone.locator("a").all():
        box = link.bounding_box()
        if box is None:
            continue
        gap = logout["y"] - (box["y"] + box["height"])
        assert gap >= 32 or box["y"] > logout["y"] + logout["height"] + 32, link.inner_text()

    phone.goto(f"{base}/progress/")
    phone.click("#show-charts")
    phone.wait_for_selector(".plot .main-svg")
    assert phone.locator(".plot .main-svg").count() >= 1, "plotly drew the charts on request"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(SHOTS / "phone-progress-charts.png"))

    # Without JavaScript the tables are all there and no dead "Show charts" button is shown.
    plain = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()  # type: ignore[attr-defined]
    log_in(plain, base, "runner")
    plain.goto(f"{base}/progress/")
    assert plain.locator("table.numbers").count() >= 1
    assert not plain.locator("#show-charts").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_coach_reaches_api_tokens_from_the_account_page(
    live_server: object, browser: object
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_coach("coach")
    base = live_server.url  # type: ignore[attr-defined]
    for viewport in (PHONE, {"width": 1280, "height": 800}):
        page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
        log_in(page, base, "coach")
        page.wait_for_selector("header nav")
        for link in page.locator("header nav a").all():
            assert link.bounding_box()["height"] >= TOUCH - 4, link.inner_text()
        assert page.locator("header a[href='/account/tokens/']").count() == 0
        page.screenshot(path=str(SHOTS / f"coach-nav-{viewport['width']}.png"))
        page.click("header >> text=Account")
        page.click("main >> text=API tokens")
        page.wait_for_selector("h1:has-text('API tokens')")
        page.close()
