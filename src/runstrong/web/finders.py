"""Serve the partial plotly.js bundle (`plotly.js-basic-dist-min`, installed by `npm ci`) as one
static file, without exposing the rest of node_modules.

Where node_modules is: the `NODE_MODULES_DIR` setting (env `RUNSTRONG_NODE_MODULES_DIR`),
by default the `node_modules` folder at the root of the source checkout (next to
package.json), where `make` runs `npm ci`. An install from a wheel sets it to wherever
`npm ci` ran. `manage.py check` warns when the file is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core import checks
from django.core.files.storage import FileSystemStorage

PACKAGE = "plotly.js-basic-dist-min"
PLOTLY_FILE = "plotly-basic.min.js"
PREFIX = "plotly"
STATIC_NAME = f"{PREFIX}/{PLOTLY_FILE}"  # {% static 'plotly/plotly-basic.min.js' %}


def plotly_dir() -> Path:
    return Path(settings.NODE_MODULES_DIR) / PACKAGE


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        if (plotly_dir() / PLOTLY_FILE).is_file():
            return []
        return [
            checks.Warning(
                f"{plotly_dir() / PLOTLY_FILE} is missing: the athlete pages' charts will not "
                "draw.",
                hint="Run `npm ci` next to package.json, or set RUNSTRONG_NODE_MODULES_DIR to "
                "the node_modules folder it filled.",
                id="runstrong.W001",
            )
        ]

    # "Not here" is [] whatever find_all says, as Django's own finders answer: finders.find()
    # would pass a None on as a match. django-stubs types that answer as None.
    def find(  # type: ignore[override]
        self, path: str, find_all: bool = False, **kwargs: Any
    ) -> str | list[str]:
        found = plotly_dir() / PLOTLY_FILE
        if path == STATIC_NAME and found.is_file():
            return [str(found)] if find_all else str(found)
        return []

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        if not (plotly_dir() / PLOTLY_FILE).is_file():
            return
        storage = FileSystemStorage(location=str(plotly_dir()))
        storage.prefix = PREFIX  # type: ignore[attr-defined]  # read by collectstatic, not declared
        yield PLOTLY_FILE, storage
