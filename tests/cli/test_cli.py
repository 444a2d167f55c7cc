"""The runstrong command line as a coach uses it: tables, JSON, calendars and one-line errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from runstrong.cli.main import main

GOLDEN = Path(__file__).parents[1] / "engine" / "golden"
BASE = ["plan", "--event", "5k", "--start", "2027-01-04", "--weeks", "12"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_exercises_lists_the_four_exercises(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercises")
    assert code == 0
    for slug in (
        "banded-spanish-squat",
        "crouching-crawl",
        "single-leg-squat",
        "glute-ham-iso-row",
    ):
        assert slug in out


def test_groups_shows_standards_with_weak_labels(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "groups", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["schema"] == "runstrong.groups/1"
    five_k = next(group for group in data["groups"] if group["slug"] == "5k")
    heel = next(s for s in five_k["standards"] if s["movement"] == "heel-raise")
    assert heel["target"] == 28
    assert heel["weak"] is True
    assert "B1" in heel["keys"]


def test_plan_table_shows_each_session_with_doses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *BASE, "--race", "2027-03-27:A:County 5000")
    assert code == 0
    assert "2027-01-05" in out
    assert "3×10" in out
    assert "taper" in out


def test_plan_week_detail_answers_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *BASE, "--problems", "knee,patellar-tendon", "--week", "1")
    assert code == 0
    assert "M1" in out
    assert "P2" in out
    assert "P3" in out
    assert "hard-run day" in out


def test_plan_json_has_a_versioned_schema_and_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *BASE, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["schema"] == "runstrong.plan/1"
    item = data["weeks"][0]["sessions"][0]["blocks"][0]["items"][0]
    assert item["slot"] == "A1"
    assert item["reps"] == 10
    assert item["distance_m"] is None
    assert "M1" in item["rule_keys"]
    assert all(reason["keys"] for reason in item["reason"][:2])


def test_profile_file_with_flag_override(capsys: pytest.CaptureFixture[str]) -> None:
    profile = str(GOLDEN / "800m-knee.toml")
    code, out, _ = run(capsys, "plan", "--profile", profile, "--name", "Maya B", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["athlete"] == "Maya B"
    assert data["event_group"] == "800-1500m"
    assert len(data["weeks"]) == 16


def test_ics_imports_back_with_the_sessions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "season.ics"
    code, out, _ = run(capsys, *BASE, "--ics", str(target), "--json")
    sessions = [s["date"] for week in json.loads(out)["weeks"] for s in week["sessions"]]
    calendar = Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert code == 0
    assert [event.decoded("dtstart") for event in events] == [
        date.fromisoformat(day) for day in sessions
    ]
    assert "A1 Banded Spanish squat" in str(events[0]["description"])
    assert len({str(event["uid"]) for event in events}) == len(events)


def test_next_moves_up_after_a_complete_session(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        *("next", "--exercise", "single-leg-squat", "--target", "15", "--load", "8"),
        *("--kettlebells", "8,12", "--done", "15,15,15", "--rir", "2", "--json"),
    )
    data = json.loads(out)
    assert code == 0
    assert data["schema"] == "runstrong.progression/1"
    assert data["change"] == "load-up"
    assert data["prescription"]["load_kg"] == 12
    assert data["prescription"]["reps"] == 10


def test_next_with_pain_flags_the_coach(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "next", "--exercise", "crouching-crawl", "--done", "10,10,10", "--pain", "4"
    )
    assert code == 0
    assert "regress" in out
    assert "Flag for the coach" in out


def test_check_reports_verdict_and_asymmetry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--event", "800-1500m", "--movement", "heel-raise", "--left", "22",
        "--right", "27", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["status"] == "below"
    assert data["asymmetry_flag"] is True


def test_catalog_check_accepts_the_defaults(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "catalog", "show")
    copy = tmp_path / "club.toml"
    copy.write_text(out, "utf-8")
    code, out, _ = run(capsys, "catalog", "check", str(copy))
    assert code == 0
    assert out.startswith(f"ok: {copy}: 4 exercises")


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["plan", "--event", "400m"], ["event_group", "'400m'", "800-1500m, 5k, 10k"]),
        ([*BASE, "--race", "2026-12-01"], ["races[0].date", "2026-12-01", "season start"]),
        ([*BASE[:-1], "0"], ["weeks", "0", "greater than or equal to 1"]),
        ([*BASE[:-1], "105"], ["weeks", "105", "less than or equal to 104"]),
        ([*BASE, "--kettlebells", "8,twelve"], ["--kettlebells", "'twelve'", "12x2"]),
        ([*BASE, "--frobnicate"], ["--frobnicate", "runstrong plan --help"]),
        ([*BASE, "--sex", "robot"], ["sex", "'robot'", "'female'"]),
        ([*BASE, "--week", "13"], ["--week", "13", "1 to 12"]),
        (["next", "--exercise", "crouching-crawl", "--done", "ten"], ["--done", "'ten'"]),
        (["check", "--event", "5k", "--movement", "heel-raise"], ["left/right", "each leg"]),
    ],
)
def test_bad_input_is_one_line_exit_two_and_no_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], names: list[str]
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("runstrong: error: ")
    assert "Traceback" not in err
    for name in names:
        assert name in err


def test_a_catalog_with_a_syntax_error_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = \n", "utf-8")
    code, _, err = run(capsys, *BASE, "--catalog", str(broken))
    assert code == 2
    assert err.count("\n") == 1
    assert str(broken) in err
    assert "valid TOML" in err
