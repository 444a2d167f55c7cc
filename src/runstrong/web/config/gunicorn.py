"""gunicorn settings for `runstrong serve` and `runstrong demo`; bench/api_load.py loads the
server with exactly these.

Sync workers serve one request per process at a time. The app's requests are short and
CPU-bound, and under 50 connections sync workers kept set-log p99 near 40 ms where two
threads per worker gave about 80 ms for the same throughput. They expect a buffering reverse
proxy in front (which TLS needs anyway), so a phone on slow gym wifi never holds a worker.
"""

import contextlib
import gc
import os
import signal
from typing import Any

worker_class = "sync"
# Load Django once in the master, then fork: workers start warm and share the loaded code.
preload_app = True
accesslog = "-"
# Calendar-feed, invitation and password-reset tokens are written as [redacted].
logger_class = "runstrong.web.config.log_redaction.RedactingGunicornLogger"
timeout = 30


def pre_fork(server: Any, worker: Any) -> None:
    """Before each worker is forked, set the loaded app aside from the garbage collector: it
    lives as long as the server, and a full collection in a worker otherwise walks all of it
    (Django, the catalog, reportlab), a pause of tens of milliseconds in whichever request set
    it off. Frozen, the workers also leave its memory pages shared with the master."""
    gc.collect()
    gc.freeze()


def on_exit(server: Any) -> None:
    """`runstrong demo` starts its background worker beside this server: stop it with the
    server, or a demo stopped by its process id leaves the worker running on its own."""
    pid = os.environ.get("RUNSTRONG_DEMO_WORKER_PID", "")
    if pid.isascii() and pid.isdigit():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)
