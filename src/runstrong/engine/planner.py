"""Build an athlete's season: weeks → sessions → blocks → items, each with its reasons."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from runstrong.engine.catalog import Catalog, Group, Rules
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Block, Item, Plan, Reason, Session, Week
from runstrong.engine.phases import WeekFrame, season_weeks
from runstrong.engine.placement import DAY_NAMES, DaySlot, WeekPlacer, weekday_names
from runstrong.engine.prescribe import (
    athlete_exercises,
    planned_rungs,
    resumed_item,
    superset_sets,
)
from runstrong.engine.profile import Athlete, Season
from runstrong.engine.state import EMPTY_STATE, ProgressionState, state_key
from runstrong.engine.wording import count, listed, percent


def plan(athlete: Athlete, season: Season, catalog: Catalog) -> Plan:
    """The athlete's season plan. Same input, same plan: nothing here reads the clock."""
    return replan(athlete, season, EMPTY_STATE, season.start, catalog)


def replan(
    athlete: Athlete,
    season: Season,
    state: ProgressionState,
    from_date: date,
    catalog: Catalog,
) -> Plan:
    """The sessions from `from_date` to the season's end, each exercise projected from `state`.

    The schedule (weeks, phases, days) is the season's own; the doses start where the athlete's
    log left each exercise and climb by the same rules a fresh plan uses, counted from the
    log's last session, so a later `from_date` only cuts sessions off the front. Weeks before
    `from_date` are left out. Same input, same plan.
    """
    group = resolve_group(catalog, athlete.event_group)
    exercises = athlete_exercises(athlete, catalog)
    resumed = tuple(resumed_item(item, state.get(state_key(item))) for item in exercises.items)
    from_log = {
        item.exercise: known.reason
        for item in resumed
        if (known := state.get(state_key(item))) is not None and known.reason is not None
    }
    # Exercises a step back for pain left with fewer sets than the athlete's own volume: a
    # superset partner does not give them back [S18, M1].
    kept = frozenset(
        item.exercise
        for item in resumed
        if (known := state.get(state_key(item))) is not None and item.sets < known.full_sets
    )
    builder = _SessionBuilder(catalog, resumed, from_log, kept)
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
        f"New to lifting: {count(rules.beginner.sessions_per_week, 'session')} a week for the "
        f"first {count(rules.beginner.weeks, 'training week')}.",
        rules.beginner.sources,
    )
    per_phase = rules.sessions_per_week.model_dump(exclude={"sources"})
    beginner = athlete.experience == "new"
    fit = _Fit()
    for frame in season_weeks(season, rules):
        wanted = per_phase[frame.phase]
        if beginner and trained_weeks < rules.beginner.weeks:
            wanted = min(wanted, rules.beginner.sessions_per_week)
        slots, skipped, plain = placer.choose(frame.start, wanted)
        week_end = frame.start + timedelta(days=6)
        if week_end < anchor and week_end < from_date:
            # Behind the log: it still counts towards the beginner weeks.
            trained_weeks += 1 if slots else 0
            continue
        # Projected steps count progressing sessions, so they follow how often the athlete
        # trains (a once-a-week beginner climbs per session, not per week). Steps land in
        # preparation only: competition and taper hold the last one [S5, S12], and a deload
        # repeats it with fewer sets rather than stepping up [S19].
        progressing = frame.phase == "preparation" and not frame.deload and week_end >= anchor
        # The whole week is built so its frequency caps hold, then cut at from_date.
        built = []
        for slot in slots:
            if progressing:
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
            fit.add(wanted, len(slots), plain)
            weeks.append(Week(frame.index, frame.start, frame.phase, frame.deload, sessions, notes))
    shortfall, fit_note = fit.judge(placer, rules)
    plan_notes = (
        *((fit_note,) if fit_note else ()),
        *_days_note(placer, rules),
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
        shortfall=shortfall,
    )


class _Fit:
    """Sessions the weeks asked for against those their days held [S5, S11].

    Plain weeks (no race, taper or race recovery in reach) show what the athlete's days hold
    on their own; every week counts for whether the season holds a session at all.
    """

    __slots__ = ("most", "placed", "plain_placed", "plain_wanted", "wanted")

    def __init__(self) -> None:
        self.wanted = self.placed = self.plain_wanted = self.plain_placed = self.most = 0

    def add(self, wanted: int, placed: int, plain: bool) -> None:
        self.wanted += wanted
        self.placed += placed
        if plain:
            self.plain_wanted += wanted
            self.plain_placed += placed
            self.most = max(self.most, wanted)

    def judge(self, placer: WeekPlacer, rules: Rules) -> tuple[Reason | None, Reason | None]:
        """The shortfall that fails the plan, if any, and the note that opens the plan."""
        keys = ("S5", "S9", "S11")
        short = self.plain_placed < self.plain_wanted
        why = (
            placer.explain(self.most)
            if short
            else "races, tapers and race recovery leave no day for one"
        )
        if self.wanted and not self.placed:
            reason = Reason(f"No strength session fits this season: {why}.", keys)
            return reason, reason
        if not short:
            return None, None
        min_share = rules.placement.min_share
        held = (
            f"{self.plain_placed} of the {count(self.plain_wanted, 'session')} the phases ask "
            f"for in the weeks clear of races"
        )
        if self.plain_placed < min_share * self.plain_wanted:
            reason = Reason(
                f"This season holds {held}, under {percent(min_share)} of them: {why}.", keys
            )
            return reason, reason
        return None, Reason(f"This season holds {held}: {why}.", keys)


def _days_note(placer: WeekPlacer, rules: Rules) -> tuple[Reason, ...]:
    days = placer.days
    if not days.derived or not days.chosen:
        return ()
    names = listed(DAY_NAMES[day] for day in weekday_names(days.chosen))
    return (
        Reason(
            f"Strength days from the hard-run days: {names}, after the run on a hard day, never "
            f"the day before one, {rules.placement.min_gap_days * 24} h apart or more.",
            ("S9", "S11"),
        ),
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
        self,
        catalog: Catalog,
        starts: tuple[Item, ...],
        from_log: dict[str, Reason],
        kept: frozenset[str] = frozenset(),
    ) -> None:
        # The log's reason goes on the sessions that keep the logged dose, not on later steps.
        self._from_log = from_log
        self._kept = kept
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
        key = (rung, slot.kind, light_reason, frame.deload, slot.taper, self._capped)
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
                (label, superset_sets(items, self._kept)) for label, items in by_block.items()
            ]
        blocks = []
        for label, items in grouped:
            dosed = [self._dose(item, slot, frame) for item in items]
            blocks.append(Block(label, len(dosed) > 1, tuple(dosed)))
        return tuple(blocks)

    def _dose(self, item: Item, slot: DaySlot, frame: WeekFrame) -> Item:
        rules = self._rules
        if slot.kind == "light":
            sets = taper_sets(item.sets, rules.taper.volume_cut_percent)
            return item.adjusted(sets=sets, unloaded=True, reason=slot.placement)
        if slot.taper:
            sets = taper_sets(item.sets, rules.taper.volume_cut_percent)
            why = _taper_reason(item.sets, rules.taper.volume_cut_percent)
            return item.adjusted(sets=sets, unloaded=False, reason=why)
        if frame.deload:
            sets = max(1, item.sets - rules.deload.set_reduction)
            why = Reason(f"Deload week: {sets} of {item.sets} sets.", rules.deload.sources)
            return item.adjusted(sets=sets, unloaded=False, reason=why)
        return item


@lru_cache(maxsize=64)
def taper_sets(sets: int, cut_percent: tuple[int, int]) -> int:
    """Sets kept in the taper: the cut inside the band nearest its middle [S12].

    Where no whole number of sets cuts inside the band (3 sets: keeping 2 cuts 33 %, keeping 1
    cuts 67 % against 41–60 %), the cut nearer the band wins; a tie goes to the larger cut, so
    the athlete comes to the race fresher. One set stays one set.
    """
    low, high = cut_percent

    def rank(kept: int) -> tuple[int, int, int]:
        cut = 100 * (sets - kept)  # the cut in percent, times `sets` to stay whole
        outside = max(low * sets - cut, cut - high * sets, 0)
        return outside, abs(2 * cut - (low + high) * sets), kept

    return min(range(1, sets + 1), key=rank)


@lru_cache(maxsize=64)
def _taper_reason(sets: int, cut_percent: tuple[int, int]) -> Reason:
    low, high = cut_percent
    kept = taper_sets(sets, (low, high))
    cut = round(100 * (sets - kept) / sets)
    text = (
        f"Taper: {kept} of {count(sets, 'set')} ({cut} % fewer), same load: taper volume "
        f"drops {low}–{high} %"
    )
    if not low <= 100 * (sets - kept) / sets <= high:
        text += f"; {count(sets, 'set')} allow no cut inside that, {cut} % is the nearest"
    return Reason(f"{text}.", ("S12",))
