"""The 503 page a signed-in coach meets when the database is unavailable: styled like the
other error pages, no serious axe violation, on a phone and at a desk."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError

from runstrong.web.coaching.views import home
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.browser.test_accessibility import AXE, _violations
from tests.web.factories import make_coach

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="npm ci has not installed axe-core"),
]


@pytest.mark.django_db(transaction=True)
def test_the_unavailable_page_on_phone_and_desk(
    live_server: Any, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_coach("coach")
    base = live_server.url
    for width in (375, 1280):
        # The app allows no inline script: the test's own injected axe is let through.
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 720})
        page = context.new_page()
        log_in(page, base, "coach")
        with monkeypatch.context() as patch:

            def locked(user: object) -> str:
                raise OperationalError("database is locked")

            patch.setattr(home, "role_of", locked)
            response = page.goto(f"{base}/")
            assert response is not None
            assert response.status == 503
            assert page.title() == "Not available just now · runstrong"
            assert page.locator(".card.problem h1").inner_text() == (
                "runstrong cannot reach its data just now"
            )
            page.screenshot(path=str(SHOTS / f"unavailable-{width}.png"), full_page=True)
            assert _violations(page) == []
        page.get_by_role("link", name="Try again").click()  # the same address, now working
        page.wait_for_url(f"{base}/coach/")
        context.close()
