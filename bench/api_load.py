"""Load the production server on loopback with wrk: set-log POSTs, the athlete's today page
and the two trivial health endpoints, 50 connections for 20 s each.

The server has two: /healthz is a plain Django view (for load balancers); /api/v1/health is
the API's own, through django-ninja without sign-in. Set-log throughput is printed as a ratio
to each, so the cost of the API framework and the cost of logging a set can be told apart.

Run: make bench   (or: python -m bench.api_load [--seconds N] [--connections N])
Needs wrk (Debian package `wrk`). Uses a throwaway SQLite database unless
RUNSTRONG_DATABASE_URL names a PostgreSQL database whose name contains "bench".
Targets: set-log throughput at least half the health endpoint's; set-log p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import functools
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
from typing import Any

from runstrong.cli.web_cmd import gunicorn_command

# Each request is the next athlete of the squad logging their next set, as in a gym.
LUA_POST = """
local athletes = {athletes}
local n = 0
request = function()
  n = n + 1
  local a = athletes[n % #athletes + 1]
  local body = string.format('{{"item_id": %d, "set_number": %d, "done": 10}}',
                             a.item, math.floor(n / #athletes) % a.sets + 1)
  return wrk.format("POST", a.path, {{["Content-Type"] = "application/json",
                                     ["Authorization"] = "Bearer " .. a.token}}, body)
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(env: dict[str, str], athletes: int) -> dict[str, Any]:
    """Migrate and seed a squad with today's sessions; return what the load needs."""
    script = """
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from bench.overview_latency import fresh_database
fresh_database()
from bench.builders import make_athlete, make_coach, publish_plan
from runstrong.web.coaching.tokens import token_create
coach = make_coach("benchcoach")
athletes = []
for n in range(ATHLETES):
    athlete = make_athlete(coach, f"benchathlete{n}")
    publish_plan(athlete, start=timezone.localdate(), weeks=4)
    session = athlete.sessions.order_by("date").first()
    item = session.items.get(exercise="crouching-crawl")
    token = token_create(user=athlete.user, name="bench", read_only=False)[1]
    athletes.append({"token": token, "path": f"/api/v1/sessions/{session.pk}/sets",
                     "item": item.pk, "sets": item.sets})
store = SessionStore()
store[SESSION_KEY] = str(athlete.user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = athlete.user.get_session_auth_hash()
store.create()
print(json.dumps({"athletes": athletes, "cookie": store.session_key}))
"""
    out = subprocess.run(
        [sys.executable, "-c", f"ATHLETES = {athletes}\n" + script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _lua_table(athletes: list[dict[str, Any]]) -> str:
    rows = (
        '{{token = "{token}", path = "{path}", item = {item}, sets = {sets}}}'.format(**a)
        for a in athletes
    )
    return "{" + ", ".join(rows) + "}"


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
    parser.add_argument("--workers", type=int, default=2, help="as `runstrong serve --workers`")
    parser.add_argument("--athletes", type=int, default=50, help="athletes logging in turn")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="runstrong-load-"))
    env = dict(os.environ)
    env.update(
        {
            "RUNSTRONG_DATA_DIR": str(data),
            "RUNSTRONG_SECRET_KEY": "load-bench-only-" + "x" * 40,
            "RUNSTRONG_ALLOWED_HOSTS": "127.0.0.1",
            # Each athlete logs far faster than any person could: lift the per-user limit.
            "RUNSTRONG_API_RATE": "100000000/s",
            "DJANGO_SETTINGS_MODULE": "runstrong.web.config.settings",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
    )
    seeded = _prepare(env, args.athletes)
    (data / "post.lua").write_text(LUA_POST.format(athletes=_lua_table(seeded["athletes"])))
    port = _free_port()
    access_log = data / "access.log"
    command = gunicorn_command(f"127.0.0.1:{port}", args.workers)
    server = subprocess.Popen(
        [*command, "--access-logfile", str(access_log), "--log-level", "warning"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        load = functools.partial(_wrk, seconds=args.seconds, connections=args.connections)
        cookie = ["-H", f"Cookie: sessionid={seeded['cookie']}"]
        runs = {
            "health (GET /healthz)": load(f"{base}/healthz", extra=[]),
            "API health (GET api)": load(f"{base}/api/v1/health", extra=[]),
            "set log (POST api)": load(base, extra=["-s", str(data / "post.lua")]),
            "today page (GET /today/)": load(f"{base}/today/", extra=cookie),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
    health = runs["health (GET /healthz)"]["rps"]
    print(
        f"{args.connections} connections, {args.seconds} s each; `runstrong serve` settings with "
        f"{args.workers} workers; {args.athletes} athletes logging in turn"
    )
    for name, run in runs.items():
        print(
            f"{name:26} {run['rps']:8.0f} req/s  p50 {run['p50']:6.1f} ms  p99 {run['p99']:6.1f} ms"
            f"  non-2xx {run['errors']:.0f}  ratio to health {run['rps'] / health:.2f}"
        )
    post = runs["set log (POST api)"]
    api_health = runs["API health (GET api)"]["rps"]
    print(
        f"targets: set-log/health >= 0.50 -> {post['rps'] / health:.2f} against /healthz, "
        f"{post['rps'] / api_health:.2f} against /api/v1/health; "
        f"set-log p99 < 50 ms -> {post['p99']:.1f} ms"
    )


if __name__ == "__main__":
    main()
