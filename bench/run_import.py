"""Time importing a year of runs for one athlete: 365 FIT files of about an hour each, one
record a second (heart rate, distance), ten laps, as a Garmin bulk export zip.

The import is the worker's whole path (upload_runs with the zip, then run_stored_upload):
open the zip, read every file with fitdecode (CRC checked), judge nothing yet, store 365 runs
in one transaction. The files are written here with a small FIT encoder (fit-tool, which the
tests use, takes about six seconds per hour-long file); fitdecode reads every one back with
its CRC checked, so a file it would refuse fails the bench.

Run: make bench   (or: python -m bench.run_import [--days N])
Uses a throwaway SQLite database (or RUNSTRONG_DATABASE_URL naming a "bench" database).
Target: under 20 s.
"""

from __future__ import annotations

import argparse
import io
import random
import struct
import time
import zipfile
from datetime import UTC, datetime, timedelta

from bench.overview_latency import _configure, fresh_database
from runstrong.running.fit import fit_crc

TARGET_S = 20.0
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    head = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    return head + b"".join(struct.pack("<BBB", *field) for field in fields)


FILE_ID = _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)])
RECORD = _definition(1, 20, [(253, 4, 0x86), (5, 4, 0x86), (3, 1, 0x02)])
LAP_FIELDS = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86)]
LAP = _definition(2, 19, [*LAP_FIELDS, (15, 1, 0x02), (16, 1, 0x02)])
SESSION = _definition(
    3, 18, [*LAP_FIELDS[:2], (5, 1, 0x00), *LAP_FIELDS[2:], (16, 1, 0x02), (17, 1, 0x02)]
)


def hour_run(start: datetime, rng: random.Random, *, hard: bool) -> bytes:
    """About an hour: ten laps, the even ones fast on a hard day; one record a second."""
    stamp0 = int((start - FIT_EPOCH).total_seconds())
    body = [FILE_ID, struct.pack("<BBHI", 0, 4, 255, stamp0), RECORD]
    laps = []
    second, distance = 0, 0.0
    peak = 0
    for lap in range(10):
        fast = hard and lap % 2 == 1
        seconds = rng.randint(330, 390)
        speed = 4.4 if fast else 2.9
        rate = 176 if fast else 138
        lap_start, lap_distance, beats = second, distance, []
        rows = []
        for _ in range(seconds):
            hr = rate + rng.randint(-3, 3)
            beats.append(hr)
            rows.append(struct.pack("<BIIB", 1, stamp0 + second, round(distance * 100), hr))
            second += 1
            distance += speed
        body.append(b"".join(rows))
        peak = max(peak, *beats)
        laps.append(
            (lap_start, seconds, distance - lap_distance, sum(beats) // len(beats), max(beats))
        )
    body.append(LAP)
    for lap_start, seconds, metres, avg, top in laps:
        body.append(
            struct.pack(
                "<BIIIIIBB",
                2,
                stamp0 + lap_start + seconds,
                stamp0 + lap_start,
                seconds * 1000,
                seconds * 1000,
                round(metres * 100),
                avg,
                top,
            )
        )
    average = sum(avg * seconds for _s, seconds, _m, avg, _t in laps) // second
    body += [
        SESSION,
        struct.pack(
            "<BIIBIIIBB",
            3,
            stamp0 + second,
            stamp0,
            1,
            second * 1000,
            second * 1000,
            round(distance * 100),
            average,
            peak,
        ),
    ]
    data = b"".join(body)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(data), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    whole = header + data
    return whole + struct.pack("<H", fit_crc(whole))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A bulk export as the watch makers ship it: one zip of the activity files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    _configure()
    fresh_database()

    from django.db import connection

    from bench.builders import make_athlete, make_coach
    from runstrong.running.archive import Member
    from runstrong.web.coaching.completed_runs import run_stored_upload, upload_runs
    from runstrong.web.coaching.models import CompletedRun, RunUpload

    athlete = make_athlete(make_coach("benchcoach"), "benchrunner", threshold_hr=170)
    rng = random.Random(15)
    first = datetime(2025, 1, 1, 6, 30, tzinfo=UTC)
    written = time.perf_counter()
    files = {
        f"DI_CONNECT/activity_{day}.fit": hour_run(
            first + timedelta(days=day, minutes=rng.randint(0, 600)),
            rng,
            hard=day % 7 in (1, 3),
        )
        for day in range(args.days)
    }
    export = zip_bytes(files)
    print(
        f"wrote {len(files)} FIT files, {sum(map(len, files.values())) / 1e6:.1f} MB "
        f"({len(export) / 1e6:.1f} MB zipped) in {time.perf_counter() - written:.1f} s"
    )

    began = time.perf_counter()
    upload = upload_runs(athlete, [Member("export.zip", export)], by=None)
    if not upload.finished:
        run_stored_upload(upload.pk)
    took = time.perf_counter() - began
    upload = RunUpload.objects.get(pk=upload.pk)
    stored = CompletedRun.objects.filter(athlete=athlete).count()
    if upload.state != "done" or stored != args.days:
        raise SystemExit(f"import {upload.state}: {stored} runs stored, {upload.refused[:3]}")
    records = sum(run.duration_s for run in CompletedRun.objects.filter(athlete=athlete))
    print(
        f"run import ({connection.vendor}): {args.days} FIT files, {records:,} records, "
        f"in {took:.1f} s ({records / took:,.0f} records/s); target < {TARGET_S:.0f} s, "
        f"ratio {took / TARGET_S:.2f}"
    )


if __name__ == "__main__":
    main()
