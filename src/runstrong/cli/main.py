"""`runstrong`: plans, progression and benchmark checks from the command line."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.text import Text

from runstrong.cli import render, web_cmd
from runstrong.cli.catalog_cmd import catalog_app
from runstrong.cli.forms import Named, find_form, resolve_exercise, timed_hints
from runstrong.cli.log_input import (
    AthleteLog,
    Resumed,
    athlete_log,
    read_log_rows,
    resume,
    resumed_calendar,
)
from runstrong.cli.profile_input import (
    build_profile,
    parse_kettlebells,
    parse_race,
    read_profile_file,
    split_list,
)
from runstrong.engine.benchmarks import (
    SEXES_GIVEN,
    BenchmarkResult,
    GroupStandard,
    SexGiven,
    evaluate,
    standard_for,
    standards_by_sex,
)
from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.engine.errors import ProfileError, RunstrongError, ScheduleError
from runstrong.engine.model import Item
from runstrong.engine.planner import plan as build_plan
from runstrong.engine.planner import resolve_group
from runstrong.engine.profile import PROBLEMS, Athlete, Season, parse_athlete
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
app.command()(web_cmd.worker)
app.command()(web_cmd.createcoach)
app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    web_cmd.manage
)

# The engine reads no environment: the CLI hands it the file named here or in the variable.
CATALOG_ENV = "RUNSTRONG_CATALOG"
CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        envvar=CATALOG_ENV,
        help="Catalog TOML to use instead of the defaults (or set RUNSTRONG_CATALOG).",
        dir_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (versioned schema).")]
MAX_RESULT = 10_000  # a test result: reps, seconds, or kg lifted


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
    """List the event groups and their benchmark standards, by sex where a source gives them."""
    chosen = _catalog(catalog)
    standards = {
        (group.slug, standard.movement): standards_by_sex(chosen, group, standard.movement)
        for group in chosen.groups
        for standard in group.standards
    }
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
                            _standard_json(chosen, standards[(group.slug, s.movement)])
                            for s in group.standards
                        ],
                    }
                    for group in chosen.groups
                ],
            }
        )
        return
    render.make_console().print(render.groups_table(chosen, standards))


def _standard_json(catalog: Catalog, by_sex: dict[SexGiven, GroupStandard]) -> dict[str, Any]:
    """The group figure (for athletes whose sex is not given) and what each sex is judged on."""
    base = by_sex["unspecified"]
    movement = catalog.movement(base.movement)

    def figure(standard: GroupStandard) -> dict[str, Any]:
        return {
            "target": standard.target,
            "close_from": standard.close_from,
            "keys": list(standard.keys),
            "weak": standard.weak,
        }

    return {
        "movement": base.movement,
        "name": movement.title,
        "measure": base.measure,
        "per_side": base.per_side,
        "screen": base.screen,
        "exercise": movement.exercise,
        **figure(base),
        "by_sex": {
            sex: {
                **figure(standard),
                "own_figure": standard.for_sex,
                "note": None if standard.note is None else standard.note.text,
            }
            for sex, standard in by_sex.items()
            if sex != "unspecified"
        },
    }


@app.command()
def plan(
    profile: Annotated[
        Path | None,
        typer.Option(help="Athlete and season from a TOML or JSON file; flags override it."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Athlete's name.")] = None,
    event: Annotated[
        str | None, typer.Option(help="Event group: a slug `runstrong groups` lists.")
    ] = None,
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
        list[str] | None,
        typer.Option(help=f"{', '.join(PROBLEMS)} (or none): a comma list, or repeat the option."),
    ] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="What the gym has: band, ghd, kettlebells, bench (or none); a comma list, or "
            "repeat the option."
        ),
    ] = None,
    kettlebells: Annotated[
        list[str] | None,
        typer.Option(
            help="Kettlebells at hand in kg, e.g. 8,12x2,16 (12x2: two of 12 kg), or repeat the "
            "option; none for no kettlebells."
        ),
    ] = None,
    strength_days: Annotated[
        list[str] | None,
        typer.Option(
            help="Days free for strength, e.g. tue,thu (default: derived from the hard-run "
            "days: after the run on a hard day, never the day before one)."
        ),
    ] = None,
    hard_days: Annotated[
        list[str] | None, typer.Option(help="Hard-run days, e.g. tue,thu.")
    ] = None,
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
        Path | None,
        typer.Option(help="Also write the sessions to this iCalendar file.", dir_okay=False),
    ] = None,
    logs: Annotated[
        Path | None,
        typer.Option(
            help="Resume from the web app's log export (CSV or JSON): plan the rest of the "
            "season from where the log leaves each exercise. Give the athlete's profile as in "
            "the web app; name, event group and start default to the log's.",
            dir_okay=False,
        ),
    ] = None,
    athlete: Annotated[
        str | None,
        typer.Option(
            "--athlete",
            help="With --logs: whose logs, by name or id, when the file has several athletes.",
        ),
    ] = None,
    catalog: CatalogOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build a season plan for one athlete, or the rest of it from their log (--logs)."""
    chosen = _catalog(catalog)
    file_data = read_profile_file(profile) if profile else {}
    log: AthleteLog | None = None
    if logs is not None:
        rows, columns = read_log_rows(logs)
        log = athlete_log(logs, rows, columns, chosen, athlete)
    elif athlete is not None:
        raise ProfileError("--athlete", athlete, "only with --logs")
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
        "kettlebells_kg": parse_kettlebells(kettlebells),
        "strength_days": split_list("--strength-days", strength_days),
        "hard_run_days": split_list("--hard-days", hard_days),
    }
    season_flags: dict[str, Any] = {
        "start": start,
        "weeks": weeks,
        "races": [parse_race(text) for text in race] if race else None,
    }
    season_file = file_data.get("season", {})
    start_from_log = False
    if start is None and "start" not in season_file:
        if log is not None:
            first = log.first_day()
            season_flags["start"] = first - timedelta(days=first.weekday())
            start_from_log = True
        else:
            season_flags["start"] = datetime.now().astimezone().date()
    if weeks is None and "weeks" not in season_file:
        season_flags["weeks"] = 12
    if log is not None:
        # The log names the athlete and their group; the profile and flags still win.
        from_file = file_data if {"athlete", "season"}.isdisjoint(file_data) else {}
        athlete_file = file_data.get("athlete", from_file)
        for field, value in (("name", log.name), ("event_group", log.event_group)):
            if athlete_flags[field] is None and field not in athlete_file and value:
                athlete_flags[field] = value
    profile_athlete, season = _profile(file_data, athlete_flags, season_flags)
    resolve_group(chosen, profile_athlete.event_group)
    resumed: Resumed | None = None
    if log is not None:
        resumed = resume(log, profile_athlete, season, chosen, start_from_log=start_from_log)
        result = resumed.plan
    else:
        result = build_plan(profile_athlete, season, chosen)
    if result.shortfall is not None:
        # The plan's notes open with the same reason; the command refuses such a season.
        hint = (
            "Leave out --strength-days to have them derived from --hard-days, or change them."
            if profile_athlete.strength_days
            else "Change --hard-days or give --strength-days."
        )
        raise ScheduleError(result.shortfall.text, hint)
    if ics is not None:
        stamp = datetime.now(UTC)
        calendar = (
            resumed_calendar(resumed, stamp=stamp)
            if resumed is not None
            else plan_calendar(result, stamp=stamp)
        )
        try:
            ics.write_bytes(calendar)
        except OSError as error:
            raise ProfileError(
                "--ics", str(ics), f"a file in a folder that exists ({error.strerror})"
            ) from None
    if as_json:
        _print_json(plan_data(result))
        return
    console = render.make_console()
    if week is not None:
        # A resumed plan starts at the week of its first session: weeks keep the season's numbers.
        numbers = [shown.index for shown in result.weeks]
        if week not in numbers:
            span = f"{numbers[0]} to {numbers[-1]}" if numbers else "none left"
            raise ProfileError("--week", week, f"expected {span}")
        console.print(render.week_detail(result.weeks[numbers.index(week)]))
    else:
        console.print(render.plan_table(result, chosen))
    if ics is not None:
        sessions = sum(1 for _ in result.sessions())
        console.print(Text(f"Wrote {sessions} sessions to {ics}"))


@app.command("next")
def next_command(
    exercise: Annotated[
        str,
        typer.Option(
            help="Exercise slug, e.g. single-leg-squat, or a substitute by name: wall-sit, "
            "split-squat, hip-hinge-isometric-row, glute-ham-isometric-hold."
        ),
    ],
    done: Annotated[
        str | None,
        typer.Option(
            help="What each set reached (reps, metres or seconds), e.g. 15,15,14. For a "
            "per-side exercise this counts for both sides; use --left and --right when they "
            "differ."
        ),
    ] = None,
    left: Annotated[
        str | None,
        typer.Option(help="Per-side exercises: each set on the left, e.g. 10,10,10."),
    ] = None,
    right: Annotated[
        str | None,
        typer.Option(
            help="Per-side exercises: each set on the right, e.g. 10,9,10. Give --left and "
            "--right together instead of --done; a side short of the target holds the dose."
        ),
    ] = None,
    sets: Annotated[int | None, typer.Option(help="Prescribed sets.")] = None,
    target: Annotated[
        float | None, typer.Option(help="Prescribed reps, metres or seconds per set.")
    ] = None,
    load: Annotated[float | None, typer.Option(help="Prescribed kettlebell in kg.")] = None,
    timed: Annotated[
        bool,
        typer.Option(
            help="The prescription is the timed hold the row moves on to (seconds). Wall sit "
            "and glute-ham hold are always timed; --problems patellar-tendon times the "
            "Spanish squat."
        ),
    ] = False,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="What the gym has, as for plan (default: all of band, ghd, kettlebells, "
            "bench); the exercise becomes the substitute the plan would give."
        ),
    ] = None,
    problems: Annotated[
        list[str] | None,
        typer.Option(help=f"As for plan: {', '.join(PROBLEMS)} adjust the exercise."),
    ] = None,
    kettlebells: Annotated[
        list[str] | None,
        typer.Option(
            help="Kettlebells at hand in kg, e.g. 8,12x2,16 (12x2: two of 12 kg), or repeat the "
            "option; none for no kettlebells."
        ),
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
    gym = _gym(chosen, equipment, problems, kettlebells)
    named = resolve_exercise(chosen, exercise)
    prescription = _prescription(
        chosen, gym, named, timed=timed, sets=sets, target=target, load=load
    )
    logged: list[LoggedSet] = []
    if not missed:

        def entry(value: float, side: Literal["left", "right"] | None = None) -> LoggedSet:
            return LoggedSet(value, prescription.load_kg, rir, pain, side)

        if left is not None or right is not None:
            if done is not None:
                raise ProfileError("--done", done, "give --done, or --left and --right, not both")
            if not prescription.per_side:
                raise ProfileError(
                    "--left" if left is not None else "--right",
                    left if left is not None else right,
                    f"{prescription.name} is not done per side: give --done",
                )
            if left is None or right is None:
                raise ProfileError(
                    "--left" if left is None else "--right", None, "give --left and --right"
                )
            logged += [entry(value, "left") for value in _numbers("--left", left)]
            logged += [entry(value, "right") for value in _numbers("--right", right)]
        elif done is None:
            raise ProfileError("--done", None, "give what each set reached, or --missed")
        else:
            logged += [entry(value) for value in _numbers("--done", done)]
    result = next_prescription(
        prescription, logged, pain_regress_at=chosen.rules.progression.pain_regress_at
    )
    if as_json:
        _print_json(progression_data(result))
        return
    render.make_console().print(render.progression_view(result))


def _gym(
    catalog: Catalog,
    equipment: list[str] | None,
    problems: list[str] | None,
    kettlebells: list[str] | None,
) -> Athlete:
    """A stand-in athlete with this gym and these problems, to ask the planner for one item."""
    data: dict[str, Any] = {"event_group": catalog.groups[0].slug}
    for field, value in (
        ("equipment", split_list("--equipment", equipment)),
        ("problems", split_list("--problems", problems)),
        ("kettlebells_kg", parse_kettlebells(kettlebells)),
    ):
        if value is not None:
            data[field] = value
    try:
        return parse_athlete(data)
    except ProfileError as error:
        flag = next(
            (f"--{name}" for name in ("equipment", "problems") if f".{name}" in error.field),
            "--kettlebells",
        )
        raise ProfileError(flag, error.value, error.allowed) from None


def _prescription(
    catalog: Catalog,
    gym: Athlete,
    named: Named,
    *,
    timed: bool,
    sets: int | None,
    target: float | None,
    load: float | None,
) -> Item:
    item = find_form(gym, catalog, named.exercise, name=named.name)
    if item is None:
        raise ProfileError("--exercise", named.name or named.exercise, "not in this catalog")
    if timed:
        item = _timed(catalog, item)
    if load is not None and load not in item.ladder.loads_kg:
        sizes = ", ".join(f"{size:g}" for size in item.ladder.loads_kg) or "none"
        raise ProfileError(
            "--load", load, f"expected one of the kettlebells at hand for {item.name}: {sizes}"
        )
    if sets is not None and not 1 <= sets <= 10:
        raise ProfileError("--sets", sets, "expected 1 to 10")
    if target is not None and not 0 < target <= 600:
        raise ProfileError("--target", target, "expected more than 0, up to 600")
    return replace(
        item,
        sets=sets if sets is not None else item.sets,
        target=target if target is not None else item.target,
        load_kg=load if load is not None else item.load_kg,
    )


def _timed(catalog: Catalog, item: Item) -> Item:
    if item.measure == "seconds":
        return item
    then = item.ladder.then
    if then is not None and then.measure == "seconds":
        return replace(item, ladder=then, target=then.start)
    hints = timed_hints(catalog, item.exercise)
    more = f"; for a timed form use {' or '.join(hints)}" if hints else ""
    raise ProfileError("--timed", True, f"{item.name} has no timed form{more}")


def _numbers(flag: str, text: str) -> list[float]:
    values = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise ProfileError(flag, part, "numbers separated by commas") from None
        if not 0 <= value <= 600:
            raise ProfileError(flag, part, "each from 0 to 600")
        values.append(value)
    return values


@app.command()
def check(
    event: Annotated[str, typer.Option(help="Event group: a slug `runstrong groups` lists.")],
    movement: Annotated[str, typer.Option(help="Benchmark movement slug, e.g. heel-raise.")],
    value: Annotated[float | None, typer.Option(help="Result for a one-sided test.")] = None,
    left: Annotated[float | None, typer.Option(help="Left-leg result.")] = None,
    right: Annotated[float | None, typer.Option(help="Right-leg result.")] = None,
    mass: Annotated[
        float | None, typer.Option(help="Body mass in kg (for load relative to body mass).")
    ] = None,
    sex: Annotated[
        str,
        typer.Option(
            help="female, male or unspecified: a source's own figure for the sex applies."
        ),
    ] = "unspecified",
    catalog: CatalogOption = None,
    as_json: JsonOption = False,
) -> None:
    """Judge a test result against the event group's standard (by sex where a source gives one)."""
    chosen = _catalog(catalog)
    for flag, result in (("--value", value), ("--left", left), ("--right", right)):
        if result is not None and not (math.isfinite(result) and 0 <= result <= MAX_RESULT):
            raise ProfileError(flag, result, f"a result from 0 to {MAX_RESULT:g}")
    if sex not in SEXES_GIVEN:
        raise ProfileError("--sex", sex, f"expected one of {', '.join(SEXES_GIVEN)}")
    standard = standard_for(chosen, resolve_group(chosen, event), movement, sex)
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


ATHLETE_FLAGS = {
    "name": "--name", "event_group": "--event", "sex": "--sex", "body_mass_kg": "--mass",
    "experience": "--experience", "leg_length": "--leg-length", "stride_goal": "--stride",
    "problems": "--problems", "equipment": "--equipment", "kettlebells_kg": "--kettlebells",
    "strength_days": "--strength-days", "hard_run_days": "--hard-days",
}  # fmt: skip


def _profile(
    file_data: dict[str, Any], athlete_flags: dict[str, Any], season_flags: dict[str, Any]
) -> tuple[Athlete, Season]:
    """The athlete and season; a value refused is named by the flag that gave it."""
    try:
        return build_profile(file_data, athlete_flags, season_flags)
    except ProfileError as error:
        prefix, _, rest = error.field.partition(".")
        field = rest.split(".")[0]
        given = athlete_flags if prefix == "athlete" else season_flags
        flag = ATHLETE_FLAGS.get(field) if prefix == "athlete" else f"--{field}"
        if flag is None or given.get(field) is None or field == "races":
            raise
        raise ProfileError(flag, error.value, error.allowed) from None


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
