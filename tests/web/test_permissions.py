"""Who sees what: athletes see only themselves, coaches only their own squads, others log in."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import PlannedItem
from tests.personas import World, login

COACH_PAGES = ["coaching:overview", "coaching:plan-new", "coaching:plan-review"]


def athlete_urls(world: World, athlete_name: str) -> list[str]:
    athlete = getattr(world, athlete_name)
    return [
        reverse("coaching:athlete", args=[athlete.pk]),
        reverse("coaching:athlete-edit", args=[athlete.pk]),
        reverse("coaching:athlete-delete", args=[athlete.pk]),
    ]


def session_urls(world: World, athlete_name: str) -> list[str]:
    session = world.next_session(getattr(world, athlete_name))
    return [
        reverse("coaching:session-log", args=[session.pk]),
        reverse("coaching:session-set", args=[session.pk]),
        reverse("coaching:session-missed", args=[session.pk]),
    ]


def item_url(world: World, athlete_name: str) -> str:
    item = PlannedItem.objects.filter(session__athlete=getattr(world, athlete_name)).first()
    assert item is not None
    return reverse("coaching:item-edit", args=[item.pk])


def test_anonymous_users_are_sent_to_login(client: Client, world: World) -> None:
    urls = [reverse(name) for name in [*COACH_PAGES, "coaching:today", "home"]]
    urls += athlete_urls(world, "athlete_a") + session_urls(world, "athlete_a")
    urls.append(item_url(world, "athlete_a"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_athlete_gets_404_on_another_athletes_sessions(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    for url in session_urls(world, "athlete_b"):
        assert client.get(url).status_code in {404, 405}, url
        assert client.post(url, {"reason": "x", "prefix": "x"}).status_code == 404, url


def test_athlete_gets_404_on_coach_pages_even_for_themselves(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    urls = [reverse(name) for name in COACH_PAGES]
    urls += athlete_urls(world, "athlete_a") + athlete_urls(world, "athlete_b")
    urls.append(item_url(world, "athlete_a"))
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_athlete_today_shows_only_their_own_session(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    response = client.get(reverse("coaching:today"))
    own = world.next_session(world.athlete_a)
    other = world.next_session(world.athlete_b)
    assert response.status_code == 200
    assert reverse("coaching:session-log", args=[own.pk]).encode() in response.content
    assert reverse("coaching:session-log", args=[other.pk]).encode() not in response.content


def test_coach_gets_404_on_another_coachs_athletes(client: Client, world: World) -> None:
    login(client, world.coach_x)
    for url in [*athlete_urls(world, "athlete_c"), item_url(world, "athlete_c")]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert world.athlete_c.__class__.objects.filter(pk=world.athlete_c.pk).exists()


def test_coach_cannot_log_for_an_athlete(client: Client, world: World) -> None:
    login(client, world.coach_x)
    for url in session_urls(world, "athlete_a"):
        assert client.post(url, {"reason": "x"}).status_code == 404, url


def test_overview_lists_only_the_coachs_own_athletes(client: Client, world: World) -> None:
    login(client, world.coach_x)
    page = client.get(reverse("coaching:overview")).content.decode()
    assert world.athlete_a.name in page
    assert world.athlete_b.name in page
    assert world.athlete_c.name not in page


def test_coach_cannot_publish_another_coachs_drafts(client: Client, world: World) -> None:
    from runstrong.web.coaching.plans import plan_generate

    drafts, _ = plan_generate(athletes=[world.athlete_c], start=world.today, weeks=4)
    login(client, world.coach_x)
    client.post(reverse("coaching:plan-publish"), {"plan": [drafts[0].pk]})
    drafts[0].refresh_from_db()
    assert drafts[0].published_at is None


def test_login_is_throttled_after_repeated_failures(client: Client, world: World) -> None:
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "athletea", "password": "wrong"})
    response = client.post(url, {"username": "athletea", "password": "correct horse battery"})
    assert response.status_code in {403, 429}
