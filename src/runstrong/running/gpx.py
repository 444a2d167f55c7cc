"""GPX tracks (Strava, Komoot, most apps) read with gpxpy; heart rate from Garmin's extension."""

from __future__ import annotations

from datetime import UTC, datetime

import gpxpy
import gpxpy.gpx

from runstrong.engine.running import CompletedRun
from runstrong.running.refusals import RefusedFile
from runstrong.running.samples import Sample, summarise


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _hr(point: gpxpy.gpx.GPXTrackPoint) -> int | None:
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rsplit("}", 1)[-1] == "hr" and element.text:
                try:
                    value = round(float(element.text))
                except ValueError:
                    return None
                return value if 20 <= value <= 260 else None
    return None


def read_gpx(name: str, data: bytes) -> CompletedRun:
    try:
        document = gpxpy.parse(data.decode("utf-8-sig"))
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as error:
        raise RefusedFile(name, f"the GPX file cannot be read ({error})") from None
    points = [
        point for track in document.tracks for segment in track.segments for point in segment.points
    ]
    if not points:
        raise RefusedFile(name, "the GPX file holds no track points")
    timed = [point for point in points if point.time is not None]
    if not timed:
        raise RefusedFile(name, "the GPX file has no times: when the run was is unknown")
    start = _aware(timed[0].time)  # type: ignore[arg-type]
    samples = []
    distance = 0.0
    previous = None
    for point in timed:
        if previous is not None:
            distance += point.distance_2d(previous) or 0.0
        previous = point
        seconds = (_aware(point.time) - start).total_seconds()  # type: ignore[arg-type]
        samples.append(Sample(seconds, distance, _hr(point)))
    kind = (document.tracks[0].type or "running").lower() if document.tracks else "running"
    return summarise(started_at=start, samples=samples, laps=[], sport=kind)
