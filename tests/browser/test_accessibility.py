"""axe-core (from npm, node_modules/axe-core) on every coach and athlete page in Debian's
Chromium: no serious or critical violation. The pages are enumerated from the URL conf, so a
page added later is checked too (or the test asks for a seeded value for its URL argument)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from runstrong.running.archive import Member
from runstrong.web.coaching import models
from runstrong.web.coaching.completed_runs import import_runs
from runstrong.web.coaching.invitations import invitation_issue
from runstrong.web.coaching.models import Athlete, PlannedItem, PlannedSession
from runstrong.web.coaching.plans import plan_generate
from runstrong.web.coaching.seed import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import CHROMIUM, SHOTS
from tests.run_files import EASY_HOUR, INTERVALS, fit_bytes, gpx_bytes
from tests.web.running_feeds import seed_running_plan

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="npm ci has not installed axe-core"),
]

# URL names that answer no HTML page to look at: files, feeds, JSON, POST-only actions.
NOT_PAGES = {
    "health", "logout", "calendar-feed", "squad-calendar-feed", "export-squad", "export-athlete",
    "standards-json",
    "test-day-sheet", "season-pdf", "session-card", "session-workout", "token-revoke",
    "flag-resolve",
    "session-set", "session-missed", "item-edit-remove", "service-worker",
    "manifest", "test-day-move", "roster-template", "roster-refused", "invitation-links",
    "planned-run-override",
    # Run uploads: POST-only, and the upload's card the page polls (a fragment, not a page).
    "my-runs-upload", "athlete-runs-upload", "my-run-upload", "athlete-run-upload",
    # Its link carries a one-time token of Django's own; the form it shows is the same as
    # password_reset's, which is checked.
    "password_reset_confirm",
}  # fmt: skip
# Pages for whoever is not signed in, and the account pages both coach and athlete have.
ANONYMOUS = {
    "login", "invite", "password_reset", "password_reset_done", "password_reset_complete",
}  # fmt: skip
BOTH = {"coaching:account", "coaching:tokens"}
SERIOUS = {"serious", "critical"}


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    kwargs: tuple[str, ...]


def _pages(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> list[Page]:
    """Every named route of the project (admin and the API's own pages aside)."""
    found: list[Page] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _pages(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in NOT_PAGES:
            found.append(Page(namespace + entry.name, route, tuple(entry.pattern.converters)))
    return found


def _who(page: Page) -> str:
    if page.name in ANONYMOUS:
        return "anonymous"
    if page.route.startswith("coach/"):
        return "coach"
    return "athlete"


def _squad() -> dict[str, Any]:
    """The demo club at three athletes, plus a draft plan, a test day and a pending invitation."""
    today = timezone.localdate()
    club = seed_demo(today=today, athletes=3)
    athlete = Athlete.objects.filter(squad__club=club, user__username="athlete1").get()
    squad = athlete.squad
    fresh = Athlete.objects.create(
        squad=squad, name="Dana New", event_group="10k", strength_days=["tue", "fri"]
    )
    plan_generate(athletes=[fresh], start=today, weeks=4)
    test_day = models.TestDay.objects.create(
        squad=squad, date=today + timedelta(days=3), movements=["heel-raise", "glute-ham-hold"]
    )
    past = (
        PlannedSession.objects.filter(athlete=athlete, date__lt=today, log__isnull=False)
        .order_by("-date")
        .first()
    )
    soon = PlannedSession.objects.filter(athlete=athlete, date__gte=today).order_by("date").first()
    assert past is not None
    assert soon is not None
    item = PlannedItem.objects.filter(session=soon).first()
    assert item is not None
    seed_running_plan(athlete, today)
    # Runs beside strength on the runs pages and the coach's athlete page: one hard, one easy.
    athlete.threshold_hr = 170
    athlete.save()
    start = timezone.now().replace(hour=6, minute=30) - timedelta(days=1)
    import_runs(
        athlete,
        [
            Member("intervals.fit", fit_bytes(start, INTERVALS, step=10)),
            Member("easy.gpx", gpx_bytes(start - timedelta(days=2), EASY_HOUR)),
        ],
    )
    return {
        "athlete_id": athlete.pk,
        "test_day_id": test_day.pk,
        "item_id": item.pk,
        "token": invitation_issue(athlete=fresh).token,
        # The coach opens the logged session; the athlete logs the coming one or looks back.
        "session_id": {"coach": past.pk, "athlete": soon.pk, "history-session": past.pk},
    }


def _url(page: Page, who: str, seeded: dict[str, Any]) -> str:
    kwargs = {}
    for name in page.kwargs:
        assert name in seeded, f"{page.name}: seed a value for <{name}> in _squad()"
        value = seeded[name]
        if isinstance(value, dict):
            value = value.get(page.name.split(":")[-1], value[who])
        kwargs[name] = value
    return reverse(page.name, kwargs=kwargs)


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:4])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def _sign_in(context: Any, base: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True)
def test_no_serious_accessibility_violation_on_any_page(
    live_server: object, browser: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    seeded = _squad()
    pages = _pages()
    assert {"coaching:overview", "coaching:today", "coaching:plan-review"} <= {
        p.name for p in pages
    }
    found: dict[str, list[str]] = {}
    checked = []
    # The check itself sees a violation when there is one (axe loaded and ran).
    probe = browser.new_context(bypass_csp=True).new_page()  # type: ignore[attr-defined]
    probe.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    assert [v.split(":")[0] for v in _violations(probe)] == ["critical image-alt"]
    probe.context.close()
    for who, username, width in [
        ("anonymous", None, 375),
        ("coach", "coach", 1280),
        ("athlete", "athlete1", 375),  # athletes use the app on their phones
    ]:
        # The app's CSP allows no inline script: the test's own injected axe is let through.
        context = browser.new_context(  # type: ignore[attr-defined]
            bypass_csp=True, viewport={"width": width, "height": 900}, is_mobile=width < 640
        )
        page = _sign_in(context, base, username) if username else context.new_page()
        for entry in [p for p in pages if _who(p) == who or (p.name in BOTH and username)]:
            url = _url(entry, who, seeded)
            response = page.goto(base + url)
            assert response is not None
            assert response.status == 200, f"{who} {url}: {response.status}"
            checked.append(f"{who} {url}")
            if problems := _violations(page):
                found[f"{who} {url}"] = problems
        # The styled error page too, and a form sent back with its errors.
        page.goto(f"{base}/no/such/page/")
        if problems := _violations(page):
            found[f"{who} 404"] = problems
        if who == "coach":
            page.goto(base + reverse("coaching:athlete-edit", args=[seeded["athlete_id"]]))
            page.fill("#id_name", "")
            page.fill("#id_body_mass_kg", "500")
            page.click("form.stacked button[type=submit]")
            page.wait_for_selector("#error-summary")
            if problems := _violations(page):
                found["coach profile form with errors"] = problems
        context.close()
    assert len(checked) >= 25, checked
    assert found == {}


@pytest.mark.django_db(transaction=True)
def test_the_skip_link_is_the_first_tab_stop_and_reaches_the_content(
    live_server: object, browser: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    _squad()
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = _sign_in(context, base, "coach")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.href]")
    assert focused == ["Skip to content", f"{base}/coach/#content"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")  # the next stop is in the page, not the top bar
    assert page.evaluate("document.activeElement.closest('main') !== null")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_not_found_and_lockout_pages_on_phone_and_desk(
    live_server: object, browser: object
) -> None:
    """Screenshots to look at; with RUNSTRONG_DOCS_SCREENSHOTS the desk 404 goes to docs/."""
    base = live_server.url  # type: ignore[attr-defined]
    _squad()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 720})  # type: ignore[attr-defined]
        page = _sign_in(context, base, "coach")
        response = page.goto(f"{base}/coach/athletes/999999/")
        assert response is not None
        assert response.status == 404
        assert page.title() == "Page not found · runstrong"
        page.screenshot(path=str(SHOTS / f"not-found-{width}.png"), full_page=True)
        if width == 1280 and os.environ.get("RUNSTRONG_DOCS_SCREENSHOTS"):
            page.screenshot(path=str(DOCS / "not-found.png"), full_page=True)
        page.click("text=Go to the start page")
        page.wait_for_url("**/coach/")
        context.close()

        context = browser.new_context(viewport={"width": width, "height": 720})  # type: ignore[attr-defined]
        page = context.new_page()
        for _ in range(6):
            page.goto(f"{base}/login/")
            page.fill("#id_username", f"athlete{2 if width == 375 else 3}")
            page.fill("#id_password", "not the password")
            page.click("button[type=submit]")
            page.wait_for_load_state()
        assert page.title() == "Log in paused · runstrong"
        page.screenshot(path=str(SHOTS / f"locked-out-{width}.png"), full_page=True)
        page.click("text=Back to log in")
        page.wait_for_url("**/login/")
        context.close()
