"""The app's own cost of one set-log POST, beside /healthz, without an HTTP server.

Each request goes through Django's WSGI handler (every middleware, django-ninja, the
database) in this process, so the figures leave out gunicorn, wrk and the other process
sharing the cores: the part of bench/api_load.py that runstrong's code decides.

Run: make bench   (or: python -m bench.set_log_cost [--requests N])
Uses a throwaway SQLite database unless RUNSTRONG_DATABASE_URL names a PostgreSQL database
whose name contains "bench".
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.overview_latency import _configure


def _environ(method: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **headers,
    }


def _per_request_ms(send: Callable[[int], None], requests: int, rounds: int = 5) -> float:
    """Median over rounds of the mean time per request, after a warm-up."""
    for n in range(200):
        send(n)
    means = []
    for _ in range(rounds):
        start = time.perf_counter()
        for n in range(requests):
            send(n)
        means.append((time.perf_counter() - start) / requests * 1000)
    return statistics.median(means)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    # One athlete logs thousands of sets a second here: lift the per-user limit.
    os.environ["RUNSTRONG_API_RATE"] = "100000000/s"
    _configure()
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.overview_latency import fresh_database

    fresh_database()
    from bench.builders import make_athlete, make_coach, publish_plan
    from runstrong.web.coaching.tokens import token_create
    from runstrong.web.config.wsgi import application

    athlete = make_athlete(make_coach("benchcoach"), "benchathlete")
    publish_plan(athlete, start=timezone.localdate(), weeks=2)
    session = athlete.sessions.order_by("date").first()
    assert session is not None
    item = session.items.get(exercise="crouching-crawl")
    bearer = {"HTTP_AUTHORIZATION": "Bearer " + token_create(user=athlete.user, name="b",
                                                            read_only=False)[1]}  # fmt: skip
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    def call(environ: dict[str, Any]) -> None:
        response = application(environ, start_response)
        b"".join(response)
        response.close()  # type: ignore[attr-defined]

    def health(n: int) -> None:
        call(_environ("GET", "/healthz", b"", {}))

    def set_log(n: int) -> None:
        body = json.dumps({"item_id": item.pk, "set_number": n % item.sets + 1, "done": 10})
        call(_environ("POST", f"/api/v1/sessions/{session.pk}/sets", body.encode(), bearer))

    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    set_log(0)  # the token's first use also records when it was used
    with connection.execute_wrapper(count):
        set_log(1)
    assert statuses[-1].startswith("201"), statuses[-1]
    health_ms = _per_request_ms(health, args.requests)
    set_log_ms = _per_request_ms(set_log, args.requests)
    assert all(s.startswith(("200", "201")) for s in statuses), set(statuses)
    print(f"in-process on {connection.vendor}, median of 5 rounds of {args.requests:,} requests")
    print(f"GET /healthz            {health_ms:6.3f} ms")
    print(
        f"POST set log            {set_log_ms:6.3f} ms  {len(statements)} SQL statements  "
        f"health/set-log = {health_ms / set_log_ms:.2f}"
    )


if __name__ == "__main__":
    main()
