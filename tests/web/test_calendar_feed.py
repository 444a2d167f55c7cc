"""The athlete's calendar feed: subscribe, see the published sessions, revoke."""

from __future__ import annotations

import re

from django.test import Client
from icalendar import Calendar

from runstrong.web.coaching.models import PlannedSession
from tests.personas import World, login


def feed_url(client: Client) -> str:
    page = client.post("/account/calendar/", {"action": "create"}).content.decode()
    return re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)  # type: ignore[union-attr]


def test_feed_has_the_published_sessions_on_their_dates(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    url = feed_url(client)
    response = Client().get(url)
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    expected = list(
        PlannedSession.objects.filter(athlete=world.athlete_a)
        .order_by("date")
        .values_list("date", flat=True)
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert [event.decoded("dtstart") for event in events] == expected
    assert str(calendar["x-wr-timezone"]) == "Europe/London"
    assert "Crouching crawl" in str(events[0]["description"])


def test_feed_follows_plan_changes(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    url = feed_url(client)
    before = len(list(Calendar.from_ical(Client().get(url).content).walk("VEVENT")))
    world.next_session(world.athlete_a).delete()
    after = len(list(Calendar.from_ical(Client().get(url).content).walk("VEVENT")))
    assert after == before - 1


def test_a_revoked_or_replaced_link_gets_404(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    first = feed_url(client)
    second = feed_url(client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post("/account/calendar/", {"action": "revoke"})
    assert Client().get(second).status_code == 404
