"""SQLite under mixed load: 50 athletes logging sets, coaches previewing a squad's plans, a
sign-in and a test-day save, all at once against the real server. None may answer 5xx
("database is locked"): writers wait for the lock (busy timeout) instead of failing."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from tests.ops.live import Site, form_post, log_in, on_postgres, serve, site

PORT = 8853
ATHLETES = 50
SETS_EACH = 6
# Printed with -s, for the record (the machine's load distorts them).
SET_LOG_SECONDS: list[float] = []
PREVIEW_SECONDS: list[float] = []

pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite's single writer is what is tested")


def _set_logger(base: str, athlete: dict, statuses: list[tuple[str, int]]) -> Callable[[], None]:
    def run() -> None:
        http = requests.Session()
        for entry in athlete["sets"][:SETS_EACH]:
            began = time.perf_counter()
            response = http.post(
                f"{base}/api/v1/sessions/{athlete['session']}/sets",
                json={**entry, "done": 10},
                headers={"Authorization": f"Bearer {athlete['token']}"},
                timeout=120,
            )
            statuses.append(("set log", response.status_code))
            SET_LOG_SECONDS.append(time.perf_counter() - began)

    return run


def _coach_preview(base: str, live: Site, statuses: list[tuple[str, int]]) -> Callable[[], None]:
    """The coach signs in, drafts 16-week plans for the whole 5 km group, opens the review."""

    def run() -> None:
        coach = live.seeded["coach"]
        browser, signed_in = log_in(base, coach["username"], coach["password"])
        statuses.append(("coach sign-in", signed_in))
        began = time.perf_counter()
        drafted = form_post(
            browser,
            f"{base}/coach/plans/new/",
            {"group": "5k", "start": timezone.localdate().isoformat(), "weeks": "16"},
        )
        statuses.append(("preview", drafted.status_code))
        PREVIEW_SECONDS.append(time.perf_counter() - began)
        review = browser.get(f"{base}/coach/plans/review/", timeout=120)
        statuses.append(("review", review.status_code))
        overview = browser.get(f"{base}/coach/", timeout=120)
        statuses.append(("overview", overview.status_code))

    return run


def _athlete_sign_in(base: str, live: Site, statuses: list[tuple[str, int]]) -> Callable[[], None]:
    def run() -> None:
        athlete = live.seeded["athletes"][-1]
        browser, signed_in = log_in(base, athlete["username"], live.seeded["password"])
        statuses.append(("athlete sign-in", signed_in))
        statuses.append(("today", browser.get(f"{base}/today/", timeout=120).status_code))

    return run


def _test_day_save(base: str, live: Site, statuses: list[tuple[str, int]]) -> Callable[[], None]:
    def run() -> None:
        coach = live.seeded["coach"]
        browser, _ = log_in(base, coach["username"], coach["password"])
        cells = {}
        for number, athlete in enumerate(live.seeded["athletes"][:10]):
            cells[f"r-{athlete['id']}-heel-raise-left"] = str(20 + number)
            cells[f"r-{athlete['id']}-heel-raise-right"] = str(21 + number)
        saved = form_post(browser, f"{base}/coach/test-days/{live.seeded['test_day']}/", cells)
        statuses.append(("test-day save", saved.status_code))

    return run


def test_fifty_loggers_previews_a_sign_in_and_a_test_day_save_get_no_5xx(
    tmp_path: Path,
) -> None:
    statuses: list[tuple[str, int]] = []
    with site(tmp_path, "mixed") as live:
        live.seed(ATHLETES)
        with serve(live, PORT) as server:
            calls = [_set_logger(server.base, a, statuses) for a in live.seeded["athletes"]]
            calls += [_coach_preview(server.base, live, statuses) for _ in range(2)]
            calls += [
                _athlete_sign_in(server.base, live, statuses),
                _test_day_save(server.base, live, statuses),
            ]
            start = threading.Barrier(len(calls))

            def begin(call: Callable[[], None]) -> None:
                start.wait()
                call()

            threads = [threading.Thread(target=begin, args=(call,)) for call in calls]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            server_log = server.error_log.read_text()
        logged = live.query(
            "from runstrong.web.coaching.models import BenchmarkResult, Plan, SetLog\n"
            "result = [SetLog.objects.count(), BenchmarkResult.objects.count(),"
            " Plan.objects.filter(published_at__isnull=True).count()]"
        )

    tally = Counter(statuses)
    waits = sorted(SET_LOG_SECONDS)
    print(
        f"set logs: median {statistics.median(waits):.2f} s, p95 "
        f"{waits[int(0.95 * len(waits)) - 1]:.2f} s, max {waits[-1]:.2f} s; previews "
        + ", ".join(f"{seconds:.1f} s" for seconds in PREVIEW_SECONDS)
    )
    assert not [status for status in statuses if status[1] >= 500], (tally, server_log[-3000:])
    assert "database is locked" not in server_log
    assert tally[("set log", 201)] + tally[("set log", 200)] == ATHLETES * SETS_EACH, tally
    assert tally[("preview", 302)] == 2, tally
    assert tally[("review", 200)] == 2, tally
    assert tally[("coach sign-in", 302)] == 2, tally
    assert tally[("athlete sign-in", 302)] == 1, tally
    assert tally[("today", 200)] == 1, tally
    assert tally[("test-day save", 302)] == 1, tally
    sets, results, drafts = logged
    assert sets == ATHLETES * SETS_EACH
    assert results == 10
    assert drafts >= ATHLETES
