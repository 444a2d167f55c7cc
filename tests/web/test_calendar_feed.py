"""The athlete's calendar feed: subscribe, see the published sessions, revoke."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from icalendar import Calendar, Event

from runstrong.web.coaching.convert import item_from_row
from runstrong.web.coaching.models import PlannedSession, SquadFeed
from runstrong.web.coaching.site_catalog import site_catalog
from tests.personas import World, login
from tests.web.factories import add_race


def feed_url(client: Client) -> str:
    page = client.post("/account/calendar/", {"action": "create"}).content.decode()
    return re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)  # type: ignore[union-attr]


def events_of(url: str) -> list[Event]:
    response = Client().get(url)
    assert response.status_code == 200
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_link_comes_with_subscribe_and_copy(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    page = client.post("/account/calendar/", {"action": "create"}).content.decode()
    path = re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)  # type: ignore[union-attr]
    assert f'href="webcal://testserver{path}"' in page
    assert 'data-copy="#feed-url"' in page


def test_events_say_what_the_session_is_and_link_back(client: Client, world: World) -> None:
    catalog = site_catalog()
    add_race(world.athlete_a, world.today + timedelta(days=20), priority="B")
    login(client, world.athlete_a)
    events = events_of(feed_url(client))
    session = world.next_session(world.athlete_a)
    items = list(session.items.order_by("slot"))
    event = next(e for e in events if e.decoded("dtstart") == session.date)
    names = [catalog.exercise(item.exercise).name for item in items]
    more = f" +{len(names) - 2}" if len(names) > 2 else ""
    assert str(event["summary"]) == f"Strength: {names[0]}, {names[1]}{more}"
    description = str(event["description"])
    assert f"{items[0].label}: {items[0].dose_text}" in description
    assert f"http://testserver/sessions/{session.pk}/log/" in description
    assert str(event["url"]) == f"http://testserver/sessions/{session.pk}/log/"
    races = [e for e in events if str(e["summary"]).startswith("Race")]
    assert [str(e["summary"]) for e in races] == ["Race: Race (B)"]


def test_a_line_break_in_a_name_stays_inside_its_event(client: Client, world: World) -> None:
    sneaky = "League\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Fake; a, b"
    race = add_race(world.athlete_a, world.today + timedelta(days=9))
    race.name = sneaky
    race.save()
    world.athlete_a.name = "Ann\nNewline"
    world.athlete_a.save()
    login(client, world.athlete_a)
    url = feed_url(client)
    events = events_of(url)
    sessions = PlannedSession.objects.filter(athlete=world.athlete_a).count()
    assert len(events) == sessions + 1
    found = next(e for e in events if str(e["summary"]).startswith("Race"))
    assert str(found["summary"]) == f"Race: {' '.join(sneaky.split())} (A)"
    assert b"\nBEGIN:VEVENT\r\nSUMMARY:Fake" not in Client().get(url).content


def squad_url(client: Client) -> str:
    page = client.post("/account/calendar/", {"action": "create"}).content.decode()
    found = re.search(r'value="http://testserver(/calendar/squad/[^"]+\.ics)"', page)
    assert found is not None
    return found.group(1)


def test_the_squad_feed_holds_the_coachs_athletes_only(client: Client, world: World) -> None:
    add_race(world.athlete_c, world.today + timedelta(days=9))
    login(client, world.coach_x)
    page = client.get("/account/calendar/").content.decode()
    assert "Your squads in your calendar" in page
    summaries = [str(e["summary"]) for e in events_of(squad_url(client))]
    for athlete in (world.athlete_a, world.athlete_b):
        assert any(s.startswith(f"{athlete.name} · Strength") for s in summaries)
    assert not any(world.athlete_c.name in s for s in summaries)
    sessions = PlannedSession.objects.filter(athlete__in=[world.athlete_a, world.athlete_b])
    assert len(summaries) == sessions.count()
    login(client, world.coach_y)
    other = [str(e["summary"]) for e in events_of(squad_url(client))]
    assert other
    assert all(s.startswith(f"{world.athlete_c.name} · ") for s in other)


def test_a_squad_feed_links_to_the_coachs_session_page(client: Client, world: World) -> None:
    login(client, world.coach_x)
    session = world.next_session(world.athlete_a)
    event = next(
        e
        for e in events_of(squad_url(client))
        if e.decoded("dtstart") == session.date and world.athlete_a.name in str(e["summary"])
    )
    assert str(event["url"]) == f"http://testserver/coach/sessions/{session.pk}/"


def test_an_athlete_cannot_get_the_squad_feed(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    own = feed_url(client)
    token = own.removeprefix("/calendar/").removesuffix(".ics")
    assert Client().get(f"/calendar/squad/{token}.ics").status_code == 404
    assert not SquadFeed.objects.exists()


def test_a_switched_off_squad_feed_gets_404(client: Client, world: World) -> None:
    login(client, world.coach_x)
    url = squad_url(client)
    client.post("/account/calendar/", {"action": "revoke"})
    assert Client().get(url).status_code == 200
    client.post("/account/calendar/", {"action": "revoke", "confirm": "1"})
    assert Client().get(url).status_code == 404
    replaced = squad_url(client)
    assert Client().get(replaced).status_code == 200
    assert SquadFeed.objects.count() == 1


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
    asked = client.post("/account/calendar/", {"action": "revoke"}).content.decode()
    assert "Switch the link off?" in asked
    assert Client().get(second).status_code == 200  # not until confirmed
    client.post("/account/calendar/", {"action": "revoke", "confirm": "1"})
    assert Client().get(second).status_code == 404


def test_the_cli_and_the_web_calendars_word_a_dose_alike(world: World) -> None:
    """One wording: the CLI's .ics writes an engine item's dose, the feed a stored item's;
    for the same prescription (measure, sides, load) they agree."""
    athlete = world.athlete_a
    rows = [
        row
        for session in PlannedSession.objects.filter(athlete=athlete).prefetch_related("items")
        for row in session.items.all()
    ]
    assert {row.measure for row in rows} >= {"reps", "metres"}
    for row in rows:
        assert item_from_row(row).dose_text() == row.dose_text
        assert item_from_row(row).label() == row.label
    loaded = next(row for row in rows if row.load_kg)
    assert f" {loaded.unit}" in loaded.dose_text, "reps, m and s are said the same way"
