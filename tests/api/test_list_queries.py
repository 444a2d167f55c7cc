"""Every API list pages in SQL: the queries a page costs do not grow with the rows behind it,
and only the page's rows are built (a benchmark verdict is judged for the page alone)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from runstrong.api import verdicts
from runstrong.web.coaching.models import (
    ApiToken,
    Athlete,
    BenchmarkResult,
    Invitation,
    PainReport,
    Plan,
    PlanChange,
    PlannedSession,
    SessionLog,
)
from runstrong.web.coaching.tokens import token_create
from tests.personas import World

API = "/api/v1"
START = datetime.date(2030, 1, 1)


def add_athletes(world: World, n: int) -> str:
    Athlete.objects.bulk_create(
        Athlete(squad=world.athlete_a.squad, name=f"Extra {i}", event_group="10k",
                strength_days=["mon"])
        for i in range(n)
    )  # fmt: skip
    return "/athletes"


def add_sessions(world: World, n: int) -> str:
    plan = Plan.objects.create(
        athlete=world.athlete_a, season_start=START, weeks=52, catalog_name="test",
        published_at=datetime.datetime(2029, 12, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    sessions = PlannedSession.objects.bulk_create(
        PlannedSession(plan=plan, athlete=world.athlete_a, date=START + datetime.timedelta(i),
                       week_index=i // 7, phase="base", kind="strength",
                       placement={"text": "Monday", "keys": []})
        for i in range(n)
    )  # fmt: skip
    SessionLog.objects.bulk_create(
        SessionLog(session=s, status="missed", missed_reason="ill") for s in sessions[::2]
    )
    return "/sessions"


def add_plans(world: World, n: int) -> str:
    Plan.objects.bulk_create(
        Plan(athlete=world.athlete_a, season_start=START, weeks=8, catalog_name="test")
        for _ in range(n)
    )
    return "/plans"


def add_pain_reports(world: World, n: int) -> str:
    PainReport.objects.bulk_create(
        PainReport(athlete=world.athlete_a, date=START, score=i % 10 + 1, area="knee",
                   side="left")
        for i in range(n)
    )  # fmt: skip
    return "/pain-reports"


def add_benchmarks(world: World, n: int) -> str:
    BenchmarkResult.objects.bulk_create(
        BenchmarkResult(athlete=(world.athlete_a, world.athlete_b)[i % 2], movement="heel-raise",
                        date=START, left=20 + i % 5, right=22)
        for i in range(n)
    )  # fmt: skip
    return "/benchmark-results"


def add_plan_changes(world: World, n: int) -> str:
    PlanChange.objects.bulk_create(
        PlanChange(athlete=world.athlete_a, what="Crawl", cause="logged") for _ in range(n)
    )
    return f"/athletes/{world.athlete_a.pk}/plan-changes"


def add_invitations(world: World, n: int) -> str:
    waiting = Athlete.objects.bulk_create(
        Athlete(squad=world.athlete_a.squad, name=f"Waiting {i}", event_group="5k",
                strength_days=["mon"])
        for i in range(n)
    )  # fmt: skip
    Invitation.objects.bulk_create(
        Invitation(athlete=athlete, token_hash=f"{athlete.pk:064d}") for athlete in waiting[::2]
    )
    return "/invitations"


def add_tokens(world: World, n: int) -> str:
    start = ApiToken.objects.count()
    ApiToken.objects.bulk_create(
        ApiToken(user=world.coach_x.user, name=f"Tool {i}", token_hash=f"{start + i:064d}",
                 prefix="rs_abcde")
        for i in range(n)
    )  # fmt: skip
    # Made before this hour: the hourly limit on new tokens leaves the test's own one room.
    earlier = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    ApiToken.objects.filter(name__startswith="Tool ").update(created_at=earlier)
    return "/tokens"


LISTS = [add_athletes, add_sessions, add_plans, add_pain_reports, add_benchmarks,
         add_plan_changes, add_invitations, add_tokens]  # fmt: skip


def queries_for(client: Client, secret: str, url: str) -> tuple[int, dict[str, Any]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}{url}?limit=500", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("add_rows", LISTS, ids=lambda f: f.__name__)
def test_a_lists_query_count_does_not_grow_with_its_rows(
    client: Client, world: World, add_rows: Callable[[World, int], str]
) -> None:
    secret = token_create(user=world.coach_x.user, name="count", read_only=True)[1]
    # One token for both counts (the tokens list counts it), used once so that neither
    # count includes noting its first use.
    client.get(f"{API}/groups", HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = add_rows(world, 10)
    few, page = queries_for(client, secret, url)
    add_rows(world, 90)
    many, bigger = queries_for(client, secret, url)
    assert bigger["count"] == page["count"] + 90
    assert len(bigger["items"]) == len(page["items"]) + 90
    assert many == few, f"{url}: {few} queries for {page['count']} rows, {many} for 90 more"


def test_one_result_of_many_judges_one_verdict(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_benchmarks(world, 300)
    judged: list[int] = []
    judge = verdicts.verdict_of

    def counting(result: BenchmarkResult, request: Any = None) -> Any:
        judged.append(result.pk)
        return judge(result, request)

    monkeypatch.setattr("runstrong.api.schemas.verdict_of", counting)
    secret = token_create(user=world.coach_x.user, name="count", read_only=True)[1]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            f"{API}/benchmark-results?limit=1", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
    body = response.json()
    assert body["count"] == 300
    assert len(body["items"]) == 1
    assert body["items"][0]["verdict"]["status"]
    assert judged == [body["items"][0]["id"]]
    assert len(captured) < 12
