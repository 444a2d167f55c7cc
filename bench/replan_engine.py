"""The engine's replan of one athlete mid-season: fold ~26 weeks of logs, lay the rest out.

Each case is an athlete-season of 52 weeks (bench/plan_throughput.py's varied athletes: event
groups, kettlebells, problems, days) whose first 26 weeks of planned sessions are logged, mostly
as prescribed, some short, some missed, a few with pain. Timed per call: `state_from_logs` over
those logs, then `replan` of the season from week 27 on. This is the engine's share of every
session completion (bench/complete_session.py has the whole request).

Run: make bench   (or: python -m bench.replan_engine [--athletes N] [--runs N])
Target: median of fold + replan under 10 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from bench.plan_throughput import athlete_seasons
from runstrong.engine import prescribe
from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Item
from runstrong.engine.planner import plan, replan
from runstrong.engine.prescribe import athlete_exercises
from runstrong.engine.profile import Athlete, Season
from runstrong.engine.progression import LoggedSet
from runstrong.engine.state import LoggedItem, LoggedSession, state_from_logs

TARGET_MS = 10.0
LOGGED_WEEKS = 26


@dataclass(frozen=True)
class Case:
    athlete: Athlete
    season: Season
    starts: tuple[Item, ...]
    logs: tuple[LoggedSession, ...]
    from_date: date


def _logged_item(item: Item, rng: random.Random, pain: int) -> LoggedItem:
    short = rng.random() < 0.15
    done = max(1.0, item.target - item.ladder.step) if short else item.target
    sides = ("left", "right") if item.per_side else (None,)
    return LoggedItem(
        item,
        tuple(
            LoggedSet(done, load_kg=item.load_kg, reps_in_reserve=2, pain=pain, side=side)  # type: ignore[arg-type]
            for _ in range(item.sets)
            for side in sides
        ),
    )


def cases(count: int, catalog: Catalog, seed: int = 11) -> list[Case]:
    """`count` athletes with their first 26 weeks logged the way a squad logs them."""
    rng = random.Random(seed)
    found = []
    for athlete, season in athlete_seasons(count, 52, seed=seed):
        from_date = season.start + timedelta(weeks=LOGGED_WEEKS)
        logs = []
        for order, session in enumerate(plan(athlete, season, catalog).sessions(), start=1):
            if session.day >= from_date:
                break
            if rng.random() < 0.1:
                logs.append(LoggedSession(session.day, "missed", (), source=str(order)))
                continue
            pain = 4 if rng.random() < 0.02 else 0
            items = tuple(_logged_item(item, rng, pain) for item in session.items)
            light = session.kind == "light"
            logs.append(LoggedSession(session.day, "done", items, light, str(order), order))
        starts = athlete_exercises(athlete, catalog).items
        found.append(Case(athlete, season, starts, tuple(logs), from_date))
    return found


def run(case: Case, catalog: Catalog) -> tuple[float, float, int]:
    """Milliseconds to fold the logs and to replan, and the sessions laid out."""
    began = time.perf_counter()
    state = state_from_logs(case.logs, starts=case.starts, rule=catalog.rules.progression)
    folded = time.perf_counter()
    result = replan(case.athlete, case.season, state, case.from_date, catalog)
    done = time.perf_counter()
    sessions = sum(len(week.sessions) for week in result.weeks)
    return (folded - began) * 1000, (done - folded) * 1000, sessions


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _line(label: str, values: list[float], target: float | None = None) -> str:
    median = statistics.median(values)
    text = f"{label:31} median {median:6.2f} ms  p95 {_p95(values):6.2f} ms"
    if target is not None:
        text += f"  median/target({target:.0f} ms) = {median / target:.2f}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    catalog = default_catalog()  # parsed once per process, like a server would
    built = cases(args.athletes, catalog)
    prescribe._LADDERS.clear()  # the seeding planned these athletes; start cold
    cold_fold, cold_replan, _ = run(built[0], catalog)
    for case in built:  # warm-up: every athlete once
        run(case, catalog)
    folds, replans, totals, sessions = [], [], [], []
    for index in range(args.runs):
        fold_ms, replan_ms, laid = run(built[index % len(built)], catalog)
        folds.append(fold_ms)
        replans.append(replan_ms)
        totals.append(fold_ms + replan_ms)
        sessions.append(laid)
    uncached = []
    for index in range(min(args.runs, 100)):
        prescribe._LADDERS.clear()  # no athlete before shared a starting prescription
        fold_ms, replan_ms, _ = run(built[index % len(built)], catalog)
        uncached.append(fold_ms + replan_ms)
    logs = statistics.mean(len(case.logs) for case in built)
    print(
        f"{args.athletes} athletes, 52-week seasons, {LOGGED_WEEKS} weeks logged "
        f"(mean {logs:.0f} sessions folded, {statistics.mean(sessions):.0f} laid out); "
        f"{args.runs} runs after warm-up"
    )
    print(
        f"{'cold (first call, no ladders)':31} fold {cold_fold:.2f} ms + replan "
        f"{cold_replan:.2f} ms = {cold_fold + cold_replan:.2f} ms"
    )
    print(_line("state_from_logs", folds))
    print(_line("replan", replans))
    print(_line("fold + replan", totals, TARGET_MS))
    print(_line("fold + replan, ladders cleared", uncached, TARGET_MS))


if __name__ == "__main__":
    main()
