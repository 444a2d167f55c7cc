"""Stream a 300-athlete squad's year of logs as CSV and JSON; print time and peak memory.

Run: make bench   (or: python -m bench.export_stream [--athletes N])
Uses the same throwaway database and seeding as bench.overview_latency.
Target: each export under 5 s, with memory that does not grow with the number of rows.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc

from bench.overview_latency import _configure, coach_client, fresh_database, seed

TARGET_S = 5.0


def _stream(client: object, url: str) -> tuple[float, int, float]:
    """Seconds and bytes to consume one streamed download, then the peak traced MiB of a
    second run (tracing slows Python down, so it is not timed)."""
    began = time.perf_counter()
    response = client.get(url)  # type: ignore[attr-defined]
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - began
    tracemalloc.start()
    for _ in client.get(url).streaming_content:  # type: ignore[attr-defined]
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, size, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=300)
    args = parser.parse_args()
    _configure()
    fresh_database()
    client = coach_client(seed(args.athletes, random.Random(1)))
    for url in (
        "/coach/export/logs.csv?group=5k",
        "/coach/export/logs.csv",
        "/coach/export/logs.json",
    ):
        seconds, size, peak = _stream(client, url)
        print(
            f"{url:34} {seconds:5.2f} s  {size / 2**20:6.1f} MiB out  peak {peak:5.1f} MiB traced"
            f"  time/target({TARGET_S:.0f} s) = {seconds / TARGET_S:.2f}"
        )


if __name__ == "__main__":
    main()
