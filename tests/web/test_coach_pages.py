"""The coach's plan builder, profile editing, deletion and overview."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from runstrong.web.coaching.models import (
    Athlete,
    Plan,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.overview import squad_overview
from runstrong.web.coaching.session_log import session_log_done, session_log_missed
from tests.personas import World, login
from tests.web.factories import make_athlete, make_coach, publish_plan


def test_plan_builder_drafts_a_group_and_publishing_reaches_the_athlete(
    client: Client, world: World
) -> None:
    fresh = make_athlete(world.coach_x, "newbie", event_group="10k")
    login(client, world.coach_x)
    response = client.post(
        reverse("coaching:plan-new"),
        {"group": "10k", "start": world.today.isoformat(), "weeks": "8"},
    )
    assert response.status_code == 302
    drafts = Plan.objects.filter(published_at__isnull=True)
    assert {plan.athlete for plan in drafts} == {world.athlete_b, fresh}
    review = client.get(reverse("coaching:plan-review")).content.decode()
    assert "Why?" in review
    assert "[M1]" in review
    client.post(reverse("coaching:plan-publish"))
    assert not Plan.objects.filter(published_at__isnull=True).exists()
    login(client, fresh)
    assert "Save session" in client.get(reverse("coaching:today")).content.decode()


def test_plan_builder_reshows_the_form_with_errors(client: Client, world: World) -> None:
    login(client, world.coach_x)
    response = client.post(reverse("coaching:plan-new"), {"start": "soon", "weeks": "0"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in page
    assert "greater than or equal to 1" in page
    assert 'value="soon"' in page


def test_regenerating_keeps_what_was_logged(world: World) -> None:
    athlete = world.athlete_a
    first = world.next_session(athlete)
    session_log_missed(session=first, reason="ill")
    new_plan = publish_plan(athlete, start=world.today, weeks=6, today=world.today)
    assert SessionLog.objects.filter(session=first).exists()
    assert PlannedSession.objects.filter(athlete=athlete, date=first.date).count() == 1
    assert new_plan.sessions.exclude(date=first.date).exists()


def test_coach_edit_of_an_item_is_kept_and_marked(client: Client, world: World) -> None:
    item = PlannedItem.objects.filter(session__athlete=world.athlete_a).first()
    assert item is not None
    login(client, world.coach_x)
    url = reverse("coaching:item-edit", args=[item.pk])
    bad = client.post(url, {"sets": "0", "target": "12", "load_kg": ""}, HTTP_HX_REQUEST="true")
    assert "greater than or equal to 1" in bad.content.decode()
    good = client.post(url, {"sets": "2", "target": "12", "load_kg": "8"}, HTTP_HX_REQUEST="true")
    item.refresh_from_db()
    assert good.status_code == 200
    assert (item.sets, item.target, item.load_kg, item.edited_by_coach) == (2, 12, 8, True)
    assert "edited" in good.content.decode()


def test_profile_edit_keeps_typed_values_on_error(client: Client, world: World) -> None:
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[world.athlete_a.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "kettlebells": "8, twelve",
            "name": "Renamed",
            "races-TOTAL_FORMS": "0",
            "races-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kettlebell &#x27;twelve&#x27; is not SIZE or SIZExCOUNT" in page
    assert 'value="Renamed"' in page
    world.athlete_a.refresh_from_db()
    assert world.athlete_a.name != "Renamed"
    data["kettlebells"] = "8, 12x2, 24"
    client.post(url, data)
    world.athlete_a.refresh_from_db()
    assert world.athlete_a.kettlebells_kg == [8, 12, 12, 24]
    assert client.get(url).context["form"].initial["kettlebells"] == "8, 12x2, 24"


def test_kettlebells_none_means_no_kettlebells_not_the_whole_rack(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[world.athlete_a.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"kettlebells": "none", "races-TOTAL_FORMS": "0", "races-INITIAL_FORMS": "0"})
    assert "kettlebells" in data["equipment"]
    client.post(url, data)
    world.athlete_a.refresh_from_db()
    assert world.athlete_a.kettlebells_kg == []
    assert "kettlebells" not in world.athlete_a.equipment


def test_deleting_an_athlete_asks_first_then_removes_everything(
    client: Client, world: World
) -> None:
    athlete = world.athlete_a
    session = world.next_session(athlete)
    session_log_missed(session=session, reason="x")
    login(client, world.coach_x)
    url = reverse("coaching:athlete-delete", args=[athlete.pk])
    assert "Delete everything" in client.get(url).content.decode()
    assert Athlete.objects.filter(pk=athlete.pk).exists()
    client.post(url)
    assert not Athlete.objects.filter(pk=athlete.pk).exists()
    assert not PlannedSession.objects.filter(athlete_id=athlete.pk).exists()
    assert not SessionLog.objects.filter(session_id=session.pk).exists()
    assert not athlete.user.__class__.objects.filter(username="athletea").exists()


def test_overview_counts_compliance_for_this_week_and_four_weeks(world: World) -> None:
    athlete = world.athlete_a
    start = world.today - timedelta(days=21)
    publish_plan(athlete, start=start, weeks=6, today=start)
    past = list(
        PlannedSession.objects.filter(athlete=athlete, date__lte=world.today).order_by("date")
    )
    session_log_missed(session=past[0], reason="ill")
    for session in past[1:]:
        session_log_done(
            session=session, sets=[], reps_in_reserve=2, pain=0, pain_where="", notes=""
        )
    rows = {row.name: row for row in squad_overview(coach=world.coach_x, today=world.today)}
    row = rows[athlete.name]
    assert row.month_planned == len(past)
    assert row.month_done == len(past) - 1
    assert row.last_session == past[-1].date


def test_overview_query_count_does_not_grow_with_athletes(client: Client, world: World) -> None:
    login(client, world.coach_x)

    def overview_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("coaching:overview")).status_code == 200
        return len(queries)

    small = overview_queries()
    for index in range(10):
        athlete = make_athlete(world.coach_x, f"extra{index}")
        publish_plan(athlete, start=world.today - timedelta(days=14), weeks=4)
        first = PlannedSession.objects.filter(athlete=athlete).order_by("date").first()
        session_log_missed(session=first, reason="x")
    assert overview_queries() == small


def test_a_new_coach_starts_with_an_empty_squad(client: Client, db: None) -> None:
    coach = make_coach("lonely")
    login(client, coach)
    page = client.get(reverse("coaching:overview")).content.decode()
    assert "Your squad has no athletes yet" in page
    assert f'<a class="button primary" href="{reverse("coaching:roster")}">Add athletes</a>' in page
    assert "Build plans" not in page
    assert SetLog.objects.count() == 0


def test_profile_without_strength_days_derives_them_from_hard_days(
    client: Client, world: World
) -> None:
    """S9/S11: left unticked, strength days follow the hard runs (Mon, Fri for Mon/Wed/Fri)."""
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[world.athlete_a.pk])
    page = client.get(url)
    assert "derive them from the hard-run days" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"races-TOTAL_FORMS": "0", "races-INITIAL_FORMS": "0"})
    data.pop("strength_days")
    data["hard_run_days"] = ["mon", "wed", "fri"]
    response = client.post(url, data)
    assert response.status_code == 302
    world.athlete_a.refresh_from_db()
    assert world.athlete_a.strength_days == []
    ahead = PlannedSession.objects.filter(athlete=world.athlete_a, date__gte=world.today)
    assert ahead.exists()
    assert {session.date.strftime("%a") for session in ahead} <= {"Mon", "Fri"}
    detail = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk])).content.decode()
    assert "from the hard-run days" in detail


def test_a_season_its_days_cannot_hold_is_drafted_and_reported_at_the_top(
    client: Client, world: World
) -> None:
    """S11: strength Tue/Thu before hard Wed/Fri runs hold nothing; the builder says so."""
    stuck = make_athlete(
        world.coach_x,
        "stuck",
        strength_days=["tue", "thu"],
        hard_run_days=["mon", "wed", "fri"],
    )
    login(client, world.coach_x)
    response = client.post(
        reverse("coaching:plan-new"),
        {"athletes": [stuck.pk], "start": world.today.isoformat(), "weeks": "12"},
        follow=True,
    )
    page = response.content.decode()
    assert "Stuck: No strength session fits this season" in page
    assert "Tuesday and Thursday fall the day before a hard run" in page
    assert Plan.objects.filter(athlete=stuck, published_at__isnull=True).exists()
