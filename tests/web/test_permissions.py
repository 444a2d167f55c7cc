"""Who sees what: athletes see only themselves, coaches only their own squads, others log in."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import PlannedItem, SessionLog, SetLog
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
    return [url for _, url, _ in session_requests(world, athlete_name)]


def session_requests(world: World, athlete_name: str) -> list[tuple[str, str, dict[str, str]]]:
    """Each way an athlete writes to a session, with the method and a body it takes."""
    session = world.next_session(getattr(world, athlete_name))
    crawl = session.items.get(exercise="crouching-crawl").pk
    return [
        ("GET", reverse("coaching:session-log", args=[session.pk]), {}),
        ("POST", reverse("coaching:session-set", args=[session.pk]),
         {"prefix": f"set-{crawl}-1", f"set-{crawl}-1-done": "10"}),
        ("POST", reverse("coaching:session-missed", args=[session.pk]), {"reason": "ill"}),
    ]  # fmt: skip


def send(client: Client, method: str, url: str, body: dict[str, str]) -> int:
    return (client.get(url) if method == "GET" else client.post(url, body)).status_code


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
    """Each request as its route takes it: the owner gets through, another athlete a 404,
    and nothing is logged on the other athlete's session."""
    owner = login(Client(), world.athlete_b)
    login(client, world.athlete_a)
    for method, url, body in session_requests(world, "athlete_b"):
        assert send(client, method, url, body) == 404, url
    assert not SessionLog.objects.filter(session__athlete=world.athlete_b).exists()
    assert not SetLog.objects.filter(item__session__athlete=world.athlete_b).exists()
    for method, url, body in session_requests(world, "athlete_b"):
        assert send(owner, method, url, body) < 400, url
    assert SetLog.objects.filter(item__session__athlete=world.athlete_b).exists()


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
    """Every method each page takes: the other coach gets 404 and changes nothing; the
    athlete's own coach gets through (the delete last, as it removes the athlete)."""
    item = PlannedItem.objects.filter(session__athlete=world.athlete_c).first()
    assert item is not None
    c = world.athlete_c.pk
    requests = [
        ("GET", reverse("coaching:athlete", args=[c]), {}),
        ("GET", reverse("coaching:athlete-edit", args=[c]), {}),
        ("POST", reverse("coaching:athlete-edit", args=[c]), {}),
        ("GET", reverse("coaching:item-edit", args=[item.pk]), {}),
        ("POST", reverse("coaching:item-edit", args=[item.pk]), {"sets": "2", "target": "8"}),
        ("GET", reverse("coaching:athlete-delete", args=[c]), {}),
        ("POST", reverse("coaching:athlete-delete", args=[c]), {}),
    ]
    login(client, world.coach_x)
    for method, url, body in requests:
        assert send(client, method, url, body) == 404, (method, url)
    item.refresh_from_db()
    assert not item.edited_by_coach
    assert world.athlete_c.__class__.objects.filter(pk=c).exists()
    owner = login(Client(), world.coach_y)
    for method, url, body in requests:
        assert send(owner, method, url, body) < 400, (method, url)
    assert not world.athlete_c.__class__.objects.filter(pk=c).exists()


def test_coach_cannot_log_for_an_athlete(client: Client, world: World) -> None:
    login(client, world.coach_x)
    for _, url, body in session_requests(world, "athlete_a"):
        assert client.post(url, body).status_code == 404, url
    assert not SetLog.objects.filter(item__session__athlete=world.athlete_a).exists()
    assert not SessionLog.objects.filter(session__athlete=world.athlete_a).exists()


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
