"""Test days: scheduled clear of hard runs and races, results typed into one grid."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from runstrong.web.coaching import models
from tests.personas import World, login


def next_weekday(world: World, weekday: int) -> object:
    return world.today + timedelta(days=(weekday - world.today.weekday()) % 7 + 7)


def test_scheduling_warns_about_the_day_before_a_hard_run(client: Client, world: World) -> None:
    world.athlete_a.hard_run_days = ["wed"]
    world.athlete_a.save()
    tuesday = next_weekday(world, 1)
    login(client, world.coach_x)
    body = {"date": tuesday.isoformat(), "event_group": "5k", "movements": ["heel-raise"]}  # type: ignore[attr-defined]
    warned = client.post("/coach/test-days/", body).content.decode()
    assert "the day before a hard run" in warned.lower()
    assert "Next good day" in warned
    assert not models.TestDay.objects.exists()
    response = client.post("/coach/test-days/", body | {"confirm": "1"})
    assert response.status_code == 302
    assert models.TestDay.objects.get().movements == ["heel-raise"]


def test_grid_saves_good_cells_and_keeps_typed_values_on_errors(
    client: Client, world: World
) -> None:
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad, date=world.today, movements=["heel-raise", "glute-ham-hold"]
    )
    login(client, world.coach_x)
    url = f"/coach/test-days/{day.pk}/"
    a, b = world.athlete_a.pk, world.athlete_b.pk
    response = client.post(
        url,
        {
            f"r-{a}-heel-raise-left": "26",
            f"r-{a}-heel-raise-right": "30",
            f"r-{a}-glute-ham-hold-value": "3 min",
            f"r-{b}-heel-raise-left": "29",
            f"r-{b}-heel-raise-right": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="3 min"' in page
    assert "“3 min” is not a number" in page
    assert "enter both legs" in page
    saved = models.BenchmarkResult.objects.get(athlete=world.athlete_a, movement="heel-raise")
    assert (saved.left, saved.right, saved.test_day_id) == (26, 30, day.pk)
    assert not models.BenchmarkResult.objects.filter(movement="glute-ham-hold").exists()
    again = client.get(url).content.decode()
    assert 'value="26"' in again
    assert "close" in again  # 26 on the weaker leg against the 5 km standard of 28
    assert "⚠" in again  # 26 vs 30 is more than 10 % apart


def test_grid_is_the_owning_coachs_only(client: Client, world: World) -> None:
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad, date=world.today, movements=["heel-raise"]
    )
    login(client, world.coach_y)
    assert client.post(f"/coach/test-days/{day.pk}/", {}).status_code == 404
