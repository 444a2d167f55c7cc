"""The coach's athlete page draws its charts with the partial plotly bundle in Debian's
Chromium: every figure renders, nothing goes to the console, and a phone's width holds it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from runstrong.web.coaching.models import BenchmarkResult, PainReport, PlannedSession
from runstrong.web.coaching.session_log import session_log_done
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import make_athlete, make_coach, monday_before, publish_plan
from tests.web.test_athlete_screens import sets_of

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


def watch(page: Any) -> list[str]:
    """Console errors and warnings, uncaught exceptions and failed requests of `page`."""
    problems: list[str] = []

    def console(message: Any) -> None:
        if message.type in {"error", "warning"}:
            problems.append(f"{message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))

    def failed(request: Any) -> None:
        # Not a load the next navigation cancelled (the page after logging in, the service
        # worker's icon): a missing file shows as a console error.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"failed: {request.url} {request.failure}")

    page.on("requestfailed", failed)
    return problems


def a_logged_season() -> Any:
    """Robin, six weeks into a plan with every session logged, two pain reports and two
    heel-raise test days."""
    today = timezone.localdate()
    coach = make_coach("coach")
    athlete = make_athlete(coach, "runner", name="Robin Runner")
    publish_plan(athlete, start=monday_before(today) - timedelta(weeks=6), weeks=16)
    past = list(PlannedSession.objects.filter(athlete=athlete, date__lt=today).order_by("date"))
    for session in past:
        session_log_done(session=session, sets=sets_of(session), reps_in_reserve=2, notes="")
    for session, score in ((past[2], 2), (past[6], 3)):
        PainReport.objects.create(athlete=athlete, date=session.date, score=score, where="calf")
    for days, left in ((50, 22), (5, 26)):
        BenchmarkResult.objects.create(
            athlete=athlete,
            movement="heel-raise",
            date=today - timedelta(days=days),
            left=left,
            right=left + 1,
        )
    return athlete


@pytest.mark.django_db(transaction=True)
def test_the_athlete_page_draws_every_chart_without_console_errors(
    live_server: Any, browser: Any
) -> None:
    athlete = a_logged_season()
    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(desk)
    bundles: list[str] = []
    desk.on("response", lambda r: bundles.append(r.url) if "plotly" in r.url else None)
    log_in(desk, live_server.url, "coach")
    desk.goto(f"{live_server.url}/coach/athletes/{athlete.pk}/")
    desk.wait_for_selector("[data-chart] .plot-container .main-svg")
    plots = desk.locator("[data-chart]")
    drawn = desk.locator("[data-chart] .plot-container")
    desk.wait_for_function(
        "() => document.querySelectorAll('[data-chart]').length === "
        "document.querySelectorAll('[data-chart] .plot-container').length"
    )
    assert plots.count() >= 4, "exercises, compliance, pain and the heel raise"
    assert drawn.count() == plots.count(), "every figure drawn by the basic bundle"
    assert desk.locator("[data-chart] .scatterlayer .point").count() > 10, "the dots are there"
    assert desk.locator("[data-chart] .barlayer .point").count() >= 5, "the weekly bars too"
    assert [url.rsplit("/", 1)[-1] for url in bundles] == ["plotly-basic.min.js"]
    axis_titles = desk.locator("[data-chart] .g-ytitle").all_text_contents()
    assert "load (kg)" in desk.locator("[data-chart] .g-y2title").all_text_contents()
    assert "% of planned sessions done" in axis_titles
    assert desk.locator("[data-chart] .annotation-text", has_text="today").count() == plots.count()
    desk.locator("#progress").screenshot(path=str(SHOTS / "charts-1280.png"))
    assert problems == []

    phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)
    problems = watch(phone)
    log_in(phone, live_server.url, "coach")
    phone.goto(f"{live_server.url}/coach/athletes/{athlete.pk}/")
    phone.wait_for_selector("[data-chart] .plot-container .main-svg")
    widest = phone.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-chart] .main-svg')]"
        ".map(svg => svg.getBoundingClientRect().right))"
    )
    assert widest <= 375, "the charts fit a phone's width"
    phone.locator("#progress").screenshot(path=str(SHOTS / "charts-375.png"))
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_new_athletes_page_says_nothing_is_logged_and_loads_no_chart_library(
    live_server: Any, browser: Any
) -> None:
    coach = make_coach("coach")
    athlete = make_athlete(coach, "runner", name="New Runner")
    publish_plan(athlete, start=monday_before(timezone.localdate()) + timedelta(weeks=1))
    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(desk)
    scripts: list[str] = []
    desk.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    log_in(desk, live_server.url, "coach")
    desk.goto(f"{live_server.url}/coach/athletes/{athlete.pk}/")
    assert "Nothing logged yet" in desk.locator("#progress").inner_text()
    assert desk.locator(".main-svg").count() == 0
    assert not [url for url in scripts if "plotly" in url]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_athletes_own_progress_charts_load_on_request_without_console_errors(
    live_server: Any, browser: Any
) -> None:
    a_logged_season()
    phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)
    problems = watch(phone)
    log_in(phone, live_server.url, "runner")
    phone.goto(f"{live_server.url}/progress/")
    assert phone.locator(".main-svg").count() == 0, "nothing drawn before the athlete asks"
    phone.click("#show-charts")
    phone.wait_for_function(
        "() => document.querySelectorAll('[data-chart]').length === "
        "document.querySelectorAll('[data-chart] .plot-container').length"
    )
    assert phone.locator("[data-chart] .plot-container").count() >= 3
    assert "best set (reps)" in phone.locator("[data-chart] .g-ytitle").all_text_contents()
    assert problems == []
