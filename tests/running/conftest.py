"""Run files written once per test session: fit-tool takes about a second per file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.run_files import INTERVALS, Leg, fit_bytes, gpx_bytes, tcx_bytes

START = datetime(2026, 11, 3, 6, 30, tzinfo=UTC)
SHORT_INTERVALS = (Leg(600, 2.9, 140), Leg(240, 4.6, 180), Leg(120, 2.5, 150), Leg(300, 2.8, 142))


@pytest.fixture(scope="session")
def interval_fit() -> bytes:
    return fit_bytes(START, SHORT_INTERVALS, step=2)


@pytest.fixture(scope="session")
def interval_tcx() -> bytes:
    return tcx_bytes(START, INTERVALS)


@pytest.fixture(scope="session")
def easy_gpx() -> bytes:
    return gpx_bytes(START.replace(day=4), (Leg(2400, 2.9, 135),))
