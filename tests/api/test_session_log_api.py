"""The API serves what the athlete reported: effort, pain, notes, and why a session was missed;
open pain flags follow the catalog's threshold."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from runstrong.api.api import api
from runstrong.web.coaching.models import PainReport
from runstrong.web.coaching.session_log import session_log_done
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.tokens import token_create
from tests.personas import World

API = "/api/v1"


def bearer(person: Any) -> dict[str, str]:
    secret = token_create(user=person.user, name="test", read_only=False)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_coach_reads_the_athletes_notes_effort_and_pain(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    session_log_done(
        session=session,
        sets=[],
        reps_in_reserve=1,
        pain=2,
        pain_where="right calf",
        notes="Gym was packed, rushed the rests.",
    )
    headers = bearer(world.coach_x)
    detail = client.get(f"{API}/sessions/{session.pk}", **headers).json()
    assert detail["status"] == "done"
    log = detail["log"]
    assert log["notes"] == "Gym was packed, rushed the rests."
    assert (log["reps_in_reserve"], log["pain"], log["pain_where"]) == (1, 2, "right calf")
    assert log["missed_reason"] == ""
    listed = client.get(f"{API}/sessions?athlete={world.athlete_a.pk}", **headers).json()
    by_id = {row["id"]: row for row in listed["items"]}
    assert by_id[session.pk]["log"]["notes"] == "Gym was packed, rushed the rests."
    planned = next(row for row in listed["items"] if row["id"] != session.pk)
    assert planned["status"] == "planned"
    assert planned["log"] is None


def test_a_missed_reason_is_served_to_the_athlete_and_the_coach(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    answer = client.post(
        f"{API}/sessions/{session.pk}/missed",
        json.dumps({"reason": "Work trip, no gym"}),
        content_type="application/json",
        **bearer(world.athlete_a),
    ).json()
    assert answer["log"]["status"] == "missed"
    assert answer["log"]["missed_reason"] == "Work trip, no gym"
    read = client.get(f"{API}/sessions/{session.pk}", **bearer(world.coach_x)).json()
    assert read["log"]["missed_reason"] == "Work trip, no gym"


def test_open_pain_flags_start_at_the_catalogs_threshold(client: Client, world: World) -> None:
    """S15–S17 rule: only pain at pain_regress_at or more is an open flag."""
    threshold = site_catalog().rules.progression.pain_regress_at
    below = PainReport.objects.create(
        athlete=world.athlete_a, date=world.today, score=threshold - 1, where="shin"
    )
    at = PainReport.objects.create(
        athlete=world.athlete_a, date=world.today, score=threshold, where="knee"
    )
    headers = bearer(world.coach_x)
    everything = client.get(f"{API}/pain-reports", **headers).json()["items"]
    assert {row["id"]: row["flag"] for row in everything} == {below.pk: False, at.pk: True}
    open_only = client.get(f"{API}/pain-reports?open_only=true", **headers).json()["items"]
    assert [row["id"] for row in open_only] == [at.pk]


def test_the_openapi_document_describes_the_log() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert {"notes", "missed_reason", "pain", "pain_where", "reps_in_reserve"} <= set(
        schemas["SessionLogOut"]["properties"]
    )
    assert "log" in schemas["SessionOut"]["properties"]
