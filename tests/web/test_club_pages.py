"""Club standards, roster import with invitations, and resolving pain flags."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import (
    BenchmarkResult,
    ClubStandard,
    PainReport,
)
from runstrong.web.coaching.overview import squad_overview
from runstrong.web.coaching.standards import club_catalog, standard_cells
from tests.personas import World, login

ROSTER = """name,email,event_group,sex,body_mass_kg,races
Ada Quick,ada@example.org,5k,female,55,2027-06-12:A:County 5000;2027-05-01:C
Ben Steady,ben@example.org,10k,male,70,
"""


def standards_data(client: Client) -> dict[str, str]:
    form = client.get(reverse("coaching:standards")).context["form"]
    return {name: str(form[name].value()) for name in form.fields}


def test_club_standards_start_from_the_catalog_with_sources(client: Client, world: World) -> None:
    login(client, world.coach_x)
    page = client.get(reverse("coaching:standards")).content.decode()
    assert "Single-leg heel raise" in page
    assert "B1" in page
    assert "weak" in page


def test_a_club_target_changes_the_overview_verdict(client: Client, world: World) -> None:
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=world.today, left=26, right=26
    )
    login(client, world.coach_x)

    def heel_raise_status() -> dict[str, int]:
        rows = squad_overview(
            coach=world.coach_x, today=world.today, catalog=club_catalog(world.coach_x.club)
        )
        return next(row for row in rows if row.id == world.athlete_a.pk).benchmarks

    assert heel_raise_status() == {"close": 1}  # 26 against the 5 km default of 28
    data = standards_data(client)
    data["5k__heel-raise"] = "25"
    assert client.post(reverse("coaching:standards"), data).status_code == 302
    assert heel_raise_status() == {"met": 1}
    assert ClubStandard.objects.get(club=world.coach_x.club).target == 25
    other = {cell.field: cell.target for cell in standard_cells(world.coach_y.club)}
    assert other["5k__heel-raise"] == 28, "another club keeps the default"


def test_a_bad_standard_is_reshown_and_nothing_saved(client: Client, world: World) -> None:
    login(client, world.coach_x)
    data = standards_data(client)
    data["5k__heel-raise"] = "lots"
    data["10k__heel-raise"] = "31"
    response = client.post(reverse("coaching:standards"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="lots"' in page
    assert 'value="31"' in page
    assert not ClubStandard.objects.exists()


def test_coach_resolves_a_pain_flag_and_it_leaves_the_overview(
    client: Client, world: World
) -> None:
    flag = PainReport.objects.create(
        athlete=world.athlete_a, date=world.today, score=5, where="shin"
    )
    login(client, world.coach_x)
    assert "Pain 5/10 shin · today" in client.get(reverse("coaching:overview")).content.decode()
    client.post(reverse("coaching:flag-resolve", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert "Pain 5/10" not in client.get(reverse("coaching:overview")).content.decode()


def test_club_pages_are_for_the_owning_coach_only(client: Client, world: World) -> None:
    flag = PainReport.objects.create(athlete=world.athlete_c, date=world.today, score=5)
    resolve = reverse("coaching:flag-resolve", args=[flag.pk])
    assert client.get(reverse("coaching:standards"))["Location"].startswith(reverse("login"))
    login(client, world.coach_x)
    assert client.post(resolve).status_code == 404
    login(client, world.athlete_a)
    for url in (reverse("coaching:standards"), reverse("coaching:roster")):
        assert client.get(url).status_code == 404
    assert client.post(resolve).status_code == 404
    flag.refresh_from_db()
    assert flag.resolved_at is None


def test_standards_json_round_trips_and_bad_files_name_the_key(
    client: Client, world: World
) -> None:
    import io
    import json

    login(client, world.coach_x)
    exported = json.loads(client.get("/coach/standards.json").content)
    assert exported["schema"] == "runstrong.standards/1"
    assert exported["groups"]["5k"]["heel-raise"] == 28
    exported["groups"]["5k"]["heel-raise"] = 26
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "standards.json"
    assert client.post("/coach/standards/", {"file": upload}).status_code == 302
    assert ClubStandard.objects.get(club=world.coach_x.club, movement="heel-raise").target == 26
    bad = {"schema": "runstrong.standards/1", "groups": {"5k": {"heel-raise": "lots"}}}
    upload = io.BytesIO(json.dumps(bad).encode())
    upload.name = "bad.json"
    response = client.post("/coach/standards/", {"file": upload})
    assert response.status_code == 400
    assert "groups.5k.heel-raise: expected a number above 0" in response.content.decode()
    assert ClubStandard.objects.get(club=world.coach_x.club, movement="heel-raise").target == 26
