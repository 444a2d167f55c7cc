"""Two `runstrong serve` instances on one PostgreSQL database and one Redis, requests
alternating between them: a sign-in, an idempotency key, a rate limit and a login lockout each
hold across both, as they must behind a load balancer."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
import requests

from tests.ops.live import form_post, log_in, on_postgres, serve, site

PORTS = (8851, 8852)
RATE = 12  # API requests a minute for one user, across both servers

pytestmark = pytest.mark.skipif(
    not (on_postgres() and os.environ.get("RUNSTRONG_CACHE_URL")),
    reason="needs RUNSTRONG_DATABASE_URL=postgresql://… and RUNSTRONG_CACHE_URL=redis://…",
)


def test_two_servers_share_sign_ins_idempotency_limits_and_lockouts(tmp_path: Path) -> None:
    with site(tmp_path, "pair", RUNSTRONG_API_RATE=f"{RATE}/m") as pair:
        seeded = pair.seed(2)
        first, second = seeded["athletes"]
        with serve(pair, PORTS[0], workers=1) as a, serve(pair, PORTS[1], workers=1) as b:
            # A sign-in on one server is a sign-in on the other; signing out on it ends both.
            browser, signed_in = log_in(a.base, first["username"], seeded["password"])
            assert signed_in == 302
            assert browser.get(f"{b.base}/today/", allow_redirects=False).status_code == 200
            assert form_post(browser, f"{b.base}/logout/", {}).status_code == 302
            assert browser.get(f"{a.base}/today/", allow_redirects=False).status_code == 302

            # One idempotency key: the retry on the other server replays the first answer.
            url = f"/api/v1/sessions/{first['session']}/sets"
            headers = {
                "Authorization": f"Bearer {first['token']}",
                "Idempotency-Key": "tap-1",
            }
            body = {**first["sets"][0], "done": 10}
            original = requests.post(a.base + url, json=body, headers=headers, timeout=60)
            retried = requests.post(b.base + url, json=body, headers=headers, timeout=60)
            other = requests.post(
                b.base + url, json={**body, "done": 11}, headers=headers, timeout=60
            )
            assert original.status_code == 201
            assert (retried.status_code, retried.json()) == (201, original.json())
            assert other.status_code == 409

            # One user's rate limit counts requests to both servers.
            token = {"Authorization": f"Bearer {second['token']}"}
            statuses = [
                requests.get(f"{base}/api/v1/sessions", headers=token, timeout=60).status_code
                for base in itertools.islice(itertools.cycle((a.base, b.base)), RATE + 2)
            ]
            assert statuses == [200] * RATE + [429, 429]

            # Five wrong passwords spread over both servers lock the account out of both.
            coach = seeded["coach"]
            wrong = [
                log_in(base, coach["username"], "wrong password")[1]
                for base in itertools.islice(itertools.cycle((a.base, b.base)), 5)
            ]
            assert wrong == [200, 200, 200, 200, 429], "the fifth failure locks"
            for base in (a.base, b.base):
                _, status = log_in(base, coach["username"], coach["password"])
                assert status == 429, "locked out on both servers"

        sets = pair.query(
            "from runstrong.web.coaching.models import IdempotencyRecord, SetLog\n"
            f"result = [SetLog.objects.filter(item_id={body['item_id']}).count(),"
            " IdempotencyRecord.objects.filter(key='tap-1').count()]"
        )
    assert sets == [1, 1]
