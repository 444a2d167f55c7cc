"""The athlete's charts as small plotly.js figures, each with its latest figure in words and
the rows it draws for a table view.

Figures are plain JSON for plotly.js (the partial `plotly.js-basic-dist-min` bundle: scatter
and bar traces, shapes and annotations), with no template: a chart's JSON is its data and a few
lines of layout. Every chart runs from the start of its history to a week past today, with
today marked; every value axis names its unit and steps in round numbers. A history of one
point is told in words instead of drawn.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.html import escape
from django.utils.safestring import mark_safe

from runstrong.engine.benchmarks import (
    SEX_WORDS,
    UNIT_NAMES,
    GroupStandard,
    Verdict,
    evaluate,
    standard_for,
)
from runstrong.engine.benchmarks import BenchmarkResult as EngineResult
from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import RunstrongError
from runstrong.engine.wording import UNIT_MEASURES
from runstrong.web.coaching.models import Athlete, BenchmarkResult, PainReport, PlannedSession

# How much of the time axis lies ahead of today, and the margin before the first point.
FUTURE_DAYS = 7
LEAD_DAYS = 3
LABELLED_DAYS = 10
PHASE_COLOURS = {"competition": "#fff4e5", "taper": "#f3e8ff", "transition": "#eef1f4"}
# Round steps for a value axis: kettlebells come in 4 kg steps, reps and seconds in fives.
KG_STEPS = (1.0, 2.0, 4.0, 5.0, 10.0)
COUNT_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
GREEN, ORANGE, BLUE, RED, GREY = "#067647", "#b54708", "#1d4ed8", "#b42318", "#667085"
BASE_LAYOUT: dict[str, Any] = {
    "height": 260,
    "margin": {"l": 56, "r": 16, "t": 16, "b": 28},
    "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1f2933"},
    "legend": {"orientation": "h", "y": -0.14, "yanchor": "top", "traceorder": "normal"},
    "hovermode": "closest",
}
# JSON inside <script type="application/json">: no character may close the element.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: str  # plotly.js JSON ({"data", "layout"}); "" when the history is told in words
    summary: str  # the latest figure in words, or why there is nothing to draw
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    exercise: str = ""  # the exercise's name, for an exercise drawn in two measures

    @property
    def table(self) -> str:
        """The rows as an HTML table body: dates as words, numbers without a trailing .0, a
        blank as a dash, every cell escaped. Built here, as a season's hundreds of cells cost
        the template language more than the rest of the page."""
        cells = ("".join(f"<td>{escape(_cell(value))}</td>" for value in row) for row in self.rows)
        return mark_safe("".join(f"<tr>{row}</tr>" for row in cells))  # every cell escaped above


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return f"{value:%a} {value.day} {value:%b %Y}"
    if isinstance(value, float):
        return _words(value)
    return str(value)


def nice_step(top: float, steps: Sequence[float] = COUNT_STEPS, ticks: int = 5) -> float:
    """The smallest round step (`steps` × a power of ten) that reaches `top` in `ticks` ticks."""
    if top <= 0:
        return steps[0]
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for step in steps:
        if step * power >= raw - 1e-9:
            return step * power
    return steps[-1] * power


def value_axis(
    title: str, values: Iterable[float], steps: Sequence[float] = COUNT_STEPS
) -> dict[str, Any]:
    """An axis from 0 with its unit in the title and ticks on round steps (8, 12, 16 kg, never
    1.22 or 6.02)."""
    top = max([0.0, *values])
    step = nice_step(top * 1.05, steps)
    end = step * max(1, math.ceil(top * 1.05 / step))
    return {
        "title": {"text": title},
        "range": [0, _num(end)],
        "dtick": _num(step),
        "tickformat": "~g",
        "zeroline": False,
        "gridcolor": "#e4e7ec",
    }


def time_axis(start: date, today: date) -> dict[str, Any]:
    """Dates from just before `start` to a week past today, so today is always in view."""
    begin = min(start, today) - timedelta(days=LEAD_DAYS)
    return {
        "type": "date",
        "range": [begin.isoformat(), (today + timedelta(days=FUTURE_DAYS)).isoformat()],
        "tickformat": "%-d %b",
        "hoverformat": "%a %-d %b",
        # Level labels, few enough for a phone's 220 px of plot: fortnights over a season.
        "tickangle": 0,
        "nticks": 5,
        "gridcolor": "#f2f4f7",
    }


def _num(value: float) -> float | int:
    """A number as short JSON: 10 rather than 10.0, at most three decimals."""
    value = round(float(value), 3)
    return int(value) if value.is_integer() else value


def _words(value: float) -> str:
    return f"{round(float(value), 2):g}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> str:
    figure = {"data": data, "layout": {**BASE_LAYOUT, **layout}}
    return json.dumps(figure, separators=(",", ":"), ensure_ascii=False).translate(SCRIPT_SAFE)


def _marks(
    sessions: Sequence[PlannedSession], races: Sequence[date], start: date, today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shapes and labels on the time axis: today, the non-preparation phases shaded, a dotted
    line on each race, all clipped to the axis."""
    begin, end = start - timedelta(days=LEAD_DAYS), today + timedelta(days=FUTURE_DAYS)
    spans: list[tuple[str, date, date]] = []
    for session in sessions:
        if spans and spans[-1][0] == session.phase:
            spans[-1] = (session.phase, spans[-1][1], session.date)
        else:
            spans.append((session.phase, session.date, session.date))
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for phase, first, last in spans:
        last = last + timedelta(days=1)
        if phase not in PHASE_COLOURS or last < begin or first > end:
            continue
        first, last = max(first, begin), min(last, end)
        shapes.append(_band(first, last, PHASE_COLOURS[phase]))
        if (last - first).days >= LABELLED_DAYS:  # a sliver at the edge: no room for a word
            notes.append(_label(first, phase, "#475467"))
    for race in races:
        if begin <= race <= end:
            shapes.append(_vline(race, RED, "dot"))
    shapes.append(_vline(today, GREY, "dash"))
    notes.append(_today_label(today))
    return shapes, notes


def _band(first: date, last: date, colour: str) -> dict[str, Any]:
    return {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": first.isoformat(),
        "x1": last.isoformat(),
        "y0": 0,
        "y1": 1,
        "fillcolor": colour,
        "line": {"width": 0},
        "layer": "below",
    }


def _vline(day: date, colour: str, dash: str) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "dash": dash, "width": 1},
    }


def _label(day: date, text: str, colour: str, anchor: str = "left") -> dict[str, Any]:
    return {
        "x": day.isoformat(),
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "xanchor": anchor,
        "yanchor": "top",
        "font": {"size": 10, "color": colour},
    }


def _today_label(today: date) -> dict[str, Any]:
    """`today` left of its line: a phase starting next week labels itself right of its edge."""
    return {**_label(today, "today", GREY, "right"), "bgcolor": "rgba(255,255,255,0.85)"}


def _season_start(sessions: Sequence[PlannedSession], today: date) -> date | None:
    past = [s.date for s in sessions if s.date <= today]
    return min(past) if past else None


def _start(first_point: date, season_start: date | None) -> date:
    return min(first_point, season_start) if season_start else first_point


# --- exercises --------------------------------------------------------------------------------


def exercise_charts(
    *,
    progress: dict[str, list[dict[str, Any]]],
    sessions: Sequence[PlannedSession],
    races: Sequence[date],
    today: date,
) -> list[Chart]:
    """One chart per exercise and measure (an isometric row timed in seconds after weeks in
    reps is two charts, never one axis of both): the week's target as a band, each session's
    best set as a dot (filled when it met the target), the load as a step on its own kg axis."""
    season_start = _season_start(sessions, today)
    charts: list[Chart] = []
    keys: set[str] = set()
    for name, points in progress.items():
        units = list(dict.fromkeys(p["unit"] for p in points))
        for unit in units:
            mine = [p for p in points if p["unit"] == unit]
            key = f"progress-{mine[0]['exercise']}" + (f"-{unit}" if unit != units[0] else "")
            if key in keys:  # two names of one exercise (renamed in the catalog): one id each
                key = f"{key}-{len(charts)}"
            keys.add(key)
            title = name if len(units) == 1 else f"{name} ({UNIT_MEASURES.get(unit, unit)})"
            charts.append(
                _exercise_chart(
                    key, title, name, mine, sessions, races, _start(mine[0]["date"], season_start),
                    today,
                )
            )  # fmt: skip
    return charts


def _load_words(load_kg: float | None) -> str:
    return f"{_words(load_kg)} kg" if load_kg else "bodyweight"


def _exercise_chart(
    key: str,
    title: str,
    name: str,
    points: list[dict[str, Any]],
    sessions: Sequence[PlannedSession],
    races: Sequence[date],
    start: date,
    today: date,
) -> Chart:
    unit = points[0]["unit"]
    words = UNIT_MEASURES.get(unit, unit)
    rows = [
        (
            p["date"],
            f"{_words(p['target'])} {unit}",
            f"{_words(p['best'])} {unit}",
            _load_words(p["load_kg"]),
        )
        for p in points
    ]
    columns = ("Date", "Target", "Best set", "Load")
    last = points[-1]
    latest = (
        f"{_day(last['date'])}: best set {_words(last['best'])} {unit} against a target of "
        f"{_words(last['target'])} {unit}, {_load_words(last['load_kg'])}."
    )
    if len({p["date"] for p in points}) < 2:
        summary = f"One session so far ({latest[:-1]}). The chart starts with the second."
        return Chart(key, title, "", summary, columns, rows, name)

    data: list[dict[str, Any]] = []
    # The target as the range of each week's targets, held until the next week: an undulating
    # 10/12 week reads as a band from 10 to 12, not a zig-zag.
    weeks: dict[date, list[float]] = defaultdict(list)
    for p in points:
        weeks[p["date"] - timedelta(days=p["date"].weekday())].append(p["target"])
    mondays = sorted(weeks)
    closing = min(mondays[-1] + timedelta(days=7), today + timedelta(days=FUTURE_DAYS))
    x = [d.isoformat() for d in [*mondays, closing]]
    lows = [_num(min(weeks[m])) for m in mondays]
    highs = [_num(max(weeks[m])) for m in mondays]
    step_line = {"shape": "hv", "width": 1, "color": GREEN}
    data.append(
        {"x": x, "y": [*lows, lows[-1]], "mode": "lines", "line": step_line,
         "hoverinfo": "skip", "showlegend": False}
    )  # fmt: skip
    data.append(
        {"x": x, "y": [*highs, highs[-1]], "mode": "lines", "line": step_line,
         "fill": "tonexty", "fillcolor": "rgba(6,118,71,0.12)", "name": "target",
         "hoverinfo": "skip"}
    )  # fmt: skip
    met = [p for p in points if p["best"] >= p["target"]]
    short = [p for p in points if p["best"] < p["target"]]
    for group, label, marker in (
        (met, "best set", {"color": GREEN, "size": 8}),
        (short, "short of target", {"color": ORANGE, "size": 9, "symbol": "circle-open"}),
    ):
        if group:
            data.append(
                {"x": [p["date"].isoformat() for p in group],
                 "y": [_num(p["best"]) for p in group],
                 "text": [f"target {_words(p['target'])}" for p in group],
                 "mode": "markers", "marker": marker, "name": label,
                 "hovertemplate": f"%{{y}} {unit} (%{{text}})<extra></extra>"}
            )  # fmt: skip
    layout: dict[str, Any] = {
        "xaxis": time_axis(start, today),
        "yaxis": value_axis(f"best set ({words})", [max(p["best"], p["target"]) for p in points]),
    }
    loads = [p["load_kg"] or None for p in points]  # bodyweight sessions: a gap in the line
    if any(loads):  # a bodyweight exercise has no load to draw
        data.append(
            {"x": [p["date"].isoformat() for p in points] + [x[-1]],
             "y": [v and _num(v) for v in [*loads, loads[-1]]], "yaxis": "y2", "mode": "lines",
             "line": {"shape": "hv", "dash": "dash", "color": BLUE, "width": 1.5},
             "name": "load (kg)", "hovertemplate": "%{y} kg<extra></extra>"}
        )  # fmt: skip
        layout["yaxis2"] = {
            **value_axis("load (kg)", [v or 0 for v in loads], KG_STEPS),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        }
        layout["margin"] = {**BASE_LAYOUT["margin"], "r": 56}
    shapes, notes = _marks(sessions, races, start, today)
    layout["shapes"], layout["annotations"] = shapes, notes
    summary = f"Latest, {latest}"
    if short:
        summary += f" Short of the target in {len(short)} of {len(points)} sessions."
    return Chart(key, title, _figure(data, layout), summary, columns, rows, name)


# --- the coach's page -------------------------------------------------------------------------


def athlete_charts(
    *,
    athlete: Athlete,
    catalog: Catalog,
    progress: dict[str, list[dict[str, Any]]],
    today: date,
    sessions: Sequence[PlannedSession] | None = None,
) -> list[Chart]:
    """Every chart on the coach's page of the athlete; empty when the athlete has nothing
    logged yet (no session, pain report or test result), so the page says so in a sentence.

    `sessions`: the athlete's published sessions by date with their logs, when the caller has
    them already."""
    if sessions is None:
        sessions = list(
            PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
            .select_related("log")
            .order_by("date")
        )
    races = [race.date for race in athlete.races.all()]
    season_start = _season_start(sessions, today)
    charts = exercise_charts(progress=progress, sessions=sessions, races=races, today=today)
    compliance = _compliance_chart(sessions, today, season_start)
    if compliance is not None:
        charts.append(compliance)
    pains = list(PainReport.objects.filter(athlete=athlete).named().order_by("date", "pk"))
    benchmarks = _benchmark_charts(athlete, catalog, today, season_start)
    if not (charts or pains or benchmarks):
        return []
    charts.append(_pain_chart(pains, sessions, races, today, season_start))
    return charts + benchmarks


def _compliance_chart(
    sessions: Sequence[PlannedSession], today: date, season_start: date | None
) -> Chart | None:
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    logged = False
    for session in sessions:
        if session.date > today:
            continue
        monday = session.date - timedelta(days=session.date.weekday())
        weeks[monday][1] += 1
        log = getattr(session, "log", None)
        logged = logged or log is not None
        if log is not None and log.status == "done":
            weeks[monday][0] += 1
    if not logged:
        return None  # nothing logged yet: no bars of 0 % for a plan that has barely begun
    rows = [(monday, done, planned) for monday, (done, planned) in weeks.items()]
    done_all, planned_all = sum(r[1] for r in rows), sum(r[2] for r in rows)
    summary = (
        f"{done_all} of {planned_all} planned sessions done so far "
        f"({round(100 * done_all / planned_all)} %)."
    )
    title = "Weekly compliance"
    columns = ("Week of", "Done", "Planned")
    if len(rows) < 2:
        return Chart("compliance", title, "", summary + " One week so far.", columns, rows)
    data = [
        {
            # Each bar stands over its week (Monday to Sunday), centred on Thursday.
            "x": [(monday + timedelta(days=3)).isoformat() for monday, _, _ in rows],
            "y": [round(100 * done / planned) for _, done, planned in rows],
            "text": [f"w/c {_day(monday)}: {done} of {planned}" for monday, done, planned in rows],
            "type": "bar",
            "marker": {"color": BLUE},
            "textposition": "none",
            "hovertemplate": "%{text} (%{y} %)<extra></extra>",
            "name": "% done",
        }
    ]
    axis = value_axis("% of planned sessions done", [100])
    layout = {
        "xaxis": time_axis(_start(rows[0][0], season_start), today),
        "yaxis": {**axis, "range": [0, 100], "dtick": 25},
        "bargap": 0.3,
        "showlegend": False,
        "shapes": [_vline(today, GREY, "dash")],
        "annotations": [_today_label(today)],
    }
    return Chart("compliance", title, _figure(data, layout), summary, columns, rows)


def _pain_chart(
    pains: list[PainReport],
    sessions: Sequence[PlannedSession],
    races: Sequence[date],
    today: date,
    season_start: date | None,
) -> Chart:
    title, columns = "Pain reports", ("Date", "Pain (0–10)", "Where")
    rows = [(p.date, p.score, p.about) for p in pains]
    if not pains:
        return Chart("pain", title, "", "No pain reported.", columns, rows)
    last = pains[-1]
    where = f" ({last.about})" if last.about else ""
    latest = f"{_day(last.date)}: {last.score}/10{where}."
    if len({p.date for p in pains}) < 2:
        return Chart("pain", title, "", f"One pain report so far, {latest}", columns, rows)
    summary = f"Latest, {latest}"
    start = _start(pains[0].date, season_start)
    shapes, notes = _marks(sessions, races, start, today)
    data = [
        {
            "x": [p.date.isoformat() for p in pains],
            "y": [p.score for p in pains],
            "text": [escape(p.about or "") for p in pains],
            "mode": "markers",
            "marker": {"color": RED, "size": 8},
            "name": "pain",
            "hovertemplate": "%{y}/10 %{text}<extra></extra>",
        }
    ]
    layout = {
        "xaxis": time_axis(start, today),
        "yaxis": {**value_axis("pain (0–10)", [10]), "range": [0, 10.5], "dtick": 2},
        "showlegend": False,
        "shapes": shapes,
        "annotations": notes,
    }
    return Chart("pain", title, _figure(data, layout), summary, columns, rows)


def _benchmark_charts(
    athlete: Athlete, catalog: Catalog, today: date, season_start: date | None
) -> list[Chart]:
    group = catalog.group(athlete.event_group)
    results: dict[str, list[BenchmarkResult]] = defaultdict(list)
    for result in BenchmarkResult.objects.filter(athlete=athlete).order_by("date", "pk"):
        results[result.movement].append(result)
    charts = []
    for movement, found in results.items():
        try:
            standard = standard_for(catalog, group, movement, athlete.sex)
        except RunstrongError:
            continue  # the catalog no longer holds the movement: nothing to draw it against
        charts.append(_benchmark_chart(catalog, standard, found, athlete, today, season_start))
    return charts


def _benchmark_chart(
    catalog: Catalog,
    standard: GroupStandard,
    found: list[BenchmarkResult],
    athlete: Athlete,
    today: date,
    season_start: date | None,
) -> Chart:
    # Plot what the standard judges: the weaker leg, load per kg, or the symmetry.
    verdicts = [_verdict(r, standard, athlete.body_mass_kg) for r in found]
    name = catalog.movement(standard.movement).name
    key, title = f"benchmark-{standard.movement}", f"{name}: test results"
    columns = ("Date", "Value", "Left", "Right")
    rows = [(r.date, r.value, r.left, r.right) for r in found]
    judged = [(r.date, v) for r, v in zip(found, verdicts, strict=True) if v is not None]
    if not judged:
        return Chart(key, title, "", "No result the standard can judge.", columns, rows)
    last_day, last = judged[-1]
    # The engine's verdict, without the movement's name the title already gives.
    verdict = last.reasons[0].text.removeprefix(f"{standard.movement_name}: ")
    summary = f"Latest, {_day(last_day)}: {verdict}"
    if len({day for day, _ in judged}) < 2:
        summary = f"{_day(last_day)}, the only test day so far: {verdict}"
        return Chart(key, title, "", summary, columns, rows)
    per_side = standard.per_side and standard.measure != "symmetry_pct"
    unit = UNIT_NAMES[standard.measure] + (", weaker leg" if per_side else "")
    whose = f"standard for {SEX_WORDS[standard.sex]}" if standard.for_sex else "group standard"
    data = [
        {
            "x": [day.isoformat() for day, _ in judged],
            "y": [_num(v.value) for _, v in judged],
            "mode": "lines+markers",
            "marker": {"color": BLUE, "size": 8},
            "line": {"color": BLUE},
            "name": "result",
            "hovertemplate": "%{y}<extra></extra>",
        }
    ]
    target = _num(standard.target)
    layout = {
        "xaxis": time_axis(_start(judged[0][0], season_start), today),
        "yaxis": value_axis(unit, [*(v.value for _, v in judged), standard.target * 1.1]),
        "showlegend": False,
        "shapes": [
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": target, "y1": target,
             "line": {"color": GREEN, "dash": "dash", "width": 1.5}},
            _vline(today, GREY, "dash"),
        ],
        "annotations": [
            {"xref": "paper", "x": 0, "y": target, "text": f"{whose}: {target:g}",
             "showarrow": False, "xanchor": "left", "yanchor": "bottom",
             "font": {"size": 10, "color": GREEN}},
            _today_label(today),
        ],
    }  # fmt: skip
    return Chart(key, title, _figure(data, layout), summary, columns, rows)


def _verdict(result: BenchmarkResult, standard: GroupStandard, mass: float) -> Verdict | None:
    try:
        engine_result = EngineResult(result.movement, result.value, result.left, result.right)
        return evaluate(engine_result, standard, mass)
    except RunstrongError:
        return None  # a result stored without a side the test now needs: left out
