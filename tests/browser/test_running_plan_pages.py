"""The running-plan pages in Chromium: the coach overrides a run, the athlete's phone refuses a
file that is not a calendar; screenshots at 375 px and desktop go to docs/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from runstrong.web.coaching.models import Athlete
from runstrong.web.coaching.running_models import PlannedRun
from runstrong.web.coaching.seed import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import CHROMIUM
from tests.web.running_feeds import seed_running_plan

DOCS = Path(__file__).resolve().parents[2] / "docs"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


def _page(browser: Any, base: str, username: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 640)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True)
def test_running_plan_pages(live_server: Any, browser: Any, tmp_path: Path) -> None:
    base = live_server.url
    today = timezone.localdate()
    club = seed_demo(today=today, athletes=3)
    athlete = Athlete.objects.get(squad__club=club, user__username="athlete1")
    seed_running_plan(athlete, today)
    coach_url = base + reverse("coaching:athlete-running", args=[athlete.pk])

    for width, name in [(1280, "running-plan-coach.png"), (375, "running-plan-coach-phone.png")]:
        page = _page(browser, base, "coach", width)
        page.goto(coach_url)
        assert page.locator("#planned-runs li.run.hard").count() > 0
        assert "Set hard by the coach" in page.inner_text("#planned-runs")
        assert "the server took too long to answer" in page.inner_text("#calendar-source")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
        page.screenshot(path=str(DOCS / name), full_page=True)
        page.context.close()

    # The coach sets the first interval session easy: shown as the coach's, the engine's kept.
    page = _page(browser, base, "coach", 1280)
    page.goto(coach_url)
    run = (
        PlannedRun.objects.filter(athlete=athlete, title__startswith="6 x 800")
        .filter(date__gte=today)
        .first()
    )
    assert run is not None
    page.select_option(f"#override-{run.pk}", "easy")
    page.locator(f"form[action$='/runs/{run.pk}/'] button").click()
    page.wait_for_load_state()
    assert "set easy by you" in page.inner_text("main")
    run.refresh_from_db()
    assert (run.override, run.hard) == ("easy", True)
    page.goto(base + reverse("coaching:athlete", args=[athlete.pk]))
    assert "Running plan" in page.inner_text("#running-plan")
    page.locator("#running-plan").screenshot(path=str(DOCS / "running-plan-athlete-card.png"))
    page.context.close()

    for width, name in [(375, "running-plan-phone.png"), (1280, "running-plan-phone-desktop.png")]:
        page = _page(browser, base, "athlete1", width)
        page.goto(base + reverse("coaching:my-running"))
        assert page.locator("select[name=override]").count() == 0
        if width == 375:
            bad = tmp_path / "notes.txt"
            bad.write_text("not a calendar", encoding="utf-8")
            page.set_input_files("#id_ics", str(bad))
            page.locator("form[enctype] button[type=submit]").click()
            page.wait_for_load_state()
            assert "notes.txt: not an iCalendar file" in page.inner_text("#calendar-source")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(DOCS / name), full_page=True)
        page.context.close()
