"""`runstrong`: plans, progression and benchmark checks from the command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from runstrong.cli import render, web_cmd
from runstrong.cli.catalog_cmd import catalog_app
from runstrong.cli.profile_input import (
    build_profile,
    parse_race,
    parse_sizes,
    read_profile_file,
    split_list,
)
from runstrong.engine.benchmarks import BenchmarkResult, evaluate, standard_for
from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.engine.errors import ProfileError, RunstrongError
from runstrong.engine.planner import plan as build_plan
from runstrong.engine.planner import resolve_group
from runstrong.engine.prescribe import prescription_for
from runstrong.engine.progression import LoggedSet, next_prescription
from runstrong.engine.serialize import plan_data, progression_data, verdict_data
from runstrong.exports.ics import plan_calendar

app = typer.Typer(
    name="runstrong",
    help="Leg-strength training for distance runners: plans, progression and benchmarks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(catalog_app, name="catalog")
app.command()(web_cmd.demo)
app.command()(web_cmd.serve)
app.command()(web_cmd.createcoach)
app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    web_cmd.manage
)

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        help="Catalog TOML to use instead of the defaults (or set RUNSTRONG_CATALOG).",
        dir_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (versioned schema).")]


def _catalog(path: Path | None) -> Catalog:
    return load_catalog(path)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.command()
def exercises(catalog: CatalogOption = None, as_json: JsonOption = False) -> None:
    """List the exercises, what they need and how they progress."""
    chosen = _catalog(catalog)
    if as_json:
        data = [exercise.model_dump(mode="json") for exercise in chosen.exercises]
        _print_json({"schema": "runstrong.exercises/1", "exercises": data})
        return
    render.make_console().print(render.exercises_table(chosen))


@app.command()
def groups(catalog: CatalogOption = None, as_json: JsonOption = False) -> None:
    """List the event groups and their benchmark standards, with sources."""
    chosen = _catalog(catalog)
    standards = [
        standard_for(chosen, group, standard.movement)
        for group in chosen.groups
        for standard in group.standards
    ]
    if as_json:
        _print_json(
            {
                "schema": "runstrong.groups/1",
                "groups": [
                    {
                        "slug": group.slug,
                        "name": group.name,
                        "events": list(group.events),
                        "standards": [
                            {
                                "movement": s.movement,
                                "measure": s.measure,
                                "per_side": s.per_side,
                                "target": s.target,
                                "keys": list(s.keys),
                                "weak": s.weak,
                            }
                            for s in standards
                            if s.group == group.name
                        ],
                    }
                    for group in chosen.groups
                ],
            }
        )
        return
    render.make_console().print(render.groups_table(chosen, standards))


@app.command()
def plan(
    profile: Annotated[
        Path | None,
        typer.Option(help="Athlete and season from a TOML or JSON file; flags override it."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Athlete's name.")] = None,
    event: Annotated[str | None, typer.Option(help="Event group: 800-1500m, 5k or 10k.")] = None,
    sex: Annotated[str | None, typer.Option(help="female, male or unspecified.")] = None,
    mass: Annotated[float | None, typer.Option(help="Body mass in kg.")] = None,
    experience: Annotated[
        str | None, typer.Option(help="Lifting experience: new, some or experienced.")
    ] = None,
    leg_length: Annotated[str | None, typer.Option(help="short, average or long.")] = None,
    stride: Annotated[
        str | None, typer.Option(help="Stride-length goal: keep or lengthen.")
    ] = None,
    problems: Annotated[
        str | None, typer.Option(help="Comma list of knee, shin, calf, lower-back (or none).")
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(
            help="Comma list of what the gym has: band, ghd, kettlebells, bench (or none)."
        ),
    ] = None,
    kettlebells: Annotated[
        str | None, typer.Option(help="Kettlebell sizes at hand in kg, e.g. 8,12,16.")
    ] = None,
    strength_days: Annotated[
        str | None, typer.Option(help="Days free for strength, e.g. tue,thu.")
    ] = None,
    hard_days: Annotated[str | None, typer.Option(help="Hard-run days, e.g. tue,thu.")] = None,
    start: Annotated[
        str | None, typer.Option(help="Season start, YYYY-MM-DD (default: today).")
    ] = None,
    weeks: Annotated[int | None, typer.Option(help="Season length in weeks, 1 to 104.")] = None,
    race: Annotated[
        list[str] | None,
        typer.Option(help="A race as DATE[:A|B|C[:NAME]]; repeat for more races."),
    ] = None,
    week: Annotated[
        int | None, typer.Option(help="Show one week in full: doses, cues and reasons.")
    ] = None,
    ics: Annotated[
        Path | None, typer.Option(help="Also write the sessions to this iCalendar file.")
    ] = None,
    catalog: CatalogOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build a season plan for one athlete."""
    chosen = _catalog(catalog)
    file_data = read_profile_file(profile) if profile else {}
    athlete_flags = {
        "name": name,
        "event_group": event,
        "sex": sex,
        "body_mass_kg": mass,
        "experience": experience,
        "leg_length": leg_length,
        "stride_goal": stride,
        "problems": split_list("--problems", problems),
        "equipment": split_list("--equipment", equipment),
        "kettlebells_kg": parse_sizes(kettlebells),
        "strength_days": split_list("--strength-days", strength_days),
        "hard_run_days": split_list("--hard-days", hard_days),
    }
    season_flags = {
        "start": start,
        "weeks": weeks,
        "races": [parse_race(text) for text in race] if race else None,
    }
    season_file = file_data.get("season", {})
    if start is None and "start" not in season_file:
        season_flags["start"] = datetime.now().astimezone().date()
    if weeks is None and "weeks" not in season_file:
        season_flags["weeks"] = 12
    athlete, season = build_profile(file_data, athlete_flags, season_flags)
    resolve_group(chosen, athlete.event_group)
    result = build_plan(athlete, season, chosen)
    if ics is not None:
        ics.write_bytes(plan_calendar(result, stamp=datetime.now(UTC)))
    if as_json:
        _print_json(plan_data(result))
        return
    console = render.make_console()
    if week is not None:
        if not 1 <= week <= len(result.weeks):
            raise ProfileError("--week", week, f"expected 1 to {len(result.weeks)}")
        console.print(render.week_detail(result.weeks[week - 1]))
    else:
        console.print(render.plan_table(result))
    if ics is not None:
        sessions = sum(1 for _ in result.sessions())
        console.print(f"Wrote {sessions} sessions to {ics}")


@app.command("next")
def next_command(
    exercise: Annotated[str, typer.Option(help="Exercise slug, e.g. single-leg-squat.")],
    done: Annotated[
        str | None,
        typer.Option(help="What each set reached (reps, metres or seconds), e.g. 15,15,14."),
    ] = None,
    sets: Annotated[int | None, typer.Option(help="Prescribed sets.")] = None,
    target: Annotated[
        float | None, typer.Option(help="Prescribed reps, metres or seconds per set.")
    ] = None,
    load: Annotated[float | None, typer.Option(help="Prescribed kettlebell in kg.")] = None,
    timed: Annotated[bool, typer.Option(help="The prescription is in seconds.")] = False,
    kettlebells: Annotated[
        str | None, typer.Option(help="Kettlebell sizes at hand in kg, e.g. 8,12,16.")
    ] = None,
    rir: Annotated[int | None, typer.Option(help="Reps in reserve on the hardest set.")] = None,
    pain: Annotated[int, typer.Option(help="Worst pain during the session, 0–10.")] = 0,
    missed: Annotated[bool, typer.Option(help="The session was missed.")] = False,
    catalog: CatalogOption = None,
    as_json: JsonOption = False,
) -> None:
    """Work out the next prescription from what was logged."""
    chosen = _catalog(catalog)
    if not 0 <= pain <= 10:
        raise ProfileError("--pain", pain, "expected 0 to 10")
    if rir is not None and not 0 <= rir <= 10:
        raise ProfileError("--rir", rir, "expected 0 to 10")
    sizes = parse_sizes(kettlebells)
    prescription = prescription_for(
        chosen,
        exercise,
        kettlebells_kg=tuple(sizes) if sizes is not None else chosen.kettlebell_sizes_kg,
        sets=sets,
        target=target,
        load_kg=load,
        timed=timed,
    )
    logged: list[LoggedSet] = []
    if not missed:
        if done is None:
            raise ProfileError("--done", None, "give what each set reached, or --missed")
        for part in done.split(","):
            try:
                value = float(part)
            except ValueError:
                raise ProfileError("--done", part, "numbers separated by commas") from None
            logged.append(
                LoggedSet(value, load_kg=prescription.load_kg, reps_in_reserve=rir, pain=pain)
            )
    result = next_prescription(
        prescription, logged, pain_regress_at=chosen.rules.progression.pain_regress_at
    )
    if as_json:
        _print_json(progression_data(result))
        return
    render.make_console().print(render.progression_view(result))


@app.command()
def check(
    event: Annotated[str, typer.Option(help="Event group: 800-1500m, 5k or 10k.")],
    movement: Annotated[str, typer.Option(help="Benchmark movement slug, e.g. heel-raise.")],
    value: Annotated[float | None, typer.Option(help="Result for a one-sided test.")] = None,
    left: Annotated[float | None, typer.Option(help="Left-leg result.")] = None,
    right: Annotated[float | None, typer.Option(help="Right-leg result.")] = None,
    mass: Annotated[
        float | None, typer.Option(help="Body mass in kg (for load relative to body mass).")
    ] = None,
    catalog: CatalogOption = None,
    as_json: JsonOption = False,
) -> None:
    """Judge a test result against the event group's standard."""
    chosen = _catalog(catalog)
    standard = standard_for(chosen, resolve_group(chosen, event), movement)
    if standard.measure == "kg_per_kg" and mass is None:
        raise ProfileError("--mass", None, "this standard is relative to body mass: give --mass")
    if mass is not None and not 25 <= mass <= 200:
        raise ProfileError("--mass", mass, "expected 25 to 200 kg")
    verdict = evaluate(
        BenchmarkResult(movement, value=value, left=left, right=right), standard, mass or 1.0
    )
    if as_json:
        _print_json(verdict_data(verdict))
        return
    render.make_console().print(render.verdict_view(verdict))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; bad input prints one line on stderr and returns 2, never a traceback."""
    try:
        outcome = app(args=argv, prog_name="runstrong", standalone_mode=False)
    except RunstrongError as error:
        return _fail(str(error))
    except typer.TyperException as error:
        # Typer's usage errors (unknown option, bad integer) carry the command they belong to.
        context = getattr(error, "ctx", None)
        hint = f" (see '{context.command_path} --help')" if context is not None else ""
        return _fail(f"{error.format_message()}{hint}")
    except typer.Abort:
        return _fail("aborted")
    return outcome if isinstance(outcome, int) else 0


def _fail(message: str) -> int:
    sys.stderr.write(f"runstrong: error: {' '.join(message.split())}\n")
    return 2


def run() -> None:
    sys.exit(main())
