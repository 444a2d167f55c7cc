"""Pain per exercise on a 375 px phone in Debian's Chromium: knee pain on the Spanish squat
steps back only the Spanish squat [S18], with JavaScript and without."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from runstrong.web.coaching.logged_state import athlete_state
from runstrong.web.coaching.models import PainReport, PlannedSession, SessionLog
from runstrong.web.coaching.site_catalog import site_catalog
from tests.browser.conftest import CHROMIUM, SHOTS
from tests.browser.test_phone_session import (
    athlete_with_session_today,
    phone,
    prefixes,
    tap,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

Dose = tuple[int, float, float]


def doses(session: PlannedSession) -> dict[str, Dose]:
    return {i.exercise: (i.sets, i.target, i.load_kg or 0.0) for i in session.items.all()}


def following(session: PlannedSession) -> PlannedSession:
    found = (
        PlannedSession.objects.filter(
            athlete=session.athlete, date__gt=session.date, log__isnull=True
        )
        .order_by("date")
        .first()
    )
    assert found is not None
    return found


def only_the_hurting_exercise_stepped_back(session: PlannedSession, hurt: str) -> None:
    """The next session: `hurt` one step back from the logged dose, every other exercise at
    or above its logged dose; and the fold says so."""
    logged, after = doses(session), doses(following(session))
    assert after.pop(hurt) < logged.pop(hurt)
    assert set(after) == set(logged)
    for exercise, (sets, target, load) in after.items():
        was = logged[exercise]
        assert sets >= was[0], exercise
        assert target >= was[1], exercise
        assert load >= was[2], exercise
    steps = athlete_state(session.athlete, site_catalog()).transitions
    changes = {s.before.exercise: s.change for s in steps if s.source == str(session.pk)}
    assert changes.pop(hurt) == "regress"
    assert "regress" not in changes.values()


def pick_pain(page: Any, item_id: int, score: int, area: str, side: str) -> None:
    page.locator(f"#pain-{item_id} summary").click()
    page.select_option(f"select[name=pain-{item_id}-score]", str(score))
    page.select_option(f"select[name=pain-{item_id}-area]", area)
    page.select_option(f"select[name=pain-{item_id}-side]", side)


def test_knee_pain_on_the_spanish_squat_regresses_only_the_spanish_squat(
    live_server: Any,
    browser: Any,
) -> None:
    _, session = athlete_with_session_today()
    squat = session.items.get(exercise="banded-spanish-squat")
    page = phone(browser, live_server.url)
    for prefix in prefixes(page):
        tap(page, prefix)
        page.wait_for_selector(f"#{prefix}.logged")
    page.wait_for_selector("#session-status.details")
    pain = site_catalog().rules.progression.pain_regress_at + 1
    pick_pain(page, squat.pk, pain, "knee", "left")
    picks = page.locator(f"#pain-{squat.pk} select")
    for index in range(picks.count()):
        box = picks.nth(index).bounding_box()
        assert box["height"] >= 44, "a 44 px touch target"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width} px)"
    # The phone's screen as the athlete sees it: the pain picker under "How did it feel?".
    page.evaluate("document.getElementById('session-details').scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / "phone-pain.png"))
    if os.environ.get("RUNSTRONG_DOCS_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / "phone-pain.png"))
    page.click("text=Save effort, pain and notes")
    page.wait_for_selector("text=What changes next time")
    report = PainReport.objects.get(session=session)
    assert (report.exercise, report.area, report.side, report.score) == (
        "banded-spanish-squat",
        "knee",
        "left",
        pain,
    )
    only_the_hurting_exercise_stepped_back(session, "banded-spanish-squat")
    shown = page.inner_text("main")
    assert f"{squat.name}:" in shown
    assert "(a step back)" in shown
    assert "(regress)" not in shown
    assert f"Pain {pain}/10 (left knee) in the {squat.name}" in shown
    page.screenshot(path=str(SHOTS / "phone-pain-changes.png"), full_page=True)


def test_js_off_shin_pain_in_the_crawl_steps_back_only_the_crawl(
    live_server: Any,
    browser: Any,
) -> None:
    _, session = athlete_with_session_today()
    crawl = session.items.get(exercise="crouching-crawl")
    page = phone(browser, live_server.url, java_script_enabled=False)
    pick_pain(page, crawl.pk, site_catalog().rules.progression.pain_regress_at, "shin", "right")
    page.select_option("select[name=reps_in_reserve]", "2")
    page.click("#finish-button")
    page.wait_for_selector("text=Session saved")
    assert SessionLog.objects.get(session=session).status == "done"
    only_the_hurting_exercise_stepped_back(session, "crouching-crawl")
