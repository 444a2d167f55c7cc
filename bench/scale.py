"""Every coach page and every API list at club scale, and the server under mixed load.

A club of 5,000 athletes across 50 coaches, each athlete half-way through a published
24-week season with 16 weeks logged (bench/scale_squads.py builds it once and caches it).
For the coach of 100 athletes and the coach of 300, each page and each API list is fetched
through Django's test client (every middleware, no network): p50 and p95 of the wall clock
and the SQL statements one request runs. A page's statements should not grow with the squad:
the ratio 300/100 is printed and should be 1.00. A file export is timed to its first chunk
(what the coach waits for before the download starts). Before the timings, the objects
loaded so far are frozen out of the garbage collector's sight, as `runstrong serve` does
before forking its workers (web/config/gunicorn.py pre_fork): otherwise a full collection
walking the ~150,000 objects loaded by then (the app, and here the club's setup) lands in
about one request in twenty as a pause of 50-100 ms.

Then `runstrong serve` (gunicorn, its production settings) on loopback takes a mixed load
from wrk: athletes logging sets (60%), the coach of 300 reading their pages (30%) and
previewing one athlete's plan through the API (10%); requests/s, latency, and every answer
counted by kind and status from the access log (target: no 5xx).

Run: make bench   (or: python -m bench.scale [--requests N] [--seconds N] [--no-wrk])
SQLite by default (a copy of the cached database in a temporary folder), or PostgreSQL with
RUNSTRONG_DATABASE_URL naming a database with "bench" in its name (it is replaced by a clone
of `<name>_cache`, kept between runs), e.g.
RUNSTRONG_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/runstrong_bench
Targets: p95 < 150 ms for every page and list; statements 300/100 = 1.00; 0 5xx under load.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

TARGET_MS = 150.0
PORT = int(os.environ.get("RUNSTRONG_BENCH_PORT", "8860"))


@dataclass
class Figure:
    p50: float
    p95: float
    queries: int
    status: int
    # This process's CPU time (median): steadier than the wall clock on a shared machine, and
    # on SQLite it includes the database's own work.
    cpu50: float = 0.0


@dataclass
class Coach:
    label: str
    user: Any
    athlete: Any
    session_id: int
    item_id: int
    test_day_id: int
    exercise: str
    token: str
    # Set later: a draft of the coach's preview, and a token that may write (the load run).
    draft_id: int = 0
    token_write: str = ""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _fetch(client: Any, url: str, headers: dict[str, str]) -> int:
    """One request, a streamed file only to its first chunk; the status."""
    response = client.get(url, **headers)
    if response.streaming:
        next(iter(response.streaming_content), b"")
        response.close()
    return int(response.status_code)


def measure(client: Any, url: str, requests: int, headers: dict[str, str]) -> Figure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        _fetch(client, url, headers)
    timings, cpu = [], []
    for _ in range(requests):
        began, began_cpu = time.perf_counter(), time.process_time()
        status = _fetch(client, url, headers)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        status = _fetch(client, url, headers)
    return Figure(
        statistics.median(timings),
        _percentile(timings, 0.95),
        len(queries),
        status,
        statistics.median(cpu),
    )


def coach_setup(label: str, username: str) -> Coach:
    """The coach, their first athlete (by name), that athlete's last logged session, an item of
    their next session, the squad's latest test day, and an API token."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from runstrong.web.coaching.models import Athlete, PlannedItem, PlannedSession, TestDay
    from runstrong.web.coaching.tokens import token_create

    user = get_user_model().objects.get(username=username)
    athlete = Athlete.objects.filter(squad__coach__user=user).order_by("name").first()
    today = timezone.localdate()
    logged = (
        PlannedSession.objects.filter(athlete=athlete, date__lt=today, log__status="done")
        .order_by("-date")
        .first()
    )
    upcoming = PlannedItem.objects.filter(
        session__athlete=athlete,
        session__date__gte=today,
        session__plan__published_at__isnull=False,
    ).first()
    test_day = TestDay.objects.filter(squad__coach__user=user).order_by("-date").first()
    assert athlete is not None
    assert logged is not None
    assert upcoming is not None
    assert test_day is not None
    first = PlannedItem.objects.filter(session=logged).first()
    token = token_create(user=user, name="scale bench", read_only=True)[1]
    return Coach(
        label,
        user,
        athlete,
        logged.pk,
        upcoming.pk,
        test_day.pk,
        first.exercise if first else "",
        token,
    )


def pages(coach: Coach) -> list[tuple[str, str]]:
    a, s = coach.athlete.pk, coach.session_id
    return [
        ("overview", "/coach/"),
        ("overview by name", "/coach/?sort=name"),
        ("overview, one group", "/coach/?group=5k"),
        ("athlete page", f"/coach/athletes/{a}/"),
        ("athlete profile form", f"/coach/athletes/{a}/edit/"),
        ("session page", f"/coach/sessions/{s}/"),
        ("plan builder", "/coach/plans/new/"),
        ("plans/review", "/coach/plans/review/"),
        ("plans/review, week 3", f"/coach/plans/review/?week=3&plan={coach.draft_id}"),
        ("publish confirmation", "/coach/plans/publish/"),
        ("group edit form", "/coach/plans/group-edit/"),
        ("item edit form", f"/coach/items/{coach.item_id}/edit/"),
        ("standards", "/coach/standards/"),
        ("benchmark matrix", "/coach/benchmarks/"),
        ("test days", "/coach/test-days/"),
        ("test day grid", f"/coach/test-days/{coach.test_day_id}/"),
        ("roster", "/coach/roster/"),
        ("invitations", "/coach/invitations/"),
        ("export logs.csv start", "/coach/export/logs.csv"),
        ("export logs.json start", "/coach/export/logs.json"),
        ("export results.csv start", "/coach/export/results.csv"),
        ("athlete export start", f"/coach/athletes/{a}/export/logs.csv"),
        ("season PDF", f"/coach/athletes/{a}/season.pdf"),
        ("test-day sheet PDF", f"/coach/test-days/{coach.test_day_id}/sheet.pdf"),
        ("calendar subscription", "/account/calendar/"),
        ("API tokens", "/account/tokens/"),
    ]


def api_lists(coach: Coach) -> list[tuple[str, str]]:
    a, s = coach.athlete.pk, coach.session_id
    return [
        ("squads", "/api/v1/squads"),
        ("athletes", "/api/v1/athletes"),
        ("sessions", "/api/v1/sessions"),
        ("sessions ?limit=1", "/api/v1/sessions?limit=1"),
        ("sessions of one athlete", f"/api/v1/sessions?athlete={a}"),
        ("session's sets", f"/api/v1/sessions/{s}/sets"),
        ("plans", "/api/v1/plans"),
        ("benchmark-results", "/api/v1/benchmark-results"),
        ("benchmark-results ?limit=1", "/api/v1/benchmark-results?limit=1"),
        ("pain-reports", "/api/v1/pain-reports"),
        ("pain-reports open", "/api/v1/pain-reports?open_only=true"),
        ("athlete progress", f"/api/v1/athletes/{a}/progress?exercise={coach.exercise}"),
        ("athlete plan-changes", f"/api/v1/athletes/{a}/plan-changes"),
        ("catalog exercises", "/api/v1/catalog/exercises"),
        ("catalog substitutes", "/api/v1/catalog/substitutes"),
        ("groups", "/api/v1/groups"),
    ]


def preview(coach: Coach) -> tuple[float, int]:
    """The coach's preview of a 12-week season for their whole squad (drafts for the review
    pages); seconds and drafts."""
    from django.utils import timezone

    from runstrong.web.coaching.models import Athlete
    from runstrong.web.coaching.plans import plan_generate

    began = time.perf_counter()
    drafts, _ = plan_generate(
        athletes=list(Athlete.objects.filter(squad__coach__user=coach.user)),
        start=timezone.localdate(),
        weeks=12,
    )
    coach.draft_id = drafts[-1].pk
    return time.perf_counter() - began, len(drafts)


def table(
    title: str,
    rows: list[tuple[str, Figure, Figure]],
    small: Coach,
    large: Coach,
) -> list[str]:
    """Print the figures; the names of rows off target (p95 or statements)."""
    print(
        f"\n{title}: p50/p95 ms (wall clock), cpu ms (median, this process) and SQL "
        f"statements a request, {small.label} | {large.label}"
    )
    print(
        f"{'':28} {'p50':>6} {'p95':>6} {'cpu':>5} {'SQL':>5} | {'p50':>6} {'p95':>6} "
        f"{'cpu':>5} {'SQL':>5} | {'SQL 300/100':>11} {'p95/target':>10}"
    )
    missed = []
    for name, one, other in rows:
        ratio = other.queries / one.queries if one.queries else 1.0
        worst = max(one.p95, other.p95) / TARGET_MS
        status = "" if one.status == other.status == 200 else f"  HTTP {one.status}/{other.status}"
        flag = "  <-" if worst > 1 or ratio > 1.0 else ""
        if flag:
            missed.append(name)
        print(
            f"{name:28} {one.p50:6.0f} {one.p95:6.0f} {one.cpu50:5.0f} {one.queries:5} | "
            f"{other.p50:6.0f} {other.p95:6.0f} {other.cpu50:5.0f} {other.queries:5} | "
            f"{ratio:11.2f} {worst:10.2f}{flag}{status}"
        )
    return missed


# --- the mixed load -------------------------------------------------------------------------

LUA_MIX = """
local athletes = {athletes}
local pages = {pages}
local previews = {previews}
local cookie = "sessionid={cookie}"
local coach_token = "Bearer {coach_token}"
local n = 0
request = function()
  n = n + 1
  local slot = n % 20
  if slot < 12 then
    local a = athletes[n % #athletes + 1]
    local body = string.format('{{"item_id": %d, "set_number": %d, "done": 10}}',
                               a.item, math.floor(n / #athletes) % a.sets + 1)
    return wrk.format("POST", a.path, {{["Content-Type"] = "application/json",
                                       ["Authorization"] = "Bearer " .. a.token}}, body)
  elseif slot < 18 then
    return wrk.format("GET", pages[n % #pages + 1], {{["Cookie"] = cookie}})
  else
    local body = string.format('{{"athlete_ids": [%d], "start": "{today}", "weeks": 12}}',
                               previews[n % #previews + 1])
    return wrk.format("POST", "/api/v1/plans/preview",
                      {{["Content-Type"] = "application/json", ["Authorization"] = coach_token}},
                      body)
  end
end
"""


def _lua_list(values: list[Any]) -> str:
    return "{" + ", ".join(values) + "}"


def load_seed(coach: Coach, loggers: int) -> dict[str, Any]:
    """Athletes of the coach with a session up to today not logged yet (set-log tokens), the
    coach's signed-in session and pages, and athletes to preview."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from runstrong.web.coaching.models import Athlete, PlannedItem, PlannedSession
    from runstrong.web.coaching.tokens import token_create

    today = timezone.localdate()
    athletes = []
    mine = Athlete.objects.filter(squad__coach__user=coach.user, user__isnull=False)
    for athlete in mine.select_related("user").order_by("pk"):
        session = (
            PlannedSession.objects.filter(
                athlete=athlete,
                date__lte=today,
                date__gte=today - timedelta(days=21),
                log__isnull=True,
                plan__published_at__isnull=False,
            )
            .order_by("-date")
            .first()
        )
        item = PlannedItem.objects.filter(session=session).first() if session else None
        if item is None:
            continue
        token = token_create(user=athlete.user, name="scale bench", read_only=False)[1]
        athletes.append(
            f'{{token = "{token}", path = "/api/v1/sessions/{session.pk}/sets", '  # type: ignore[union-attr]
            f"item = {item.pk}, sets = {item.sets}}}"
        )
        if len(athletes) == loggers:
            break
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(coach.user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = coach.user.get_session_auth_hash()
    store.create()
    a = coach.athlete.pk
    shown = [
        "/coach/",
        f"/coach/athletes/{a}/",
        "/coach/benchmarks/",
        "/coach/test-days/",
        "/coach/roster/",
        "/coach/plans/review/",
        f"/coach/sessions/{coach.session_id}/",
    ]
    previewed = list(mine.order_by("-pk").values_list("pk", flat=True)[:20])
    return {
        "athletes": _lua_list(athletes),
        "pages": _lua_list([f'"{url}"' for url in shown]),
        "previews": _lua_list([str(pk) for pk in previewed]),
        "cookie": store.session_key,
        "coach_token": coach.token_write,
        "today": today.isoformat(),
        "loggers": len(athletes),
    }


def kind_of(path: str) -> str:
    if path.endswith("/sets"):
        return "set log"
    if path.startswith("/api/v1/plans/preview"):
        return "preview"
    return "coach page"


def mixed_load(seed: dict[str, Any], seconds: int, connections: int, workers: int) -> None:
    from runstrong.cli.web_cmd import gunicorn_command

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: make wrk (or apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="runstrong-scale-wrk-"))
    script = folder / "mix.lua"
    script.write_text(LUA_MIX.format(**seed))
    access_log = folder / "access.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    env["RUNSTRONG_ALLOWED_HOSTS"] = "127.0.0.1"
    command = gunicorn_command(f"127.0.0.1:{PORT}", workers)
    server = subprocess.Popen(
        [
            *command,
            "--access-logfile",
            str(access_log),
            # The request line, the status and the time the server spent on it (ms).
            "--access-logformat",
            '"%(r)s" %(s)s %(M)s',
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def percentile(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    socket_errors = re.search(r"Socket errors:.*", out)
    answers: Counter[tuple[str, str]] = Counter()
    served: dict[str, list[float]] = {}
    line = re.compile(r'"(?:GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) (\d+)')
    for entry in access_log.read_text().splitlines():
        found = line.search(entry)
        if found:
            kind = kind_of(found.group(1))
            answers[(kind, found.group(2)[0] + "xx")] += 1
            served.setdefault(kind, []).append(float(found.group(3)))
    fives = sum(count for (_, klass), count in answers.items() if klass == "5xx")
    print(
        f"\nmixed load: {connections} connections for {seconds} s against `runstrong serve` "
        f"({workers} workers): {seed['loggers']} athletes logging sets 60%, the coach of 300's "
        "pages 30%, one-athlete previews 10%"
    )
    print(
        f"{rps:.0f} requests/s; latency p50 {percentile('50'):.0f} ms, p90 "
        f"{percentile('90'):.0f} ms, p99 {percentile('99'):.0f} ms"
        + (f"; {socket_errors.group(0)}" if socket_errors else "")
    )
    for kind in ("set log", "coach page", "preview"):
        counts = {klass: answers[(kind, klass)] for klass in ("2xx", "3xx", "4xx", "5xx")}
        times = served.get(kind) or [0.0]
        print(
            f"  {kind:11} "
            + "  ".join(f"{k} {v:6}" for k, v in counts.items())
            + f"   in the server p50 {statistics.median(times):5.0f} ms, "
            f"p95 {_percentile(times, 0.95):5.0f} ms"
        )
    print(f"5xx answers: {fives} (target 0)")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=12, help="timed requests a page")
    parser.add_argument(
        "--api-requests", type=int, default=0, help="timed requests an API list (default: as pages)"
    )
    parser.add_argument("--seconds", type=int, default=20, help="length of the wrk run")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="as `runstrong serve --workers`")
    parser.add_argument("--loggers", type=int, default=50, help="athletes logging sets")
    parser.add_argument("--no-wrk", action="store_true", help="pages and lists only")
    parser.add_argument(
        "--only", default="", help="only the pages and lists whose name has one of these (a,b)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    args = parser.parse_args()
    # The lists are fetched far faster than a person would: lift the per-user API limit.
    os.environ["RUNSTRONG_API_RATE"] = "100000000/s"
    from bench.overview_latency import _configure

    _configure()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.scale_squads import prepare

    began = time.perf_counter()
    built = prepare(timezone.localdate(), rebuild=args.rebuild)
    counts = ", ".join(f"{v:,} {k}" for k, v in built.counts.items())
    how = f"built in {built.seconds:.0f} s" if built.seconds else "from the cache"
    print(
        f"club on {connection.vendor} ({how}, {time.perf_counter() - began:.0f} s to ready, "
        f"fingerprint {built.fingerprint}): {counts}"
    )
    coaches = [
        coach_setup("coach of 100", built.small_coach),
        coach_setup("coach of 300", built.large_coach),
    ]
    for coach in coaches:
        seconds, drafts = preview(coach)
        print(f"{coach.label}: preview of {drafts} 12-week drafts {seconds:.1f} s (for the review)")
    clients = []
    for coach in coaches:
        client = Client()
        client.force_login(coach.user, backend="django.contrib.auth.backends.ModelBackend")
        clients.append(client)
    small, large = coaches
    gc.collect()
    gc.freeze()
    missed: list[str] = []
    page_rows = []
    for (name, url), (_, url_large) in zip(pages(small), pages(large), strict=True):
        if _chosen(name, args.only):
            page_rows.append(
                (
                    name,
                    measure(clients[0], url, args.requests, {}),
                    measure(clients[1], url_large, args.requests, {}),
                )
            )
    missed += table("coach pages", page_rows, small, large)
    api_rows = []
    api_requests = args.api_requests or args.requests
    for (name, url), (_, url_large) in zip(api_lists(small), api_lists(large), strict=True):
        if _chosen(name, args.only):
            api_rows.append(
                (
                    name,
                    measure(Client(), url, api_requests, _bearer(small)),
                    measure(Client(), url_large, api_requests, _bearer(large)),
                )
            )
    missed_api = table("API lists (GET, default page of 100)", api_rows, small, large)
    print(
        f"\noff target (p95 >= {TARGET_MS:.0f} ms or statements growing with the squad): "
        f"{len(missed)} of {len(page_rows)} pages ({', '.join(missed) or 'none'}); "
        f"{len(missed_api)} of {len(api_rows)} API lists ({', '.join(missed_api) or 'none'})"
    )
    if not args.no_wrk:
        from runstrong.web.coaching.tokens import token_create

        large.token_write = token_create(user=large.user, name="scale load", read_only=False)[1]
        seed = load_seed(large, args.loggers)
        connection.close()
        mixed_load(seed, args.seconds, args.connections, args.workers)
    discard()


def discard() -> None:
    """Drop this run's copy of the club (the cache stays): the PostgreSQL clone, or the
    temporary data folder of a SQLite run."""
    from django.conf import settings
    from django.db import connection
    from psycopg import sql

    from bench.scale_squads import _admin

    name = str(connection.settings_dict["NAME"])
    connection.close()
    if connection.vendor == "postgresql":
        with _admin() as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))
        return
    folder = Path(settings.DATA_DIR)
    if folder.name.startswith("runstrong-bench-"):
        shutil.rmtree(folder, ignore_errors=True)


def _chosen(name: str, only: str) -> bool:
    return any(part in name for part in only.split(","))


def _bearer(coach: Coach) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {coach.token}"}


if __name__ == "__main__":
    main()
