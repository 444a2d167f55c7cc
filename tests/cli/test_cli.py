"""The runstrong command line as a coach uses it: tables, JSON, calendars and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from icalendar import Calendar

from runstrong.cli.main import main

GOLDEN = Path(__file__).parents[1] / "engine" / "golden"
BASE = ["plan", "--event", "5k", "--start", "2027-01-04", "--weeks", "12"]
NEXT_CRAWL = ["next", "--exercise", "crouching-crawl", "--done", "10,10,10"]
CHECK_HOLD = ["check", "--event", "5k", "--movement", "glute-ham-hold"]
DEFAULT_TEXT = resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")


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
        (["next", "--exercise", "crouching-crawl", "--done", "nan,nan,nan"], ["--done", "nan"]),
        (["next", "--exercise", "crouching-crawl", "--done", "10,inf,10"], ["--done", "inf"]),
        (["next", "--exercise", "crouching-crawl", "--done", "10,-1,10"], ["--done", "-1"]),
        ([*NEXT_CRAWL, "--target", "-3"], ["--target", "-3"]),
        ([*NEXT_CRAWL, "--target", "nan"], ["--target", "nan"]),
        ([*NEXT_CRAWL, "--sets", "0"], ["--sets", "0", "1 to 10"]),
        ([*NEXT_CRAWL, "--sets", "-2"], ["--sets", "-2"]),
        ([*NEXT_CRAWL, "--load", "nan"], ["--load", "nan"]),
        ([*NEXT_CRAWL, "--kettlebells", "8,inf"], ["--kettlebells", "size inf kg"]),
        ([*CHECK_HOLD, "--value", "inf"], ["--value", "inf"]),
        ([*CHECK_HOLD, "--value", "nan"], ["--value", "nan"]),
        ([*CHECK_HOLD, "--value", "-1"], ["--value", "-1"]),
        (["check", "--event", "5k", "--movement", "heel-raise", "--left", "nan", "--right", "5"],
         ["--left", "nan"]),
        ([*BASE, "--mass", "nan"], ["--mass", "nan", "finite"]),
        ([*BASE, "--mass", "-60"], ["--mass", "-60"]),
        ([*BASE, "--kettlebells", "8,0"], ["--kettlebells", "size 0 kg", "above 0"]),
        ([*BASE, "--kettlebells", "-8"], ["--kettlebells", "'-8'"]),
        ([*BASE, "--weeks", "-3"], ["--weeks", "-3"]),
        ([*BASE, "--week", "-1"], ["--week", "-1"]),
        ([*BASE, "--problems", "knee", "--problems", "none"], ["--problems", "none on its own"]),
        ([*BASE, "--ics", "/no/such/folder/season.ics"], ["--ics", "/no/such/folder", "folder"]),
        (["demo", "--port", "0"], ["--port"]),
        (["serve", "--workers", "0"], ["--workers"]),
    ],
)  # fmt: skip
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


def test_catalog_check_refuses_a_catalog_that_moves_the_crawl_out_of_the_superset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """M1 is the article's rule, not coach data: `catalog check` names the key and the rule."""
    crawl = 'slug = "crouching-crawl"\nname = "Crouching crawl"\nblock = "A"'
    club = tmp_path / "club.toml"
    club.write_text(DEFAULT_TEXT.replace(crawl, crawl.replace('"A"', '"B"')), "utf-8")
    code, out, err = run(capsys, "catalog", "check", str(club))
    assert code == 2
    assert out == ""
    assert err == (
        f"runstrong: error: {club}: exercises[1].block: M1 — the crouching crawl is trained in a "
        'superset with the banded Spanish squat: block "A", not "B"\n'
    )


def test_catalog_check_refuses_the_single_leg_squat_three_times_a_week(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """M2: once or twice a week, never more."""
    club = tmp_path / "club.toml"
    club.write_text(
        DEFAULT_TEXT.replace("max_sessions_per_week = 2", "max_sessions_per_week = 3"), "utf-8"
    )
    code, _, err = run(capsys, "catalog", "check", str(club))
    assert code == 2
    assert "exercises[2].max_sessions_per_week: M2" in err


@pytest.mark.parametrize("name", ["[/]", "[bold red]Evil\\", "Ana [link=x]Ruiz[/link]"])
def test_a_name_prints_as_typed_never_as_markup(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, *BASE, "--name", name)
    assert code == 0, err
    assert f"Season plan for {name} · 5 km" in " ".join(out.split())


def test_catalog_texts_print_as_typed_in_the_week_detail(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    club = tmp_path / "club.toml"
    club.write_text(
        DEFAULT_TEXT.replace('name = "Crouching crawl"', 'name = "Crawl [/]"').replace(
            'grip the floor with the toes.",', 'grip the floor [bold]with the toes.",'
        ),
        "utf-8",
    )
    code, out, err = run(capsys, *BASE, "--catalog", str(club), "--week", "1")
    assert code == 0, err
    assert "Crawl [/]" in out
    assert "[bold]with" in out


def test_repeated_problems_add_up_like_a_comma_list(capsys: pytest.CaptureFixture[str]) -> None:
    """`--problems knee --problems shin` keeps both: the knee's quadriceps work [P2] and the
    extra crawl set [P1]."""
    _, repeated, _ = run(capsys, *BASE, "--problems", "knee", "--problems", "shin", "--json")
    _, listed, _ = run(capsys, *BASE, "--problems", "knee,shin", "--json")
    _, knee_only, _ = run(capsys, *BASE, "--problems", "knee", "--json")
    assert json.loads(repeated) == json.loads(listed) != json.loads(knee_only)
    items = json.loads(repeated)["weeks"][0]["sessions"][0]["blocks"][0]["items"]
    keys = {key for item in items for key in item["rule_keys"]}
    assert {"P1", "P2"} <= keys


def test_repeated_equipment_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    _, repeated, _ = run(capsys, *BASE, "--equipment", "band", "--equipment", "bench", "--json")
    _, listed, _ = run(capsys, *BASE, "--equipment", "band,bench", "--json")
    assert json.loads(repeated) == json.loads(listed)


def test_footwear_reaches_the_plan_table_week_detail_and_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Socks for the Spanish squat, barefoot for the single-leg squat, wherever the plan shows."""
    _, table, _ = run(capsys, *BASE)
    assert "(socks)" in table
    assert "(barefoot)" in table
    _, week, _ = run(capsys, *BASE, "--week", "1")
    assert "Footwear: socks" in week
    assert "Footwear: barefoot" in week
    _, out, _ = run(capsys, *BASE, "--json")
    items = {
        item["exercise"]: item["footwear"]
        for week in json.loads(out)["weeks"]
        for session in week["sessions"]
        for block in session["blocks"]
        for item in block["items"]
    }
    assert items["banded-spanish-squat"] == "socks"
    assert items["single-leg-squat"] == "barefoot"


def test_footwear_reaches_the_calendar_and_the_next_prescription(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "season.ics"
    run(capsys, *BASE, "--ics", str(target))
    description = str(Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]["description"])
    assert "A1 Banded Spanish squat (socks): 3 × 10" in description
    assert "B1 Single-leg squat, rear foot elevated (barefoot):" in description
    code, out, _ = run(capsys, "next", "--exercise", "single-leg-squat", "--done", "10,10,10")
    assert code == 0
    assert "footwear: barefoot" in out


def test_plan_without_strength_days_lifts_after_the_hard_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """S9: hard Mon/Wed/Fri and no strength days → Monday and Friday, after the run."""
    code, out, err = run(capsys, *BASE, "--hard-days", "mon,wed,fri", "--json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    days = [session["date"] for week in data["weeks"] for session in week["sessions"]]
    assert len(days) == 24
    assert {date.fromisoformat(day).strftime("%a") for day in days} == {"Mon", "Fri"}
    assert data["notes"][0]["text"].startswith("Strength days from the hard-run days: Monday")
    assert data["notes"][0]["keys"] == ["S9", "S11"]


def test_plan_refuses_a_season_its_days_hold_no_session_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """S11: strength Tue/Thu are each the day before a hard run: one line, exit 2, no table."""
    code, out, err = run(capsys, *BASE, "--strength-days", "tue,thu", "--hard-days", "mon,wed,fri")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("runstrong: error: No strength session fits this season")
    assert "Tuesday and Thursday fall the day before a hard run" in err
    assert "Leave out --strength-days" in err


def test_plan_refuses_a_season_under_the_catalogs_share_of_sessions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """S5 / rules.placement.min_share: 1 of 2 sessions a week fails a club that wants 75 %."""
    strict = tmp_path / "strict.toml"
    text = (GOLDEN.parents[2] / "src/runstrong/engine/data/catalog.toml").read_text("utf-8")
    strict.write_text(text.replace("min_share = 0.5", "min_share = 0.75"), "utf-8")
    args = (*BASE, "--strength-days", "tue,thu", "--hard-days", "wed,sat")
    code, out, err = run(capsys, *args, "--catalog", str(strict))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "holds 12 of the 24 sessions the phases ask for" in err
    assert "under 75 % of them" in err
    assert "Tuesday falls the day before a hard run" in err
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert "This season holds 12 of the 24 sessions" in out.replace("\n", " ")


RUN = "import sys; from runstrong.cli.main import run; sys.argv[0] = 'runstrong'; run()"


def test_a_server_command_without_its_settings_says_so_in_one_line(tmp_path: Path) -> None:
    """Outside the demo a secret key is required: one line and a non-zero exit, no traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNSTRONG_", "DJANGO_"))}
    env["RUNSTRONG_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", RUN, "createcoach", "--help"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, "help needs no settings"
    done = subprocess.run(
        [sys.executable, "-c", RUN, "manage", "check"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().startswith("runstrong: error: RUNSTRONG_SECRET_KEY is required")
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
