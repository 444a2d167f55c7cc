"""What runs done tell the running plan: the one place completed runs plug in.

Completed runs (FIT, TCX and GPX uploads) are built elsewhere; until they are wired in, these
return nothing and the past falls back to the profile's hard-run weekdays.
"""

from __future__ import annotations

from datetime import date

from runstrong.web.coaching.models import Athlete


def completed_hard_days(athlete: Athlete, start: date, end: date) -> set[date]:
    """The days from `start` to `end` (inclusive) with a completed run classified hard."""
    return set()


def completed_minutes(athlete: Athlete, start: date, end: date) -> dict[date, float]:
    """Minutes of running done each day from `start` to `end`, for the load-jump check."""
    return {}
