"""gunicorn settings for `runstrong serve` and `runstrong demo`; bench/api_load.py loads the
server with exactly these.

Sync workers serve one request per process at a time. The app's requests are short and
CPU-bound, and under 50 connections sync workers kept set-log p99 near 40 ms where two
threads per worker gave about 80 ms for the same throughput. They expect a buffering reverse
proxy in front (which TLS needs anyway), so a phone on slow gym wifi never holds a worker.
"""

worker_class = "sync"
# Load Django once in the master, then fork: workers start warm and share the loaded code.
preload_app = True
accesslog = "-"
timeout = 30
