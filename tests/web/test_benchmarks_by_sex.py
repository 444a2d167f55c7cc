"""Benchmarks on the coach's pages and the API: each athlete judged on the standard for their
sex where a source gives one [B1, B3], the four exercises' own benchmarks [B7] and the
optional screens [B5] on test days, in the matrix and in the standards page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from runstrong.web.coaching import models
from runstrong.web.coaching.charts import athlete_charts
from runstrong.web.coaching.standards import club_catalog
from runstrong.web.coaching.verdicts import Judged
from tests.api.test_api import API, bearer, post, token_for
from tests.personas import World, login


def matrix_cell(client: Client, world: World, group: str, athlete: Any, movement: str) -> Any:
    response = client.get(reverse("coaching:benchmarks"))
    slugs = [m.slug for m in response.context["movements"]]
    return dict(response.context["groups"][group])[athlete][slugs.index(movement)]


def test_B3_matrix_judges_a_mans_170_s_hold_below_and_a_womans_close_with_the_note(
    client: Client, world: World
) -> None:
    """B3: under 176 s predicted low-back pain in men; no figure for women."""
    world.athlete_a.sex = "male"
    world.athlete_a.save()
    world.athlete_b.sex = "female"
    world.athlete_b.save()
    for athlete in (world.athlete_a, world.athlete_b):
        models.BenchmarkResult.objects.create(
            athlete=athlete, movement="glute-ham-hold", date=world.today, value=170
        )
    login(client, world.coach_x)
    man: Judged = matrix_cell(client, world, "5 km", world.athlete_a, "glute-ham-hold")
    woman: Judged = matrix_cell(client, world, "10 km", world.athlete_b, "glute-ham-hold")
    assert (man.verdict.status, man.verdict.target, man.verdict.close_from) == ("below", 198, 176)
    assert (woman.verdict.status, woman.verdict.target) == ("close", 180)
    page = client.get(reverse("coaching:benchmarks")).content.decode()
    assert "B3 gives no figure for women: the 10 km group figure applies. [B3]" in page
    assert "men&#x27;s 5 km standard of 198 s, close from 176 s (sourced)" in page


def test_B1_matrix_uses_the_heel_raise_median_for_a_woman(client: Client, world: World) -> None:
    """B1: median women 21; 22 reps is met for her, though under the 5 km group figure of 28."""
    world.athlete_a.sex = "female"
    world.athlete_a.save()
    models.BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=world.today, left=22, right=23
    )
    login(client, world.coach_x)
    cell = matrix_cell(client, world, "5 km", world.athlete_a, "heel-raise")
    assert (cell.verdict.status, cell.verdict.target) == ("met", 21)


def test_B7_matrix_takes_the_exercise_benchmarks_and_shows_untested_screens_as_optional(
    client: Client, world: World
) -> None:
    """B7/B5: the four exercises' benchmarks are judged; a screen not tested is not missing."""
    models.BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="spanish-squat-goblet", date=world.today, value=12
    )  # 12 kg for 60 kg: 0.2 against the 5 km figure of 0.15
    login(client, world.coach_x)
    cell = matrix_cell(client, world, "5 km", world.athlete_a, "spanish-squat-goblet")
    assert (cell.verdict.status, cell.verdict.value) == ("met", 0.2)
    page = client.get(reverse("coaching:benchmarks")).content.decode()
    assert "heaviest for 10 reps" in page
    assert page.count('<th class="screen">') == 4  # two screens in each group's table
    assert '<td class="muted small">optional</td>' in page
    assert "Crouching crawl, kettlebell in each hand" in page


def test_B7_a_new_test_day_starts_with_the_four_exercises_and_offers_screens(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    form = client.get(reverse("coaching:test-days")).context["form"]
    assert list(form["movements"].initial) == [
        "spanish-squat-goblet",
        "crouching-crawl-carry",
        "goblet-single-leg-squat",
        "glute-ham-row-timed",
    ]
    groups = dict(form.fields["movements"].choices)
    assert [slug for slug, _ in groups["Optional screens"]] == ["hop-symmetry", "knee-to-wall"]


def test_B5_grid_takes_the_hop_screen_and_a_carry_load_and_judges_them(
    client: Client, world: World
) -> None:
    day = models.TestDay.objects.create(
        squad=world.athlete_a.squad,
        date=world.today,
        event_group="5k",
        movements=["crouching-crawl-carry", "hop-symmetry"],
    )
    login(client, world.coach_x)
    url = f"/coach/test-days/{day.pk}/"
    page = client.get(url).content.decode()
    assert "kg · heaviest over 10 m" in page  # the unit first, then the protocol
    assert '<small class="unit">cm, L / R</small>' in page
    assert "optional screen" in page
    a = world.athlete_a.pk
    response = client.post(
        url,
        {
            f"r-{a}-crouching-crawl-carry-value": "8",
            f"r-{a}-hop-symmetry-left": "150",
            f"r-{a}-hop-symmetry-right": "200",
        },
    )
    assert response.status_code == 302
    after = client.get(url)
    cells = {cell.movement.slug: cell for cell in after.context["rows"][0]}
    assert cells["crouching-crawl-carry"].judged.verdict.status == "below"  # 0.133 under 0.135
    assert cells["hop-symmetry"].judged.verdict.value == 75.0
    assert cells["hop-symmetry"].judged.verdict.status == "below"  # under 90 % [B5]


def test_standards_page_shows_the_sources_figures_by_sex_and_whom_the_target_covers(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    page = client.get(reverse("coaching:standards")).content.decode()
    assert "Women: 21 [B1] · Men: 24 [B1]" in page
    assert "Men: 198, close from 176 [B3]. Your target applies to women and athletes" in page
    assert "optional screen" in page


def test_a_club_target_is_the_coachs_figure_and_a_sources_figure_by_sex_still_applies(
    client: Client, world: World
) -> None:
    """B1 for women and men; the club's own figure for the rest, labelled weak."""
    club = world.coach_x.club
    models.ClubStandard.objects.create(
        club=club, event_group="800-1500m", movement="heel-raise", target=22
    )
    catalog = club_catalog(club)
    standard = next(s for s in catalog.group("800-1500m").standards if s.movement == "heel-raise")
    assert (standard.target, standard.weak) == (22, True)
    assert standard.by_sex["female"].target == 21


def test_api_groups_and_verdicts_are_by_sex(client: Client, world: World) -> None:
    world.athlete_a.sex = "male"
    world.athlete_a.save()
    token = token_for(world.coach_x)
    groups = client.get(f"{API}/groups", **bearer(token)).json()
    five_k = next(g for g in groups if g["slug"] == "5k")
    hold = next(s for s in five_k["standards"] if s["movement"] == "glute-ham-hold")
    by_sex = {entry["sex"]: entry for entry in hold["by_sex"]}
    assert (by_sex["male"]["target"], by_sex["male"]["close_from"]) == (198, 176)
    assert by_sex["female"]["own_figure"] is False
    assert by_sex["female"]["note"].startswith("B3 gives no figure for women")
    response = post(
        client,
        f"{API}/benchmark-results",
        {"athlete_id": world.athlete_a.pk, "movement": "glute-ham-hold", "date": "2027-01-10",
         "value": 170},
        **bearer(token),
    )  # fmt: skip
    verdict = response.json()["verdict"]
    assert response.status_code == 201
    assert (verdict["status"], verdict["sex"], verdict["own_figure"]) == ("below", "male", True)


def test_progress_chart_draws_the_standard_for_the_athletes_sex(world: World) -> None:
    world.athlete_a.sex = "female"
    world.athlete_a.save()
    earlier = world.today - timedelta(days=60)
    for day in (earlier, world.today):  # two test days: a history to draw
        models.BenchmarkResult.objects.create(
            athlete=world.athlete_a, movement="heel-raise", date=day, left=22, right=25
        )
        models.BenchmarkResult.objects.create(
            athlete=world.athlete_a, movement="goblet-single-leg-squat", date=day,
            left=12, right=12,
        )  # fmt: skip
    charts = {
        chart.key: json.loads(chart.figure)
        for chart in athlete_charts(
            athlete=world.athlete_a,
            catalog=club_catalog(world.coach_x.club),
            progress={},
            today=world.today,
        )
        if chart.figure
    }
    heel = charts["benchmark-heel-raise"]["layout"]["shapes"][0]
    assert heel["y0"] == 21
    load = charts["benchmark-goblet-single-leg-squat"]
    assert load["data"][0]["y"] == [0.2, 0.2], "the load per kg of body mass, as judged"
    assert load["layout"]["yaxis"]["title"]["text"] == "kg per kg body mass, weaker leg"
