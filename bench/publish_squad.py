"""A coach previews and publishes a new season for a 300-athlete squad with 8 weeks logged.

Seeds the squad with a plan published 8 weeks ago and every session since logged (15% of them
missed), so each athlete's state is folded from a real log. Then times what the coach's two
clicks run, as views/coach.py does: `plan_generate` for every athlete (the preview: drafts from
today, each from the state the athlete's last completion stored), then `plans_publish` of the
drafts (the older plans' future gives way; a draft whose basis moved follows the log as it is now).
The replaced sessions are set aside in the publish and deleted by the worker afterwards: that
purge is timed and printed apart, since no one waits for it.

Run: make bench   (or: python -m bench.publish_squad [--athletes N])
Uses a throwaway SQLite database unless RUNSTRONG_DATABASE_URL names a PostgreSQL database
whose name contains "bench" (it is wiped), e.g.
RUNSTRONG_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/runstrong_bench
Target: preview + publish of 300 athletes under 3 s.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from bench.logged_squad import analyze, log_past, make_squad, monday_weeks_ago, publish_from
from bench.overview_latency import _configure

TARGET_SECONDS = 3.0
WEEKS = 52


def _timed(action: Callable[[], Any]) -> tuple[Any, float, int]:
    """The action's result, its seconds and the SQL statements it ran."""
    from django.db import connection

    statements = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        began = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - began
    return result, seconds, statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=300)
    args = parser.parse_args()
    _configure()
    from django.db import connection
    from django.utils import timezone

    from bench.overview_latency import fresh_database
    from runstrong.web.coaching.logged_state import athletes_states
    from runstrong.web.coaching.models import Athlete, Plan, PlannedItem
    from runstrong.web.coaching.plans import plan_generate, plans_publish
    from runstrong.web.coaching.session_rows import superseded_purge
    from runstrong.web.coaching.site_catalog import site_catalog

    fresh_database()
    rng = random.Random(5)
    began = time.perf_counter()
    coach, athletes = make_squad(args.athletes, rng, users=False)
    start = monday_weeks_ago(timezone.localdate(), 8)
    publish_from(athletes, start, weeks=WEEKS, today=start)
    logged, sets = log_past(1.0, rng)
    analyze()
    print(
        f"seeded {args.athletes} athletes in {time.perf_counter() - began:.1f} s: "
        f"{logged:,} sessions and {sets:,} sets logged over 8 weeks"
    )
    mine = Athlete.objects.filter(squad__coach__user=coach)
    # Each completion folds the athlete's log and stores the state (logged_state.py); the
    # seed logged in bulk, so it folds once here what those completions would have stored.
    _, fold_s, _ = _timed(lambda: athletes_states(list(mine), site_catalog()))

    def preview() -> list[Plan]:
        drafts, problems = plan_generate(
            athletes=list(mine), start=timezone.localdate(), weeks=WEEKS
        )
        assert not problems, problems
        return drafts

    def publish() -> int:
        drafts = Plan.objects.filter(athlete__squad__coach__user=coach, published_at__isnull=True)
        return len(plans_publish(plans=list(drafts)))

    drafts, preview_s, preview_sql = _timed(preview)
    published, publish_s, publish_sql = _timed(publish)
    # The replaced sessions are deleted by `runstrong worker`, off the coach's request.
    purged, purge_s, purge_sql = _timed(superseded_purge)
    assert len(drafts) == published == args.athletes, (len(drafts), published)
    items = PlannedItem.objects.filter(session__plan__in=drafts).count()
    total = preview_s + publish_s
    print(
        f"preview + publish of {args.athletes} athletes' {WEEKS}-week seasons on "
        f"{connection.vendor} ({items:,} items published)"
    )
    print(f"preview {preview_s:6.2f} s  {preview_sql:6,} SQL statements")
    print(f"publish {publish_s:6.2f} s  {publish_sql:6,} SQL statements")
    print(
        f"(worker: purge of the {purged:,} replaced sessions {purge_s:.2f} s, "
        f"{purge_sql:,} SQL statements, after the coach's request)"
    )
    print(
        f"total   {total:6.2f} s  ({total * 1000 / args.athletes:.1f} ms an athlete); "
        f"total/target({TARGET_SECONDS:.0f} s) = {total / TARGET_SECONDS:.2f}"
    )
    print(
        f"(with no stored states, as on the first preview after an upgrade, folding every "
        f"athlete's log adds {fold_s:.2f} s)"
    )


if __name__ == "__main__":
    main()
