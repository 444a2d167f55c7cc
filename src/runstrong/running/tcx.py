"""TCX files (Garmin Training Center, Strava and Polar exports) read with tcxreader."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

from tcxreader.tcxreader import TCXReader

from runstrong.engine.running import CompletedRun, RunLap
from runstrong.running.refusals import RefusedFile
from runstrong.running.samples import Sample, summarise


def _aware(moment: datetime) -> datetime:
    # tcxreader reads a trailing `Z` as a literal: such a time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _hr(value: float | None) -> int | None:
    return round(value) if value and 20 <= value <= 260 else None


def read_tcx(name: str, data: bytes) -> CompletedRun:
    try:
        exercise = TCXReader().read(io.BytesIO(data), only_gps=False)
    except ParseError as error:
        raise RefusedFile(name, f"the TCX file is not well-formed XML ({error})") from None
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise RefusedFile(name, f"the TCX file cannot be read ({error})") from None
    points = [p for p in exercise.trackpoints if p.time is not None]
    if not points:
        raise RefusedFile(name, "the TCX file has no times: when the run was is unknown")
    start = _aware(points[0].time)
    samples = [
        Sample((_aware(p.time) - start).total_seconds(), p.distance, _hr(p.hr_value))
        for p in points
    ]
    laps = [
        RunLap(
            duration_s=lap.duration or 0.0,
            distance_m=lap.distance or 0.0,
            avg_hr=_hr(lap.hr_avg),
            max_hr=_hr(lap.hr_max),
        )
        for lap in exercise.laps
        if lap.duration
    ]
    sport = str(getattr(exercise, "activity_type", "") or "running").lower()
    return summarise(
        started_at=start,
        samples=samples,
        laps=laps,
        sport=sport,
        distance_m=exercise.distance or None,
    )
