"""Every route and every API operation against anonymous, athlete A and B, coach X and Y.

A route or operation without a rule here fails the test, so a new page or endpoint cannot
ship without someone deciding who may use it. The objects all belong to athlete A, who is
coached by coach X; athlete B is X's other athlete and coach Y coaches someone else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from runstrong.api.api import api
from runstrong.web.coaching import models
from runstrong.web.coaching.models import PainReport, PlannedItem
from runstrong.web.coaching.plans import plan_generate
from runstrong.web.coaching.running_models import PlannedRun
from runstrong.web.coaching.tokens import token_create
from tests.personas import World, login
from tests.run_files import Leg, gpx_bytes

PERSONAS = ["anonymous", "athlete_b", "coach_y", "coach_x", "athlete_a"]  # owners last
OK, LOGIN, DENIED, FORBIDDEN, REFUSED, UNAUTHENTICATED = "ok", "login", 404, 403, 400, 401


@dataclass
class Rule:
    method: str
    url: Callable[[dict[str, Any]], str]
    expect: dict[str, str | int]
    body: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # Sent as multipart/form-data, the body's fields beside these files (name: bytes).
    files: dict[str, bytes] | None = None


RUN_FILE = {"files": gpx_bytes(datetime(2026, 11, 3, 7, tzinfo=UTC), (Leg(600, 3.0, 140),))}


RUNNING_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"


def everyone(outcome: str | int) -> dict[str, str | int]:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome: str | int = OK, anonymous: str | int = LOGIN) -> dict[str, str | int]:
    return everyone(outcome) | {"anonymous": anonymous}


def coaches_only(anonymous: str | int = LOGIN) -> dict[str, str | int]:
    return {"anonymous": anonymous, "athlete_a": DENIED, "athlete_b": DENIED, "coach_x": OK, "coach_y": OK}  # fmt: skip


def athletes_only() -> dict[str, str | int]:
    return {"anonymous": LOGIN, "athlete_a": OK, "athlete_b": OK, "coach_x": DENIED, "coach_y": DENIED}  # fmt: skip


def only(owner: str, anonymous: str | int = LOGIN, **others: str | int) -> dict[str, str | int]:
    return everyone(DENIED) | {"anonymous": anonymous, owner: OK} | others


WEB_RULES: dict[str, Rule] = {
    "home": Rule("GET", lambda o: reverse("home"), signed_in()),
    "health": Rule("GET", lambda o: reverse("health"), everyone(OK)),
    "login": Rule("GET", lambda o: reverse("login"), everyone(OK)),
    "logout": Rule("POST", lambda o: reverse("logout"), everyone(LOGIN)),
    "invite": Rule("GET", lambda o: reverse("invite", args=["not-a-token"]), everyone(DENIED)),
    "calendar-feed": Rule("GET", lambda o: reverse("calendar-feed", args=["not-a-token"]), everyone(DENIED)),
    "squad-calendar-feed": Rule("GET", lambda o: reverse("squad-calendar-feed", args=["not-a-token"]), everyone(DENIED)),
    # A coach gets the squad feed's page, an athlete their own feed's.
    "coaching:calendar": Rule("GET", lambda o: reverse("coaching:calendar"), signed_in()),
    "coaching:overview": Rule("GET", lambda o: reverse("coaching:overview"), coaches_only()),
    "coaching:plan-new": Rule("GET", lambda o: reverse("coaching:plan-new"), coaches_only()),
    "coaching:plan-review": Rule("GET", lambda o: reverse("coaching:plan-review"), coaches_only()),
    "coaching:plan-publish": Rule("POST", lambda o: reverse("coaching:plan-publish"), coaches_only()),
    "coaching:plan-discard": Rule("GET", lambda o: reverse("coaching:plan-discard") + f"?plan={o['plan']}", coaches_only()),
    "coaching:plan-group-edit": Rule("GET", lambda o: reverse("coaching:plan-group-edit"), coaches_only()),
    "coaching:export-squad": Rule("GET", lambda o: reverse("coaching:export-squad", args=["logs", "csv"]), coaches_only()),
    "coaching:export-athlete": Rule("GET", lambda o: reverse("coaching:export-athlete", args=[o["athlete"], "logs", "csv"]), only("coach_x")),
    "coaching:standards-json": Rule("GET", lambda o: reverse("coaching:standards-json"), coaches_only()),
    "coaching:benchmarks": Rule("GET", lambda o: reverse("coaching:benchmarks"), coaches_only()),
    "coaching:test-day-sheet": Rule("GET", lambda o: reverse("coaching:test-day-sheet", args=[o["test_day"]]), only("coach_x")),
    "coaching:season-pdf": Rule("GET", lambda o: reverse("coaching:season-pdf", args=[o["athlete"]]), only("coach_x")),
    "coaching:session-card": Rule("GET", lambda o: reverse("coaching:session-card", args=[o["session"]]), only("athlete_a")),
    "coaching:session-workout": Rule("GET", lambda o: reverse("coaching:session-workout", args=[o["session"]]), only("athlete_a", coach_x=OK)),
    "coaching:test-days": Rule("GET", lambda o: reverse("coaching:test-days"), coaches_only()),
    "coaching:test-day": Rule("GET", lambda o: reverse("coaching:test-day", args=[o["test_day"]]), only("coach_x")),
    "coaching:test-day-move": Rule("POST", lambda o: reverse("coaching:test-day-move", args=[o["test_day"]]), only("coach_x")),
    "coaching:standards": Rule("GET", lambda o: reverse("coaching:standards"), coaches_only()),
    "coaching:roster": Rule("GET", lambda o: reverse("coaching:roster"), coaches_only()),
    "coaching:roster-template": Rule("GET", lambda o: reverse("coaching:roster-template"), coaches_only()),
    "coaching:roster-refused": Rule("POST", lambda o: reverse("coaching:roster-refused"), coaches_only(), lambda o: {"text": "name,event_group\nX,nope\n"}),
    "coaching:athlete-add": Rule("GET", lambda o: reverse("coaching:athlete-add"), coaches_only()),
    "coaching:invitations": Rule("GET", lambda o: reverse("coaching:invitations"), coaches_only()),
    "coaching:invitation-links": Rule("POST", lambda o: reverse("coaching:invitation-links"), coaches_only(), lambda o: {"link": "http://x/invite/nope/"}),
    "password_reset": Rule("GET", lambda o: reverse("password_reset"), everyone(OK)),
    "password_reset_done": Rule("GET", lambda o: reverse("password_reset_done"), everyone(OK)),
    "password_reset_confirm": Rule("GET", lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(OK)),
    "password_reset_complete": Rule("GET", lambda o: reverse("password_reset_complete"), everyone(OK)),
    "coaching:athlete": Rule("GET", lambda o: reverse("coaching:athlete", args=[o["athlete"]]), only("coach_x")),
    "coaching:session": Rule("GET", lambda o: reverse("coaching:session", args=[o["session"]]), only("coach_x")),
    "coaching:athlete-edit": Rule("GET", lambda o: reverse("coaching:athlete-edit", args=[o["athlete"]]), only("coach_x")),
    "coaching:athlete-delete": Rule("GET", lambda o: reverse("coaching:athlete-delete", args=[o["athlete"]]), only("coach_x")),
    "coaching:item-edit": Rule("GET", lambda o: reverse("coaching:item-edit", args=[o["item"]]), only("coach_x")),
    "coaching:item-edit-remove": Rule("POST", lambda o: reverse("coaching:item-edit-remove", args=[o["item"]]), only("coach_x")),
    "coaching:flag-resolve": Rule("POST", lambda o: reverse("coaching:flag-resolve", args=[o["flag"]]), only("coach_x")),
    "coaching:tokens": Rule("GET", lambda o: reverse("coaching:tokens"), signed_in()),
    "coaching:token-revoke": Rule("POST", lambda o: reverse("coaching:token-revoke", args=[o["token"]]), only("athlete_a")),
    "coaching:service-worker": Rule("GET", lambda o: reverse("coaching:service-worker"), everyone(OK)),
    "coaching:manifest": Rule("GET", lambda o: reverse("coaching:manifest"), everyone(OK)),
    "coaching:today": Rule("GET", lambda o: reverse("coaching:today"), athletes_only()),
    "coaching:session-log": Rule("GET", lambda o: reverse("coaching:session-log", args=[o["session"]]), only("athlete_a")),
    "coaching:session-set": Rule("POST", lambda o: reverse("coaching:session-set", args=[o["session"]]), only("athlete_a"), lambda o: {"prefix": f"set-{o['crawl']}-1", f"set-{o['crawl']}-1-done": "10"}),
    "coaching:account": Rule("GET", lambda o: reverse("coaching:account"), signed_in()),
    "coaching:history": Rule("GET", lambda o: reverse("coaching:history"), athletes_only()),
    "coaching:history-session": Rule("GET", lambda o: reverse("coaching:history-session", args=[o["session"]]), only("athlete_a")),
    "coaching:progress": Rule("GET", lambda o: reverse("coaching:progress"), athletes_only()),
    "coaching:my-tests": Rule("GET", lambda o: reverse("coaching:my-tests"), athletes_only()),
    "coaching:upcoming": Rule("GET", lambda o: reverse("coaching:upcoming"), athletes_only()),
    "coaching:races": Rule("GET", lambda o: reverse("coaching:races"), athletes_only()),
    "coaching:athlete-running": Rule("GET", lambda o: reverse("coaching:athlete-running", args=[o["athlete"]]), only("coach_x")),
    "coaching:planned-run-override": Rule("POST", lambda o: reverse("coaching:planned-run-override", args=[o["athlete"], o["run"]]), only("coach_x"), lambda o: {"override": "easy"}),
    "coaching:my-running": Rule("GET", lambda o: reverse("coaching:my-running"), athletes_only()),
    "coaching:my-runs": Rule("GET", lambda o: reverse("coaching:my-runs"), athletes_only()),
    "coaching:my-runs-upload": Rule("POST", lambda o: reverse("coaching:my-runs-upload"), athletes_only(), files=RUN_FILE),
    "coaching:my-run-upload": Rule("GET", lambda o: reverse("coaching:my-run-upload", args=[o["run_upload"]]), only("athlete_a")),
    "coaching:athlete-runs": Rule("GET", lambda o: reverse("coaching:athlete-runs", args=[o["athlete"]]), only("coach_x")),
    "coaching:athlete-runs-upload": Rule("POST", lambda o: reverse("coaching:athlete-runs-upload", args=[o["athlete"]]), only("coach_x"), files=RUN_FILE),
    "coaching:athlete-run-upload": Rule("GET", lambda o: reverse("coaching:athlete-run-upload", args=[o["athlete"], o["run_upload"]]), only("coach_x")),
    "coaching:session-missed": Rule("POST", lambda o: reverse("coaching:session-missed", args=[o["session"]]), only("athlete_a"), lambda o: {"reason": "ill"}),
}  # fmt: skip

API_RULES: dict[str, Rule] = {
    "GET /api/v1/health": Rule("GET", lambda o: "/api/v1/health", everyone(OK)),
    "GET /api/v1/catalog/exercises": Rule("GET", lambda o: "/api/v1/catalog/exercises", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/catalog/substitutes": Rule("GET", lambda o: "/api/v1/catalog/substitutes", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/groups": Rule("GET", lambda o: "/api/v1/groups", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/squads": Rule("GET", lambda o: "/api/v1/squads", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/athletes": Rule("GET", lambda o: "/api/v1/athletes", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/athletes/{athlete_id}": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/athletes/{athlete_id}/progress": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/progress?exercise=crouching-crawl", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/athletes/{athlete_id}/plan-changes": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/plan-changes", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "POST /api/v1/athletes/{athlete_id}/runs": Rule("POST", lambda o: f"/api/v1/athletes/{o['athlete']}/runs", only("athlete_a", UNAUTHENTICATED, coach_x=OK), files=RUN_FILE),
    "GET /api/v1/athletes/{athlete_id}/runs": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/runs", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/athletes/{athlete_id}/run-uploads/{upload_id}": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/run-uploads/{o['run_upload']}", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/plans": Rule("GET", lambda o: "/api/v1/plans", signed_in(anonymous=UNAUTHENTICATED)),
    "POST /api/v1/plans/preview": Rule("POST", lambda o: "/api/v1/plans/preview", only("coach_x", UNAUTHENTICATED, coach_y=REFUSED), lambda o: {"athlete_ids": [o["athlete"]], "start": "2027-01-04", "weeks": 4}),
    "POST /api/v1/plans/{plan_id}/publish": Rule("POST", lambda o: f"/api/v1/plans/{o['plan']}/publish", only("coach_x", UNAUTHENTICATED)),
    "GET /api/v1/sessions": Rule("GET", lambda o: "/api/v1/sessions", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/sessions/{session_id}": Rule("GET", lambda o: f"/api/v1/sessions/{o['session']}", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/sessions/{session_id}/sets": Rule("GET", lambda o: f"/api/v1/sessions/{o['session']}/sets", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/sessions/{session_id}/workout.fit": Rule("GET", lambda o: f"/api/v1/sessions/{o['session']}/workout.fit", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "POST /api/v1/sessions/{session_id}/sets": Rule("POST", lambda o: f"/api/v1/sessions/{o['session']}/sets", only("athlete_a", UNAUTHENTICATED, coach_x=FORBIDDEN), lambda o: {"item_id": o["crawl"], "set_number": 1, "done": 10}),
    "POST /api/v1/sessions/{session_id}/complete": Rule("POST", lambda o: f"/api/v1/sessions/{o['session']}/complete", only("athlete_a", UNAUTHENTICATED, coach_x=FORBIDDEN), lambda o: {}),
    "POST /api/v1/sessions/{session_id}/missed": Rule("POST", lambda o: f"/api/v1/sessions/{o['session']}/missed", only("athlete_a", UNAUTHENTICATED, coach_x=FORBIDDEN), lambda o: {"reason": "ill"}),
    "GET /api/v1/pain-reports": Rule("GET", lambda o: "/api/v1/pain-reports", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/benchmark-results": Rule("GET", lambda o: "/api/v1/benchmark-results", signed_in(anonymous=UNAUTHENTICATED)),
    "POST /api/v1/benchmark-results": Rule("POST", lambda o: "/api/v1/benchmark-results", only("coach_x", UNAUTHENTICATED, coach_y=REFUSED), lambda o: {"athlete_id": o["athlete"], "movement": "heel-raise", "date": "2027-01-10", "left": 20, "right": 21}),
    "GET /api/v1/athletes/{athlete_id}/running-calendar": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/running-calendar", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "PUT /api/v1/athletes/{athlete_id}/running-calendar": Rule("PUT", lambda o: f"/api/v1/athletes/{o['athlete']}/running-calendar", only("athlete_a", UNAUTHENTICATED, coach_x=OK), lambda o: {"ics": RUNNING_ICS}),
    # No subscription is set: the owners get the 409 that says so, everyone else a 404.
    "POST /api/v1/athletes/{athlete_id}/running-calendar/sync": Rule("POST", lambda o: f"/api/v1/athletes/{o['athlete']}/running-calendar/sync", only("athlete_a", UNAUTHENTICATED, athlete_a=409, coach_x=409)),
    "GET /api/v1/athletes/{athlete_id}/planned-runs": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/planned-runs", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "PATCH /api/v1/athletes/{athlete_id}/planned-runs/{run_id}": Rule("PATCH", lambda o: f"/api/v1/athletes/{o['athlete']}/planned-runs/{o['run']}", only("coach_x", UNAUTHENTICATED, athlete_a=FORBIDDEN), lambda o: {"override": "hard"}),
}  # fmt: skip

DOCS_RULES: dict[str, Rule] = {
    "api:openapi-json": Rule("GET", lambda o: "/api/v1/openapi.json", everyone(OK)),
    "api:openapi-view": Rule("GET", lambda o: "/api/v1/docs", everyone(OK)),
}


def _route_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, guarded by Django itself
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _api_operations() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, methods in paths.items() for method in methods}


def test_every_route_and_operation_has_a_rule() -> None:
    web = {
        name for name in _route_names(get_resolver().url_patterns) if not name.startswith("api:")
    }
    docs = {name for name in _route_names(get_resolver().url_patterns) if name in DOCS_RULES}
    assert web == set(WEB_RULES), "give each new page a rule in WEB_RULES"
    assert docs == set(DOCS_RULES)
    assert _api_operations() == set(API_RULES), "give each new API operation a rule in API_RULES"


@pytest.fixture
def objects(world: World) -> dict[str, Any]:
    session = world.next_session(world.athlete_a)
    return {
        "athlete": world.athlete_a.pk,
        "session": session.pk,
        "crawl": session.items.get(exercise="crouching-crawl").pk,
        "item": PlannedItem.objects.filter(session__athlete=world.athlete_a).first().pk,  # type: ignore[union-attr]
        # A draft: publishing a published plan is a 409 whoever asks.
        "plan": plan_generate(athletes=[world.athlete_a], start=world.today, weeks=4)[0][0].pk,
        "flag": PainReport.objects.create(athlete=world.athlete_a, date=world.today, score=4).pk,
        "token": token_create(user=world.athlete_a.user, name="t", read_only=False)[0].pk,
        "run": PlannedRun.objects.create(
            athlete=world.athlete_a, uid="run@t", date=world.today, title="Steady"
        ).pk,
        "run_upload": models.RunUpload.objects.create(athlete=world.athlete_a, state="done").pk,
        "test_day": models.TestDay.objects.create(
            squad=world.athlete_a.squad, date=world.today, movements=["heel-raise"]
        ).pk,
    }


def _client(world: World, persona: str, api_call: bool) -> tuple[Client, dict[str, str]]:
    client = Client()
    if persona == "anonymous":
        return client, {}
    owner = getattr(world, persona)
    if api_call:
        return client, {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=owner.user, name=persona, read_only=False)[1]}"}  # fmt: skip
    login(client, owner)
    return client, {}


def _check(world: World, objects: dict[str, Any], rule: Rule, api_call: bool) -> list[str]:
    problems = []
    for persona in PERSONAS:
        client, headers = _client(world, persona, api_call)
        url = rule.url(objects)
        body = rule.body(objects) if rule.body else {}
        if rule.method == "GET":
            response = client.get(url, **headers)
        elif rule.files:
            uploads = {name: SimpleUploadedFile(f"{name}.gpx", data) for name, data in rule.files.items()}  # fmt: skip
            response = client.post(url, body | uploads, **headers)
        elif api_call:
            send = getattr(client, rule.method.lower())
            response = send(url, json.dumps(body), content_type="application/json", **headers)
        else:
            response = client.post(url, body)
        expected = rule.expect[persona]
        status = response.status_code
        if expected == OK:
            good = status < 400 and not (
                status == 302 and "/login/" in response.get("Location", "")
            )
        elif expected == LOGIN:
            good = status == 302 and response["Location"].startswith(reverse("login"))
        else:
            good = status == expected
        if not good:
            problems.append(f"{rule.method} {url} as {persona}: {status}, expected {expected}")
    return problems


@pytest.mark.parametrize("name", sorted(WEB_RULES))
def test_web_route_access(world: World, objects: dict[str, Any], name: str) -> None:
    assert _check(world, objects, WEB_RULES[name], api_call=False) == []


@pytest.mark.parametrize("operation", sorted(API_RULES))
def test_api_operation_access(world: World, objects: dict[str, Any], operation: str) -> None:
    assert _check(world, objects, API_RULES[operation], api_call=True) == []


@pytest.mark.parametrize("name", sorted(DOCS_RULES))
def test_api_document_routes(world: World, objects: dict[str, Any], name: str) -> None:
    assert _check(world, objects, DOCS_RULES[name], api_call=False) == []
