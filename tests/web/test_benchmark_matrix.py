"""The squad benchmark matrix: verdicts by event group, asymmetry, change since last time."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from runstrong.web.coaching.models import BenchmarkResult
from tests.personas import World, login


def test_matrix_colours_each_athletes_latest_result(client: Client, world: World) -> None:
    earlier = world.today - timedelta(days=60)
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=earlier, left=22, right=23
    )
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=world.today, left=26, right=30
    )
    BenchmarkResult.objects.create(
        athlete=world.athlete_b, movement="glute-ham-hold", date=world.today, value=200
    )
    login(client, world.coach_x)
    response = client.get("/coach/benchmarks/")
    page = response.content.decode()
    judged = response.context["groups"]
    five_k = dict(judged["5 km"])[world.athlete_a]
    ten_k = dict(judged["10 km"])[world.athlete_b]
    heel = five_k[0]
    assert heel.verdict.status == "close"  # 26 against the 5 km standard of 28
    assert heel.verdict.asymmetry_flag
    assert heel.change == 4  # the weaker leg went from 22 to 26
    assert ten_k[2].verdict.status == "met"  # 200 s against 180 s
    assert "↑ +4 reps" in page, "the change says what it counts"
    assert "⚠" in page
    assert world.athlete_c.name not in page


def test_each_column_says_what_its_numbers_are(client: Client, world: World) -> None:
    """Found in use: '0.17 / 0.15' under a kettlebell benchmark, with no unit anywhere."""
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="goblet-single-leg-squat", date=world.today, value=10
    )
    login(client, world.coach_x)
    page = client.get("/coach/benchmarks/").content.decode()
    assert "in kg per kg body mass" in page
    assert "in seconds" in page
    assert "in reps" in page
