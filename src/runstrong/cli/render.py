"""Rich tables for people; the --json forms live in runstrong.engine.serialize.

Names and texts from a user or a catalog (athlete and race names, exercise names, cues, reasons)
are never Rich markup: every cell is a `Text` built from plain strings and styles, so `[/]` or a
trailing backslash in a name prints as typed.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from runstrong.engine.benchmarks import (
    SEX_WORDS,
    UNIT_NAMES,
    GroupStandard,
    SexGiven,
    Verdict,
)
from runstrong.engine.catalog import SEXES, Catalog
from runstrong.engine.model import Item, Plan, Reason, Week
from runstrong.engine.progression import Progression
from runstrong.engine.wording import group_label

PHASE_STYLE = {
    "preparation": "green",
    "competition": "yellow",
    "taper": "magenta",
    "transition": "dim",
}
VERDICT_STYLE = {"met": "bold green", "close": "bold yellow", "below": "bold red"}

Part = str | Text | tuple[str, str]


def text(*parts: Part) -> Text:
    """Plain strings and (string, style) pairs joined; nothing in them is read as markup."""
    return Text.assemble(*parts)


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
            Text(exercise.block),
            text(
                (exercise.name, "bold"),
                f"\n{exercise.slug}\n",
                (f"needs {needs}; footwear: {exercise.footwear}", "dim"),
            ),
            Text("\n".join(steps)),
            Text(", ".join(exercise.sources)),
        )
    return table


def groups_table(
    catalog: Catalog, standards: dict[tuple[str, str], dict[SexGiven, GroupStandard]]
) -> Group:
    """One row per movement, one column per group. Where a source gives its own figure for a
    sex, the cell lists it; "others" is the group figure the rest are judged on."""
    table = Table(title="Event groups and benchmark standards")
    table.add_column("Movement", min_width=22)
    for group in catalog.groups:
        table.add_column(text(group.name, "\n", (group.slug, "dim")), justify="right")
    table.add_column("Sources")
    notes: dict[str, Text] = {}
    for movement in catalog.movements:
        cells = []
        sources: set[str] = set()
        for group in catalog.groups:
            by_sex = standards.get((group.slug, movement.slug))
            if by_sex is None:
                cells.append(Text("—"))
                continue
            own = [(sex, by_sex[sex]) for sex in SEXES if by_sex[sex].for_sex]
            parts: list[Part] = []
            for sex, standard in own:
                parts += [f"{SEX_WORDS[sex]} ", *_figure(standard), "\n"]
            parts += ["others " if own else "", *_figure(by_sex["unspecified"])]
            cells.append(text(*parts))
            for sex, standard in by_sex.items():
                sources.update(standard.keys)
                if standard.note is not None and sex in SEXES:
                    named = ", ".join(standard.note.keys)
                    notes[movement.slug + sex] = Text(
                        f"{movement.name}: {named} gives no figure for {SEX_WORDS[sex]}, so "
                        f"they are judged on the group figure (others). {keys(standard.note)}"
                    )
        side = " per side" if movement.per_side and movement.measure != "symmetry_pct" else ""
        label = text(
            movement.title,
            "\n",
            (f"{UNIT_NAMES[movement.measure]}{side}", "dim"),
            (" · optional screen" if movement.screen else "", "cyan"),
        )
        table.add_row(label, *cells, Text(", ".join(sorted(sources))))
    table.caption = (
        "(weak) = coach default without a published norm; edit it in your catalog. "
        "women / men = a source's own figure for that sex; others = everyone else, "
        "including athletes whose sex is not given."
    )
    return Group(table, *notes.values())


def _figure(standard: GroupStandard) -> list[Part]:
    band = f", close from {standard.close_from:g}" if standard.band_from_source else ""
    return [f"{standard.target:g}{band}", (" (weak)" if standard.weak else "", "yellow")]


def plan_table(plan: Plan, catalog: Catalog) -> Group:
    weeks = len(plan.weeks)
    heading = text(
        ("Season plan", "bold"),
        f" for {plan.athlete_name} · {group_label(plan.event_group, catalog)}"
        f" · {weeks} week{'' if weeks == 1 else 's'}"
        f" from {plan.start} · catalog: {plan.catalog_name}",
    )
    notes = [Text(f"• {note.text} {keys(note)}") for note in plan.notes]
    slots: dict[str, Text] = {}
    for session in plan.sessions():
        for item in session.items:
            if item.slot not in slots:
                shoes = f"\n({item.footwear})" if item.footwear else ""
                slots[item.slot] = text(f"{item.slot} {item.name}", (shoes, "dim"))
    table = Table(
        caption="Doses: sets×reps (m = metres, s = seconds), /side = each side, @ = load."
    )
    table.add_column("Wk", justify="right")
    table.add_column("Date", no_wrap=True)
    table.add_column("Phase", no_wrap=True)
    for slot in sorted(slots):
        table.add_column(slots[slot], min_width=10)
    empty: list[Week] = []
    for week in plan.weeks:
        phase = _phase_label(week)
        if not week.sessions:
            empty.append(week)
            table.add_row(
                str(week.index),
                f"{week.start:%a} {week.start.isoformat()}",
                phase,
                Text("no session*", style="dim"),
                end_section=True,
            )
        for position, session in enumerate(week.sessions, start=1):
            doses = {
                item.slot: Text(item.short_dose().replace(" @", "\n@")) for item in session.items
            }
            light = (" · light", "magenta") if session.kind == "light" else ""
            table.add_row(
                str(week.index),
                f"{session.day:%a} {session.day.isoformat()}",
                text(phase, light),
                *[doses.get(slot, Text("—")) for slot in sorted(slots)],
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
        text((f"Week {week.index}", "bold"), f" from {week.start} · ", _phase_label(week)),
        *[Text(f"• {note.text} {keys(note)}") for note in week.notes],
    ]
    for session in week.sessions:
        parts.append(
            text(
                "\n",
                (f"{session.day:%A %Y-%m-%d}", "bold"),
                f" ({session.kind}): {session.placement.text} {keys(session.placement)}",
            )
        )
        table = Table(show_lines=True, expand=True)
        for column in ("Slot", "Exercise and dose", "Cues", "Why"):
            table.add_column(column)
        for item in session.items:
            table.add_row(Text(item.slot), _dose_cell(item), _bullets(item.cues), _reasons(item))
        parts.append(table)
    return Group(*parts)


def progression_view(progression: Progression) -> Group:
    item = progression.prescription
    shoes = f" · footwear: {item.footwear}" if item.footwear else ""
    lines = [
        text((progression.change, "bold"), f": {progression.reason.text} "),
        Text(f"rules: {', '.join(progression.reason.keys) or '—'}", style="dim"),
        text(
            "Next: ",
            (item.name, "bold"),
            f" {item.dose_text()}, "
            + (f"rest {item.rest_s} s" if item.rest_s else "no rest: straight to the next")
            + shoes,
        ),
    ]
    if progression.coach_flag:
        lines.append(text(("Flag for the coach:", "bold red"), f" {progression.coach_flag}"))
    return Group(*lines)


def verdict_view(verdict: Verdict) -> Group:
    lines = [Text(verdict.status.upper(), style=VERDICT_STYLE[verdict.status])]
    lines += [Text(f"{reason.text} {keys(reason)}") for reason in verdict.reasons]
    return Group(*lines)


def _phase_label(week: Week) -> Text:
    return Text("deload" if week.deload else week.phase, style=PHASE_STYLE[week.phase])


def _why_empty(week: Week) -> str:
    return " ".join(note.text for note in week.notes) or "no session"


def _dose_cell(item: Item) -> Text:
    rest = f"rest {item.rest_s} s" if item.rest_s else "no rest: straight on to the next"
    rir = f" · {item.effort[0]}–{item.effort[1]} reps in reserve" if item.effort else ""
    shoes = ("\nFootwear: " + item.footwear, "bold") if item.footwear else ""
    return text((item.name, "bold"), f"\n{item.dose_text()}\n{rest}{rir}", shoes)


def _bullets(lines: tuple[str, ...]) -> Text:
    return Text("\n".join(f"• {line}" for line in lines))


def _reasons(item: Item) -> Text:
    parts: list[Part] = []
    for number, reason in enumerate(item.reasons):
        parts += ["\n" if number else "", f"• {reason.text} ", (keys(reason), "dim")]
    return text(*parts)


def make_console() -> Console:
    return Console(highlight=False, soft_wrap=False)
