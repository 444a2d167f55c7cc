"""One client_ip() for API limits, bad-token limits and login lockouts, proxy-aware.

RUNSTRONG_TRUSTED_PROXIES=N takes the Nth X-Forwarded-For entry from the right; with 0 the
header is ignored. Bad tokens are limited per caller without locking out valid tokens, and
requests that fail every authentication count against the anonymous limit.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings

from runstrong.api.throttles import ANONYMOUS_RATE
from runstrong.web.coaching.client_ip import client_ip
from tests.api.test_api import API, bearer, token_for
from tests.personas import World
from tests.web.factories import PASSWORD

PROXY = "10.0.0.5"


def _ip(forwarded: str | None, proxies: int, remote: str = PROXY) -> str:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(RUNSTRONG_TRUSTED_PROXIES=proxies):
        return client_ip(RequestFactory().get("/", **headers))


def test_without_proxies_the_forwarded_header_is_ignored() -> None:
    assert _ip("203.0.113.9", proxies=0) == PROXY


def test_behind_one_proxy_the_rightmost_entry_is_the_client() -> None:
    assert _ip("203.0.113.9", proxies=1) == "203.0.113.9"
    assert _ip("6.6.6.6, 203.0.113.9", proxies=1) == "203.0.113.9", "forged leftmost ignored"


def test_behind_two_proxies_the_second_from_right_is_the_client() -> None:
    assert _ip("6.6.6.6, 203.0.113.9, 10.0.0.4", proxies=2) == "203.0.113.9"


def test_too_few_entries_or_garbage_count_as_the_proxy() -> None:
    assert _ip(None, proxies=1) == PROXY
    assert _ip("203.0.113.9", proxies=2) == PROXY
    assert _ip("not-an-address", proxies=1) == PROXY
    assert _ip(" 2001:DB8::1 ", proxies=1) == "2001:db8::1"


def _sessions(client: Client, secret: str, via: str | None = None) -> int:
    headers = bearer(secret)
    if via is not None:
        headers.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=via)
    return client.get(f"{API}/sessions", **headers).status_code


def test_a_valid_token_still_works_after_40_bad_ones_from_its_address(
    client: Client, world: World
) -> None:
    codes = [_sessions(client, f"rs_guess{n}") for n in range(40)]
    assert codes[:20] == [401] * 20
    assert set(codes[20:]) == {429}, "guessing goes on being refused"
    assert _sessions(client, token_for(world.athlete_a)) == 200
    assert _sessions(client, "rs_guess-again") == 429, "a success does not reset the count"


@override_settings(RUNSTRONG_TRUSTED_PROXIES=1)
def test_behind_a_proxy_bad_tokens_count_per_client_not_per_proxy(
    client: Client, world: World
) -> None:
    for n in range(21):
        _sessions(client, f"rs_guess{n}", via="203.0.113.9")
    assert _sessions(client, "rs_x", via="203.0.113.9") == 429
    assert _sessions(client, "rs_x", via="6.6.6.6, 203.0.113.9") == 429, "forging the left fails"
    assert _sessions(client, "rs_x", via="198.51.100.7") == 401, "another client is not limited"


def test_requests_failing_every_authentication_meet_the_anonymous_limit(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ANONYMOUS_RATE, "rate", "3/m")
    codes = [client.get(f"{API}/sessions").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    limited = client.get(f"{API}/sessions")
    assert limited.json()["errors"][0]["field"] == "request"
    assert "Retry-After" in limited
    assert _sessions(client, token_for(world.athlete_a)) == 200, "signed-in callers are not"


def test_the_anonymous_limit_ignores_a_forged_forwarded_header_without_proxies(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ANONYMOUS_RATE, "rate", "3/m")
    codes = [
        client.get(f"{API}/sessions", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}").status_code
        for n in range(4)
    ]
    assert codes[-1] == 429


def _log_in(client: Client, password: str, via: str) -> int:
    response = client.post(
        "/login/",
        {"username": "coachx", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=via,
    )
    return response.status_code


@override_settings(RUNSTRONG_TRUSTED_PROXIES=1)
def test_login_lockout_behind_a_proxy_is_per_client(world: World) -> None:
    attacker, coach = Client(), Client()
    for _ in range(5):
        _log_in(attacker, "wrong", via="203.0.113.9")
    assert _log_in(attacker, PASSWORD, via="203.0.113.9") == 429, "the guesser is locked out"
    assert _log_in(attacker, PASSWORD, via="198.51.100.7, 203.0.113.9") == 429
    assert _log_in(coach, PASSWORD, via="198.51.100.7") == 302, "the coach still signs in"
