"""What the athlete sees beyond today: history, weeks ahead, progress, test results, races,
and the latest change to each exercise kept across reloads. Each page shows the signed-in
athlete's own data only."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from runstrong.engine.model import Phase
from runstrong.engine.progression import Change
from runstrong.web.coaching import models
from runstrong.web.coaching.athlete_screens import UPCOMING_WEEKS
from runstrong.web.coaching.models import (
    Athlete,
    BenchmarkResult,
    ClubStandard,
    PlannedItem,
    PlannedSession,
)
from runstrong.web.coaching.plain_words import CHANGES, PHASES, VERDICTS
from runstrong.web.coaching.session_log import SetEntry, session_log_done, session_log_missed
from runstrong.web.coaching.session_rows import EDIT_DAYS
from runstrong.web.coaching.site_catalog import site_catalog
from tests.personas import World, login
from tests.web.factories import add_race, make_athlete, make_coach, publish_plan
from tests.web.test_printouts import pdf_text


@dataclass
class Season:
    """An athlete three weeks into an eight-week season, with a second athlete beside them."""

    athlete: Athlete
    other: Athlete
    today: date

    def sessions(self, *, before: date | None = None) -> list[PlannedSession]:
        rows = PlannedSession.objects.filter(athlete=self.athlete).order_by("date")
        if before is not None:
            rows = rows.filter(date__lt=before)
        return list(rows)


@pytest.fixture
def season(db: None) -> Season:
    today = timezone.localdate()
    coach = make_coach("coachz")
    # Three strength days a week keep the season small and the sessions a few days apart.
    days = {"strength_days": ["mon", "wed", "fri"]}
    athlete = make_athlete(coach, "runner", **days)
    other = make_athlete(coach, "other", **days)
    start = today - timedelta(days=24)
    for person in (athlete, other):
        publish_plan(person, start=start, weeks=8, today=start)
    return Season(athlete, other, today)


def sets_of(session: PlannedSession, done: float | None = None) -> list[SetEntry]:
    entries = []
    for item in session.items.all():
        for number in range(1, item.sets + 1):
            for side in ("left", "right") if item.per_side else ("",):
                value = item.target if done is None else done
                entries.append(SetEntry(item.pk, number, side, value, item.load_kg))
    return entries


def page(client: Client, name: str, *args: object) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- History ---------------------------------------------------------------------------------


def test_history_lists_each_past_session_with_done_against_planned(
    client: Client, season: Season
) -> None:
    old, missed, skipped, *_ = season.sessions(before=season.today)
    entries = sets_of(old)
    crawl = old.items.get(exercise="crouching-crawl")
    # One set short on the crawl: the history shows the shortfall against the plan.
    entries = [e for e in entries if not (e.item_id == crawl.pk and e.set_number == crawl.sets)]
    session_log_done(
        session=old, sets=entries, reps_in_reserve=2, pain=0, pain_where="", notes="felt fine"
    )
    session_log_missed(session=missed, reason="ill with a cold")
    login(client, season.athlete)
    html = page(client, "coaching:history")
    for session in (old, missed, skipped):
        assert f'id="session-{session.pk}"' in html
    planned = sum(i.sets * (2 if i.per_side else 1) for i in old.items.all())
    assert f"{planned - 1} of {planned} sets logged" in html
    assert f"Planned</span><span>{crawl.dose_text}</span>" in html
    done = " · ".join([f"{crawl.target:g}"] * (crawl.sets - 1))
    shown = next(
        p for p in client.get(reverse("coaching:history")).context["sessions"] if p.session == old
    )
    assert next(r for r in shown.items if r.item == crawl).done_text == f"{done} {crawl.unit}"
    assert f"<span>{crawl.target:g}</span> {crawl.unit}" in html
    assert '<span class="short-set">· 1 set not logged</span>' in html
    assert "ill with a cold" in html
    assert "Not logged" in html  # the skipped one
    assert html.index(f"session-{skipped.pk}") < html.index(f"session-{old.pk}"), "newest first"
    detail = page(client, "coaching:history-session", old.pk)
    assert "felt fine" in detail
    assert detail.count('class="short"') == 1, "the missing crawl set is marked"


def test_a_session_older_than_the_edit_window_is_read_only(client: Client, season: Season) -> None:
    past = season.sessions(before=season.today)
    old = next(s for s in past if s.date < season.today - timedelta(days=EDIT_DAYS))
    recent = next(s for s in reversed(past) if s.date >= season.today - timedelta(days=EDIT_DAYS))
    login(client, season.athlete)
    html = page(client, "coaching:history")
    assert reverse("coaching:session-log", args=[recent.pk]) in html
    assert reverse("coaching:session-log", args=[old.pk]) not in html
    old_page = page(client, "coaching:history-session", old.pk)
    assert reverse("coaching:session-log", args=[old.pk]) not in old_page
    assert f"Read only: sessions can be logged or changed for {EDIT_DAYS} days" in old_page
    recent_page = page(client, "coaching:history-session", recent.pk)
    assert reverse("coaching:session-log", args=[recent.pk]) in recent_page


def test_a_missed_or_finished_session_offers_nothing_left_to_log(
    client: Client, season: Season
) -> None:
    """Within the edit window a missed session, or one done and told, has nothing left to
    log: it reads as it was logged, with no way into a page of disabled fields."""
    recent = [
        s
        for s in season.sessions(before=season.today)
        if s.date >= season.today - timedelta(days=EDIT_DAYS) and not hasattr(s, "log")
    ]
    missed, done = recent[:2]
    session_log_missed(session=missed, reason="flu")
    session_log_done(session=done, sets=[], reps_in_reserve=2, notes="")
    login(client, season.athlete)
    html = page(client, "coaching:history")
    for finished in (missed, done):
        assert reverse("coaching:session-log", args=[finished.pk]) not in html
        detail = page(client, "coaching:history-session", finished.pk)
        assert reverse("coaching:session-log", args=[finished.pk]) not in detail
        assert "Logged: it stays as it was logged" in detail


def test_history_pages_through_a_long_season(client: Client, season: Season) -> None:
    login(client, season.athlete)
    count = len(season.sessions(before=season.today))
    assert count > 5
    first = client.get(reverse("coaching:history"))
    assert len(first.context["sessions"]) == count  # one page: fewer than twenty
    assert first.context["page"].paginator.count == count


# --- The weeks ahead -------------------------------------------------------------------------


def test_weeks_ahead_list_every_session_with_its_doses_and_the_races(
    client: Client, season: Season
) -> None:
    race_day = season.today + timedelta(days=10)
    add_race(season.athlete, race_day)
    login(client, season.athlete)
    response = client.get(reverse("coaching:upcoming"))
    html = response.content.decode()
    assert len(response.context["weeks"]) == UPCOMING_WEEKS
    monday = season.today - timedelta(days=season.today.weekday())
    end = monday + timedelta(weeks=UPCOMING_WEEKS)
    ahead = PlannedSession.objects.filter(athlete=season.athlete, date__gte=season.today)
    shown = [s for s in ahead if s.date < end]
    assert shown, "the plan has sessions in the weeks ahead"
    for session in shown:
        assert f"{session.date:%A} {session.date.day} {session.date:%b}" in html
        for item in session.items.all():
            assert item.dose_text in html
    later = [s for s in ahead if s.date >= end]
    for session in later:
        assert f"{session.date:%A} {session.date.day} {session.date:%b}" not in html
    assert "This week" in html
    assert "Next week" in html
    assert "🏁" in html
    assert "A (goal race)" in html


# --- Progress --------------------------------------------------------------------------------


def test_progress_shows_each_exercise_as_a_numbers_table(client: Client, season: Season) -> None:
    first, second, *_ = season.sessions(before=season.today)
    for session, done in ((first, None), (second, None)):
        session_log_done(
            session=session,
            sets=sets_of(session, done),
            reps_in_reserve=2,
            pain=0,
            pain_where="",
            notes="",
        )
    login(client, season.athlete)
    response = client.get(reverse("coaching:progress"))
    html = response.content.decode()
    tables = {t["key"]: t for t in response.context["tables"]}
    crawl = first.items.get(exercise="crouching-crawl")
    table = tables["progress-crouching-crawl"]
    # Newest first: date, target, best set, load.
    assert [row["date"] for row in table["recent"]] == [second.date, first.date]
    assert table["recent"][-1]["target"] == table["recent"][-1]["best"] == crawl.target
    day, metres = f"{first.date.day} {first.date:%b}", f"{crawl.target:g} m"
    cells = f"<td>{day}</td><td>{metres}</td><td>{metres}</td>"
    assert cells in html
    assert 'id="chart-progress-crouching-crawl"' in html, "the figure comes with the table"
    # plotly.js (1 MB even partial) is fetched only when the athlete asks for the charts.
    assert '<script src="/static/plotly/plotly-basic.min.js"' not in html
    assert 'data-src="/static/plotly/plotly-basic.min.js"' in html


def test_progress_before_any_session_says_so(client: Client, season: Season) -> None:
    login(client, season.athlete)
    assert "Nothing yet" in page(client, "coaching:progress")


# --- Test results against the group's standard -----------------------------------------------


def heel_raise_standard(group: str) -> float:
    catalog = site_catalog()
    return next(s.target for s in catalog.group(group).standards if s.movement == "heel-raise")


def test_results_are_judged_against_the_groups_standard(client: Client, season: Season) -> None:
    """B1, B5: per-leg tests are judged on the weaker leg against the group's standard."""
    target = heel_raise_standard(season.athlete.event_group)
    weaker = target - 1
    BenchmarkResult.objects.create(
        athlete=season.athlete,
        movement="heel-raise",
        date=season.today - timedelta(days=3),
        left=weaker,
        right=target + 2,
    )
    login(client, season.athlete)
    html = page(client, "coaching:my-tests")
    assert f"Standard: <strong>{target:g} reps per side</strong>" in html
    assert f"left {weaker:g} · right {target + 2:g}" in html
    assert f"{weaker / target:.0%}".replace("%", " %") + " of the standard" in html
    assert VERDICTS["close"] in html


def test_results_follow_the_clubs_own_standard(client: Client, season: Season) -> None:
    target = heel_raise_standard(season.athlete.event_group)
    own = target - 5
    ClubStandard.objects.create(
        club=season.athlete.squad.club, event_group=season.athlete.event_group,
        movement="heel-raise", target=own,
    )  # fmt: skip
    BenchmarkResult.objects.create(
        athlete=season.athlete, movement="heel-raise", date=season.today, left=own, right=own
    )
    models.TestDay.objects.create(
        squad=season.athlete.squad, date=season.today + timedelta(days=5),
        movements=["heel-raise"],
    )  # fmt: skip
    login(client, season.athlete)
    html = page(client, "coaching:my-tests")
    assert f"Standard: <strong>{own:g} reps per side</strong>" in html
    assert VERDICTS["met"] in html
    assert "Next test day" in html


def test_a_woman_is_judged_on_the_figure_a_source_gives_for_women(
    client: Client, season: Season
) -> None:
    """B-keys of the by-sex figure: where a source gives women their own figure, it applies."""
    standard = next(
        s for s in site_catalog().group("5k").standards if s.by_sex.get("female") is not None
    )
    women = standard.by_sex["female"].target
    season.athlete.sex = "female"
    season.athlete.save()
    login(client, season.athlete)
    html = page(client, "coaching:my-tests")
    section = html[html.index(f'id="test-{standard.movement}"') :]
    assert f"Standard for women: <strong>{women:g} " in section


def test_a_load_test_shows_the_kg_lifted_and_the_load_per_kg(
    client: Client, season: Season
) -> None:
    catalog = site_catalog()
    slug = next(
        s.movement
        for s in catalog.group("5k").standards
        if catalog.movement(s.movement).measure == "kg_per_kg"
        and not catalog.movement(s.movement).per_side
    )
    mass = season.athlete.body_mass_kg
    BenchmarkResult.objects.create(
        athlete=season.athlete, movement=slug, date=season.today, value=mass / 4
    )
    login(client, season.athlete)
    html = page(client, "coaching:my-tests")
    section = html[html.index(f'id="test-{slug}"') :]
    assert f"<strong>{mass / 4:g} kg</strong> = 0.25 × body mass" in section


# --- Races -----------------------------------------------------------------------------------


def test_races_to_come_and_past(client: Client, season: Season) -> None:
    coming = add_race(season.athlete, season.today + timedelta(days=20))
    coming.name = "County 5 km"
    coming.save()
    past = add_race(season.athlete, season.today - timedelta(days=12), priority="B")
    past.name = "Park run"
    past.save()
    login(client, season.athlete)
    html = page(client, "coaching:races")
    assert "County 5 km" in html
    assert "In 20 days" in html
    assert "Past races" in html
    assert "Park run" in html
    assert html.index("County 5 km") < html.index("Park run")


# --- Only the signed-in athlete's own data ---------------------------------------------------


def test_another_athlete_sees_none_of_it(client: Client, season: Season) -> None:
    mine = season.sessions(before=season.today)[0]
    session_log_done(
        session=mine, sets=sets_of(mine), reps_in_reserve=2, pain=0, pain_where="", notes="secret"
    )
    race = add_race(season.athlete, season.today + timedelta(days=9))
    race.name = "County Cup"
    race.save()
    BenchmarkResult.objects.create(
        athlete=season.athlete, movement="heel-raise", date=season.today, left=31, right=33
    )
    login(client, season.other)
    assert client.get(reverse("coaching:history-session", args=[mine.pk])).status_code == 404
    history = client.get(reverse("coaching:history")).context["sessions"]
    assert history, "the other athlete has past sessions of their own"
    assert {past.session.athlete_id for past in history} == {season.other.pk}
    assert "County Cup" not in page(client, "coaching:races")
    assert "County Cup" not in page(client, "coaching:upcoming")
    tests = client.get(reverse("coaching:my-tests")).context["movements"]
    assert tests, "the other athlete sees their group's standards"
    assert all(not movement.results for movement in tests), "but none of the runner's results"
    assert "Nothing yet" in page(client, "coaching:progress")


# --- What changes next time, kept across reloads; plain words ---------------------------------


def test_what_changes_next_time_survives_a_reload(client: Client, world: World) -> None:
    """S16: the next dose of each exercise, with its reason, stays on Today and Weeks ahead."""
    session = world.next_session(world.athlete_a)
    session_log_done(
        session=session, sets=sets_of(session), reps_in_reserve=2, pain=0, pain_where="", notes=""
    )
    crawl = session.items.get(exercise="crouching-crawl")
    following = (
        PlannedItem.objects.filter(
            session__athlete=world.athlete_a,
            session__date__gt=session.date,
            exercise=crawl.exercise,
        )
        .order_by("session__date")
        .first()
    )
    assert following is not None
    login(client, world.athlete_a)
    for _ in range(2):  # a reload shows the same
        today = page(client, "coaching:today")
        assert "What changes next time" in today
        changes = today[today.index('id="latest-changes"') :]
        assert f"<strong>{crawl.name}</strong>" in changes
        assert f"<strong>{following.dose_text}</strong>" in changes
    weeks = page(client, "coaching:upcoming")
    changes = weeks[weeks.index('id="latest-changes"') :]
    assert f"<strong>{following.dose_text}</strong>" in changes
    assert "S16" in changes, "with its reason and rule keys"


def test_a_step_back_is_said_in_plain_words(client: Client, world: World) -> None:
    """S18: pain at the catalog's threshold steps the exercise back, said without codes."""
    pain = site_catalog().rules.progression.pain_regress_at
    session = world.next_session(world.athlete_a)
    login(client, world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    form = client.get(url).context["form"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    squat = session.items.get(exercise="banded-spanish-squat")
    data |= {f"pain-{squat.pk}-score": str(pain), f"pain-{squat.pk}-area": "knee"}
    assert client.post(url, data).status_code == 302
    today = page(client, "coaching:today")
    assert CHANGES["regress"] in today
    for code in ("(regress)", "(hold)", "(load-up)", "(to-timed)", "deload"):
        assert code not in today


def test_the_printed_session_card_says_easier_week(client: Client, season: Season) -> None:
    easier = next(s for s in season.sessions() if s.deload)
    login(client, season.athlete)
    _, text = pdf_text(client.get(reverse("coaching:session-card", args=[easier.pk])).content)
    assert f"{PHASES[easier.phase]} · easier week" in text
    assert "deload" not in text.lower()


def test_every_engine_code_has_a_plain_word() -> None:
    assert set(typing.get_args(Change)) == set(CHANGES)
    assert set(typing.get_args(Phase)) == set(PHASES)
    assert set(VERDICTS) == {"met", "close", "below"}


# --- Navigation and the account page ---------------------------------------------------------


def test_the_athletes_nav_has_no_api_link_and_the_account_page_has(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    today = page(client, "coaching:today")
    nav = today[today.index("<nav") : today.index("</nav>")]
    assert reverse("coaching:tokens") not in nav
    assert "Log out" not in nav
    assert reverse("coaching:history") in nav
    assert reverse("coaching:upcoming") in nav
    account = page(client, "coaching:account")
    assert reverse("coaching:tokens") in account
    assert reverse("coaching:calendar") in account
    assert "Log out" in account


def test_a_coach_reaches_the_api_tokens_from_the_account_page(client: Client, world: World) -> None:
    login(client, world.coach_x)
    overview = page(client, "coaching:overview")
    nav = overview[overview.index("<nav") : overview.index("</nav>")]
    assert reverse("coaching:tokens") not in nav
    account = page(client, "coaching:account")
    assert reverse("coaching:tokens") in account
    assert reverse("coaching:overview") in account, "the account page keeps the coach's nav"
    assert "Your squads in your calendar" in account  # the squad feed, not an athlete's
    tokens = page(client, "coaching:tokens")
    assert reverse("coaching:overview") in tokens
