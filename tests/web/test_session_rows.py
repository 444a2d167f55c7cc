"""The bulk writes under previews and replans keep every character a catalog may hold."""

from __future__ import annotations

import json
from datetime import timedelta

from runstrong.web.coaching.models import PlannedItem, PlannedSession
from runstrong.web.coaching.session_rows import insert_rows
from tests.personas import World


def test_bulk_inserted_rows_read_back_as_written(world: World) -> None:
    session = world.next_session(world.athlete_a)
    day = session.date + timedelta(days=365)
    awkward = 'Tab\there, back\\slash, new\nline, "quotes", carriage\rreturn, ünïcode ✓'
    placement = json.dumps({"text": awkward, "keys": ["S9"]})
    shared = ("competition", True, "light", placement)
    insert_rows(
        PlannedSession,
        ["plan", "athlete", "date", "week_index", "phase", "deload", "kind", "placement"],
        [
            ((session.plan_id, session.athlete_id, day, 40), shared),
            ((session.plan_id, session.athlete_id, day + timedelta(days=2), 40), shared),
        ],
    )
    rows = PlannedSession.objects.filter(plan=session.plan, date__gte=day).order_by("date")
    assert [(r.week_index, r.phase, r.deload, r.kind, r.placement["text"]) for r in rows] == [
        (40, "competition", True, "light", awkward),
        (40, "competition", True, "light", awkward),
    ]
    assert [r.superseded for r in rows] == [False, False]


def test_deleting_an_athlete_or_a_plan_leaves_no_item_behind(world: World) -> None:
    """Items' key to their session is not checked by the database: every delete path must take
    the items along."""
    plan = world.next_session(world.athlete_a).plan
    assert PlannedItem.objects.filter(session__plan=plan).exists()
    plan.delete()
    world.athlete_b.delete()
    sessions = PlannedSession.all_rows.values("pk")
    assert not PlannedItem.objects.exclude(session_id__in=sessions).exists()
