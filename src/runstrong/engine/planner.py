"""Build an athlete's season: weeks → sessions → blocks → items, each with its reasons."""

from __future__ import annotations

import math
from dataclasses import replace

from runstrong.engine.catalog import Catalog, Group, default_catalog
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Block, Item, Plan, Reason, Session, Week
from runstrong.engine.phases import WeekFrame, season_weeks
from runstrong.engine.placement import DaySlot, RaceCalendar, choose_days
from runstrong.engine.prescribe import AthleteExercises, athlete_exercises, ladder_rungs
from runstrong.engine.profile import Athlete, Season


def plan(athlete: Athlete, season: Season, catalog: Catalog | None = None) -> Plan:
    """The athlete's season plan. Same input, same plan: nothing here reads the clock."""
    catalog = catalog or default_catalog()
    group = resolve_group(catalog, athlete.event_group)
    exercises = athlete_exercises(athlete, catalog)
    builder = _SessionBuilder(catalog, exercises, season.weeks)
    rules = catalog.rules
    races = RaceCalendar.of(season)
    weeks: list[Week] = []
    progressed_weeks = 0
    trained_weeks = 0
    rung = 0
    for frame in season_weeks(season, rules):
        wanted = _sessions_wanted(frame, athlete, catalog, trained_weeks)
        slots, skipped = choose_days(
            week_start=frame.start,
            wanted=wanted,
            athlete=athlete,
            season=season,
            races=races,
            rules=rules,
        )
        # A deload repeats the last rung with fewer sets rather than stepping up [S19].
        if not frame.deload:
            rung = progressed_weeks // rules.progression.weeks_per_step
        sessions = tuple(builder.session(slot, frame, rung) for slot in slots)
        notes = [frame.reason, *skipped]
        if athlete.experience == "new" and trained_weeks < rules.beginner.weeks and wanted:
            notes.append(
                Reason(
                    f"New to lifting: {rules.beginner.sessions_per_week} session a week for the "
                    f"first {rules.beginner.weeks} training weeks.",
                    rules.beginner.sources,
                )
            )
        if sessions:
            trained_weeks += 1
            if frame.phase == "preparation" and not frame.deload:
                progressed_weeks += 1
        weeks.append(
            Week(frame.index, frame.start, frame.phase, frame.deload, sessions, tuple(notes))
        )
    plan_notes = (
        Reason(f"Event group {group.name}: benchmarks use this group's standards.", ("S8", "B7")),
        *exercises.notes,
        *exercises.omitted,
    )
    return Plan(
        athlete_name=athlete.name,
        event_group=group.slug,
        catalog_name=catalog.name,
        start=season.start,
        weeks=tuple(weeks),
        notes=plan_notes,
    )


def resolve_group(catalog: Catalog, slug: str) -> Group:
    try:
        return catalog.group(slug.strip().lower())
    except KeyError:
        allowed = ", ".join(group.slug for group in catalog.groups)
        raise ProfileError("event_group", slug, f"expected one of {allowed}") from None


def _sessions_wanted(frame: WeekFrame, athlete: Athlete, catalog: Catalog, trained: int) -> int:
    rules = catalog.rules
    wanted: int = getattr(rules.sessions_per_week, frame.phase)
    if athlete.experience == "new" and trained < rules.beginner.weeks:
        wanted = min(wanted, rules.beginner.sessions_per_week)
    return wanted


class _SessionBuilder:
    """Builds sessions from the athlete's ladders, sharing identical items between sessions."""

    def __init__(self, catalog: Catalog, exercises: AthleteExercises, weeks: int) -> None:
        self._rules = catalog.rules
        self._caps = {
            exercise.slug: exercise.max_sessions_per_week
            for exercise in catalog.exercises
            if exercise.max_sessions_per_week is not None
        }
        rung_count = weeks // self._rules.progression.weeks_per_step + 1
        self._rungs = [ladder_rungs(item, rung_count) for item in exercises.items]
        self._blocks: dict[tuple[int, str, bool, bool, frozenset[str]], tuple[Block, ...]] = {}
        self._week_counts: dict[tuple[int, str], int] = {}

    def session(self, slot: DaySlot, frame: WeekFrame, rung: int) -> Session:
        capped = self._capped_this_week(frame.index)
        key = (rung, slot.kind, frame.deload, frame.phase == "taper", capped)
        blocks = self._blocks.get(key)
        if blocks is None:
            blocks = self._build_blocks(slot, frame, rung, capped)
            self._blocks[key] = blocks
        for block in blocks:
            for item in block.items:
                if item.exercise in self._caps:
                    count_key = (frame.index, item.exercise)
                    self._week_counts[count_key] = self._week_counts.get(count_key, 0) + 1
        return Session(slot.day, slot.kind, slot.placement, blocks)

    def _capped_this_week(self, week: int) -> frozenset[str]:
        return frozenset(
            slug
            for slug, cap in self._caps.items()
            if cap is not None and self._week_counts.get((week, slug), 0) >= cap
        )

    def _build_blocks(
        self, slot: DaySlot, frame: WeekFrame, rung: int, capped: frozenset[str]
    ) -> tuple[Block, ...]:
        items = [
            self._dose(rungs[min(rung, len(rungs) - 1)], slot, frame)
            for rungs in self._rungs
            if rungs[0].exercise not in capped
        ]
        labels = dict.fromkeys(item.slot[0] for item in items)
        return tuple(
            Block(
                label,
                superset=sum(1 for item in items if item.slot[0] == label) > 1,
                items=tuple(item for item in items if item.slot[0] == label),
            )
            for label in labels
        )

    def _dose(self, item: Item, slot: DaySlot, frame: WeekFrame) -> Item:
        rules = self._rules
        if slot.kind == "light":
            sets = max(1, math.ceil(item.sets * rules.taper.volume_factor))
            return replace(
                item,
                sets=sets,
                load_kg=None,
                reasons=(*item.reasons, slot.placement),
            )
        if frame.phase == "taper":
            sets = max(1, math.ceil(item.sets * rules.taper.volume_factor))
            why = Reason(
                f"Taper: {sets} of {item.sets} sets, same load (volume cut about half, "
                f"intensity kept).",
                ("S12",),
            )
            return replace(item, sets=sets, reasons=(*item.reasons, why))
        if frame.deload:
            sets = max(1, item.sets - rules.deload.set_reduction)
            why = Reason(f"Deload week: {sets} of {item.sets} sets.", rules.deload.sources)
            return replace(item, sets=sets, reasons=(*item.reasons, why))
        return item
