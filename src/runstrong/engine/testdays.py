"""Test days: where one may fall for an athlete (like a hard session: the strength sessions' own
day rules, never the day before a hard run or a race nor on a race day, and the catalog's
spacing from planned strength sessions [S11]) and which tests it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from runstrong.engine.catalog import Catalog, Movement
from runstrong.engine.model import Reason
from runstrong.engine.placement import run_clash
from runstrong.engine.profile import WEEKDAYS, Athlete

SEARCH_DAYS = 14


@dataclass(frozen=True, slots=True)
class TestDayCheck:
    day: date
    ok: bool
    reason: Reason
    suggestion: date | None = None


@dataclass(frozen=True, slots=True)
class Calendar:
    """What one athlete's days hold around a test day: race days and planned strength sessions.

    `gap_days` is the catalog's least spacing between hard leg sessions [S11]: a test day tires
    the legs like one, so it keeps that spacing from the sessions around it.
    """

    athlete: Athlete
    race_days: frozenset[date] = frozenset()
    session_days: frozenset[date] = frozenset()
    gap_days: int = 0


@dataclass(frozen=True, slots=True)
class GroupSuggestion:
    day: date
    suits: int
    of: int


def check_test_day(
    day: date,
    athlete: Athlete,
    race_days: frozenset[date],
    session_days: frozenset[date] = frozenset(),
    gap_days: int = 0,
    *,
    earliest: date | None = None,
) -> TestDayCheck:
    """Whether `day` suits this athlete, and if not the next day (from `earliest`, within two
    weeks) that does."""
    calendar = Calendar(athlete, race_days, session_days, gap_days)
    problem = day_problem(day, calendar)
    if problem is None:
        return TestDayCheck(
            day, True, Reason("Fits: clear of hard runs, races and strength sessions.", ("S11",))
        )
    suggestion = next(
        (later for later in _later_days(day, earliest) if day_problem(later, calendar) is None),
        None,
    )
    return TestDayCheck(day, False, problem, suggestion)


def group_suggestion(
    day: date, calendars: list[Calendar], *, earliest: date | None = None
) -> GroupSuggestion | None:
    """The first later day that suits every athlete, else the one that suits the most (the
    earliest of those); None when no day in two weeks suits anyone."""
    best: GroupSuggestion | None = None
    for later in _later_days(day, earliest):
        suits = sum(day_problem(later, calendar) is None for calendar in calendars)
        if suits and (best is None or suits > best.suits):
            best = GroupSuggestion(later, suits, len(calendars))
            if suits == len(calendars):
                break
    return best


def _later_days(day: date, earliest: date | None) -> list[date]:
    first = day + timedelta(days=1)
    if earliest is not None and earliest > first:
        first = earliest
    return [first + timedelta(days=n) for n in range(SEARCH_DAYS)]


def day_problem(day: date, calendar: Calendar) -> Reason | None:
    """Why `day` does not suit: the strength sessions' own day rules [S11], then the spacing
    from the athlete's planned sessions."""
    hard = {WEEKDAYS.index(weekday) for weekday in calendar.athlete.hard_run_days}
    clash = run_clash(day, hard, calendar.race_days)
    if clash == "race":
        return Reason("A race day: test another day.", ("S11",))
    if clash == "before-race":
        return Reason("The day before a race: testing would tire the legs.", ("S11",))
    if clash == "before-hard":
        return Reason("The day before a hard run: testing would tire the legs.", ("S11",))
    near = sorted(
        (abs((session - day).days), session)
        for session in calendar.session_days
        if abs((session - day).days) < max(calendar.gap_days, 1)
    )
    if near:
        session = near[0][1]
        if session == day:
            return Reason("A strength session is planned that day.", ("S11",))
        return Reason(
            f"A strength session is planned on {session:%a} {session.day} {session:%b}: "
            f"a test day needs {calendar.gap_days * 24} h from it.",
            ("S11",),
        )
    return None


def benchmarks_and_screens(catalog: Catalog) -> tuple[tuple[Movement, ...], tuple[Movement, ...]]:
    """The benchmarks a test day can hold, and apart from them the optional screens."""
    benchmarks = tuple(m for m in catalog.movements if not m.screen)
    screens = tuple(m for m in catalog.movements if m.screen)
    return benchmarks, screens


def default_test_movements(catalog: Catalog) -> tuple[str, ...]:
    """What a new test day starts with: each exercise's own benchmark, in exercise order [B7].

    Screens are left for the coach to add; a catalog without exercise benchmarks starts with
    all of its benchmarks.
    """
    order = {exercise.slug: index for index, exercise in enumerate(catalog.exercises)}
    own = [m for m in catalog.movements if m.exercise is not None and not m.screen]
    own.sort(key=lambda m: order[m.exercise or ""])
    return tuple(m.slug for m in own) or tuple(m.slug for m in benchmarks_and_screens(catalog)[0])
