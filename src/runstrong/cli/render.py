"""Rich tables for people; the --json forms live in runstrong.engine.serialize."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from runstrong.engine.benchmarks import GroupStandard, Verdict
from runstrong.engine.catalog import Catalog
from runstrong.engine.model import Item, Plan, Reason, Week
from runstrong.engine.progression import Progression

PHASE_STYLE = {
    "preparation": "green",
    "competition": "yellow",
    "taper": "magenta",
    "transition": "dim",
}
VERDICT_STYLE = {"met": "bold green", "close": "bold yellow", "below": "bold red"}


def keys(reason: Reason) -> str:
    return f"[{', '.join(reason.keys)}]" if reason.keys else ""


def exercises_table(catalog: Catalog) -> Table:
    table = Table(title="Exercises", show_lines=True)
    table.add_column("Blk")
    table.add_column("Exercise", ratio=3)
    table.add_column("Dose, then progression", ratio=2)
    table.add_column("Rules", no_wrap=True)
    for exercise in catalog.exercises:
        dose = exercise.dose
        unit = {"reps": "", "metres": " m", "seconds": " s"}[dose.measure]
        side = " each side" if dose.per_side else ""
        steps = [f"{dose.sets} × {dose.start:g}{unit}{side}", f"→ {dose.top:g}{unit}"]
        if exercise.timed:
            steps.append(f"→ {exercise.timed.start:g}–{exercise.timed.top:g} s holds")
        if exercise.load:
            steps.append(f"→ {exercise.load.implement} ≤ {exercise.load.max_kg:g} kg")
        needs = ", ".join(exercise.equipment) or "no equipment"
        table.add_row(
            exercise.block,
            f"[bold]{escape(exercise.name)}[/]\n{exercise.slug}\n"
            f"[dim]needs {needs}; {exercise.footwear}[/]",
            "\n".join(steps),
            ", ".join(exercise.sources),
        )
    return table


def groups_table(catalog: Catalog, standards: list[GroupStandard]) -> Table:
    table = Table(title="Event groups and benchmark standards")
    table.add_column("Movement", min_width=22)
    for group in catalog.groups:
        table.add_column(f"{group.name}\n[dim]{group.slug}[/]", justify="right")
    table.add_column("Sources")
    by_movement: dict[str, list[GroupStandard]] = {}
    for standard in standards:
        by_movement.setdefault(standard.movement, []).append(standard)
    for movement in catalog.movements:
        row = by_movement.get(movement.slug, [])
        unit = {"reps": "reps", "seconds": "seconds", "kg_per_kg": "kg per kg body mass"}[
            movement.measure
        ]
        side = " per side" if movement.per_side else ""
        cells = []
        for group in catalog.groups:
            match = next((s for s in row if s.group == group.name), None)
            if match is None:
                cells.append("—")
            else:
                cells.append(f"{match.target:g}{' [yellow](weak)[/]' if match.weak else ''}")
        sources = sorted({key for standard in row for key in standard.keys})
        label = f"{escape(movement.name)}\n[dim]{unit}{side}[/]"
        table.add_row(label, *cells, ", ".join(sources))
    table.caption = "(weak) = coach default without a published norm; edit it in your catalog."
    return table


def plan_table(plan: Plan) -> Group:
    weeks = len(plan.weeks)
    heading = Text.from_markup(
        f"[bold]Season plan[/] for {plan.athlete_name} · {plan.event_group} · {weeks} weeks "
        f"from {plan.start} · catalog: {plan.catalog_name}"
    )
    notes = [Text(f"• {note.text} {keys(note)}") for note in plan.notes]
    slots: dict[str, str] = {}
    for session in plan.sessions():
        for item in session.items:
            slots.setdefault(item.slot, item.name)
    table = Table(
        caption="Doses: sets×reps (m = metres, s = seconds), /side = each side, @ = load."
    )
    table.add_column("Wk", justify="right")
    table.add_column("Date", no_wrap=True)
    table.add_column("Phase", no_wrap=True)
    for slot in sorted(slots):
        table.add_column(f"{slot} {slots[slot]}", min_width=10)
    empty: list[Week] = []
    for week in plan.weeks:
        phase = _phase_label(week)
        if not week.sessions:
            empty.append(week)
            table.add_row(
                str(week.index),
                f"{week.start:%a} {week.start.isoformat()}",
                phase,
                "[dim]no session*[/]",
                end_section=True,
            )
        for position, session in enumerate(week.sessions, start=1):
            doses = {item.slot: item.short_dose().replace(" @", "\n@") for item in session.items}
            light = " [magenta]· light[/]" if session.kind == "light" else ""
            table.add_row(
                str(week.index),
                f"{session.day:%a} {session.day.isoformat()}",
                phase + light,
                *[doses.get(slot, "—") for slot in sorted(slots)],
                end_section=position == len(week.sessions),
            )
    why_empty = [Text(f"* Week {week.index}: {_why_empty(week)}", style="dim") for week in empty]
    return Group(heading, *notes, table, *why_empty, *_week_notes(plan))


def _week_notes(plan: Plan) -> list[Text]:
    """Skipped days and other week notes, each said once with the weeks it applies to."""
    weeks_by_note: dict[Reason, list[int]] = {}
    for week in plan.weeks:
        for note in week.notes[1:]:
            weeks_by_note.setdefault(note, []).append(week.index)
    return [
        Text(f"Week {', '.join(map(str, weeks))}: {note.text} {keys(note)}")
        for note, weeks in weeks_by_note.items()
    ]


def week_detail(week: Week) -> Group:
    parts: list[Text | Table] = [
        Text.from_markup(f"[bold]Week {week.index}[/] from {week.start} · {_phase_label(week)}"),
        *[Text(f"• {note.text} {keys(note)}") for note in week.notes],
    ]
    for session in week.sessions:
        parts.append(
            Text.from_markup(
                f"\n[bold]{session.day:%A %Y-%m-%d}[/] ({session.kind}): "
                f"{session.placement.text} {keys(session.placement)}"
            )
        )
        table = Table(show_lines=True, expand=True)
        for column in ("Slot", "Exercise and dose", "Cues", "Why"):
            table.add_column(column)
        for item in session.items:
            table.add_row(item.slot, _dose_cell(item), _bullets(item.cues), _reasons(item))
        parts.append(table)
    return Group(*parts)


def progression_view(progression: Progression) -> Group:
    item = progression.prescription
    lines = [
        Text.from_markup(f"[bold]{progression.change}[/]: {progression.reason.text} "),
        Text(f"rules: {', '.join(progression.reason.keys) or '—'}", style="dim"),
        Text.from_markup(
            f"Next: [bold]{item.name}[/] {item.dose_text()}"
            + (f", rest {item.rest_s} s" if item.rest_s else ", no rest: straight to the next")
        ),
    ]
    if progression.coach_flag:
        lines.append(Text.from_markup(f"[bold red]Flag for the coach:[/] {progression.coach_flag}"))
    return Group(*lines)


def verdict_view(verdict: Verdict) -> Group:
    lines = [Text.from_markup(f"[{VERDICT_STYLE[verdict.status]}]{verdict.status.upper()}[/]")]
    lines += [Text(f"{reason.text} {keys(reason)}") for reason in verdict.reasons]
    return Group(*lines)


def _phase_label(week: Week) -> str:
    style = PHASE_STYLE[week.phase]
    return f"[{style}]deload[/]" if week.deload else f"[{style}]{week.phase}[/]"


def _why_empty(week: Week) -> str:
    return " ".join(note.text for note in week.notes) or "no session"


def _dose_cell(item: Item) -> str:
    rest = f"rest {item.rest_s} s" if item.rest_s else "no rest: straight on to the next"
    rir = f" · {item.effort[0]}–{item.effort[1]} reps in reserve" if item.effort else ""
    return f"[bold]{item.name}[/]\n{item.dose_text()}\n{rest}{rir}"


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _reasons(item: Item) -> str:
    return "\n".join(f"• {reason.text} [dim]{keys(reason)}[/]" for reason in item.reasons)


def make_console() -> Console:
    return Console(highlight=False, soft_wrap=False)
