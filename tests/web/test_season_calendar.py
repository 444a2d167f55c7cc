"""The coach's season calendar: weeks by Monday, races in them, empty weeks kept, links."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client

from runstrong.web.coaching.models import PlannedSession
from tests.personas import World, login
from tests.web.factories import add_race


def test_weeks_start_on_monday_and_keep_races_and_empty_weeks(client: Client, world: World) -> None:
    athlete = world.athlete_a
    sessions = list(PlannedSession.objects.filter(athlete=athlete).order_by("date"))
    first_monday = sessions[0].date - timedelta(days=sessions[0].date.weekday())
    # A week with no session in it: its sessions are gone (as in a break in the plan).
    gap_monday = first_monday + timedelta(weeks=2)
    PlannedSession.objects.filter(
        athlete=athlete, date__range=(gap_monday, gap_monday + timedelta(days=6))
    ).delete()
    race_day = sessions[-1].date + timedelta(days=10)
    add_race(athlete, race_day, priority="B")
    login(client, world.coach_x)
    page = client.get(f"/coach/athletes/{athlete.pk}/").content.decode()
    calendar = page[page.index("Season calendar") :]
    labels = re.findall(r"w/c (\w{3}) (\d+ \w{3})", calendar)
    assert labels[0] == ("Mon", f"{first_monday.day} {first_monday:%b}")
    assert {weekday for weekday, _ in labels} == {"Mon"}
    assert f"w/c Mon {gap_monday.day} {gap_monday:%b}" in calendar
    race_monday = race_day - timedelta(days=race_day.weekday())
    assert labels[-1] == ("Mon", f"{race_monday.day} {race_monday:%b}")
    assert "no sessions" in calendar
    assert f"Race {race_day:%a} {race_day.day} · Race (B)" in calendar
    live = PlannedSession.objects.filter(athlete=athlete)
    for session in live:
        assert f'href="/coach/sessions/{session.pk}/"' in calendar
