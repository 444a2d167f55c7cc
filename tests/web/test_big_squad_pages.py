"""A coach of a big squad: the pages that list every athlete show a page of them at a time, and
cost the same SQL statements for a squad of 55 as for a squad of 5 (bench/scale.py measures
them at 100 and 300 athletes)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from runstrong.web.coaching import models
from runstrong.web.coaching.plan_review import publish_effect
from runstrong.web.coaching.plans import plan_generate
from runstrong.web.coaching.session_rows import logged_keys
from tests.personas import World, login
from tests.web.factories import make_athlete, publish_plan

PAGE = 50


def add_athletes(world: World, count: int) -> list[models.Athlete]:
    """`count` more athletes for coach X (no logins), named so they sort after A and B."""
    squad = world.athlete_a.squad
    return models.Athlete.objects.bulk_create(
        [
            models.Athlete(
                squad=squad,
                name=f"Zed {n:03d}",
                event_group="5k",
                equipment=["band"],
                strength_days=["tue", "thu"],
            )
            for n in range(count)
        ]
    )


def statements(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_overview_shows_fifty_athletes_a_page_for_the_same_statements(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    small = statements(client, "/coach/?sort=name")
    athletes = add_athletes(world, PAGE + 3)
    for athlete in athletes[:PAGE]:
        models.BenchmarkResult.objects.create(
            athlete=athlete, movement="heel-raise", date=world.today, left=30, right=30
        )
    assert statements(client, "/coach/?sort=name") == small
    first = client.get("/coach/?sort=name")
    assert len(first.context["rows"]) == PAGE
    html = first.content.decode()
    assert f"{PAGE + 5} athletes · 1–{PAGE} shown" in html
    assert "Page 1 of 2" in html
    assert 'href="?group=&sort=name&page=2"' in html
    last = client.get("/coach/?sort=name&page=2")
    assert [row.name for row in last.context["rows"]] == [f"Zed {n:03d}" for n in range(48, 53)]
    # Benchmarks are judged for the rows shown.
    judged = {row.name: row.benchmarks for row in first.context["rows"]}
    assert judged["Zed 000"] == {"met": 1}


def test_benchmark_matrix_pages_through_the_squad(client: Client, world: World) -> None:
    login(client, world.coach_x)
    small = statements(client, "/coach/benchmarks/")
    add_athletes(world, PAGE + 3)
    assert statements(client, "/coach/benchmarks/") == small
    first = client.get("/coach/benchmarks/").content.decode()
    second = client.get("/coach/benchmarks/?page=2").content.decode()
    assert "Athletes 1–50 of 55" in first
    assert "Zed 052" in second
    assert "Zed 052" not in first


def test_test_day_grid_saves_one_page_and_keeps_the_others(client: Client, world: World) -> None:
    athletes = add_athletes(world, PAGE + 3)
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad, date=world.today, movements=["glute-ham-hold"]
    )
    first_page = world.athlete_a
    models.BenchmarkResult.objects.create(
        athlete=first_page, movement="glute-ham-hold", date=world.today, value=120, test_day=day
    )
    login(client, world.coach_x)
    html = client.get(f"/coach/test-days/{day.pk}/?page=2").content.decode()
    names = set(re.findall(r'name="(r-\d+-glute-ham-hold-value)"', html))
    assert len(names) == 5
    assert f"r-{first_page.pk}-glute-ham-hold-value" not in names
    posted = dict.fromkeys(names, "150")
    with CaptureQueriesContext(connection) as few:
        response = client.post(f"/coach/test-days/{day.pk}/?page=2", posted)
    assert response.status_code == 302
    assert response["Location"].endswith("?page=2")
    saved = models.BenchmarkResult.objects.filter(test_day=day)
    assert saved.count() == 6
    assert saved.get(athlete=first_page).value == 120  # page 1 untouched
    assert {r.value for r in saved.filter(athlete__in=athletes)} == {150}
    # Saving again updates the same rows, in as many statements whatever the page holds.
    with CaptureQueriesContext(connection) as again:
        client.post(f"/coach/test-days/{day.pk}/?page=2", dict.fromkeys(names, "151"))
    assert saved.count() == 6
    assert len(again) <= len(few) + 1
    assert len(few) < 25


def test_plan_builder_lists_every_athlete_and_keeps_the_ticks(client: Client, world: World) -> None:
    add_athletes(world, 3)
    login(client, world.coach_x)
    html = client.get("/coach/plans/new/").content.decode()
    for athlete in models.Athlete.objects.filter(squad__coach=world.coach_x):
        assert f'value="{athlete.pk}"' in html
        assert f"> {athlete.name}</label>" in html or f">\n {athlete.name}</label>" in html
    assert 'id="id_athletes_0"' in html
    assert 'for="id_athletes_0"' in html
    chosen = world.athlete_b.pk
    again = client.post("/coach/plans/new/", {"athletes": [chosen], "start": "", "weeks": "x"})
    assert re.search(rf'value="{chosen}" id="id_athletes_\d+" checked', again.content.decode())


def test_publish_confirmation_counts_the_logged_sessions_kept(world: World) -> None:
    """The confirmation counts in the database what logged_keys would list row by row."""
    start = world.today - timedelta(days=world.today.weekday() + 14)
    other = make_athlete(world.coach_x, None, name="Other")
    publish_plan(other, start=start, weeks=6, today=start)
    sessions = list(models.PlannedSession.objects.filter(athlete=other, date__lt=world.today))
    models.SessionLog.objects.create(session=sessions[0], status="missed", missed_reason="ill")
    item = sessions[1].items.first()
    assert item is not None
    models.SetLog.objects.create(item=item, set_number=1, side="", done=5)
    drafts, _ = plan_generate(athletes=[world.athlete_a, other], start=world.today, weeks=4)
    ids = [world.athlete_a.pk, other.pk]
    expected = len(logged_keys(models.PlannedSession.objects.filter(athlete__in=ids)))
    assert expected >= 2
    assert publish_effect(drafts, world.today).logged_kept == expected
