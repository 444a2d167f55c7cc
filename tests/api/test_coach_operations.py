"""Every coach action of the pages through the API: it works for the coach, is refused to
another coach and to athletes, names a bad field, and a retry with the same Idempotency-Key
gets the first answer without doing anything twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from runstrong.web.coaching import models
from runstrong.web.coaching.models import (
    Athlete,
    BenchmarkResult,
    IdempotencyRecord,
    Invitation,
    ItemOverride,
    PainReport,
    Plan,
    PlanChange,
    PlannedItem,
    Race,
)
from runstrong.web.coaching.plans import plan_generate, plan_item_update
from runstrong.web.coaching.tokens import token_create
from tests.personas import World
from tests.web.factories import add_race, make_athlete

API = "/api/v1"
Objects = dict[str, Any]


def call(
    client: Client, person: Any, method: str, url: str, body: Any = None, key: str = ""
) -> Any:
    secret = token_create(user=person.user, name="t", read_only=False)[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json", **headers)


@pytest.fixture
def objects(world: World) -> Objects:
    later = world.today + timedelta(days=2)
    item = (
        PlannedItem.objects.filter(
            session__athlete=world.athlete_a, session__date__gte=later, exercise="crouching-crawl"
        )
        .order_by("session__date")
        .first()
    )
    assert item is not None
    return {
        "world": world,
        "athlete": world.athlete_a.pk,
        "squad": world.athlete_a.squad_id,
        "item": item.pk,
        "draft": plan_generate(athletes=[world.athlete_a], start=world.today, weeks=4)[0][0].pk,
        "flag": PainReport.objects.create(athlete=world.athlete_a, date=world.today, score=5).pk,
        "race": add_race(world.athlete_a, world.today + timedelta(days=40)).pk,
        "test_day": models.TestDay.objects.create(
            squad=world.athlete_a.squad, date=world.today, movements=["heel-raise"]
        ).pk,
        "future": (world.today + timedelta(days=30)).isoformat(),
        "coach_token": token_create(user=world.coach_x.user, name="sync", read_only=False)[0].pk,
    }


def _state(o: Objects) -> tuple[Any, ...]:
    """Everything a coach operation could add twice or change twice."""
    return (
        Athlete.objects.count(),
        Race.objects.count(),
        ItemOverride.objects.count(),
        Plan.objects.count(),
        PlanChange.objects.count(),
        models.TestDay.objects.count(),
        sorted(models.TestDay.objects.values_list("date", flat=True)),
        BenchmarkResult.objects.count(),
        PainReport.objects.filter(resolved_at__isnull=False).count(),
        sorted(
            PlannedItem.objects.filter(edited_by_coach=True).values_list("pk", "sets", "target")
        ),
        sorted(
            models.ClubStandard.objects.filter(club=o["world"].coach_x.club).values_list(
                "event_group", "movement", "target"
            )
        ),
        models.ApiToken.objects.filter(revoked_at__isnull=False).count(),
    )


def _with_edit(o: Objects) -> None:
    item = PlannedItem.objects.select_related("session__plan", "session__athlete").get(pk=o["item"])
    plan_item_update(item=item, sets=2, target=7, load_kg=None)


@dataclass
class Case:
    method: str
    url: Callable[[Objects], str]
    body: Callable[[Objects], Any] | None
    status: int
    bad: tuple[dict[str, Any], str] | None = None
    setup: Callable[[Objects], None] | None = None
    # What another coach gets: 404, or an answer that touches only their own squads.
    stranger: frozenset[int] = frozenset({404})


CASES: dict[str, Case] = {
    "create_athlete": Case(
        "POST",
        lambda o: f"{API}/athletes",
        lambda o: {
            "name": "New Runner",
            "email": "new@example.org",
            "event_group": "5k",
            "body_mass_kg": 61.5,
            "leg_length": "long",
            "stride_goal": "lengthen",
            "problems": ["shin"],
            "hard_run_days": ["tue", "sat"],
            "kettlebells": [{"size_kg": 12, "count": 2}],
            "squad_id": o["squad"],
            "races": [{"name": "County 5000", "date": o["future"], "priority": "A"}],
        },
        201,
        ({"event_group": "marathon"}, "event_group"),
        stranger=frozenset({422}),  # X's squad is not one of Y's: named as squad_id
    ),
    "update_athlete": Case(
        "PATCH",
        lambda o: f"{API}/athletes/{o['athlete']}",
        lambda o: {"leg_length": "long", "problems": ["knee"], "hard_run_days": ["wed"]},
        200,
        ({"strength_days": ["someday"]}, "strength_days"),
    ),
    "delete_athlete": Case("DELETE", lambda o: f"{API}/athletes/{o['athlete']}", None, 204),
    "add_race": Case(
        "POST",
        lambda o: f"{API}/athletes/{o['athlete']}/races",
        lambda o: {"name": "Cup", "date": o["future"], "priority": "B"},
        201,
        ({"priority": "Z"}, "priority"),
    ),
    "remove_race": Case(
        "DELETE", lambda o: f"{API}/athletes/{o['athlete']}/races/{o['race']}", None, 204
    ),
    "edit_item": Case(
        "PUT",
        lambda o: f"{API}/items/{o['item']}/edit",
        lambda o: {"sets": 2, "target": 8, "rest_s": 90, "note": "Slow and low"},
        200,
        ({"load_kg": 500}, "load_kg"),
    ),
    "remove_item_edit": Case(
        "DELETE", lambda o: f"{API}/items/{o['item']}/edit", None, 200, setup=_with_edit
    ),
    "group_edit": Case(
        "POST",
        lambda o: f"{API}/plans/group-edit",
        lambda o: {
            "group": "5k",
            "exercise": "crouching-crawl",
            "start": o["future"],
            "sets": 2,
            "target": 9,
        },
        200,
        ({"exercise": "no-such-exercise"}, "exercise"),
        stranger=frozenset({200}),  # coach Y's 5k athletes: none; X's are untouched
    ),
    "discard_draft": Case("DELETE", lambda o: f"{API}/plans/{o['draft']}", None, 204),
    "create_test_day": Case(
        "POST",
        lambda o: f"{API}/test-days",
        lambda o: {
            "date": o["future"],
            "movements": ["heel-raise"],
            "squad_id": o["squad"],
            "confirm": True,
        },
        201,
        ({"movements": ["juggling"]}, "movements"),
        stranger=frozenset({422}),  # X's squad is not one of Y's: named as squad_id
    ),
    "move_test_day": Case(
        "POST",
        lambda o: f"{API}/test-days/{o['test_day']}/move",
        lambda o: {"date": o["future"]},
        200,
        ({"date": "someday"}, "date"),
    ),
    "enter_test_results": Case(
        "PUT",
        lambda o: f"{API}/test-days/{o['test_day']}/results",
        lambda o: {
            "results": [
                {"athlete_id": o["athlete"], "movement": "heel-raise", "left": 20, "right": 22}
            ]
        },
        200,
        (
            {
                "results": [
                    {"athlete_id": 999999, "movement": "heel-raise", "left": 20, "right": 22}
                ]
            },
            "results.0.athlete_id",
        ),
    ),
    "import_roster": Case(
        "POST",
        lambda o: f"{API}/roster/import",
        lambda o: {
            "csv": "name,email,event_group\nNew One,one@example.org,5k\n",
            "squad_id": o["squad"],
        },
        200,
        ({"csv": "nothing,useful\n1,2\n"}, "csv"),
        stranger=frozenset({422}),  # X's squad is not one of Y's: named as squad_id
    ),
    "update_standards": Case(
        "PATCH",
        lambda o: f"{API}/standards",
        lambda o: {"standards": [{"group": "5k", "movement": "heel-raise", "target": 32}]},
        200,
        (
            {"standards": [{"group": "5k", "movement": "heel-raise", "target": 0}]},
            "standards.0.target",
        ),
        stranger=frozenset({200}),  # coach Y changes Y's club's standards; X's are untouched
    ),
    "revoke_token": Case("DELETE", lambda o: f"{API}/tokens/{o['coach_token']}", None, 204),
    "resolve_pain_flag": Case(
        "POST", lambda o: f"{API}/pain-reports/{o['flag']}/resolve", None, 200
    ),
}


def _prepare(o: Objects, case: Case) -> None:
    if case.setup:
        case.setup(o)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_coach_does_it_and_a_retry_with_the_same_key_does_nothing_more(
    client: Client, objects: Objects, name: str
) -> None:
    case, world = CASES[name], objects["world"]
    _prepare(objects, case)
    body = case.body(objects) if case.body else None
    before = _state(objects)
    first = call(client, world.coach_x, case.method, case.url(objects), body, key=f"k-{name}")
    assert first.status_code == case.status, first.content
    done = _state(objects)
    assert done != before, "the operation changed nothing"
    again = call(client, world.coach_x, case.method, case.url(objects), body, key=f"k-{name}")
    assert again.status_code == first.status_code
    # The same answer (PostgreSQL's jsonb keeps the stored body's keys in its own order).
    assert again.content == first.content or again.json() == first.json()
    assert _state(objects) == done, "the retry did it again"
    assert IdempotencyRecord.objects.filter(key=f"k-{name}").count() == 1


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("stranger", ["coach_y", "athlete_a", "athlete_b"])
def test_another_coach_and_athletes_are_refused_and_change_nothing(
    client: Client, objects: Objects, name: str, stranger: str
) -> None:
    case, world = CASES[name], objects["world"]
    _prepare(objects, case)
    before = _state(objects)
    body = case.body(objects) if case.body else None
    response = call(client, getattr(world, stranger), case.method, case.url(objects), body)
    expected = case.stranger if stranger == "coach_y" else {404}
    assert response.status_code in expected, response.content
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "squad_id"
    assert _state(objects) == before


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.bad))
def test_a_bad_field_is_a_4xx_naming_it_and_saves_nothing(
    client: Client, objects: Objects, name: str
) -> None:
    case, world = CASES[name], objects["world"]
    assert case.bad is not None
    assert case.body is not None
    change, field = case.bad
    before = _state(objects)
    response = call(
        client, world.coach_x, case.method, case.url(objects), case.body(objects) | change
    )
    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]], response.json()
    assert _state(objects) == before


def test_a_created_athlete_has_the_profile_and_races_given(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    case = CASES["create_athlete"]
    response = call(client, world.coach_x, "POST", case.url(objects), case.body(objects))
    created = Athlete.objects.get(pk=response.json()["id"])
    assert created.squad == world.athlete_a.squad
    assert (created.leg_length, created.stride_goal, created.problems) == (
        "long",
        "lengthen",
        ["shin"],
    )
    assert created.kettlebells_kg == [12, 12]
    assert response.json()["kettlebells"] == [{"size_kg": 12, "count": 2}]
    assert list(created.races.values_list("name", flat=True)) == ["County 5000"]
    # The add page's rule: the same email in the squad again is refused, naming the email.
    again = call(client, world.coach_x, "POST", case.url(objects), case.body(objects))
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "email"
    assert Athlete.objects.filter(email="new@example.org").count() == 1


def test_a_bad_race_in_a_new_athlete_names_its_row(client: Client, objects: Objects) -> None:
    body = CASES["create_athlete"].body(objects) | {"races": [{"date": "2026-02-30"}]}
    response = call(client, objects["world"].coach_x, "POST", f"{API}/athletes", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["races.0.date"]


def test_a_partial_profile_change_keeps_the_other_fields(client: Client, objects: Objects) -> None:
    world = objects["world"]
    athlete = world.athlete_a
    response = call(
        client, world.coach_x, "PATCH", f"{API}/athletes/{athlete.pk}", {"sex": "female"}
    )
    assert response.status_code == 200
    after = Athlete.objects.get(pk=athlete.pk)
    assert after.sex == "female"
    assert (after.name, after.equipment, after.kettlebells_kg, after.hard_run_days) == (
        athlete.name,
        athlete.equipment,
        athlete.kettlebells_kg,
        athlete.hard_run_days,
    )


def test_a_profile_change_sets_and_clears_the_running_thresholds(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    url = f"{API}/athletes/{world.athlete_a.pk}"
    body = {"threshold_hr": 172, "threshold_pace": "4:05"}
    response = call(client, world.coach_x, "PATCH", url, body)
    assert response.status_code == 200, response.content
    assert (response.json()["threshold_hr"], response.json()["threshold_pace"]) == (172, "4:05")
    stored = Athlete.objects.get(pk=world.athlete_a.pk)
    assert (stored.threshold_hr, stored.threshold_pace) == (172, 245)
    # Another field alone keeps them; null clears one.
    call(client, world.coach_x, "PATCH", url, {"leg_length": "long"})
    cleared = call(client, world.coach_x, "PATCH", url, {"threshold_hr": None}).json()
    assert (cleared["threshold_hr"], cleared["threshold_pace"]) == (None, "4:05")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"threshold_hr": 300}, "threshold_hr"),
        ({"threshold_hr": 150.5}, "threshold_hr"),
        ({"threshold_pace": "fast"}, "threshold_pace"),
        ({"threshold_pace": "0:59"}, "threshold_pace"),
        ({"threshold_pace": 60}, "threshold_pace"),
    ],
)
def test_a_bad_running_threshold_is_a_422_naming_it(
    client: Client, objects: Objects, body: dict[str, Any], field: str
) -> None:
    world = objects["world"]
    response = call(client, world.coach_x, "PATCH", f"{API}/athletes/{world.athlete_a.pk}", body)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    stored = Athlete.objects.get(pk=world.athlete_a.pk)
    assert (stored.threshold_hr, stored.threshold_pace) == (None, None)


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"movement": "juggling"}, ["movement"]),
        ({"movement": "heel-raise", "right": None}, ["right"]),
        ({"movement": "heel-raise", "left": None, "right": None}, ["left", "right"]),
        ({"movement": "glute-ham-hold", "left": None, "right": None}, ["value"]),
    ],
)
def test_a_benchmark_result_the_engine_refuses_is_a_422_naming_the_field(
    client: Client, objects: Objects, change: dict[str, Any], fields: list[str]
) -> None:
    world = objects["world"]
    body = {"athlete_id": world.athlete_a.pk, "date": objects["future"], "left": 20, "right": 21}
    response = call(client, world.coach_x, "POST", f"{API}/benchmark-results", body | change)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == fields
    assert not BenchmarkResult.objects.exists()


def heel_raises(objects: Objects) -> dict[str, Any]:
    """A heel-raise result for the coach's athlete, as the API takes it."""
    world = objects["world"]
    return {"athlete_id": world.athlete_a.pk, "movement": "heel-raise",
            "date": objects["future"], "left": 20, "right": 21}  # fmt: skip


def test_a_retried_benchmark_result_with_its_key_is_recorded_once(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    body = heel_raises(objects)
    first = call(client, world.coach_x, "POST", f"{API}/benchmark-results", body, key="test-1")
    again = call(client, world.coach_x, "POST", f"{API}/benchmark-results", body, key="test-1")
    other = call(client, world.coach_x, "POST", f"{API}/benchmark-results", body | {"left": 22},
                 key="test-1")  # fmt: skip

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert BenchmarkResult.objects.get().left == 20
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_benchmark_result_for_another_coachs_athlete_names_the_athlete(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    body = heel_raises(objects)
    response = call(client, world.coach_y, "POST", f"{API}/benchmark-results", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["athlete_id"]
    assert not BenchmarkResult.objects.exists()


def test_an_item_edit_shows_in_the_athletes_session(client: Client, objects: Objects) -> None:
    world = objects["world"]
    body = {"sets": 2, "target": 8, "note": "Slow and low"}
    edited = call(client, world.coach_x, "PUT", f"{API}/items/{objects['item']}/edit", body).json()
    assert (edited["sets"], edited["target"], edited["note"], edited["edited_by_coach"]) == (
        2,
        8,
        "Slow and low",
        True,
    )
    item = PlannedItem.objects.get(pk=objects["item"])
    session = call(client, world.athlete_a, "GET", f"{API}/sessions/{item.session_id}").json()
    shown = next(one for one in session["items"] if one["id"] == item.pk)
    assert (shown["sets"], shown["target"]) == (2, 8)
    assert any("Slow and low" in reason["text"] for reason in shown["reasons"])


def test_a_swap_to_a_name_that_is_no_substitute_is_refused(
    client: Client, objects: Objects
) -> None:
    url = f"{API}/items/{objects['item']}/edit"
    body = {"sets": 2, "target": 8, "swap_to": "Juggling"}
    response = call(client, objects["world"].coach_x, "PUT", url, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "swap_to"


def test_a_logged_session_keeps_what_was_prescribed(client: Client, objects: Objects) -> None:
    world = objects["world"]
    item = PlannedItem.objects.get(pk=objects["item"])
    item.set_logs.create(set_number=1, done=10)
    response = call(
        client, world.coach_x, "PUT", f"{API}/items/{item.pk}/edit", {"sets": 1, "target": 5}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "session"
    assert not ItemOverride.objects.exists()


def test_a_published_plan_is_not_discarded(client: Client, objects: Objects) -> None:
    world = objects["world"]
    published = Plan.objects.filter(athlete=world.athlete_a, published_at__isnull=False).get()
    response = call(client, world.coach_x, "DELETE", f"{API}/plans/{published.pk}")
    assert response.status_code == 409
    assert Plan.objects.filter(pk=published.pk).exists()


def test_a_clashing_test_day_names_who_clashes_until_confirmed(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    race_day = world.today + timedelta(days=20)
    add_race(world.athlete_a, race_day)
    body = {"date": race_day.isoformat(), "movements": ["heel-raise"]}
    clash = call(client, world.coach_x, "POST", f"{API}/test-days", body)
    assert clash.status_code == 409
    assert clash.json()["errors"][0]["field"] == "date"
    assert world.athlete_a.name in clash.json()["detail"]
    assert models.TestDay.objects.count() == 1
    confirmed = call(client, world.coach_x, "POST", f"{API}/test-days", body | {"confirm": True})
    assert confirmed.status_code == 201
    assert models.TestDay.objects.count() == 2


def test_results_are_all_or_nothing_and_a_future_test_day_takes_none(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    url = f"{API}/test-days/{objects['test_day']}/results"
    good = {"athlete_id": world.athlete_a.pk, "movement": "heel-raise", "left": 20, "right": 22}
    one_leg = {"athlete_id": world.athlete_b.pk, "movement": "heel-raise", "left": 20}
    response = call(client, world.coach_x, "PUT", url, {"results": [good, one_leg]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "results.1"
    assert not BenchmarkResult.objects.exists()
    models.TestDay.objects.filter(pk=objects["test_day"]).update(
        date=world.today + timedelta(days=3)
    )
    response = call(client, world.coach_x, "PUT", url, {"results": [good]})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "date"


def test_a_test_day_with_results_does_not_move(client: Client, objects: Objects) -> None:
    world = objects["world"]
    url = f"{API}/test-days/{objects['test_day']}"
    result = {"athlete_id": world.athlete_a.pk, "movement": "heel-raise", "left": 20, "right": 22}
    call(client, world.coach_x, "PUT", f"{url}/results", {"results": [result]})
    moved = call(client, world.coach_x, "POST", f"{url}/move", {"date": objects["future"]})
    assert moved.status_code == 409
    assert models.TestDay.objects.get(pk=objects["test_day"]).date == world.today


def test_an_invitation_link_works_and_issuing_again_replaces_it(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    waiting = make_athlete(world.coach_x, None, name="No Login Yet")
    body = {"athlete_ids": [waiting.pk]}
    first = call(client, world.coach_x, "POST", f"{API}/invitations", body)
    assert first.status_code == 201
    link = first.json()["issued"][0]["link"]
    listed = call(client, world.coach_x, "GET", f"{API}/invitations").json()["items"]
    assert [(row["athlete_id"], row["state"]) for row in listed] == [(waiting.pk, "open")]
    second = call(client, world.coach_x, "POST", f"{API}/invitations", body)
    assert second.json()["issued"][0]["link"] != link
    assert Invitation.objects.filter(athlete=waiting).count() == 1
    assert Client().get(link.split("testserver", 1)[1]).status_code != 200  # replaced
    # Athletes with a login, or of another coach, are named as the bad field.
    for other in (world.athlete_a, world.athlete_c):
        refused = call(
            client, world.coach_x, "POST", f"{API}/invitations", {"athlete_ids": [other.pk]}
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "athlete_ids"
    stranger = call(client, world.coach_y, "POST", f"{API}/invitations", body)
    assert stranger.status_code == 422
    assert call(client, world.athlete_a, "POST", f"{API}/invitations", body).status_code == 404


def test_resolving_a_flag_again_keeps_the_first_time(client: Client, objects: Objects) -> None:
    world = objects["world"]
    url = f"{API}/pain-reports/{objects['flag']}/resolve"
    first = call(client, world.coach_x, "POST", url).json()
    again = call(client, world.coach_x, "POST", url).json()
    assert first["resolved_at"] is not None
    assert again["resolved_at"] == first["resolved_at"]
    open_flags = call(client, world.coach_x, "GET", f"{API}/pain-reports?open_only=true").json()
    assert objects["flag"] not in [row["id"] for row in open_flags["items"]]


def test_a_roster_dry_run_saves_nothing_and_says_why_rows_are_refused(
    client: Client, objects: Objects
) -> None:
    world = objects["world"]
    text = "name,email,event_group\nNew One,one@example.org,5k\nBad Group,,marathon\n"
    body = {"csv": text, "squad_id": objects["squad"], "dry_run": True}
    checked = call(client, world.coach_x, "POST", f"{API}/roster/import", body)
    assert checked.status_code == 200
    assert checked.json()["new"] == 1
    assert [row["line"] for row in checked.json()["refused"]] == [3]
    assert not Athlete.objects.filter(name="New One").exists()
    body["dry_run"] = False
    imported = call(client, world.coach_x, "POST", f"{API}/roster/import", body)
    assert len(imported.json()["added"]) == 1
    again = call(client, world.coach_x, "POST", f"{API}/roster/import", body)
    assert again.json()["added"] == []
    assert Athlete.objects.filter(name="New One").count() == 1
