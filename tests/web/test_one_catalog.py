"""One catalog: a club catalog with a fourth event group works everywhere, a broken one stops
the app at start-up with one line, and nothing in the web app, the API or the CLI lists the
groups itself."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from runstrong.cli.main import main
from runstrong.web.coaching.models import Athlete, BenchmarkResult, ClubStandard
from runstrong.web.coaching.models import TestDay as SquadTestDay
from runstrong.web.coaching.site_catalog import check_catalog, site_catalog
from runstrong.web.coaching.tokens import token_create
from tests.personas import World, login
from tests.web.factories import make_athlete

DEFAULT_TEXT = resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")
MARATHON = """
[[groups]]
slug = "marathon"
name = "Marathon"
events = ["marathon", "42.2 km road"]
standards = [
  { movement = "heel-raise", target = 32, sources = ["B1", "B7"], weak = true },
  { movement = "single-leg-squat-box", target = 20, sources = ["B2"], weak = true },
  { movement = "glute-ham-hold", target = 200, sources = ["B3", "B7"], weak = true },
  { movement = "side-plank", target = 100, sources = ["B4", "B7"] },
]
"""
API = "/api/v1"


@pytest.fixture
def marathon_file(tmp_path: Path) -> Path:
    path = tmp_path / "club.toml"
    path.write_text(DEFAULT_TEXT + MARATHON, "utf-8")
    return path


@pytest.fixture
def marathon(marathon_file: Path, settings: Any) -> Path:
    """The site runs on the club catalog with a marathon group."""
    settings.RUNSTRONG_CATALOG = str(marathon_file)
    return marathon_file


def _bearer(person: Any) -> dict[str, str]:
    secret = token_create(user=person.user, name="test", read_only=False)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post_json(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


# ---------------------------------------------------------------- start-up


def test_a_missing_catalog_file_fails_the_system_check_naming_it(
    settings: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "club.toml"
    settings.RUNSTRONG_CATALOG = str(missing)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    message = str(raised.value)
    assert "runstrong.E001" in message
    assert f"RUNSTRONG_CATALOG: {missing}: (file): a readable TOML file" in message


def test_an_invalid_catalog_fails_the_check_with_the_key_and_what_was_expected(
    settings: Any, tmp_path: Path
) -> None:
    broken = tmp_path / "club.toml"
    broken.write_text(DEFAULT_TEXT.replace("pain_regress_at = 3", "pain_regress_at = 0"))
    settings.RUNSTRONG_CATALOG = str(broken)
    [error] = check_catalog()
    assert error.id == "runstrong.E001"
    assert error.msg.startswith(f"RUNSTRONG_CATALOG: {broken}: rules.progression.pain_regress_at:")
    assert "\n" not in error.msg, "one line"


def test_a_group_slug_wider_than_the_column_fails_the_check(settings: Any, tmp_path: Path) -> None:
    wide = tmp_path / "club.toml"
    wide.write_text(
        DEFAULT_TEXT + MARATHON.replace('"marathon"\nname', '"ultra-marathon-100k"\nname')
    )
    settings.RUNSTRONG_CATALOG = str(wide)
    [error] = check_catalog()
    assert error.id == "runstrong.E002"
    assert "groups[3].slug: at most 16 characters, not 'ultra-marathon-100k'" in error.msg


def test_the_good_catalog_passes_the_check(marathon: Path) -> None:
    assert check_catalog() == []
    call_command("check")


# ---------------------------------------------------------------- model and forms


@pytest.mark.django_db
def test_the_event_group_is_checked_against_the_catalog_not_fixed_choices(
    world: World, settings: Any, marathon_file: Path
) -> None:
    athlete = world.athlete_a
    athlete.event_group = "marathon"
    with pytest.raises(ValidationError) as refused:
        athlete.full_clean()
    assert "event_group" in refused.value.message_dict
    assert "marathon is not an event group of the catalog" in str(refused.value)
    settings.RUNSTRONG_CATALOG = str(marathon_file)
    athlete.full_clean()  # the club catalog's group, with no migration


# ---------------------------------------------------------------- end to end with marathon


def test_the_cli_plans_a_marathoner_from_the_club_catalog(
    marathon_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["plan", "--event", "marathon", "--start", "2027-01-04", "--weeks", "8"]
    assert main(base) == 2
    assert "marathon" in capsys.readouterr().err, "the defaults have no marathon group"
    assert main([*base, "--catalog", str(marathon_file)]) == 0
    assert "Marathon" in capsys.readouterr().out
    monkeypatch.setenv("RUNSTRONG_CATALOG", str(marathon_file))
    assert main([*base, "--json"]) == 0, "the CLI reads the variable and hands the file on"
    assert json.loads(capsys.readouterr().out)["event_group"] == "marathon"
    assert main(["groups"]) == 0
    assert "Marathon" in capsys.readouterr().out


def test_the_roster_imports_marathoners(client: Client, world: World, marathon: Path) -> None:
    login(client, world.coach_x)
    help_page = client.get(reverse("coaching:roster")).content.decode()
    assert "Marathon" in help_page
    text = "name,event_group,sex\nMo Long,marathon,male\nMia Far,42.2 km road,female\n"
    done = client.post(reverse("coaching:roster"), {"text": text, "confirm": "1"})
    assert "<strong>2</strong> added" in done.content.decode()
    groups = set(
        Athlete.objects.filter(name__in=["Mo Long", "Mia Far"]).values_list(
            "event_group", flat=True
        )
    )
    assert groups == {"marathon"}


def test_the_standards_editor_shows_and_saves_the_marathon_group(
    client: Client, world: World, marathon: Path
) -> None:
    login(client, world.coach_x)
    response = client.get(reverse("coaching:standards"))
    assert response.status_code == 200
    assert "Marathon" in response.content.decode()
    form = response.context["form"]
    data = {name: str(form[name].value()) for name in form.fields}
    assert data["marathon__heel-raise"] == "32"
    data["marathon__heel-raise"] = "34"
    assert client.post(reverse("coaching:standards"), data).status_code == 302
    saved = ClubStandard.objects.get(club=world.coach_x.club)
    assert (saved.event_group, saved.movement, saved.target) == ("marathon", "heel-raise", 34)


def test_a_test_day_for_marathoners_judges_them_on_their_standards(
    client: Client, world: World, marathon: Path
) -> None:
    runner = make_athlete(world.coach_x, "marathoner", event_group="marathon")
    login(client, world.coach_x)
    page = client.get("/coach/test-days/").content.decode()
    assert '<option value="marathon">Marathon</option>' in page
    body = {
        "date": world.today.isoformat(),
        "event_group": "marathon",
        "movements": ["glute-ham-hold"],
        "confirm": "1",
    }
    assert client.post("/coach/test-days/", body).status_code == 302
    day = SquadTestDay.objects.get()
    assert day.event_group == "marathon"
    url = f"/coach/test-days/{day.pk}/"
    grid = client.get(url).content.decode()
    assert "Marathoner" in grid
    assert "Athletea" not in grid, "only the marathon group is tested"
    client.post(url, {f"r-{runner.pk}-glute-ham-hold-value": "190"})
    assert BenchmarkResult.objects.get(athlete=runner).value == 190
    assert "close" in client.get(url).content.decode()  # 190 s against the marathon's 200 s


def test_the_api_previews_lists_and_judges_with_the_marathon_group(
    client: Client, world: World, marathon: Path
) -> None:
    runner = make_athlete(world.coach_x, "marathoner", event_group="marathon")
    headers = _bearer(world.coach_x)
    groups = client.get(f"{API}/groups", **headers).json()
    assert [group["slug"] for group in groups][-1] == "marathon"
    listed = client.get(f"{API}/athletes", {"group": "marathon"}, **headers).json()
    assert [row["id"] for row in listed["items"]] == [runner.pk]
    preview = _post_json(
        client,
        f"{API}/plans/preview",
        {"group": "marathon", "start": world.today.isoformat(), "weeks": 6},
        **headers,
    )
    assert preview.status_code == 201
    assert [plan["athlete_id"] for plan in preview.json()["plans"]] == [runner.pk]
    result = _post_json(
        client,
        f"{API}/benchmark-results",
        {"athlete_id": runner.pk, "movement": "side-plank", "date": world.today.isoformat(),
         "left": 100, "right": 100},
        **headers,
    )  # fmt: skip
    assert result.status_code == 201
    assert result.json()["verdict"]["status"] == "met"


def test_an_unknown_group_is_a_422_naming_the_field(client: Client, world: World) -> None:
    headers = _bearer(world.coach_x)
    preview = _post_json(
        client,
        f"{API}/plans/preview",
        {"group": "marathon", "start": world.today.isoformat(), "weeks": 6},
        **headers,
    )
    assert preview.status_code == 422
    [error] = preview.json()["errors"]
    assert error["field"].endswith("group")
    assert "expected an event group of the catalog: 800-1500m, 5k, 10k" in error["reason"]
    listed = client.get(f"{API}/athletes", {"group": "marathon"}, **headers)
    assert listed.status_code == 422


def test_the_overview_filters_and_labels_the_marathon_group(
    client: Client, world: World, marathon: Path
) -> None:
    make_athlete(world.coach_x, "marathoner", event_group="marathon")
    login(client, world.coach_x)
    page = client.get(reverse("coaching:overview"), {"group": "marathon"}).content.decode()
    assert "Marathoner" in page
    assert "Athletea" not in page
    assert re.search(r'<option value="marathon"[^>]*>Marathon</option>', page)
    profile = client.get(reverse("coaching:athlete-edit", args=[world.athlete_a.pk]))
    assert '<option value="marathon">Marathon</option>' in profile.content.decode()


def test_the_pain_threshold_shown_is_the_catalogs(
    client: Client, world: World, settings: Any, tmp_path: Path
) -> None:
    strict = tmp_path / "club.toml"
    strict.write_text(DEFAULT_TEXT.replace("pain_regress_at = 3", "pain_regress_at = 5"))
    settings.RUNSTRONG_CATALOG = str(strict)
    assert site_catalog().rules.progression.pain_regress_at == 5
    login(client, world.coach_x)
    page = client.get(reverse("coaching:overview")).content.decode()
    assert "open pain flags (5/10 or more" in page
    detail = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk])).content.decode()
    assert "A flag is pain of 5/10 or more" in detail


@pytest.mark.parametrize("command", [["serve", "--bind", "127.0.0.1:8822"], ["worker", "--batch"]])
def test_serve_and_the_worker_refuse_a_broken_catalog_in_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    """Checked before gunicorn or the worker starts: not a clean start and a 500 on every page."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUNSTRONG_")}
    env |= {
        "RUNSTRONG_SECRET_KEY": "x" * 50,
        "RUNSTRONG_DATA_DIR": str(tmp_path),
        "RUNSTRONG_CATALOG": str(tmp_path / "club.toml"),
    }
    refused = subprocess.run(
        [sys.executable, "-c", "from runstrong.cli.main import run; run()", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2
    assert refused.stderr == (
        f"runstrong: error: RUNSTRONG_CATALOG: {tmp_path / 'club.toml'}: (file): "
        "a readable TOML file (No such file or directory)\n"
    )
