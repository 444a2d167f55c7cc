"""The athlete's session page in Debian's Chromium at 375 px: taps finish a session, failures
show next to their set, the rest timer follows the plan, taps made offline are sent once the
connection returns, the pages open offline, and every set is savable without JavaScript."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from runstrong.web.coaching.models import (
    Athlete,
    IdempotencyRecord,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.session_log import session_log_missed
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.web.factories import make_athlete, make_coach, publish_plan

# Pictures for docs/ (phone-timer.png, phone-offline.png) are copied from here by hand.
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


def athlete_with_session_today(username: str = "runner") -> tuple[Athlete, PlannedSession]:
    coach = make_coach("coach")
    athlete = make_athlete(coach, username)
    today = timezone.localdate()
    publish_plan(athlete, start=today, weeks=6)
    session = PlannedSession.objects.filter(athlete=athlete, date__gte=today).order_by("date")[0]
    if session.date != today:
        PlannedSession.objects.filter(pk=session.pk).update(date=today)
        session.refresh_from_db()
    return athlete, session


def phone(browser: Any, base: str, username: str = "runner", **options: Any) -> Any:
    context = browser.new_context(**(PHONE | options))
    page = context.new_page()
    log_in(page, base, username)
    page.wait_for_url("**/today/")
    return page


def tap(page: Any, prefix: str) -> None:
    page.locator(f"#{prefix} .tick").click()


def prefixes(page: Any) -> list[str]:
    return page.eval_on_selector_all(".set-row", "rows => rows.map(row => row.id)")


def wait_until(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression from outside the page: the app's CSP forbids the eval
    that page.wait_for_function needs."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)


def offline_ready(page: Any) -> None:
    """The service worker controls the page and keeps its pages."""
    wait_until(page, "!!(navigator.serviceWorker && navigator.serviceWorker.controller)")
    wait_until(page, "caches.open('runstrong-pages').then(c => c.keys()).then(k => k.length >= 3)")


def test_a_session_logged_by_taps_alone_is_done_for_athlete_and_coach(
    live_server: Any, browser: Any
) -> None:
    athlete, session = athlete_with_session_today()
    page = phone(browser, live_server.url)
    rows = prefixes(page)
    for prefix in rows:
        tap(page, prefix)
        page.wait_for_selector(f"#{prefix}.logged")
    page.wait_for_selector("#session-status.details")
    assert "Done ✓" in page.inner_text("#session-status")
    assert page.inner_text("#finish-button") == "Save effort, pain and notes"
    assert SetLog.objects.filter(item__session=session).count() == len(rows)
    assert SessionLog.objects.get(session=session).status == "done"
    page.reload()
    assert "Done ✓" in page.inner_text("#session-status")
    page.select_option("#id_reps_in_reserve", "2")
    page.fill("#id_notes", "Strong today")
    page.click("text=Save effort, pain and notes")
    page.wait_for_selector("text=Done ✓ Saved.")
    assert SessionLog.objects.get(session=session).notes == "Strong today"

    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(desk, live_server.url, "coach")
    desk.goto(f"{live_server.url}/coach/")
    assert "1/1" in desk.locator("tr", has_text=athlete.name).inner_text()


def test_a_decimal_comma_stores_a_decimal_and_failures_show_next_to_their_set(
    live_server: Any, browser: Any
) -> None:
    _, session = athlete_with_session_today()
    page = phone(browser, live_server.url)
    squat = session.items.get(exercise="banded-spanish-squat")
    first, second, third = (f"set-{squat.pk}-{n}" for n in (1, 2, 3))

    page.fill(f"#{first} input.load", "16,5")
    tap(page, first)
    page.wait_for_selector(f"#{first}.logged")
    assert SetLog.objects.get(item=squat, set_number=1).load_kg == 16.5

    page.fill(f"#{second} input.done", "")
    tap(page, second)
    assert "The box is empty: type the reps you did" in page.inner_text(f"#{second} .set-msg")
    page.fill(f"#{second} input.load", "160")
    page.fill(f"#{second} input.done", "12")
    tap(page, second)  # the server refuses it: its reason shows next to the set
    page.wait_for_selector(f"#{second}.failed >> text=At most 100 kg.")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "phone-set-error.png"))
    page.fill(f"#{second} input.load", "16")
    tap(page, second)  # corrected and tapped again: saved
    page.wait_for_selector(f"#{second}.logged")
    assert not page.locator(f"#{second} .set-msg p").count()

    # A server error: the set stays on the phone, says so next to itself, and is sent again.
    crawl = session.items.get(exercise="crouching-crawl")
    retried = f"set-{crawl.pk}-1"
    set_url = f"**/sessions/{session.pk}/set/"
    page.route(set_url, lambda route: route.fulfill(status=500, body="Server Error"))
    tap(page, retried)
    page.wait_for_selector(f"#{retried} >> text=the server had a problem")
    assert page.locator(f"#{retried}.queued").count() == 1
    assert not SetLog.objects.filter(item=crawl).exists()
    page.unroute(set_url)
    page.click(f"#{retried} .retry")
    page.wait_for_selector(f"#{retried}.logged")
    assert SetLog.objects.filter(item=crawl).count() == 1

    session_log_missed(session=session, reason="marked on another phone")
    tap(page, third)
    page.wait_for_selector(f"#{third}.failed")
    assert "already finished" in page.inner_text(f"#{third} .set-msg")
    assert not SetLog.objects.filter(item=squat, set_number=3).exists()


def test_the_rest_timer_follows_the_superset_and_the_sides(live_server: Any, browser: Any) -> None:
    """M1: A1 then A2, then the rest; none between left and right; wall-clock time."""
    _, session = athlete_with_session_today()
    items = {item.slot: item for item in session.items.all()}
    a1, a2 = items["A1"], items["A2"]
    side = next(item for item in items.values() if item.per_side)
    context = browser.new_context(**PHONE)
    context.add_init_script(
        "navigator.vibrate = function (p) { window.vibrated = p; return true; };"
    )
    page = context.new_page()
    page.clock.install()
    log_in(page, live_server.url, "runner")
    page.wait_for_url("**/today/")
    timer = page.locator("#rest-timer")

    tap(page, f"set-{a1.pk}-1")
    page.wait_for_selector(f"#set-{a1.pk}-1.logged")
    assert timer.is_hidden(), "no rest between A1 and A2"
    tap(page, f"set-{a2.pk}-1")
    page.wait_for_selector(f"#set-{a2.pk}-1.logged")
    assert timer.is_visible()
    assert page.inner_text("#rest-timer .rest-left") in (f"{a2.rest_s} s", _clock(a2.rest_s))

    # The dock never covers the next set's boxes: the page scrolls them above it, and keeps
    # room below the last ones.
    page.clock.run_for(1500)
    dock_top = page.locator("#phone-dock").bounding_box()["y"]
    following = page.locator(f"#set-{a1.pk}-2 input.done").bounding_box()
    assert following["y"] + following["height"] <= dock_top
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f"#set-{a1.pk}-1").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    page.clock.run_for(800)
    page.screenshot(path=str(SHOTS / "phone-timer.png"))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last_box = page.locator(".set-row").last.locator("input.done").bounding_box()
    page.locator(".set-row").last.locator("input.done").scroll_into_view_if_needed()
    last_box = page.locator(".set-row").last.locator("input.done").bounding_box()
    assert last_box["y"] + last_box["height"] <= dock_top

    before = _seconds(page.inner_text("#rest-timer .rest-left"))
    page.click("#rest-timer .rest-more")
    assert _seconds(page.inner_text("#rest-timer .rest-left")) in (before + 14, before + 15)
    # Wall-clock time: the phone was locked (no interval ran) while the rest ran out.
    page.clock.set_system_time(page.evaluate("Date.now()") + (a2.rest_s + 16) * 1000)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_selector("#rest-timer >> text=Rest over")
    assert page.evaluate("window.vibrated") == [200, 100, 200]

    tap(page, f"set-{side.pk}-1-left")
    page.wait_for_selector(f"#set-{side.pk}-1-left.logged")
    assert timer.is_hidden(), "no rest between left and right"
    tap(page, f"set-{side.pk}-1-right")
    page.wait_for_selector(f"#set-{side.pk}-1-right.logged")
    assert timer.is_visible()
    # From the keyboard, wherever the focus is (the dock comes last in the tab order).
    page.keyboard.press("Escape")
    assert timer.is_hidden()


def _seconds(shown: str) -> int:
    minutes, _, seconds = shown.removesuffix(" s").rpartition(":")
    return int(minutes or 0) * 60 + int(seconds)


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


def test_a_hold_timer_fills_a_timed_set(live_server: Any, browser: Any) -> None:
    _, session = athlete_with_session_today()
    wall_sit = session.items.get(slot="A1")
    PlannedItem.objects.filter(pk=wall_sit.pk).update(measure="seconds", target=45)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.clock.install()
    log_in(page, live_server.url, "runner")
    page.wait_for_url("**/today/")
    row = f"#set-{wall_sit.pk}-1"
    page.fill(f"{row} input.done", "")
    page.click(f"{row} .hold")
    assert "Type how many seconds" in page.inner_text(f"{row} .set-msg")
    page.fill(f"{row} input.done", "45")
    page.click(f"{row} .hold")
    page.clock.run_for(20_000)
    assert page.inner_text("#rest-timer .rest-left") == "25 s"
    page.clock.run_for(26_000)
    page.wait_for_selector("#rest-timer >> text=Hold done")
    assert "Held 45 s" in page.inner_text(f"{row} .set-msg")
    page.fill(f"{row} input.done", "")
    page.click(f"{row} .hold")  # empty box: nothing to hold
    page.fill(f"{row} input.done", "40")
    page.click(f"{row} .hold")
    page.clock.run_for(12_000)
    page.click("#rest-timer .rest-skip")  # Stop: what was held so far
    assert page.input_value(f"{row} input.done") == "12"
    tap(page, row[1:])
    page.wait_for_selector(f"{row}.logged")
    assert SetLog.objects.get(item=wall_sit, set_number=1).done == 12


def test_three_taps_offline_are_stored_once_each_when_the_connection_returns(
    live_server: Any, browser: Any
) -> None:
    _, session = athlete_with_session_today()
    page = phone(browser, live_server.url)
    offline_ready(page)
    context = page.context
    rows = prefixes(page)[:3]
    context.set_offline(True)
    page.wait_for_selector("#offline-banner >> text=Offline")
    for prefix in rows:
        tap(page, prefix)
        page.wait_for_selector(f"#{prefix}.queued")
    banner = page.inner_text("#offline-banner")
    assert "3 sets waiting to send" in banner
    assert not SetLog.objects.filter(item__session=session).exists()
    page.wait_for_timeout(800)  # the smooth scroll to the next set has settled
    page.evaluate(
        "document.getElementById('session-status').scrollIntoView()"
    )  # the smooth scroll to the next set has settled
    page.screenshot(path=str(SHOTS / "phone-offline.png"))

    # The page reloads without a connection and still shows the session and the waiting taps.
    page.reload()
    page.wait_for_selector(".set-row")
    assert page.locator(f"#{rows[0]}.queued").count() == 1
    assert "3 sets waiting to send" in page.inner_text("#offline-banner")

    context.set_offline(False)
    wait_until(page, "document.getElementById('offline-banner').hidden")
    for prefix in rows:
        page.wait_for_selector(f"#{prefix}.logged")
    assert SetLog.objects.filter(item__session=session).count() == 3
    assert IdempotencyRecord.objects.count() == 3
    page.reload()
    assert page.locator(".set-row.logged").count() == 3


def test_taps_made_offline_while_the_coach_publishes_land_in_the_new_session(
    live_server: Any, browser: Any
) -> None:
    """The coach publishes a new plan while the athlete, offline in the gym, taps sets of
    today's session: when the connection returns they are saved in the session that
    replaced it, and the athlete is told so, rather than thrown away."""
    from runstrong.web.coaching.plans import plan_generate, plans_publish

    athlete, session = athlete_with_session_today()
    page = phone(browser, live_server.url)
    offline_ready(page)
    rows = prefixes(page)[:2]
    page.context.set_offline(True)
    page.wait_for_selector("#offline-banner >> text=Offline")
    for prefix in rows:
        tap(page, prefix)
        page.wait_for_selector(f"#{prefix}.queued")
    drafts, _ = plan_generate(athletes=[athlete], start=session.date, weeks=6)
    first = PlannedSession.objects.filter(plan=drafts[0]).order_by("date")[0]
    PlannedSession.objects.filter(pk=first.pk).update(date=session.date)  # a session today
    plans_publish(plans=drafts)

    page.context.set_offline(False)
    for prefix in rows:
        page.wait_for_selector(f"#{prefix}.logged")
    assert "replaced this one" in page.inner_text(f"#{rows[0]} .set-msg")
    assert not SetLog.objects.filter(item__session=session).exists()
    assert SetLog.objects.filter(item__session=first).count() == 2


def test_today_and_the_next_two_sessions_open_offline(live_server: Any, browser: Any) -> None:
    athlete, session = athlete_with_session_today()
    ahead = list(
        PlannedSession.objects.filter(athlete=athlete, date__gt=session.date).order_by("date")
    )[:2]
    page = phone(browser, live_server.url)
    offline_ready(page)
    page.context.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == "Today"
    assert page.locator(".set-row").count() > 0
    for following in ahead:
        page.goto(f"{live_server.url}/sessions/{following.pk}/log/")
        assert following.date.strftime("%-d") in page.inner_text("h1")
        assert page.locator(".set-row").count() > 0
    page.goto(f"{live_server.url}/coach/")
    assert "No connection" in page.inner_text("h1")


def test_yesterdays_unfinished_session_is_logged_today(live_server: Any, browser: Any) -> None:
    _, session = athlete_with_session_today()
    yesterday = timezone.localdate() - timedelta(days=1)
    PlannedSession.objects.filter(pk=session.pk).update(date=yesterday)
    page = phone(browser, live_server.url)
    page.click(f"text=Log {yesterday:%A} {yesterday.day} {yesterday:%b}")
    page.wait_for_url(f"**/sessions/{session.pk}/log/")
    assert "still counts on" in page.inner_text("main")
    for prefix in prefixes(page):
        tap(page, prefix)
        page.wait_for_selector(f"#{prefix}.logged")
    page.wait_for_selector("#session-status.details")
    log = SessionLog.objects.get(session=session)
    assert (log.status, log.session.date) == ("done", yesterday)
    page.goto(f"{live_server.url}/today/")
    assert "Not logged yet" not in page.inner_text("main")


def test_without_javascript_every_set_is_savable(live_server: Any, browser: Any) -> None:
    _, session = athlete_with_session_today()
    page = phone(browser, live_server.url, java_script_enabled=False)
    rows = prefixes(page)
    assert page.locator(".hold").count() == 0 or page.locator(".hold").first.is_hidden()
    page.fill(f"#{rows[0]} input.done", "")
    with page.expect_navigation():
        page.click(f"#{rows[0]} .tick")
    assert "The box is empty" in page.inner_text(f"#{rows[0]} .set-msg")
    with page.expect_navigation():  # Enter in a box: the page says what to tap
        page.press(f"#{rows[1]} input.done", "Enter")
    assert "Tap ✓ next to a set to save it." in page.inner_text("main")
    page.fill(f"#{rows[0]} input.done", "9,5")
    for prefix in rows:
        with page.expect_navigation():
            page.click(f"#{prefix} .tick")
        page.wait_for_selector(f"#{prefix}.logged")
        assert re.search(r"Saved\.|Done", page.inner_text("main"))
    assert "Done ✓ Every set is saved." in page.inner_text("#session-status")
    assert SetLog.objects.filter(item__session=session).count() == len(rows)
    first = SetLog.objects.filter(item__session=session).order_by("item__slot", "set_number")[0]
    assert first.done == 9.5
    page.select_option("#id_reps_in_reserve", "3")
    with page.expect_navigation():
        page.click("text=Save effort, pain and notes")
    assert SessionLog.objects.get(session=session).reps_in_reserve == 3


def test_an_installable_app_with_44_px_targets_and_no_script_errors(
    live_server: Any, browser: Any
) -> None:
    """Installable (manifest, icons, service worker: the only objection is the test's own
    incognito profile), every control on the page at least 44 px, and nothing the CSP
    blocks (a blocked inline script would be a console error)."""
    athlete_with_session_today()
    page = phone(browser, live_server.url)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.reload()
    offline_ready(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert {error["errorId"] for error in errors} <= {"in-incognito"}
    assert cdp.send("Page.getAppManifest")["errors"] == []
    page.locator(".set-row .tick").first.click()
    page.wait_for_selector(".set-row.logged")
    small = page.evaluate(
        """Array.from(document.querySelectorAll(
            'main a, main button, main input, main select, main textarea, main summary'))
          .filter(el => el.offsetParent !== null && !el.classList.contains('sr-only'))
          .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
          .filter(([, box]) => box.height < 44 || box.width < 44)
          .map(([html]) => html)"""
    )
    assert small == []
    assert problems == []
