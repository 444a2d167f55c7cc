"""The installable phone app: its manifest and the service worker that keeps the athlete's
next sessions for a gym without signal (static/runstrong/sw.js)."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_GET

# Everything the session page loads, kept by the service worker so it opens offline.
ASSETS = (
    "runstrong/app.css",
    "runstrong/app.js",
    "runstrong/phone.js",
    "runstrong/icon.svg",
    "django_htmx/htmx-2.min.js",
)


def _source(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(str(found)).read_bytes()


@functools.cache
def _script() -> str:
    """sw.js with its settings in front. The version is a digest of the script and of every
    asset it keeps, so changing any of them installs a new worker that fetches them anew."""
    script = _source("runstrong/sw.js").decode()
    assets = [static(path) for path in ASSETS]
    digest = hashlib.sha256(script.encode())
    for path in ASSETS:
        digest.update(_source(path))
    config = {
        "version": digest.hexdigest()[:12],
        "assets": [*assets, reverse("coaching:manifest")],
        "today": reverse("coaching:today"),
        "login": reverse("login"),
    }
    return f"const CONFIG = {json.dumps(config)};\n{script}"


def _etag(request: HttpRequest) -> str:
    return hashlib.sha256(_script().encode()).hexdigest()[:16]


@gzip_page
@require_GET
@condition(etag_func=_etag)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on each visit: an unchanged one is a 304.
    response["Cache-Control"] = "no-cache"
    # Served from the site root, its default scope ("/") covers /today/ and /sessions/: no
    # Service-Worker-Allowed header is needed.
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icon = static("runstrong/icon.svg")
    return JsonResponse(
        {
            "name": "runstrong",
            "short_name": "runstrong",
            "description": "Your strength sessions, logged set by set, even without signal.",
            "start_url": reverse("coaching:today"),
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#f6f7f9",
            "theme_color": "#1b1f24",
            "icons": [
                {"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
                {
                    "src": static("runstrong/icon-maskable.svg"),
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
    )
