"""The runs pages in Chromium at 375 px: a week of runs beside strength with the hard days
marked, and an upload with a refused file (the screenshots in docs/)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from runstrong.running.archive import Member
from runstrong.web.coaching.completed_runs import import_runs
from runstrong.web.coaching.models import CompletedRun, PlannedSession, SessionLog
from tests.browser.conftest import CHROMIUM, SHOTS, log_in
from tests.run_files import EASY_HOUR, INTERVALS, Leg, fit_bytes, gpx_bytes, tcx_bytes, zip_bytes
from tests.web.factories import make_athlete, make_coach, publish_plan

DOCS = Path(__file__).resolve().parents[2] / "docs"
LONG = (Leg(5700, 3.0, 145),)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


def _at(day: Any, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _seed() -> Any:
    """Ines: last week and this one, strength logged up to today, five runs."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    coach = make_coach("runcoach")
    athlete = make_athlete(
        coach, "runner", name="Ines Runner", threshold_hr=170, threshold_pace=240,
        strength_days=["mon", "thu"], hard_run_days=["tue", "sat"],
    )  # fmt: skip
    publish_plan(athlete, start=monday - timedelta(days=7), weeks=6)
    for session in PlannedSession.objects.filter(athlete=athlete, date__lt=today):
        SessionLog.objects.create(session=session, status="done")
    last = monday - timedelta(days=7)
    import_runs(
        athlete,
        [
            Member("2_intervals.fit", fit_bytes(_at(last + timedelta(1), 18), INTERVALS, step=5)),
            Member("4_easy.gpx", gpx_bytes(_at(last + timedelta(3), 7), EASY_HOUR)),
            Member("6_long.gpx", gpx_bytes(_at(last + timedelta(5), 8), LONG)),
            Member("this_monday_easy.tcx", tcx_bytes(_at(monday, 7), (Leg(2700, 2.9, 138),))),
            Member(
                "this_tuesday.fit", fit_bytes(_at(monday + timedelta(1), 18), INTERVALS, step=5)
            ),
        ],
    )
    assert CompletedRun.objects.filter(athlete=athlete).count() == 5
    return athlete


@pytest.mark.django_db(transaction=True)
def test_the_week_shows_runs_beside_strength_and_an_upload_names_a_refused_file(
    live_server: Any, browser: Any
) -> None:
    athlete = _seed()
    base = live_server.url
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    log_in(page, base, "runner")
    page.goto(f"{base}/weeks/runs/")
    assert page.locator(".run-day.is-hard").count() >= 2
    assert page.get_by_text("Hard day").first.is_visible()
    why = page.locator(".run-week").nth(1).locator("details").first
    why.locator("summary").click()
    assert why.get_by_text("at or above threshold heart rate 170").is_visible()
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_overflow)
    page.locator(".run-week").first.scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "runs-week.png"), full_page=True)

    export = zip_bytes(
        {
            "activities/7.gpx": gpx_bytes(_at(timezone.localdate(), 6), EASY_HOUR),
            "activities/route_no_times.gpx": gpx_bytes(None),
            "activities/profile.csv": b"name,weight\nInes,58\n",
        },
        folders=("activities",),
    )
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "strava_export.zip", "mimeType": "application/zip", "buffer": export}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".run-upload.is-refused")
    text = page.locator("#run-upload").inner_text()
    assert "strava_export.zip/activities/route_no_times.gpx: the GPX file has no times" in text
    assert "strava_export.zip/activities/profile.csv: not a FIT, TCX or GPX run file" in text
    assert CompletedRun.objects.filter(athlete=athlete).count() == 5  # nothing half-imported
    assert page.evaluate(no_overflow)
    page.screenshot(path=str(DOCS / "runs-upload-refused.png"), full_page=False)
    context.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, base, "runcoach")
    page.goto(f"{base}/coach/athletes/{athlete.pk}/")
    assert page.get_by_text("Running and strength, last two weeks").is_visible()
    page.screenshot(path=str(SHOTS / "coach-athlete-runs.png"), full_page=True)
    page.goto(f"{base}/coach/athletes/{athlete.pk}/runs/")
    page.screenshot(path=str(SHOTS / "coach-runs-page.png"), full_page=True)
    desk.close()
