"""Plotly figures for an athlete's page, each with the rows it draws for a table view."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from runstrong.engine.benchmarks import SEX_WORDS, GroupStandard, evaluate, standard_for
from runstrong.engine.benchmarks import BenchmarkResult as EngineResult
from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import RunstrongError
from runstrong.web.coaching.models import Athlete, BenchmarkResult, PainReport, PlannedSession

PHASE_COLOURS = {"competition": "#fff4e5", "taper": "#f3e8ff", "transition": "#eef1f4"}
LAYOUT = {
    "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
    "height": 260,
    "legend": {"orientation": "h", "y": -0.25},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "xaxis": {"type": "date", "tickformat": "%d %b"},
}


def _date_range(figure: go.Figure, dates: list[date]) -> None:
    """A single point would get a sub-second axis; give it a week either side."""
    if len(set(dates)) == 1:
        week = timedelta(days=7)
        # Dates are refused outside 2000–2100 at input; a row stored before that still shows.
        low = dates[0] - week if dates[0] > date.min + week else dates[0]
        high = dates[0] + week if dates[0] < date.max - week else dates[0]
        figure.update_xaxes(range=[low, high])


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _marks(figure: go.Figure, sessions: list[PlannedSession], races: list[date]) -> None:
    """Shade the non-preparation phases and draw a line on each race."""
    spans: list[tuple[str, date, date]] = []
    for session in sessions:
        if spans and spans[-1][0] == session.phase:
            spans[-1] = (session.phase, spans[-1][1], session.date)
        else:
            spans.append((session.phase, session.date, session.date))
    for phase, start, end in spans:
        if phase in PHASE_COLOURS:
            figure.add_vrect(
                x0=start,
                x1=end + timedelta(days=1),
                fillcolor=PHASE_COLOURS[phase],
                line_width=0,
                layer="below",
                annotation_text=phase,
                annotation_position="top left",
            )
    for race in races:
        figure.add_vline(x=race.isoformat(), line_dash="dot", line_color="#b42318")


def exercise_charts(
    *,
    progress: dict[str, list[dict[str, Any]]],
    sessions: list[PlannedSession],
    races: list[date],
) -> list[Chart]:
    """One chart per exercise: best set and load over time, with the target in its table."""
    charts = []
    for name, points in progress.items():
        figure = go.Figure(layout=LAYOUT)
        figure.add_scatter(
            x=[p["date"] for p in points],
            y=[p["best"] for p in points],
            name=f"best set ({points[0]['unit']})",
            mode="lines+markers",
        )
        if any(p["load_kg"] for p in points):  # a bodyweight exercise has no load to draw
            figure.add_scatter(
                x=[p["date"] for p in points],
                y=[p["load_kg"] or 0 for p in points],
                name="load (kg)",
                mode="lines",
                yaxis="y2",
                line={"dash": "dash"},
            )
            figure.update_layout(
                yaxis2={
                    "overlaying": "y",
                    "side": "right",
                    "showgrid": False,
                    "rangemode": "tozero",
                }
            )
        _marks(figure, sessions, races)
        _date_range(figure, [p["date"] for p in points])
        rows = [(p["date"], p["target"], p["best"], p["load_kg"] or "bodyweight") for p in points]
        charts.append(
            Chart(
                f"progress-{points[0]['exercise']}",
                name,
                figure.to_json(),
                ("Date", "Target", "Best set", "Load (kg)"),
                rows,
            )
        )
    return charts


def athlete_charts(
    *,
    athlete: Athlete,
    catalog: Catalog,
    progress: dict[str, list[dict[str, Any]]],
    today: date,
) -> list[Chart]:
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
        .select_related("log")
        .order_by("date")
    )
    races = [race.date for race in athlete.races.all()]
    charts = exercise_charts(progress=progress, sessions=sessions, races=races)

    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for session in sessions:
        if session.date > today:
            continue
        monday = session.date - timedelta(days=session.date.weekday())
        weeks[monday][1] += 1
        log = getattr(session, "log", None)
        if log is not None and log.status == "done":
            weeks[monday][0] += 1
    compliance = go.Figure(layout=LAYOUT)
    compliance.add_bar(
        x=list(weeks), y=[round(100 * d / p) for d, p in weeks.values()], name="% done"
    )
    compliance.update_yaxes(range=[0, 100])
    _date_range(compliance, list(weeks))
    charts.append(
        Chart(
            "compliance",
            "Weekly compliance (%)",
            compliance.to_json(),
            ("Week of", "Done", "Planned"),
            [(w, d, p) for w, (d, p) in weeks.items()],
        )
    )

    pains = list(PainReport.objects.filter(athlete=athlete).named().order_by("date"))
    pain = go.Figure(layout=LAYOUT)
    pain.add_scatter(
        x=[p.date for p in pains],
        y=[p.score for p in pains],
        mode="markers",
        name="pain 0–10",
        text=[p.about for p in pains],
    )
    pain.update_yaxes(range=[0, 10])
    _marks(pain, sessions, races)
    _date_range(pain, [p.date for p in pains])
    charts.append(
        Chart(
            "pain",
            "Pain reports",
            pain.to_json(),
            ("Date", "Pain", "Where"),
            [(p.date, p.score, p.about) for p in pains],
        )
    )

    group = catalog.group(athlete.event_group)
    results: dict[str, list[BenchmarkResult]] = defaultdict(list)
    for result in BenchmarkResult.objects.filter(athlete=athlete).order_by("date"):
        results[result.movement].append(result)
    for movement, rows in results.items():
        try:
            standard = standard_for(catalog, group, movement, athlete.sex)
        except RunstrongError:
            continue  # the catalog no longer holds the movement: nothing to draw it against
        figure = go.Figure(layout=LAYOUT)
        # Plot what the standard judges: the weaker leg, load per kg, or the symmetry.
        values = [_judged_value(r, standard, athlete.body_mass_kg) for r in rows]
        figure.add_scatter(
            x=[r.date for r in rows], y=values, mode="lines+markers", name="result (weaker leg)"
        )
        figure.add_hline(
            y=standard.target,
            line_dash="dash",
            line_color="#067647",
            annotation_text=(
                f"standard for {SEX_WORDS[standard.sex]}" if standard.for_sex else "group standard"
            ),
        )
        _date_range(figure, [r.date for r in rows])
        title = f"{catalog.movement(movement).name}: history"
        table = [(r.date, r.value, r.left, r.right) for r in rows]
        charts.append(
            Chart(
                f"benchmark-{movement}",
                title,
                figure.to_json(),
                ("Date", "Value", "Left", "Right"),
                table,
            )
        )
    return charts


def _judged_value(result: BenchmarkResult, standard: GroupStandard, mass: float) -> float | None:
    try:
        engine_result = EngineResult(result.movement, result.value, result.left, result.right)
        return evaluate(engine_result, standard, mass).value
    except RunstrongError:
        return None  # a result stored without a side the test now needs: a gap in the line
