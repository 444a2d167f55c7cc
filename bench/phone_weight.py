"""Weigh the athlete's phone page: the bytes a phone downloads for Today on a first visit, and
on a repeat visit once the service worker keeps the scripts, styles and pages.

The production server (`runstrong serve` settings: compressed, hashed static files) runs on
loopback behind a small TCP relay that counts every byte it passes, so the figures are what
crossed the network: headers, compressed bodies, the service worker's own fetches and its
update check included. Debian's chromium (Playwright) opens Today at 375 px, already signed in
(a session cookie), with an empty cache.

First load: until the page has loaded, the service worker is installed and controls it, and
it has fetched the pages it keeps offline (Today, today's and the next two sessions); the
page's own share (until its `load` event) is printed too. Repeat load: Today again.

Run: make bench   (or: python -m bench.phone_weight)
Uses a throwaway SQLite database. Targets: first load < 150 KB, repeat load < 20 KB.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from runstrong.cli.web_cmd import gunicorn_command

TARGET_FIRST_KB = 150.0
TARGET_REPEAT_KB = 20.0
CHROMIUM = Path("/usr/bin/chromium")

SEED = """
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from bench.overview_latency import fresh_database
fresh_database()
from runstrong.web.coaching.models import PlannedSession
from bench.builders import make_athlete, make_coach, publish_plan
athlete = make_athlete(make_coach("benchcoach"), "benchathlete")
today = timezone.localdate()
publish_plan(athlete, start=today, weeks=8)
first = PlannedSession.objects.filter(athlete=athlete, date__gte=today).order_by("date")[0]
PlannedSession.objects.filter(pk=first.pk).update(date=today)
store = SessionStore()
store[SESSION_KEY] = str(athlete.user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = athlete.user.get_session_auth_hash()
store.create()
sets = sum(i.sets * (2 if i.per_side else 1) for i in first.items.all())
print(json.dumps({"cookie": store.session_key, "sets": sets}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class CountingRelay:
    """A TCP relay to the server that counts the bytes it carries each way."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.lock = threading.Lock()
        self.down = 0  # server to phone
        self.up = 0  # phone to server
        threading.Thread(target=self._accept, daemon=True).start()

    def take(self) -> tuple[int, int]:
        """The bytes counted since the last take, down and up."""
        with self.lock:
            counted = self.down, self.up
            self.down = self.up = 0
        return counted

    def _accept(self) -> None:
        while True:
            phone, _ = self.listener.accept()
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(phone, server, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, phone, "down"), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, way: str) -> None:
        try:
            while chunk := source.recv(65536):
                with self.lock:
                    setattr(self, way, getattr(self, way) + len(chunk))
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)


def _settle(relay: CountingRelay, quiet_s: float = 1.0, limit_s: float = 20.0) -> None:
    """Wait until nothing has crossed the relay for `quiet_s` (the service worker's background
    fetches included)."""
    deadline = time.monotonic() + limit_s
    last = (-1, -1)
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        with relay.lock:
            now = (relay.down, relay.up)
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        time.sleep(0.1)


def _until(page: Any, expression: str, limit_s: float = 20.0) -> None:
    deadline = time.monotonic() + limit_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise SystemExit(f"the page never got there: {expression}")
        time.sleep(0.1)


def _weigh(base: str, cookie: str, relay: CountingRelay) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        context = browser.new_context(
            viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
        )
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page = context.new_page()
        relay.take()
        page.goto(f"{base}/today/", wait_until="load")
        page_only = relay.take()
        _until(page, "!!(navigator.serviceWorker && navigator.serviceWorker.controller)")
        _until(page, "caches.open('runstrong-pages').then(c => c.keys()).then(k => k.length >= 4)")
        _settle(relay)
        background = relay.take()
        page.goto(f"{base}/today/", wait_until="load")
        _settle(relay)
        repeat = relay.take()
        browser.close()
    return {
        "page": page_only[0],
        "page_up": page_only[1],
        "background": background[0],
        "background_up": background[1],
        "repeat": repeat[0],
        "repeat_up": repeat[1],
    }


def main() -> None:
    if not CHROMIUM.exists():
        raise SystemExit("Debian's chromium is not installed: make chromium")
    data = Path(tempfile.mkdtemp(prefix="runstrong-phone-"))
    env = dict(os.environ)
    env.update(
        {
            "RUNSTRONG_DATA_DIR": str(data),
            "RUNSTRONG_SECRET_KEY": "phone-bench-only-" + "x" * 40,
            "RUNSTRONG_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "runstrong.web.config.settings",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
    )
    env.pop("RUNSTRONG_DATABASE_URL", None)  # a page's weight does not depend on the database
    seeded = subprocess.run(
        [sys.executable, "-c", SEED], env=env, capture_output=True, text=True, check=True
    )
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = _free_port()
    command = gunicorn_command(f"127.0.0.1:{port}", 1)
    server = subprocess.Popen(
        [*command, "--access-logfile", "-", "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        relay = CountingRelay(port)
        weights = _weigh(f"http://127.0.0.1:{relay.port}", seed["cookie"], relay)
    finally:
        server.terminate()
        server.wait(timeout=10)
    kb = {name: value / 1000 for name, value in weights.items()}
    first = kb["page"] + kb["background"]
    print(
        f"phone Today page ({seed['sets']} sets), 375 px, bytes received from the server "
        "(headers and compressed bodies):"
    )
    print(
        f"first load   {first:6.1f} KB  = page, scripts and styles {kb['page']:.1f} KB"
        f" + service worker and the pages it keeps offline {kb['background']:.1f} KB"
        f"  (sent {kb['page_up'] + kb['background_up']:.1f} KB)"
    )
    print(f"repeat load  {kb['repeat']:6.1f} KB  (sent {kb['repeat_up']:.1f} KB)")
    print(
        f"targets: first load < {TARGET_FIRST_KB:.0f} KB -> {first:.1f} KB; "
        f"repeat load < {TARGET_REPEAT_KB:.0f} KB -> {kb['repeat']:.1f} KB"
    )


if __name__ == "__main__":
    main()
