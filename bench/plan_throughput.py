"""Plan 1,000 athlete-seasons of 52 weeks and print plans per second.

Run: make bench   (or: python -m bench.plan_throughput [--athletes N] [--weeks N] [--repeat N])
Target: all 1,000 in under 1 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from runstrong.engine.catalog import default_catalog
from runstrong.engine.planner import plan
from runstrong.engine.profile import WEEKDAYS, Athlete, Race, Season

TARGET_SECONDS = 1.0


def athlete_seasons(count: int, weeks: int, seed: int = 7) -> list[tuple[Athlete, Season]]:
    rng = random.Random(seed)
    catalog = default_catalog()
    groups = [group.slug for group in catalog.groups]
    cases = []
    for index in range(count):
        start = date(2027, 1, 4) + timedelta(days=rng.randrange(0, 28))
        races = [
            Race(
                name=f"Race {n}",
                date=start + timedelta(days=rng.randrange(21, 7 * weeks)),
                priority=rng.choice("AABC"),
            )
            for n in range(rng.randrange(0, 4))
        ]
        athlete = Athlete(
            name=f"Athlete {index}",
            event_group=rng.choice(groups),
            experience=rng.choice(["new", "some", "experienced"]),
            leg_length=rng.choice(["short", "average", "long"]),
            stride_goal=rng.choice(["keep", "lengthen"]),
            problems=frozenset(
                rng.sample(["knee", "shin", "calf", "lower-back"], rng.randrange(3))
            ),
            equipment=frozenset(
                rng.sample(["band", "ghd", "kettlebells", "bench"], rng.randrange(2, 5))
            ),
            kettlebells_kg=tuple(rng.sample([6, 8, 10, 12, 16, 20], rng.randrange(0, 5))),
            strength_days=tuple(rng.sample(WEEKDAYS, rng.randrange(2, 5))),
            hard_run_days=tuple(rng.sample(WEEKDAYS, rng.randrange(1, 4))),
        )
        cases.append((athlete, Season(start=start, weeks=weeks, races=tuple(races))))
    return cases


def _time(cases: list[tuple[Athlete, Season]], *, keep: bool) -> tuple[float, int]:
    """Seconds to plan every case, and the sessions planned.

    `keep=False` is a batch job's shape (plan, store, drop); `keep=True` holds every plan in
    memory at once, where CPython's cyclic collector rescans the growing heap.
    """
    kept = []
    sessions = 0
    began = time.perf_counter()
    for athlete, season in cases:
        result = plan(athlete, season, default_catalog())
        sessions += sum(len(week.sessions) for week in result.weeks)
        if keep:
            kept.append(result)
    return time.perf_counter() - began, sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = athlete_seasons(args.athletes, args.weeks)
    default_catalog()  # parsed once per process, like a server would
    _time(cases[:50], keep=False)  # warm-up
    print(f"{args.athletes} athlete-seasons of {args.weeks} weeks, best of {args.repeat} runs")
    for label, keep in (("plan and store each", False), ("hold all plans in memory", True)):
        runs = [_time(cases, keep=keep) for _ in range(args.repeat)]
        best = min(seconds for seconds, _ in runs)
        median = statistics.median(seconds for seconds, _ in runs)
        scaled = best * 1000 / args.athletes
        print(
            f"{label:26} best {best:.3f} s, median {median:.3f} s, "
            f"{args.athletes / best:,.0f} plans/s, {runs[0][1]:,} sessions; "
            f"best/target({TARGET_SECONDS:.0f} s per 1,000) = {scaled / TARGET_SECONDS:.2f}"
        )


if __name__ == "__main__":
    main()
