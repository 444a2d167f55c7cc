"""Bad input is a clear 4xx answer or a form error, never a 500 (issue 14)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import World, login

API = "/api/v1"
HUGE = "9" * 30


@pytest.mark.parametrize("wanted", ["²", HUGE, "-1", "1e3", ""])
def test_publishing_with_a_strange_plan_id_publishes_nothing_and_says_so(
    client: Client, world: World, wanted: str
) -> None:
    login(client, world.coach_x)
    response = client.post("/coach/plans/publish/", {"plan": [wanted]}, follow=True)
    assert response.redirect_chain[-1][0] == "/coach/plans/review/"
    assert "Nothing was published: These are not ids of rows" in response.content.decode()


@pytest.mark.parametrize("plan_id", ["²", HUGE])
def test_api_publish_with_a_strange_id_is_4xx(client: Client, world: World, plan_id: str) -> None:
    login(client, world.coach_x)
    response = client.post(f"{API}/plans/{plan_id}/publish", HTTP_X_CSRFTOKEN="x")
    assert 400 <= response.status_code < 500


FAR_DATES = ["9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_date_in_the_plan_builder_is_a_form_error(
    client: Client, world: World, day: str
) -> None:
    login(client, world.coach_x)
    response = client.post(
        "/coach/plans/new/", {"athletes": [world.athlete_a.pk], "start": day, "weeks": 12}
    )
    assert response.status_code in (200, 400)
    assert "Enter a date between 2000 and 2100" in response.content.decode()


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_date_for_a_test_day_is_a_form_error(client: Client, world: World, day: str) -> None:
    login(client, world.coach_x)
    response = client.post("/coach/test-days/", {"date": day, "movements": ["heel-raise"]})
    assert response.status_code in (200, 400)
    assert "Enter a date between 2000 and 2100" in response.content.decode()


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_race_date_is_a_form_error(client: Client, world: World, day: str) -> None:
    login(client, world.coach_x)
    page = client.get(f"/coach/athletes/{world.athlete_a.pk}/edit/")
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["kettlebells"] = ""
    formset = page.context["races"]
    prefix = formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-name": "Parkrun",
            f"{prefix}-0-date": day,
            f"{prefix}-0-priority": "B",
        }
    )
    response = client.post(f"/coach/athletes/{world.athlete_a.pk}/edit/", data)
    assert response.status_code in (200, 400)
    assert "Enter a date between 2000 and 2100" in response.content.decode()


@pytest.mark.parametrize("day", FAR_DATES)
def test_api_refuses_a_far_benchmark_date_naming_the_field(
    client: Client, world: World, day: str
) -> None:
    from tests.api.test_api import bearer, post, token_for

    body = {"athlete_id": world.athlete_a.pk, "movement": "heel-raise", "date": day, "value": 20}
    response = post(client, f"{API}/benchmark-results", body, **bearer(token_for(world.coach_x)))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].split(".")[-1] == "date"
    assert "between 2000 and 2100" in response.json()["errors"][0]["reason"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_api_refuses_a_far_season_start(client: Client, world: World, day: str) -> None:
    from tests.api.test_api import bearer, post, token_for

    body = {"athlete_ids": [world.athlete_a.pk], "start": day, "weeks": 12}
    response = post(client, f"{API}/plans/preview", body, **bearer(token_for(world.coach_x)))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].split(".")[-1] == "start"


def test_a_stored_result_dated_9999_does_not_break_the_athletes_pages(
    client: Client, world: World
) -> None:
    from datetime import date

    from runstrong.web.coaching.models import BenchmarkResult

    BenchmarkResult.objects.create(
        athlete=world.athlete_a, date=date(9999, 12, 31), movement="heel-raise", value=20
    )
    login(client, world.coach_x)
    assert client.get(f"/coach/athletes/{world.athlete_a.pk}/").status_code == 200
    assert client.get("/coach/benchmarks/").status_code == 200
    login(client, world.athlete_a)
    assert client.get("/progress/tests/").status_code == 200
    assert client.get("/progress/").status_code == 200


def _strict_json(content: bytes) -> object:
    """Parse as a browser or any other language's parser would: NaN and Infinity fail."""
    import json

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(content, parse_constant=refuse)


def _standards_upload(client: Client, raw: bytes) -> tuple[int, str]:
    import io

    upload = io.BytesIO(raw)
    upload.name = "standards.json"
    response = client.post("/coach/standards/", {"file": upload})
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_standards_upload_refuses_numbers_that_are_not_finite(
    client: Client, world: World, number: str
) -> None:
    import json

    login(client, world.coach_x)
    exported = json.loads(client.get("/coach/standards.json").content)
    group = next(iter(exported["groups"]))
    movement = next(iter(exported["groups"][group]))
    text = json.dumps(exported).replace(
        f'"{movement}": {exported["groups"][group][movement]}', f'"{movement}": {number}', 1
    )
    assert number in text
    code, page = _standards_upload(client, text.encode())
    assert code == 400
    assert "Nothing imported" in page or "not valid JSON" in page
    groups = client.get(f"{API}/groups")
    assert groups.status_code == 200
    _strict_json(groups.content)  # for every client of the club
    catalog = client.get("/coach/standards.json")
    _strict_json(catalog.content)


def test_standards_upload_refuses_deep_nesting(client: Client, world: World) -> None:
    login(client, world.coach_x)
    code, page = _standards_upload(client, b"[" * 100_000 + b"]" * 100_000)
    assert code == 400
    assert "not valid JSON" in page


def test_a_stored_infinity_never_reaches_an_api_client_as_invalid_json(world: World) -> None:
    """Input refuses it (above); a row stored before that is a server error, logged, rather
    than `Infinity` in a body that breaks every client's parser."""
    from runstrong.web.coaching.models import ClubStandard
    from runstrong.web.coaching.standards import standard_cells

    cell = standard_cells(world.coach_x.club)[0]
    ClubStandard.objects.update_or_create(
        club=world.coach_x.club,
        event_group=cell.group,
        movement=cell.movement,
        defaults={"target": float("inf")},
    )
    client = login(Client(raise_request_exception=False), world.coach_x)
    response = client.get(f"{API}/groups")
    assert response.status_code == 500
    assert b"Infinity" not in response.content


def test_an_oversized_post_is_refused_before_anything_reads_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.http import multipartparser
    from django.test import override_settings

    parsed: list[int] = []
    original = multipartparser.MultiPartParser.parse

    def recording(self: multipartparser.MultiPartParser) -> object:
        parsed.append(1)
        return original(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", recording)
    import io

    big = io.BytesIO(b"x" * 50_000)
    big.name = "big.bin"
    with override_settings(RUNSTRONG_MAX_REQUEST_BYTES=10_000):
        response = Client().post("/login/", {"username": "a", "password": "b", "file": big})
        assert response.status_code == 413
        assert not parsed, "the body was never parsed, so never written to disk"
        api = Client().post(f"{API}/plans/preview", b"{" + b" " * 20_000 + b"}", "application/json")
        assert api.status_code == 413
        assert api.json()["errors"][0]["field"] == "body"
        small = Client().post("/login/", {"username": "coachx", "password": "wrong"})
        assert small.status_code == 200, "an ordinary form is not affected"


@pytest.mark.parametrize(
    ("username", "stored"),
    [("coachx\u200b", None), ("ana ruiz", None), ("<b>ana</b>", None), ("ａｎａ", "ana")],
)
def test_an_invited_username_passes_djangos_username_rules(
    world: World, username: str, stored: str | None
) -> None:
    """A zero-width space would make a second `coachx` that looks the same; full-width letters
    are folded (NFKC) as Django's own user forms do."""
    from django.contrib.auth import get_user_model

    from runstrong.web.coaching.invitations import invitation_issue

    athlete = world.athlete_a
    athlete.user = None
    athlete.save(update_fields=["user"])
    token = invitation_issue(athlete=athlete).token
    password = "tempo-run-42x"
    response = Client().post(
        f"/invite/{token}/", {"username": username, "password1": password, "password2": password}
    )
    users = get_user_model().objects
    if stored is None:
        assert response.status_code in (200, 400)
        assert "Enter a valid username" in response.content.decode()
        assert not users.filter(username=username).exists()
    else:
        assert response.status_code == 302
        assert users.filter(username=stored).exists()
