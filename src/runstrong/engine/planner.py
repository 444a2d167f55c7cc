"""Build an athlete's season: weeks → sessions → blocks → items, each with its reasons."""

from __future__ import annotations

import math
from datetime import date, timedelta

from runstrong.engine.catalog import Catalog, Group, default_catalog
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Block, Item, Plan, Reason, Session, Week
from runstrong.engine.phases import WeekFrame, season_weeks
from runstrong.engine.placement import DaySlot, WeekPlacer
from runstrong.engine.prescribe import (
    athlete_exercises,
    planned_rungs,
    resumed_item,
    superset_sets,
)
from runstrong.engine.profile import Athlete, Season
from runstrong.engine.state import EMPTY_STATE, ProgressionState, state_key


def plan(athlete: Athlete, season: Season, catalog: Catalog | None = None) -> Plan:
    """The athlete's season plan. Same input, same plan: nothing here reads the clock."""
    return replan(athlete, season, EMPTY_STATE, season.start, catalog)


def replan(
    athlete: Athlete,
    season: Season,
    state: ProgressionState,
    from_date: date,
    catalog: Catalog | None = None,
) -> Plan:
    """The sessions from `from_date` to the season's end, each exercise projected from `state`.

    The schedule (weeks, phases, days) is the season's own; the doses start where the athlete's
    log left each exercise and climb by the same rules a fresh plan uses, counted from the
    log's last session, so a later `from_date` only cuts sessions off the front. Weeks before
    `from_date` are left out. Same input, same plan.
    """
    catalog = catalog or default_catalog()
    group = resolve_group(catalog, athlete.event_group)
    exercises = athlete_exercises(athlete, catalog)
    resumed = tuple(resumed_item(item, state.get(state_key(item))) for item in exercises.items)
    from_log = {
        item.exercise: known.reason
        for item in resumed
        if (known := state.get(state_key(item))) is not None and known.reason is not None
    }
    builder = _SessionBuilder(catalog, resumed, from_log)
    # Projected steps count from the log's last session, not from the day this runs, so the
    # sessions ahead stay the same as days pass without a new log.
    anchor = state.last_day or season.start
    rules = catalog.rules
    placer = WeekPlacer(athlete, season, rules)
    weeks: list[Week] = []
    progressed_sessions = 0
    trained_weeks = 0
    rung = 0
    beginner_note = Reason(
        f"New to lifting: {rules.beginner.sessions_per_week} session a week for the first "
        f"{rules.beginner.weeks} training weeks.",
        rules.beginner.sources,
    )
    per_phase = rules.sessions_per_week.model_dump(exclude={"sources"})
    beginner = athlete.experience == "new"
    for frame in season_weeks(season, rules):
        wanted = per_phase[frame.phase]
        if beginner and trained_weeks < rules.beginner.weeks:
            wanted = min(wanted, rules.beginner.sessions_per_week)
        slots, skipped = placer.choose(frame.start, wanted)
        week_end = frame.start + timedelta(days=6)
        if week_end < anchor and week_end < from_date:
            # Behind the log: it still counts towards the beginner weeks.
            trained_weeks += 1 if slots else 0
            continue
        # Projected steps count progressing sessions, so they follow how often the athlete
        # trains (a once-a-week beginner climbs per session, not per week). A deload repeats the
        # last rung with fewer sets rather than stepping up [S19].
        progressing = frame.phase == "preparation" and not frame.deload and week_end >= anchor
        # The whole week is built so its frequency caps hold, then cut at from_date.
        built = []
        for slot in slots:
            if not frame.deload:
                rung = progressed_sessions // rules.progression.sessions_per_step
            built.append(builder.session(slot, frame, rung))
            progressed_sessions += 1 if progressing else 0
        sessions = tuple(session for session in built if session.day >= from_date)
        notes = (frame.reason, *skipped)
        if beginner and trained_weeks < rules.beginner.weeks and wanted:
            notes = (*notes, beginner_note)
        if slots:
            trained_weeks += 1
        if week_end >= from_date:
            weeks.append(Week(frame.index, frame.start, frame.phase, frame.deload, sessions, notes))
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


class _SessionBuilder:
    """Builds sessions from the athlete's ladders, sharing identical items between sessions."""

    def __init__(
        self, catalog: Catalog, starts: tuple[Item, ...], from_log: dict[str, Reason]
    ) -> None:
        # The log's reason goes on the sessions that keep the logged dose, not on later steps.
        self._from_log = from_log
        self._rules = catalog.rules
        self._caps: dict[str, int] = {
            exercise.slug: exercise.max_sessions_per_week
            for exercise in catalog.exercises
            if exercise.max_sessions_per_week is not None
        }
        self._starts = starts
        self._per_step = self._rules.progression.sessions_per_step
        self._rungs = [planned_rungs(item, 1, self._per_step) for item in starts]
        self._depth = min((len(rungs) for rungs in self._rungs), default=0)
        self._blocks: dict[tuple[object, ...], tuple[tuple[Block, ...], tuple[str, ...]]] = {}
        self._grouped: dict[tuple[int, frozenset[str]], list[tuple[str, list[Item]]]] = {}
        self._week = 0
        self._done_this_week: dict[str, int] = {}
        self._capped: frozenset[str] = frozenset()

    def session(self, slot: DaySlot, frame: WeekFrame, rung: int) -> Session:
        if frame.index != self._week:
            self._week, self._done_this_week, self._capped = frame.index, {}, frozenset()
        light_reason = slot.placement if slot.kind == "light" else None
        key = (rung, slot.kind, light_reason, frame.deload, frame.phase == "taper", self._capped)
        cached = self._blocks.get(key)
        if cached is None:
            blocks = self._build_blocks(slot, frame, rung, self._capped)
            capped_here = tuple(
                item.exercise
                for block in blocks
                for item in block.items
                if item.exercise in self._caps
            )
            cached = self._blocks[key] = (blocks, capped_here)
        blocks, capped_here = cached
        for slug in capped_here:
            done = self._done_this_week.get(slug, 0) + 1
            self._done_this_week[slug] = done
            if done >= self._caps[slug]:
                self._capped = self._capped | {slug}
        return Session(slot.day, slot.kind, slot.placement, blocks)

    def _build_blocks(
        self, slot: DaySlot, frame: WeekFrame, rung: int, capped: frozenset[str]
    ) -> tuple[Block, ...]:
        if rung >= self._depth:
            # Ladders grow in chunks so a season asks the shared cache only a few times.
            self._rungs = [planned_rungs(item, rung + 8, self._per_step) for item in self._starts]
            self._depth = rung + 8
        grouped = self._grouped.get((rung, capped))
        if grouped is None:
            by_block: dict[str, list[Item]] = {}
            for rungs in self._rungs:
                if rungs[0].exercise not in capped:
                    item = rungs[rung]
                    why = self._from_log.get(item.exercise) if rung == 0 else None
                    if why is not None:
                        item = item.but(reasons=(*item.reasons, why))
                    by_block.setdefault(item.slot[0], []).append(item)
            # A superset's exercises are done in rounds: the same sets for each [M1].
            grouped = self._grouped[(rung, capped)] = [
                (label, superset_sets(items)) for label, items in by_block.items()
            ]
        blocks = []
        for label, items in grouped:
            dosed = [self._dose(item, slot, frame) for item in items]
            blocks.append(Block(label, len(dosed) > 1, tuple(dosed)))
        return tuple(blocks)

    def _dose(self, item: Item, slot: DaySlot, frame: WeekFrame) -> Item:
        rules = self._rules
        if slot.kind == "light":
            sets = max(1, math.ceil(item.sets * rules.taper.volume_factor))
            return item.adjusted(sets=sets, unloaded=True, reason=slot.placement)
        if frame.phase == "taper":
            sets = max(1, math.ceil(item.sets * rules.taper.volume_factor))
            why = Reason(
                f"Taper: {sets} of {item.sets} sets, same load (volume cut about half, "
                f"intensity kept).",
                ("S12",),
            )
            return item.adjusted(sets=sets, unloaded=False, reason=why)
        if frame.deload:
            sets = max(1, item.sets - rules.deload.set_reduction)
            why = Reason(f"Deload week: {sets} of {item.sets} sets.", rules.deload.sources)
            return item.adjusted(sets=sets, unloaded=False, reason=why)
        return item
