"""Every route and every API operation against anonymous, athlete A and B, coach X and Y.

A route or operation without a rule here fails the test, so a new page or endpoint cannot
ship without someone deciding who may use it. The objects all belong to athlete A, who is
coached by coach X; athlete B is X's other athlete and coach Y coaches someone else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

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
from tests.web.factories import add_race, make_athlete

PERSONAS = ["anonymous", "athlete_b", "coach_y", "coach_x", "athlete_a"]  # owners last
OK, LOGIN, DENIED, FORBIDDEN, REFUSED, UNAUTHENTICATED = "ok", "login", 404, 403, 400, 401
INVALID = 422  # a coach naming another coach's squad or athletes: the field is refused
NOT_ALLOWED = 405
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


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
    "GET home": Rule("GET", lambda o: reverse("home"), signed_in()),
    "GET health": Rule("GET", lambda o: reverse("health"), everyone(OK)),
    "GET login": Rule("GET", lambda o: reverse("login"), everyone(OK)),
    "POST logout": Rule("POST", lambda o: reverse("logout"), everyone(LOGIN)),
    "GET invite": Rule("GET", lambda o: reverse("invite", args=["not-a-token"]), everyone(DENIED)),
    "GET calendar-feed": Rule("GET", lambda o: reverse("calendar-feed", args=["not-a-token"]), everyone(DENIED)),
    "GET squad-calendar-feed": Rule("GET", lambda o: reverse("squad-calendar-feed", args=["not-a-token"]), everyone(DENIED)),
    # A coach gets the squad feed's page, an athlete their own feed's.
    "GET coaching:calendar": Rule("GET", lambda o: reverse("coaching:calendar"), signed_in()),
    "GET coaching:overview": Rule("GET", lambda o: reverse("coaching:overview"), coaches_only()),
    "GET coaching:plan-new": Rule("GET", lambda o: reverse("coaching:plan-new"), coaches_only()),
    "GET coaching:plan-review": Rule("GET", lambda o: reverse("coaching:plan-review"), coaches_only()),
    "POST coaching:plan-publish": Rule("POST", lambda o: reverse("coaching:plan-publish"), coaches_only()),
    "GET coaching:plan-discard": Rule("GET", lambda o: reverse("coaching:plan-discard") + f"?plan={o['plan']}", coaches_only()),
    "GET coaching:plan-group-edit": Rule("GET", lambda o: reverse("coaching:plan-group-edit"), coaches_only()),
    "GET coaching:export-squad": Rule("GET", lambda o: reverse("coaching:export-squad", args=["logs", "csv"]), coaches_only()),
    "GET coaching:export-athlete": Rule("GET", lambda o: reverse("coaching:export-athlete", args=[o["athlete"], "logs", "csv"]), only("coach_x")),
    "GET coaching:standards-json": Rule("GET", lambda o: reverse("coaching:standards-json"), coaches_only()),
    "GET coaching:benchmarks": Rule("GET", lambda o: reverse("coaching:benchmarks"), coaches_only()),
    "GET coaching:test-day-sheet": Rule("GET", lambda o: reverse("coaching:test-day-sheet", args=[o["test_day"]]), only("coach_x")),
    "GET coaching:season-pdf": Rule("GET", lambda o: reverse("coaching:season-pdf", args=[o["athlete"]]), only("coach_x")),
    "GET coaching:session-card": Rule("GET", lambda o: reverse("coaching:session-card", args=[o["session"]]), only("athlete_a")),
    "GET coaching:test-days": Rule("GET", lambda o: reverse("coaching:test-days"), coaches_only()),
    "GET coaching:test-day": Rule("GET", lambda o: reverse("coaching:test-day", args=[o["test_day"]]), only("coach_x")),
    "POST coaching:test-day-move": Rule("POST", lambda o: reverse("coaching:test-day-move", args=[o["test_day"]]), only("coach_x")),
    "GET coaching:standards": Rule("GET", lambda o: reverse("coaching:standards"), coaches_only()),
    "GET coaching:roster": Rule("GET", lambda o: reverse("coaching:roster"), coaches_only()),
    "GET coaching:roster-template": Rule("GET", lambda o: reverse("coaching:roster-template"), coaches_only()),
    "POST coaching:roster-refused": Rule("POST", lambda o: reverse("coaching:roster-refused"), coaches_only(), lambda o: {"text": "name,event_group\nX,nope\n"}),
    "GET coaching:athlete-add": Rule("GET", lambda o: reverse("coaching:athlete-add"), coaches_only()),
    "GET coaching:invitations": Rule("GET", lambda o: reverse("coaching:invitations"), coaches_only()),
    "POST coaching:invitation-links": Rule("POST", lambda o: reverse("coaching:invitation-links"), coaches_only(), lambda o: {"link": "http://x/invite/nope/"}),
    "GET password_reset": Rule("GET", lambda o: reverse("password_reset"), everyone(OK)),
    "GET password_reset_done": Rule("GET", lambda o: reverse("password_reset_done"), everyone(OK)),
    "GET password_reset_confirm": Rule("GET", lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(OK)),
    "GET password_reset_complete": Rule("GET", lambda o: reverse("password_reset_complete"), everyone(OK)),
    "GET coaching:athlete": Rule("GET", lambda o: reverse("coaching:athlete", args=[o["athlete"]]), only("coach_x")),
    "GET coaching:session": Rule("GET", lambda o: reverse("coaching:session", args=[o["session"]]), only("coach_x")),
    "GET coaching:athlete-edit": Rule("GET", lambda o: reverse("coaching:athlete-edit", args=[o["athlete"]]), only("coach_x")),
    "GET coaching:athlete-delete": Rule("GET", lambda o: reverse("coaching:athlete-delete", args=[o["athlete"]]), only("coach_x")),
    "GET coaching:item-edit": Rule("GET", lambda o: reverse("coaching:item-edit", args=[o["item"]]), only("coach_x")),
    "POST coaching:item-edit-remove": Rule("POST", lambda o: reverse("coaching:item-edit-remove", args=[o["item"]]), only("coach_x")),
    "POST coaching:flag-resolve": Rule("POST", lambda o: reverse("coaching:flag-resolve", args=[o["flag"]]), only("coach_x")),
    "GET coaching:tokens": Rule("GET", lambda o: reverse("coaching:tokens"), signed_in()),
    "POST coaching:token-revoke": Rule("POST", lambda o: reverse("coaching:token-revoke", args=[o["token"]]), only("athlete_a")),
    "GET coaching:service-worker": Rule("GET", lambda o: reverse("coaching:service-worker"), everyone(OK)),
    "GET coaching:manifest": Rule("GET", lambda o: reverse("coaching:manifest"), everyone(OK)),
    "GET coaching:today": Rule("GET", lambda o: reverse("coaching:today"), athletes_only()),
    "GET coaching:session-log": Rule("GET", lambda o: reverse("coaching:session-log", args=[o["session"]]), only("athlete_a")),
    "POST coaching:session-set": Rule("POST", lambda o: reverse("coaching:session-set", args=[o["session"]]), only("athlete_a"), lambda o: {"prefix": f"set-{o['crawl']}-1", f"set-{o['crawl']}-1-done": "10"}),
    "GET coaching:account": Rule("GET", lambda o: reverse("coaching:account"), signed_in()),
    "GET coaching:history": Rule("GET", lambda o: reverse("coaching:history"), athletes_only()),
    "GET coaching:history-session": Rule("GET", lambda o: reverse("coaching:history-session", args=[o["session"]]), only("athlete_a")),
    "GET coaching:progress": Rule("GET", lambda o: reverse("coaching:progress"), athletes_only()),
    "GET coaching:my-tests": Rule("GET", lambda o: reverse("coaching:my-tests"), athletes_only()),
    "GET coaching:upcoming": Rule("GET", lambda o: reverse("coaching:upcoming"), athletes_only()),
    "GET coaching:races": Rule("GET", lambda o: reverse("coaching:races"), athletes_only()),
    "GET coaching:session-workout": Rule("GET", lambda o: reverse("coaching:session-workout", args=[o["session"]]), only("athlete_a", coach_x=OK)),
    "GET coaching:athlete-running": Rule("GET", lambda o: reverse("coaching:athlete-running", args=[o["athlete"]]), only("coach_x")),
    "POST coaching:athlete-running": Rule("POST", lambda o: reverse("coaching:athlete-running", args=[o["athlete"]]), only("coach_x")),
    "POST coaching:planned-run-override": Rule("POST", lambda o: reverse("coaching:planned-run-override", args=[o["athlete"], o["run"]]), only("coach_x"), lambda o: {"override": "easy"}),
    "GET coaching:my-running": Rule("GET", lambda o: reverse("coaching:my-running"), athletes_only()),
    "POST coaching:my-running": Rule("POST", lambda o: reverse("coaching:my-running"), athletes_only()),
    "GET coaching:my-runs": Rule("GET", lambda o: reverse("coaching:my-runs"), athletes_only()),
    "POST coaching:my-runs-upload": Rule("POST", lambda o: reverse("coaching:my-runs-upload"), athletes_only(), files=RUN_FILE),
    "GET coaching:my-run-upload": Rule("GET", lambda o: reverse("coaching:my-run-upload", args=[o["run_upload"]]), only("athlete_a")),
    "GET coaching:athlete-runs": Rule("GET", lambda o: reverse("coaching:athlete-runs", args=[o["athlete"]]), only("coach_x")),
    "POST coaching:athlete-runs-upload": Rule("POST", lambda o: reverse("coaching:athlete-runs-upload", args=[o["athlete"]]), only("coach_x"), files=RUN_FILE),
    "GET coaching:athlete-run-upload": Rule("GET", lambda o: reverse("coaching:athlete-run-upload", args=[o["athlete"], o["run_upload"]]), only("coach_x")),
    "POST coaching:session-missed": Rule("POST", lambda o: reverse("coaching:session-missed", args=[o["session"]]), only("athlete_a"), lambda o: {"reason": "ill"}),
    # The second method of GET+POST pages: the same owner rule when a form is sent (an
    # empty POST is an unbound form on most: the page again, still only for its owner).
    "POST login": Rule("POST", lambda o: reverse("login"), everyone(OK)),
    "PUT login": Rule("PUT", lambda o: reverse("login"), everyone(OK)),  # Django's FormView: PUT is POST
    "POST password_reset": Rule("POST", lambda o: reverse("password_reset"), everyone(OK)),
    "PUT password_reset": Rule("PUT", lambda o: reverse("password_reset"), everyone(OK)),
    "POST password_reset_confirm": Rule("POST", lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(OK)),
    # Django's view answers an unknown link with its "invalid link" page whatever the method.
    "PATCH password_reset_confirm": Rule("PATCH", lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(OK)),
    "DELETE password_reset_confirm": Rule("DELETE", lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(OK)),
    "PUT password_reset_confirm": Rule("PUT", lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(OK)),
    "POST invite": Rule("POST", lambda o: reverse("invite", args=["not-a-token"]), everyone(DENIED)),
    "POST coaching:calendar": Rule("POST", lambda o: reverse("coaching:calendar"), signed_in()),
    "POST coaching:plan-new": Rule("POST", lambda o: reverse("coaching:plan-new"), coaches_only()),
    "GET coaching:plan-publish": Rule("GET", lambda o: reverse("coaching:plan-publish") + f"?plan={o['plan']}", coaches_only()),
    "POST coaching:plan-discard": Rule("POST", lambda o: reverse("coaching:plan-discard"), coaches_only(), lambda o: {"plan": o["plan"]}),
    "POST coaching:plan-group-edit": Rule("POST", lambda o: reverse("coaching:plan-group-edit"), coaches_only(), lambda o: {"group": "5k", "exercise": "crouching-crawl", "start": o["today"], "sets": 2, "target": 9}),
    "POST coaching:athlete-edit": Rule("POST", lambda o: reverse("coaching:athlete-edit", args=[o["athlete"]]), only("coach_x")),
    # Athlete B: the deleted athlete's own persona asks before the coach deletes them.
    "POST coaching:athlete-delete": Rule("POST", lambda o: reverse("coaching:athlete-delete", args=[o["athlete_b"]]), only("coach_x")),
    "POST coaching:item-edit": Rule("POST", lambda o: reverse("coaching:item-edit", args=[o["item"]]), only("coach_x"), lambda o: {"sets": 2, "target": 8}),
    "POST coaching:test-days": Rule("POST", lambda o: reverse("coaching:test-days"), coaches_only()),
    "POST coaching:test-day": Rule("POST", lambda o: reverse("coaching:test-day", args=[o["test_day"]]), only("coach_x")),
    "POST coaching:standards": Rule("POST", lambda o: reverse("coaching:standards"), coaches_only()),
    "POST coaching:roster": Rule("POST", lambda o: reverse("coaching:roster"), coaches_only()),
    "POST coaching:athlete-add": Rule("POST", lambda o: reverse("coaching:athlete-add"), coaches_only() | {"coach_x": REFUSED, "coach_y": REFUSED}),
    "POST coaching:invitations": Rule("POST", lambda o: reverse("coaching:invitations"), coaches_only()),
    "POST coaching:tokens": Rule("POST", lambda o: reverse("coaching:tokens"), signed_in(), lambda o: {"name": "script"}),
    "POST coaching:session-log": Rule("POST", lambda o: reverse("coaching:session-log", args=[o["session"]]), only("athlete_a") | {"athlete_a": REFUSED}),
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
    "GET /api/v1/plans": Rule("GET", lambda o: "/api/v1/plans", signed_in(anonymous=UNAUTHENTICATED)),
    "POST /api/v1/plans/preview": Rule("POST", lambda o: "/api/v1/plans/preview", only("coach_x", UNAUTHENTICATED, coach_y=REFUSED), lambda o: {"athlete_ids": [o["athlete"]], "start": "2027-01-04", "weeks": 4}),
    "POST /api/v1/plans/{plan_id}/publish": Rule("POST", lambda o: f"/api/v1/plans/{o['plan']}/publish", only("coach_x", UNAUTHENTICATED)),
    "GET /api/v1/sessions": Rule("GET", lambda o: "/api/v1/sessions", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/sessions/{session_id}": Rule("GET", lambda o: f"/api/v1/sessions/{o['session']}", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/sessions/{session_id}/sets": Rule("GET", lambda o: f"/api/v1/sessions/{o['session']}/sets", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "POST /api/v1/sessions/{session_id}/sets": Rule("POST", lambda o: f"/api/v1/sessions/{o['session']}/sets", only("athlete_a", UNAUTHENTICATED, coach_x=FORBIDDEN), lambda o: {"item_id": o["crawl"], "set_number": 1, "done": 10}),
    "POST /api/v1/sessions/{session_id}/complete": Rule("POST", lambda o: f"/api/v1/sessions/{o['session']}/complete", only("athlete_a", UNAUTHENTICATED, coach_x=FORBIDDEN), lambda o: {}),
    "POST /api/v1/sessions/{session_id}/missed": Rule("POST", lambda o: f"/api/v1/sessions/{o['session']}/missed", only("athlete_a", UNAUTHENTICATED, coach_x=FORBIDDEN), lambda o: {"reason": "ill"}),
    "GET /api/v1/pain-reports": Rule("GET", lambda o: "/api/v1/pain-reports", signed_in(anonymous=UNAUTHENTICATED)),
    "GET /api/v1/benchmark-results": Rule("GET", lambda o: "/api/v1/benchmark-results", signed_in(anonymous=UNAUTHENTICATED)),
    "POST /api/v1/benchmark-results": Rule("POST", lambda o: "/api/v1/benchmark-results", only("coach_x", UNAUTHENTICATED, coach_y=INVALID), lambda o: {"athlete_id": o["athlete"], "movement": "heel-raise", "date": "2027-01-10", "left": 20, "right": 21}),
    "GET /api/v1/sessions/{session_id}/workout.fit": Rule("GET", lambda o: f"/api/v1/sessions/{o['session']}/workout.fit", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "POST /api/v1/athletes/{athlete_id}/runs": Rule("POST", lambda o: f"/api/v1/athletes/{o['athlete']}/runs", only("athlete_a", UNAUTHENTICATED, coach_x=OK), files=RUN_FILE),
    "GET /api/v1/athletes/{athlete_id}/runs": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/runs", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/athletes/{athlete_id}/run-uploads/{upload_id}": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/run-uploads/{o['run_upload']}", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "GET /api/v1/athletes/{athlete_id}/running-calendar": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/running-calendar", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "PUT /api/v1/athletes/{athlete_id}/running-calendar": Rule("PUT", lambda o: f"/api/v1/athletes/{o['athlete']}/running-calendar", only("athlete_a", UNAUTHENTICATED, coach_x=OK), lambda o: {"ics": RUNNING_ICS}),
    # No subscription is set: the owners get the 409 that says so, everyone else a 404.
    "POST /api/v1/athletes/{athlete_id}/running-calendar/sync": Rule("POST", lambda o: f"/api/v1/athletes/{o['athlete']}/running-calendar/sync", only("athlete_a", UNAUTHENTICATED, athlete_a=409, coach_x=409)),
    "GET /api/v1/athletes/{athlete_id}/planned-runs": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/planned-runs", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "PATCH /api/v1/athletes/{athlete_id}/planned-runs/{run_id}": Rule("PATCH", lambda o: f"/api/v1/athletes/{o['athlete']}/planned-runs/{o['run']}", only("coach_x", UNAUTHENTICATED, athlete_a=FORBIDDEN), lambda o: {"override": "hard"}),
    # A coach's actions: their own squads' athletes only; athletes never (even for themselves).
    "POST /api/v1/athletes": Rule("POST", lambda o: "/api/v1/athletes", only("coach_x", UNAUTHENTICATED, coach_y=INVALID), lambda o: {"name": "New", "event_group": "5k", "body_mass_kg": 60, "squad_id": o["squad"]}),
    "PATCH /api/v1/athletes/{athlete_id}": Rule("PATCH", lambda o: f"/api/v1/athletes/{o['athlete']}", only("coach_x", UNAUTHENTICATED), lambda o: {"leg_length": "long"}),
    "DELETE /api/v1/athletes/{athlete_id}": Rule("DELETE", lambda o: f"/api/v1/athletes/{o['athlete_b']}", only("coach_x", UNAUTHENTICATED)),
    "GET /api/v1/athletes/{athlete_id}/races": Rule("GET", lambda o: f"/api/v1/athletes/{o['athlete']}/races", only("athlete_a", UNAUTHENTICATED, coach_x=OK)),
    "POST /api/v1/athletes/{athlete_id}/races": Rule("POST", lambda o: f"/api/v1/athletes/{o['athlete']}/races", only("coach_x", UNAUTHENTICATED), lambda o: {"date": "2027-06-12", "priority": "B"}),
    "DELETE /api/v1/athletes/{athlete_id}/races/{race_id}": Rule("DELETE", lambda o: f"/api/v1/athletes/{o['athlete']}/races/{o['race']}", only("coach_x", UNAUTHENTICATED)),
    "GET /api/v1/items/{item_id}/edit": Rule("GET", lambda o: f"/api/v1/items/{o['item']}/edit", only("coach_x", UNAUTHENTICATED)),
    "PUT /api/v1/items/{item_id}/edit": Rule("PUT", lambda o: f"/api/v1/items/{o['item']}/edit", only("coach_x", UNAUTHENTICATED), lambda o: {"sets": 2, "target": 8}),
    "DELETE /api/v1/items/{item_id}/edit": Rule("DELETE", lambda o: f"/api/v1/items/{o['item']}/edit", only("coach_x", UNAUTHENTICATED)),
    # A group edit touches only the asking coach's own athletes of the group.
    "POST /api/v1/plans/group-edit": Rule("POST", lambda o: "/api/v1/plans/group-edit", coaches_only(UNAUTHENTICATED), lambda o: {"group": "5k", "exercise": "crouching-crawl", "start": o["today"], "sets": 2, "target": 9}),
    "DELETE /api/v1/plans/{plan_id}": Rule("DELETE", lambda o: f"/api/v1/plans/{o['plan']}", only("coach_x", UNAUTHENTICATED)),
    "GET /api/v1/test-days": Rule("GET", lambda o: "/api/v1/test-days", coaches_only(UNAUTHENTICATED)),
    "POST /api/v1/test-days": Rule("POST", lambda o: "/api/v1/test-days", only("coach_x", UNAUTHENTICATED, coach_y=INVALID), lambda o: {"date": o["today"], "movements": ["heel-raise"], "squad_id": o["squad"], "confirm": True}),
    "GET /api/v1/test-days/{test_day_id}": Rule("GET", lambda o: f"/api/v1/test-days/{o['test_day']}", only("coach_x", UNAUTHENTICATED)),
    "POST /api/v1/test-days/{test_day_id}/move": Rule("POST", lambda o: f"/api/v1/test-days/{o['test_day']}/move", only("coach_x", UNAUTHENTICATED), lambda o: {"date": "2027-06-01"}),
    "PUT /api/v1/test-days/{test_day_id}/results": Rule("PUT", lambda o: f"/api/v1/test-days/{o['test_day']}/results", only("coach_x", UNAUTHENTICATED), lambda o: {"results": [{"athlete_id": o["athlete"], "movement": "heel-raise", "left": 20, "right": 21}]}),
    "GET /api/v1/invitations": Rule("GET", lambda o: "/api/v1/invitations", coaches_only(UNAUTHENTICATED)),
    "POST /api/v1/invitations": Rule("POST", lambda o: "/api/v1/invitations", only("coach_x", UNAUTHENTICATED, coach_y=INVALID), lambda o: {"athlete_ids": [o["waiting"]]}),
    "POST /api/v1/roster/import": Rule("POST", lambda o: "/api/v1/roster/import", only("coach_x", UNAUTHENTICATED, coach_y=INVALID), lambda o: {"csv": "name,event_group\nNew One,5k\n", "squad_id": o["squad"]}),
    # The club's standards: each coach reads and changes their own club's only.
    "GET /api/v1/standards": Rule("GET", lambda o: "/api/v1/standards", coaches_only(UNAUTHENTICATED)),
    "PATCH /api/v1/standards": Rule("PATCH", lambda o: "/api/v1/standards", coaches_only(UNAUTHENTICATED), lambda o: {"standards": [{"group": "5k", "movement": "heel-raise", "target": 30}]}),
    # A coach's own tokens; an athlete manages theirs on the tokens page only.
    "GET /api/v1/tokens": Rule("GET", lambda o: "/api/v1/tokens", coaches_only(UNAUTHENTICATED)),
    # Made from a signed-in session only: a token (as every caller here) cannot make another.
    "POST /api/v1/tokens": Rule("POST", lambda o: "/api/v1/tokens", coaches_only(UNAUTHENTICATED) | {"coach_x": FORBIDDEN, "coach_y": FORBIDDEN}, lambda o: {"name": "script"}),
    "DELETE /api/v1/tokens/{token_id}": Rule("DELETE", lambda o: f"/api/v1/tokens/{o['coach_token']}", only("coach_x", UNAUTHENTICATED)),
    "POST /api/v1/pain-reports/{report_id}/resolve": Rule("POST", lambda o: f"/api/v1/pain-reports/{o['flag']}/resolve", only("coach_x", UNAUTHENTICATED)),
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


def _web_routes() -> set[str]:
    return {
        name for name in _route_names(get_resolver().url_patterns) if not name.startswith("api:")
    }


def test_every_route_and_operation_has_a_rule() -> None:
    docs = {name for name in _route_names(get_resolver().url_patterns) if name in DOCS_RULES}
    routed = {key.split(" ", 1)[1] for key in WEB_RULES}
    assert _web_routes() == routed, "give each new page a rule in WEB_RULES"
    assert docs == set(DOCS_RULES)
    assert _api_operations() == set(API_RULES), "give each new API operation a rule in API_RULES"


def _other_methods(rules: dict[str, Rule]) -> dict[str, Rule]:
    """Every method a route has no rule for, as a rule: 405 whoever asks (a page that signs
    in first may send the anonymous caller to log in instead). So every method of every
    route is checked: a page that starts answering PUT, or POST on a read-only page, fails
    here until someone decides who may use it."""
    urls: dict[str, Callable[[dict[str, Any]], str]] = {}
    for key, rule in rules.items():
        urls.setdefault(key.split(" ", 1)[1], rule.url)
    return {
        f"{method} {route}": Rule(method, url, everyone(NOT_ALLOWED))
        for route, url in urls.items()
        for method in METHODS
        if f"{method} {route}" not in rules
    }


def test_every_method_of_every_route_is_checked() -> None:
    for rules in (WEB_RULES, API_RULES):
        checked = set(rules) | set(_other_methods(rules))
        routes = {key.split(" ", 1)[1] for key in rules}
        assert checked == {f"{method} {route}" for route in routes for method in METHODS}


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
        "coach_token": token_create(user=world.coach_x.user, name="t", read_only=False)[0].pk,
        "test_day": models.TestDay.objects.create(
            squad=world.athlete_a.squad, date=world.today, movements=["heel-raise"]
        ).pk,
        "athlete_b": world.athlete_b.pk,
        "squad": world.athlete_a.squad_id,
        "today": world.today.isoformat(),
        "race": add_race(world.athlete_a, world.today + timedelta(days=50)).pk,
        "waiting": make_athlete(world.coach_x, None, name="Not Yet Joined").pk,
        "run": PlannedRun.objects.create(
            athlete=world.athlete_a, uid="run@t", date=world.today, title="Steady"
        ).pk,
        "run_upload": models.RunUpload.objects.create(athlete=world.athlete_a, state="done").pk,
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
            response = client.generic(rule.method, url, json.dumps(body), content_type="application/json", **headers)  # fmt: skip
        elif rule.method == "POST":
            response = client.post(url, body)
        else:
            response = client.generic(rule.method, url, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded")  # fmt: skip
        expected = rule.expect[persona]
        status = response.status_code
        if expected == NOT_ALLOWED and persona == "anonymous":
            # Signing in comes first on most pages: either answer shows nothing.
            good = status == NOT_ALLOWED or (
                status == 302 and response["Location"].startswith(reverse("login"))
            )
        elif expected == OK:
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


def _refused_by_route(rules: dict[str, Rule]) -> dict[str, list[Rule]]:
    """The 405 rules grouped by route: one test (one world) per route, not per method."""
    grouped: dict[str, list[Rule]] = {}
    for key, rule in _other_methods(rules).items():
        grouped.setdefault(key.split(" ", 1)[1], []).append(rule)
    return grouped


@pytest.mark.parametrize("name", sorted(_refused_by_route(WEB_RULES)))
def test_web_route_refuses_the_methods_it_does_not_take(
    world: World, objects: dict[str, Any], name: str
) -> None:
    rules = _refused_by_route(WEB_RULES)[name]
    assert [p for rule in rules for p in _check(world, objects, rule, api_call=False)] == []


@pytest.mark.parametrize("path", sorted(_refused_by_route(API_RULES)))
def test_api_path_refuses_the_methods_it_does_not_document(
    world: World, objects: dict[str, Any], path: str
) -> None:
    rules = _refused_by_route(API_RULES)[path]
    assert [p for rule in rules for p in _check(world, objects, rule, api_call=True)] == []


@pytest.mark.parametrize("name", sorted(DOCS_RULES))
def test_api_document_routes(world: World, objects: dict[str, Any], name: str) -> None:
    assert _check(world, objects, DOCS_RULES[name], api_call=False) == []
