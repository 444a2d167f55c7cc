"""Load the production server on loopback with wrk: set-log POSTs, the athlete's today page
and the trivial health endpoint, 50 connections for 20 s each.

Run: make bench   (or: python -m bench.api_load [--seconds N] [--connections N])
Needs wrk (Debian package `wrk`). Uses a throwaway SQLite database unless
RUNSTRONG_DATABASE_URL names a PostgreSQL database whose name contains "bench".
Targets: set-log throughput at least half the health endpoint's; set-log p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

LUA_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
local n = 0
request = function()
  n = n + 1
  local body = string.format('{{"item_id": {item}, "set_number": %d, "done": 10}}', n % {sets} + 1)
  return wrk.format(nil, "{path}", nil, body)
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate and seed one athlete with today's session; return what the load needs."""
    script = """
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from bench.overview_latency import fresh_database
fresh_database()
from tests.web.factories import make_athlete, make_coach, publish_plan
from runstrong.web.coaching.tokens import token_create
coach = make_coach("benchcoach")
athlete = make_athlete(coach, "benchathlete")
publish_plan(athlete, start=timezone.localdate(), weeks=4)
session = athlete.sessions.order_by("date").first()
item = session.items.get(exercise="crouching-crawl")
store = SessionStore()
store[SESSION_KEY] = str(athlete.user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = athlete.user.get_session_auth_hash()
store.create()
print(json.dumps({"token": token_create(user=athlete.user, name="bench", read_only=False)[1],
                  "session": session.pk, "item": item.pk, "sets": item.sets,
                  "cookie": store.session_key}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _wrk(url: str, seconds: int, connections: int, extra: list[str]) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)

    def percentile(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {
        "rps": rps,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": float(non_2xx.group(1)) if non_2xx else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    data = tempfile.mkdtemp(prefix="runstrong-load-")
    env = dict(os.environ)
    env.update(
        {
            "RUNSTRONG_DATA_DIR": data,
            "RUNSTRONG_SECRET_KEY": "load-bench-only-" + "x" * 40,
            "RUNSTRONG_ALLOWED_HOSTS": "127.0.0.1",
            # The load is one athlete hammering the API on purpose: lift their rate limit.
            "RUNSTRONG_API_RATE": "100000000/s",
            "DJANGO_SETTINGS_MODULE": "runstrong.web.config.settings",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
    )
    seeded = _prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "runstrong.web.config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--worker-class", "gthread", "--threads", "8", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        lua = Path(data) / "post.lua"
        path = f"/api/v1/sessions/{seeded['session']}/sets"
        lua.write_text(
            LUA_POST.format(
                token=seeded["token"], item=seeded["item"], sets=seeded["sets"], path=path
            )
        )
        cookie = ["-H", f"Cookie: sessionid={seeded['cookie']}"]
        runs = {
            "health (GET /healthz)": _wrk(f"{base}/healthz", args.seconds, args.connections, []),
            "set log (POST api)": _wrk(base, args.seconds, args.connections, ["-s", str(lua)]),
            "today page (GET /today/)": _wrk(
                f"{base}/today/", args.seconds, args.connections, cookie
            ),
        }  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)
    health = runs["health (GET /healthz)"]["rps"]
    print(f"{args.connections} connections, {args.seconds} s each, gunicorn {args.workers} workers")
    for name, run in runs.items():
        print(
            f"{name:26} {run['rps']:8.0f} req/s  p50 {run['p50']:6.1f} ms  p99 {run['p99']:6.1f} ms"
            f"  non-2xx {run['errors']:.0f}  ratio to health {run['rps'] / health:.2f}"
        )
    post = runs["set log (POST api)"]
    print(
        f"targets: set-log/health >= 0.50 -> {post['rps'] / health:.2f}; "
        f"set-log p99 < 50 ms -> {post['p99']:.1f} ms"
    )


if __name__ == "__main__":
    main()
