"""The plan follows the running: when a hard run moves, strength sessions move with it and
every placement rule still holds [S9–S11]; a logged session never moves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from runstrong.web.coaching.models import PlanChange, PlannedItem, PlannedSession, SessionLog
from runstrong.web.coaching.plans import plan_generate, plan_item_update, plan_publish
from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
from runstrong.web.coaching.running_plan import calendar_set_url, calendar_upload, run_override
from runstrong.web.coaching.tasks import sync_due_running_calendars
from tests.web.factories import make_athlete, make_coach, monday_before, publish_plan
from tests.web.running_feeds import Feed, feed_server, ics

pytestmark = pytest.mark.django_db
WEEKS = 4


def _evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, tzinfo=timezone.get_current_timezone())


def _plan(start: date, moved: bool) -> bytes:
    """Intervals on Tuesday (Wednesday in the first week when `moved`), tempo on Thursday,
    an easy run on Sunday, every week of the season."""
    runs = []
    for week in range(WEEKS):
        monday = start + timedelta(days=7 * week)
        hard_day = monday + timedelta(days=2 if moved and week == 0 else 1)
        runs += [
            ("6 x 800 m intervals", _evening(hard_day), 60),
            ("Tempo 20 min", _evening(monday + timedelta(days=3)), 50),
            ("Easy 40", _evening(monday + timedelta(days=6)), 40),
        ]
    return ics(runs)


@pytest.fixture
def start() -> date:
    return monday_before(timezone.localdate()) + timedelta(days=7)


@pytest.fixture
def athlete(start):
    athlete = make_athlete(
        make_coach("coach"), "ana", strength_days=[], hard_run_days=["tue", "thu"]
    )
    publish_plan(athlete, start, weeks=WEEKS, today=timezone.localdate())
    return athlete


def _days(athlete) -> list[date]:
    return sorted(PlannedSession.objects.filter(athlete=athlete).values_list("date", flat=True))


def _hard_days(start: date, moved: bool) -> set[date]:
    days = set()
    for week in range(WEEKS):
        monday = start + timedelta(days=7 * week)
        days.add(monday + timedelta(days=2 if moved and week == 0 else 1))
        days.add(monday + timedelta(days=3))
    return days


def _assert_rules(days: list[date], hard: set[date]) -> None:
    for day in days:
        assert day + timedelta(days=1) not in hard, f"{day} is the day before a hard run [S11]"
    for earlier, later in pairwise(days):
        assert (later - earlier).days >= 2, f"{earlier} and {later} are under 48 h apart [S11]"


def test_a_hard_run_moved_to_wednesday_moves_tuesdays_session(athlete, start) -> None:
    calendar_upload(athlete, _plan(start, moved=False))
    tuesday = start + timedelta(days=1)
    before = _days(athlete)
    assert tuesday in before
    _assert_rules(before, _hard_days(start, moved=False))

    result = calendar_upload(athlete, _plan(start, moved=True))

    after = _days(athlete)
    assert tuesday not in after
    _assert_rules(after, _hard_days(start, moved=True))
    # Later weeks, whose runs did not move, keep their days.
    assert [day for day in after if day >= start + timedelta(days=7)] == [
        day for day in before if day >= start + timedelta(days=7)
    ]
    thursday = start + timedelta(days=3)
    placement = PlannedSession.objects.get(athlete=athlete, date=thursday).placement
    assert "lift after the run" in placement["text"]
    moved = PlanChange.objects.filter(athlete=athlete, what="Session days").latest("pk")
    assert moved.cause.startswith("Running plan calendar changed: hard Tue")
    assert "→ Wed" in moved.cause
    assert "Tue" in moved.before
    assert result.changes


def test_a_logged_session_never_moves(athlete, start) -> None:
    calendar_upload(athlete, _plan(start, moved=False))
    tuesday = start + timedelta(days=1)
    logged = PlannedSession.objects.get(athlete=athlete, date=tuesday)
    SessionLog.objects.create(session=logged, status="done", notes="done early")
    items = list(logged.items.values_list("pk", "sets", "target"))

    calendar_upload(athlete, _plan(start, moved=True))

    logged.refresh_from_db()
    assert logged.date == tuesday
    assert logged.log.notes == "done early"
    assert list(logged.items.values_list("pk", "sets", "target")) == items
    later = [day for day in _days(athlete) if day > tuesday]
    assert (later[0] - tuesday).days >= 2


def test_a_plan_previewed_and_published_follows_the_running_plan(start) -> None:
    athlete = make_athlete(
        make_coach("coach2"), "bo", strength_days=[], hard_run_days=["tue", "thu"]
    )
    calendar_upload(athlete, _plan(start, moved=True))
    drafts, problems = plan_generate(athletes=[athlete], start=start, weeks=WEEKS)
    assert not problems
    draft_days = sorted(drafts[0].sessions.values_list("date", flat=True))
    assert start + timedelta(days=1) not in draft_days
    # The running plan changes between the preview and the publish: the publish follows it.
    calendar_upload(athlete, _plan(start, moved=False))
    plan_publish(plan=drafts[0], today=timezone.localdate())
    days = _days(athlete)
    assert start + timedelta(days=1) in days
    _assert_rules(days, _hard_days(start, moved=False))


def test_the_scheduled_sync_re_places_a_squad_as_one_athlete_at_a_time_would(start) -> None:
    """The worker re-places all moved athletes at once; their days come out as plan_follow's."""
    coach = make_coach("coach3")
    alone, squad_a, squad_b = (
        make_athlete(coach, name, strength_days=[], hard_run_days=["tue", "thu"])
        for name in ("cy", "di", "ed")
    )
    for athlete in (alone, squad_a, squad_b):
        publish_plan(athlete, start, weeks=WEEKS, today=timezone.localdate())
    with feed_server(8884) as server:
        server.feeds["/squad.ics"] = Feed(_plan(start, moved=False))
        for athlete in (squad_a, squad_b):
            calendar_set_url(athlete, server.url("/squad.ics"))
        sync_due_running_calendars.call()
        logged = PlannedSession.objects.get(athlete=squad_b, date=start + timedelta(days=1))
        SessionLog.objects.create(session=logged, status="done")
        server.feeds["/squad.ics"] = Feed(_plan(start, moved=True))
        RunningCalendar.objects.update(tried_at=None)
        assert sync_due_running_calendars.call() == 2
    calendar_upload(alone, _plan(start, moved=True))
    assert _days(squad_a) == _days(alone)
    assert start + timedelta(days=1) not in _days(squad_a)
    assert start + timedelta(days=1) in _days(squad_b)  # logged: never moves
    assert PlannedSession.objects.get(pk=logged.pk).log.status == "done"
    change = PlanChange.objects.filter(athlete=squad_a, what="Session days").latest("pk")
    assert change.cause.startswith("Running plan calendar changed: hard Tue")


def test_the_scheduled_sync_keeps_the_coachs_edits_and_a_feed_fetched_as_it_was_moves_nothing(
    start,
) -> None:
    coach = make_coach("coach4")
    edited, other = (
        make_athlete(coach, name, strength_days=[], hard_run_days=["tue", "thu"])
        for name in ("fa", "gu")
    )
    for athlete in (edited, other):
        publish_plan(athlete, start, weeks=WEEKS, today=timezone.localdate())
    with feed_server(8884) as server:
        server.feeds["/squad.ics"] = Feed(_plan(start, moved=False))
        for athlete in (edited, other):
            calendar_set_url(athlete, server.url("/squad.ics"))
        sync_due_running_calendars.call()
        later = PlannedSession.objects.filter(
            athlete=edited, date__gte=start + timedelta(days=14)
        ).earliest("date")
        item = later.items.earliest("pk")
        sets = item.sets + 1
        plan_item_update(item=item, sets=sets, target=item.target, load_kg=item.load_kg)
        sunday = PlannedRun.objects.get(athlete=edited, date=start + timedelta(days=6))
        run_override(edited, sunday.pk, "hard", "coach")
        server.feeds["/squad.ics"] = Feed(_plan(start, moved=True))
        RunningCalendar.objects.update(tried_at=None)
        assert sync_due_running_calendars.call() == 2
        kept = PlannedItem.objects.get(pk=item.pk)
        assert (kept.sets, kept.edited_by_coach) == (sets, True)
        sunday.refresh_from_db()
        assert (sunday.override, sunday.is_hard) == ("hard", True)
        assert start + timedelta(days=1) not in _days(other)
        recorded = PlanChange.objects.count()
        days = (_days(edited), _days(other))
        RunningCalendar.objects.update(tried_at=None)
        assert sync_due_running_calendars.call() == 2
    assert PlanChange.objects.count() == recorded
    assert (_days(edited), _days(other)) == days
    for calendar in RunningCalendar.objects.all():
        assert calendar.good_at == calendar.tried_at
        assert not calendar.error
