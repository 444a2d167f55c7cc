"""Run files the tests and the import bench write with the libraries watches' files follow:
FIT with `fit-tool`, TCX and GPX as XML. One sample a second, laps as given."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport


@dataclass(frozen=True)
class Leg:
    """A stretch of the run at one speed and heart rate: one lap."""

    seconds: int
    metres_per_second: float
    heart_rate: int


EASY_HOUR = (Leg(3600, 2.9, 135),)
INTERVALS = (
    Leg(900, 2.9, 135),
    *(leg for _ in range(5) for leg in (Leg(180, 4.6, 178), Leg(120, 2.5, 150))),
    Leg(600, 2.8, 140),
)


def _samples(legs: tuple[Leg, ...]) -> list[tuple[int, float, int, int]]:
    """(second, distance, heart rate, lap index) for every second."""
    rows = []
    second, distance = 0, 0.0
    for index, leg in enumerate(legs):
        for _ in range(leg.seconds):
            rows.append((second, distance, leg.heart_rate, index))
            second += 1
            distance += leg.metres_per_second
    return rows


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def fit_bytes(
    start: datetime, legs: tuple[Leg, ...] = EASY_HOUR, *, sport: str = "running", step: int = 1
) -> bytes:
    """A FIT activity; `step` > 1 records every step-th second (fit-tool writes a 1 Hz hour
    in seconds, too slow for every test)."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 0x12345678
    file_id.time_created = _ms(start)
    builder.add(file_id)
    event = EventMessage()
    event.event, event.event_type, event.timestamp = Event.TIMER, EventType.START, _ms(start)
    builder.add(event)
    records = []
    for second, distance, heart_rate, _lap in _samples(legs)[::step]:
        record = RecordMessage()
        record.timestamp = _ms(start + timedelta(seconds=second))
        record.distance = distance
        record.heart_rate = heart_rate
        records.append(record)
    builder.add_all(records)
    offset, distance = 0, 0.0
    for leg in legs:
        lap = LapMessage()
        lap.start_time = _ms(start + timedelta(seconds=offset))
        lap.timestamp = _ms(start + timedelta(seconds=offset + leg.seconds))
        lap.total_elapsed_time = leg.seconds
        lap.total_timer_time = leg.seconds
        lap.total_distance = leg.seconds * leg.metres_per_second
        lap.avg_heart_rate = leg.heart_rate
        lap.max_heart_rate = leg.heart_rate
        builder.add(lap)
        offset += leg.seconds
        distance += lap.total_distance
    session = SessionMessage()
    session.start_time = _ms(start)
    session.timestamp = _ms(start + timedelta(seconds=offset))
    session.total_elapsed_time = offset
    session.total_timer_time = offset
    session.total_distance = distance
    session.sport = Sport.RUNNING if sport == "running" else Sport.CYCLING
    session.avg_heart_rate = round(sum(leg.heart_rate * leg.seconds for leg in legs) / offset)
    session.max_heart_rate = max(leg.heart_rate for leg in legs)
    session.num_laps = len(legs)
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = _ms(start + timedelta(seconds=offset))
    activity.num_sessions = 1
    activity.total_timer_time = offset
    builder.add(activity)
    return builder.build().to_bytes()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tcx_bytes(start: datetime, legs: tuple[Leg, ...] = EASY_HOUR) -> bytes:
    laps = []
    rows = _samples(legs)
    for index, leg in enumerate(legs):
        points = "".join(
            f"<Trackpoint><Time>{_iso(start + timedelta(seconds=s))}</Time>"
            f"<DistanceMeters>{d:.1f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>"
            for s, d, hr, lap in rows
            if lap == index
        )
        lap_start = start + timedelta(seconds=sum(leg.seconds for leg in legs[:index]))
        laps.append(
            f'<Lap StartTime="{_iso(lap_start)}"><TotalTimeSeconds>{leg.seconds}</TotalTimeSeconds>'
            f"<DistanceMeters>{leg.seconds * leg.metres_per_second:.1f}</DistanceMeters>"
            f"<AverageHeartRateBpm><Value>{leg.heart_rate}</Value></AverageHeartRateBpm>"
            f"<MaximumHeartRateBpm><Value>{leg.heart_rate}</Value></MaximumHeartRateBpm>"
            f"<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
            f"<Track>{points}</Track></Lap>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{_iso(start)}</Id>{"".join(laps)}'
        "</Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def gpx_bytes(start: datetime | None, legs: tuple[Leg, ...] = EASY_HOUR) -> bytes:
    """A track heading north at the legs' speeds; `start=None` leaves every time out."""
    points = []
    for second, distance, heart_rate, _lap in _samples(legs)[::5]:
        when = f"<time>{_iso(start + timedelta(seconds=second))}</time>" if start else ""
        points.append(
            f'<trkpt lat="{51.5 + distance / 111_195:.7f}" lon="-0.1">{when}'
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{heart_rate}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="runstrong tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Run</name><type>running</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def zip_bytes(files: dict[str, bytes], folders: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            archive.writestr(zipfile.ZipInfo(folder.rstrip("/") + "/"), b"")
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
