"""Footwear reaches the athlete: socks for the Spanish squat, barefoot for the single-leg squat,
on the phone page, the coach's plan page, the PDF card, the calendar feed and the API."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from runstrong.web.coaching.models import PlannedItem, PlannedSession, SessionLog
from tests.personas import World, login
from tests.web.test_printouts import pdf_text

ARTICLE = {"banded-spanish-squat": "socks", "single-leg-squat": "barefoot"}


def first_with_both(world: World) -> PlannedSession:
    """The athlete's next session holding both exercises the article names footwear for."""
    for session in PlannedSession.objects.filter(
        athlete=world.athlete_a, date__gte=world.today
    ).order_by("date"):
        if set(ARTICLE) <= set(session.items.values_list("exercise", flat=True)):
            return session
    raise AssertionError("no session with the Spanish squat and the single-leg squat")


def test_planned_items_keep_the_catalogs_footwear(world: World) -> None:
    items = PlannedItem.objects.filter(session__athlete=world.athlete_a)
    for exercise, footwear in ARTICLE.items():
        assert set(items.filter(exercise=exercise).values_list("footwear", flat=True)) == {footwear}


def test_the_phone_page_says_what_to_wear(client: Client, world: World) -> None:
    session = first_with_both(world)
    login(client, world.athlete_a)
    page = client.get(reverse("coaching:session-log", args=[session.pk])).content.decode()
    squat = page.index("Banded Spanish squat")
    single = page.index("Single-leg squat")
    assert "Footwear: <strong>socks</strong>" in page[squat:single]
    assert "Footwear: <strong>barefoot</strong>" in page[single:]


def test_the_coachs_plan_page_lists_footwear_with_each_item(client: Client, world: World) -> None:
    login(client, world.coach_x)
    client.post(
        reverse("coaching:plan-new"),
        {"group": "10k", "start": world.today.isoformat(), "weeks": "4"},
    )
    review = client.get(reverse("coaching:plan-review")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", review).split())
    assert re.search(r"A1 Banded Spanish squat 3 × \d+ reps, \S+( kg)? · socks", text)
    assert "bodyweight · barefoot" in text


def test_the_pdf_card_says_what_to_wear(client: Client, world: World) -> None:
    session = first_with_both(world)
    login(client, world.athlete_a)
    _, text = pdf_text(client.get(f"/sessions/{session.pk}/card.pdf").content)
    assert "Footwear: socks." in text
    assert "Footwear: barefoot." in text


def test_a_name_with_markup_prints_on_the_pdf_card(client: Client, world: World) -> None:
    world.athlete_a.name = "Ana <b>& Co"
    world.athlete_a.save()
    session = world.next_session(world.athlete_a)
    login(client, world.athlete_a)
    _, text = pdf_text(client.get(f"/sessions/{session.pk}/card.pdf").content)
    assert "Ana <b>& Co" in text


def test_the_calendar_feed_says_what_to_wear(client: Client, world: World) -> None:
    session = first_with_both(world)
    login(client, world.athlete_a)
    page = client.post("/account/calendar/", {"action": "create"}).content.decode()
    url = re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)  # type: ignore[union-attr]
    events = Calendar.from_ical(Client().get(url).content).walk("VEVENT")
    event = next(e for e in events if e.decoded("dtstart") == session.date)
    assert "A1 Banded Spanish squat (socks):" in str(event["description"])
    assert "B1 Single-leg squat, rear foot elevated (barefoot):" in str(event["description"])


def test_the_api_session_items_carry_footwear(client: Client, world: World) -> None:
    session = first_with_both(world)
    login(client, world.athlete_a)
    items = client.get(f"/api/v1/sessions/{session.pk}").json()["items"]
    footwear = {item["exercise"]: item["footwear"] for item in items}
    assert {exercise: footwear[exercise] for exercise in ARTICLE} == ARTICLE


def test_the_migration_fills_open_sessions_and_leaves_logged_ones(world: World) -> None:
    """Sessions planned before the column existed get the catalog's footwear; a session already
    logged keeps its rows as they were."""
    PlannedItem.objects.update(footwear="")
    logged = world.next_session(world.athlete_a)
    SessionLog.objects.create(session=logged, status="missed", missed_reason="ill")
    migration = importlib.import_module(
        "runstrong.web.coaching.migrations.0011_planned_item_footwear"
    )
    migration.fill_footwear(apps, None)
    squats = PlannedItem.objects.filter(exercise="banded-spanish-squat")
    assert set(squats.filter(session=logged).values_list("footwear", flat=True)) == {""}
    assert set(squats.exclude(session=logged).values_list("footwear", flat=True)) == {"socks"}


@pytest.mark.django_db(transaction=True)
def test_the_footwear_migration_is_reversible() -> None:
    executor = MigrationExecutor(connection)
    before = [("coaching", "0010_superseded_sessions")]
    executor.migrate(before)
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "coaching_planneditem")
    assert "footwear" not in {column.name for column in columns}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "coaching_planneditem")
    assert "footwear" in {column.name for column in columns}
