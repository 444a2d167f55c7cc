"""The athlete's charts: units on every axis, today in view, targets as a band, one point told
in words, an empty state, small figures with no template, and the partial plotly bundle."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from runstrong.web.coaching.charts import COUNT_STEPS, KG_STEPS, Chart, exercise_charts, nice_step
from runstrong.web.coaching.models import BenchmarkResult, PainReport, PlannedSession
from runstrong.web.coaching.session_log import session_log_done
from runstrong.web.finders import PlotlyFinder
from tests.personas import World, login
from tests.web.factories import monday_before, publish_plan
from tests.web.test_athlete_screens import sets_of

TODAY = date(2026, 11, 26)


@dataclass
class FakeSession:
    """What the time-axis marks read of a planned session."""

    date: date
    phase: str


def point(day: date, target: float, best: float, unit: str = "reps", load: Any = None) -> dict:
    return {
        "exercise": "banded-spanish-squat",
        "date": day,
        "target": target,
        "unit": unit,
        "load_kg": load,
        "best": best,
        "sets": 3,
    }


def a_season(weeks: int = 8, alternate: bool = False) -> list[dict]:
    """Tuesdays and Thursdays up to today; with `alternate`, 10 reps on Tuesday, 12 on
    Thursday (an undulating week); the load goes 8, 12, 16 kg."""
    points = []
    start = monday_before(TODAY) - timedelta(weeks=weeks)
    for week in range(weeks):
        for offset, target in ((1, 10), (3, 12 if alternate else 10)):
            day = start + timedelta(weeks=week, days=offset)
            points.append(point(day, target, target, load=[8, 12, 16][week * 3 // weeks]))
    return points


def figure(chart: Chart) -> dict:
    assert chart.figure, f"{chart.key} is told in words only: {chart.summary}"
    return json.loads(chart.figure)


def one_chart(points: list[dict], sessions: list[Any] | None = None) -> Chart:
    [chart] = exercise_charts(
        progress={"Banded Spanish squat": points},
        sessions=sessions or [],
        races=[],
        today=TODAY,
    )
    return chart


# --- chart builders ---------------------------------------------------------------------------


def test_every_value_axis_names_its_unit_and_load_ticks_are_round_kilograms() -> None:
    layout = figure(one_chart(a_season()))["layout"]
    assert layout["yaxis"]["title"]["text"] == "best set (reps)"
    assert layout["yaxis2"]["title"]["text"] == "load (kg)"
    # 16 kg at most: ticks 0, 4, 8, 12, 16 (kettlebell steps), never 1.22 or 6.02.
    assert layout["yaxis2"]["dtick"] == 4
    assert layout["yaxis2"]["range"] == [0, 20]
    for axis in (layout["yaxis"], layout["yaxis2"]):
        assert axis["range"][1] % axis["dtick"] == 0


@pytest.mark.parametrize(
    ("top", "steps", "step"),
    [
        (13.8, KG_STEPS, 4),  # 16 kg bells at most: 0, 4, 8, 12, 16
        (21, COUNT_STEPS, 5),
        (0.55, COUNT_STEPS, 0.2),  # load per kg of body mass
        (180, COUNT_STEPS, 50),
        (7, COUNT_STEPS, 2),
    ],
)
def test_value_axes_step_in_round_numbers(top: float, steps: tuple, step: float) -> None:
    assert nice_step(top, steps) == pytest.approx(step)


def test_reps_and_seconds_of_one_exercise_are_never_on_one_axis() -> None:
    """The isometric row is in reps for three weeks, then held in seconds: two charts."""
    points = [point(TODAY - timedelta(days=40 - 3 * n), 10, 10) for n in range(3)]
    points += [point(TODAY - timedelta(days=20 - 3 * n), 30, 30, unit="s") for n in range(4)]
    charts = exercise_charts(
        progress={"Hip-hinge isometric row": points}, sessions=[], races=[], today=TODAY
    )
    titles = {c.title: figure(c)["layout"]["yaxis"]["title"]["text"] for c in charts}
    assert titles == {
        "Hip-hinge isometric row (reps)": "best set (reps)",
        "Hip-hinge isometric row (seconds)": "best set (seconds)",
    }
    assert len({c.key for c in charts}) == 2


def test_the_time_axis_ends_a_week_past_today_not_at_the_end_of_the_plan() -> None:
    points = a_season()
    plan = [FakeSession(points[0]["date"] + timedelta(days=d), "preparation") for d in range(200)]
    layout = figure(one_chart(points, sessions=plan))["layout"]
    start, end = layout["xaxis"]["range"]
    assert date.fromisoformat(start) <= points[0]["date"]
    assert date.fromisoformat(end) == TODAY + timedelta(days=7)
    today_lines = [s for s in layout["shapes"] if s.get("x0") == TODAY.isoformat()]
    assert today_lines, "today is marked"
    assert any(a["text"] == "today" for a in layout["annotations"])


def test_alternating_targets_are_one_band_not_a_zigzag() -> None:
    data = figure(one_chart(a_season(alternate=True)))["data"]
    lower, upper = data[0], data[1]
    assert set(lower["y"]) == {10}, "each week's 10–12 as one band"
    assert set(upper["y"]) == {12}
    assert upper["fill"] == "tonexty"
    assert upper["line"]["shape"] == "hv"
    best = [trace for trace in data if trace.get("name") == "best set"]
    assert best
    assert best[0]["mode"] == "markers", "best sets are dots, not a zig-zag line"


def test_a_set_short_of_its_target_is_marked_apart() -> None:
    points = a_season()
    points[-1] = {**points[-1], "best": 8}
    chart = one_chart(points)
    short = [t for t in figure(chart)["data"] if t.get("name") == "short of target"]
    assert short
    assert short[0]["y"] == [8]
    assert "Short of the target in 1 of 16 sessions" in chart.summary


def test_a_single_session_is_told_in_words_not_drawn_as_a_history() -> None:
    chart = one_chart([point(TODAY - timedelta(days=2), 12, 11, load=8)])
    assert chart.figure == ""
    assert chart.summary == (
        "One session so far (24 Nov: best set 11 reps against a target of 12 reps, 8 kg). "
        "The chart starts with the second."
    )
    assert chart.rows == [(TODAY - timedelta(days=2), "12 reps", "11 reps", "8 kg")]


def test_a_figure_carries_no_template_and_stays_small() -> None:
    chart = one_chart(a_season(weeks=16, alternate=True))
    drawn = figure(chart)
    assert "template" not in drawn["layout"]
    # A season of 32 sessions in under 4 KB: less than the 6.5 KB plotly.py template alone.
    assert len(chart.figure.encode()) < 4000


# --- the coach's page -------------------------------------------------------------------------


@pytest.fixture
def logged(world: World) -> World:
    """Athlete A on a plan published six weeks ago, every session before today logged."""
    PlannedSession.objects.filter(athlete=world.athlete_a).delete()
    start = monday_before(world.today) - timedelta(weeks=6)
    publish_plan(world.athlete_a, start=start, weeks=16)
    for session in PlannedSession.objects.filter(athlete=world.athlete_a, date__lt=world.today):
        session_log_done(session=session, sets=sets_of(session), reps_in_reserve=2, notes="")
    return world


def test_athlete_page_has_charts_with_tables_and_serves_the_basic_bundle(
    client: Client, logged: World
) -> None:
    world = logged
    done = PlannedSession.objects.filter(athlete=world.athlete_a, date__lt=world.today)
    for day, score in ((done[0].date, 2), (done[4].date, 4)):
        PainReport.objects.create(athlete=world.athlete_a, date=day, score=score, where="shin")
    login(client, world.coach_x)
    response = client.get(f"/coach/athletes/{world.athlete_a.pk}/")
    page = response.content.decode()
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert {"progress-crouching-crawl", "compliance", "pain"} <= set(charts)
    compliance = figure(charts["compliance"])
    assert compliance["layout"]["yaxis"]["title"]["text"] == "% of planned sessions done"
    assert set(compliance["data"][0]["y"]) == {100}
    assert figure(charts["pain"])["layout"]["yaxis"]["title"]["text"] == "pain (0–10)"
    assert charts["pain"].summary == f"Latest, {done[4].date.day} {done[4].date:%b}: 4/10 (shin)."
    end = date.fromisoformat(figure(charts["compliance"])["layout"]["xaxis"]["range"][1])
    assert end == world.today + timedelta(days=7), "today in view, not the plan's end"
    assert 'id="chart-compliance"' in page
    assert f'<script src="{static("plotly/plotly-basic.min.js")}" defer>' in page
    assert "plotly.min.js" not in page
    assert sum(len(chart.figure) for chart in charts.values()) < 24_000


def test_a_new_athlete_gets_a_sentence_instead_of_empty_axes(client: Client, world: World) -> None:
    login(client, world.coach_x)
    response = client.get(f"/coach/athletes/{world.athlete_a.pk}/")
    page = response.content.decode()
    assert response.context["charts"] == []
    assert "Nothing logged yet: charts of each exercise" in page
    assert 'class="plot"' not in page
    assert "plotly" not in page, "no 1 MB script for a page with nothing to draw"


def test_pain_text_cannot_leave_the_charts_json(client: Client, logged: World) -> None:
    world = logged
    done = PlannedSession.objects.filter(athlete=world.athlete_a, date__lt=world.today)
    attack = "</script><script>alert(1)</script>"
    for day in (done[0].date, done[1].date):
        PainReport.objects.create(athlete=world.athlete_a, date=day, score=2, where=attack)
    login(client, world.coach_x)
    page = client.get(f"/coach/athletes/{world.athlete_a.pk}/").content.decode()
    assert "<script>alert(1)" not in page
    pain = next(c for c in client.get(f"/coach/athletes/{world.athlete_a.pk}/").context["charts"]
                if c.key == "pain")  # fmt: skip
    assert "alert(1)" in json.loads(pain.figure)["data"][0]["text"][0]


def test_test_results_chart_from_the_second_test_day_with_the_standard_and_its_unit(
    client: Client, logged: World
) -> None:
    world = logged
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=world.today, left=25, right=27
    )
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="glute-ham-hold", date=world.today, value=150
    )
    BenchmarkResult.objects.create(
        athlete=world.athlete_a,
        movement="heel-raise",
        date=world.today - timedelta(days=60),
        left=20,
        right=22,
    )
    login(client, world.coach_x)
    response = client.get(f"/coach/athletes/{world.athlete_a.pk}/")
    charts = {chart.key: chart for chart in response.context["charts"]}
    heel = figure(charts["benchmark-heel-raise"])
    assert heel["layout"]["yaxis"]["title"]["text"] == "reps, weaker leg"
    assert heel["data"][0]["y"] == [20, 25]
    assert heel["layout"]["shapes"][0]["y0"] == 28  # the 5 km standard drawn as a line
    start = date.fromisoformat(heel["layout"]["xaxis"]["range"][0])
    assert start <= world.today - timedelta(days=60), "the whole history of test days"
    hold = charts["benchmark-glute-ham-hold"]
    assert hold.figure == ""
    assert hold.summary.startswith(f"{world.today.day} {world.today:%b}, the only test day so far:")
    assert "150 s against" in hold.summary, "the engine's verdict, in words"
    assert "the only test day so far" in response.content.decode()


# --- the bundle -------------------------------------------------------------------------------


def test_the_basic_plotly_bundle_is_found_in_node_modules_and_served(client: Client) -> None:
    found = finders.find("plotly/plotly-basic.min.js")
    assert found
    expected = Path(settings.NODE_MODULES_DIR) / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    assert Path(str(found)) == expected
    assert finders.find("plotly.js-basic-dist-min/package.json") is None, "only the one file"
    response = client.get(static("plotly/plotly-basic.min.js"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert 100_000 < len(body) < 1_500_000, "the partial bundle, not plotly's 4.8 MB one"


def test_a_missing_bundle_is_named_by_the_system_check(tmp_path: Path) -> None:
    with override_settings(NODE_MODULES_DIR=tmp_path):
        assert not PlotlyFinder().find("plotly/plotly-basic.min.js")
        [warning] = PlotlyFinder().check()
        assert warning.id == "runstrong.W001"
        assert "npm ci" in warning.hint


def test_the_default_node_modules_is_the_checkouts() -> None:
    root = Path(__file__).resolve().parents[2]
    assert (root / "package.json").is_file()
    if "RUNSTRONG_NODE_MODULES_DIR" not in os.environ:
        assert Path(settings.NODE_MODULES_DIR) == root / "node_modules"


def test_another_coachs_athlete_page_shows_no_charts(client: Client, logged: World) -> None:
    login(client, logged.coach_y)
    response = client.get(f"/coach/athletes/{logged.athlete_a.pk}/")
    assert response.status_code == 404
    assert b"chart-" not in response.content


def test_the_athletes_progress_page_offers_the_basic_bundle_on_request(
    client: Client, logged: World
) -> None:
    login(client, logged.athlete_a)
    html = client.get(reverse("coaching:progress")).content.decode()
    assert f'data-src="{static("plotly/plotly-basic.min.js")}"' in html
    assert "<script src=" + f'"{static("plotly/plotly-basic.min.js")}"' not in html
    assert 'id="chart-progress-crouching-crawl"' in html


def test_an_exercise_renamed_mid_season_keeps_one_page_id_per_chart() -> None:
    before = a_season(weeks=4)
    charts = exercise_charts(
        progress={"Spanish squat": before[:4], "Banded Spanish squat": before[4:]},
        sessions=[],
        races=[],
        today=TODAY,
    )
    assert len({chart.key for chart in charts}) == 2, "no two charts share a DOM id"
