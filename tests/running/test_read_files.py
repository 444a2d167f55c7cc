"""Run files the tests write with the libraries (fit-tool, XML) read back; broken and foreign
files refused with their name and why."""

from __future__ import annotations

import gzip

import pytest

from runstrong.running.archive import Limits, Member
from runstrong.running.reader import read_uploads
from tests.run_files import gpx_bytes, zip_bytes
from tests.running.conftest import SHORT_INTERVALS, START


def only_run(files: list[Member]):  # type: ignore[no-untyped-def]
    reading = read_uploads(files)
    assert reading.refused == []
    assert len(reading.runs) == 1
    return reading.runs[0].run


def refusals(files: list[Member], limits: Limits | None = None) -> dict[str, str]:
    reading = read_uploads(files, limits)
    return {refusal.name: refusal.reason for refusal in reading.refused}


def test_a_fit_file_gives_start_duration_distance_heart_rate_and_laps(interval_fit: bytes) -> None:
    run = only_run([Member("tuesday.fit", interval_fit)])
    assert run.started_at == START
    assert run.started_at.utcoffset() is not None
    assert run.duration_s == sum(leg.seconds for leg in SHORT_INTERVALS)
    assert run.distance_m == pytest.approx(
        sum(g.seconds * g.metres_per_second for g in SHORT_INTERVALS)
    )
    assert run.max_hr == 180
    assert [lap.duration_s for lap in run.laps] == [600, 240, 120, 300]
    fast = run.laps[1]
    assert (fast.avg_hr, fast.max_hr) == (180, 180)
    assert fast.pace_s_per_km == pytest.approx(1000 / 4.6)
    assert run.hr_seconds[180] == pytest.approx(240, abs=4)


def test_a_tcx_file_gives_its_laps_and_heart_rate(interval_tcx: bytes) -> None:
    run = only_run([Member("intervals.tcx", interval_tcx)])
    assert run.started_at == START
    assert len(run.laps) == 12
    assert run.max_hr == 178
    assert run.laps[1].pace_s_per_km == pytest.approx(1000 / 4.6, rel=0.02)
    assert run.distance_m > 9000


def test_a_gpx_track_gives_distance_from_its_points_and_heart_rate(easy_gpx: bytes) -> None:
    run = only_run([Member("easy.gpx", easy_gpx)])
    assert run.started_at.day == 4
    assert run.duration_s == pytest.approx(2395, abs=5)
    assert run.distance_m == pytest.approx(2400 * 2.9, rel=0.01)
    assert run.avg_hr == 135
    assert len(run.laps) == 1


def test_a_gzipped_file_from_a_strava_export_is_read(easy_gpx: bytes) -> None:
    assert only_run([Member("123.gpx.gz", gzip.compress(easy_gpx))]).avg_hr == 135


def test_a_truncated_fit_file_is_refused_by_name(interval_fit: bytes) -> None:
    assert refusals([Member("cut.fit", interval_fit[:-300])]) == {
        "cut.fit": "the FIT file is cut short (truncated)"
    }


def test_a_fit_file_with_a_wrong_checksum_is_refused(interval_fit: bytes) -> None:
    broken = interval_fit[:-2] + bytes([interval_fit[-2] ^ 0xFF, interval_fit[-1]])
    assert refusals([Member("crc.fit", broken)]) == {
        "crc.fit": "the FIT file is damaged (its checksum does not match)"
    }


def test_a_gpx_without_times_is_refused() -> None:
    assert refusals([Member("route.gpx", gpx_bytes(None))]) == {
        "route.gpx": "the GPX file has no times: when the run was is unknown"
    }


def test_a_zip_skips_its_folders_and_refuses_a_foreign_file(interval_fit: bytes) -> None:
    export = zip_bytes(
        {"activities/1.fit": interval_fit, "activities/notes.txt": b"a good week"},
        folders=("activities",),
    )
    reading = read_uploads([Member("export.zip", export)])
    assert {r.name: r.reason for r in reading.refused} == {
        "export.zip/activities/notes.txt": "not a FIT, TCX or GPX run file"
    }
    assert [run.name for run in reading.runs] == ["export.zip/activities/1.fit"]
    assert reading.notes == [
        "Skipped the folder export.zip/activities/ (its files are read on their own)."
    ]


def test_a_zip_entry_climbing_out_of_the_zip_is_refused(interval_fit: bytes) -> None:
    export = zip_bytes({"../../etc/evil.fit": interval_fit})
    assert refusals([Member("x.zip", export)]) == {
        "x.zip/../../etc/evil.fit": "a name that points outside the zip"
    }


def test_every_refused_member_of_a_zip_is_named_not_only_the_first(interval_fit: bytes) -> None:
    export = zip_bytes(
        {
            "../up.fit": interval_fit,
            "big.fit": b"\0" * 200_000,
            "ok.fit": interval_fit,
            "huge.fit": b"\0" * 300_000,
            "inner.zip": zip_bytes({"../../x.fit": b"x", "fine.fit": interval_fit}),
        }
    )
    reading = read_uploads([Member("x.zip", export)], Limits(max_file_bytes=100_000))
    assert {refusal.name: refusal.reason for refusal in reading.refused} == {
        "x.zip/../up.fit": "a name that points outside the zip",
        "x.zip/big.fit": "over 0.0954 MB",
        "x.zip/huge.fit": "over 0.0954 MB",
        "x.zip/inner.zip/../../x.fit": "a name that points outside the zip",
    }
    assert [run.name for run in reading.runs] == ["x.zip/ok.fit", "x.zip/inner.zip/fine.fit"]


def test_a_zip_over_the_file_limit_is_refused_before_reading(interval_fit: bytes) -> None:
    export = zip_bytes({f"{n}.fit": interval_fit for n in range(3)})
    assert refusals([Member("big.zip", export)], Limits(max_files=2)) == {
        "big.zip": "3 files: at most 2 in one zip"
    }


def test_a_zip_bomb_is_refused_by_its_unpacked_size() -> None:
    export = zip_bytes({"huge.fit": b"\0" * 3_000_000})
    assert refusals([Member("bomb.zip", export)], Limits(max_total_bytes=1_000_000)) == {
        "bomb.zip": "over 0.954 MB unpacked"
    }


def test_a_zip_inside_a_zip_is_read_as_garmin_exports_it(interval_fit: bytes) -> None:
    inner = zip_bytes({"a.fit": interval_fit})
    reading = read_uploads([Member("garmin.zip", zip_bytes({"part1.zip": inner}))])
    assert [run.name for run in reading.runs] == ["garmin.zip/part1.zip/a.fit"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 50, "not a FIT, TCX or GPX run file"),
        ("empty.fit", b"", "the file is empty"),
        ("page.gpx", b"<html><body>gpx</body></html>", "not a FIT, TCX or GPX run file"),
    ],
)
def test_foreign_files_are_refused_whatever_their_name(name: str, data: bytes, reason: str) -> None:
    assert refusals([Member(name, data)]) == {name: reason}


def test_a_fit_file_with_one_byte_changed_inside_is_refused(interval_fit: bytes) -> None:
    middle = len(interval_fit) // 2
    broken = (
        interval_fit[:middle] + bytes([interval_fit[middle] ^ 0x01]) + interval_fit[middle + 1 :]
    )
    assert refusals([Member("flip.fit", broken)]) == {
        "flip.fit": "the FIT file is damaged (its checksum does not match)"
    }


def test_a_fit_header_claiming_more_data_than_sent_is_truncated(interval_fit: bytes) -> None:
    assert refusals([Member("head.fit", interval_fit[:13])]) == {
        "head.fit": "the FIT file is cut short (truncated)"
    }
