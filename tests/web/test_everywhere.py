"""What every page shares: styled error and lockout pages, the favicon, the skip link, titles
with context, the profile form's error summary and its blank race row."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views import defaults

from runstrong.web.coaching.models import PlannedItem, Race
from tests.personas import World, login
from tests.web.factories import PASSWORD, make_coach


def _in_layout(html: str) -> None:
    """The app's own page: its stylesheet, favicon, top bar and a link back to the start."""
    assert "runstrong/app.css" in html
    assert 'class="brand"' in html
    assert re.search(r'<a class="button primary" href="/">', html)


def test_a_missing_page_is_styled_and_links_home(client: Client, world: World) -> None:
    login(client, world.coach_x)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    _in_layout(html)
    assert "<title>Page not found · runstrong</title>" in html
    assert reverse("coaching:overview") in html  # the coach keeps the coach nav
    # Another coach's athlete answers the same page: nothing says the athlete exists.
    other = client.get(reverse("coaching:athlete", args=[world.athlete_c.pk]))
    assert other.status_code == 404
    assert "This page is not here" in other.content.decode()


def test_forbidden_is_styled_and_links_home(rf: RequestFactory, db: None) -> None:
    request = rf.get("/coach/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout(html)
    assert "You cannot open this page" in html


def _broken(request: object) -> dict[str, object]:
    raise RuntimeError("the database is down")


@override_settings(
    TEMPLATES=[
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": ["tests.web.test_everywhere._broken"],
            },
        }
    ]
)
def test_server_error_page_needs_no_request_context(rf: RequestFactory) -> None:
    """A 500 renders with no context processor (one may be what failed) and no database."""
    response = defaults.server_error(rf.get("/coach/"))
    assert response.status_code == 500
    html = response.content.decode()
    _in_layout(html)
    assert "Nothing you logged is lost" in html


def test_too_many_wrong_passwords_show_the_styled_lockout_page(client: Client, db: None) -> None:
    make_coach("casey")
    for _ in range(5):
        client.post(reverse("login"), {"username": "casey", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "runstrong/app.css" in html
    assert 'class="brand"' in html
    assert "Log in paused for this account" in html
    assert "After 5 wrong passwords for <strong>casey</strong>" in html
    assert "paused for 15 minutes" in html
    assert f'href="{reverse("login")}">Back to log in</a>' in html
    assert f'href="{reverse("password_reset")}">Forgot your password?</a>' in html


def test_the_favicon_is_the_apps_icon_and_is_served(client: Client, db: None) -> None:
    html = client.get(reverse("login")).content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert href is not None
    icon = client.get(href.group(1))
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]


def test_the_skip_link_is_the_first_thing_to_focus(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    html = client.get(reverse("coaching:today")).content.decode()
    body = html[html.index("<body") :]
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
    assert first is not None
    assert first.group(0) == '<a class="skip-link" href="#content">'
    assert '<main id="content" tabindex="-1">' in body


def test_the_tokens_page_keeps_the_coach_nav(client: Client, world: World) -> None:
    login(client, world.coach_x)
    html = client.get(reverse("coaching:tokens")).content.decode()
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    for page in ("overview", "plan-new", "test-days", "roster"):
        assert reverse(f"coaching:{page}") in nav
    # Tokens live under the account: its link marks where the coach is.
    assert f'<a href="{reverse("coaching:account")}" class="account" aria-current="page">' in nav


def test_the_item_edit_page_is_titled_with_its_context(client: Client, world: World) -> None:
    item = PlannedItem.objects.filter(session__athlete=world.athlete_a).first()
    assert item is not None
    login(client, world.coach_x)
    html = client.get(reverse("coaching:item-edit", args=[item.pk])).content.decode()
    day = item.session.date
    title = re.search(r"<title>(.*)</title>", html)
    assert title is not None
    assert title.group(1) == (
        f"Edit {item.name} · {world.athlete_a.name} · {day:%a} {day.day} {day:%b} · runstrong"
    )


def _profile(world: World, **changes: str) -> dict[str, str]:
    athlete = world.athlete_a
    data = {
        "name": athlete.name,
        "email": athlete.email,
        "event_group": athlete.event_group,
        "sex": athlete.sex,
        "body_mass_kg": str(athlete.body_mass_kg),
        "experience": athlete.experience,
        "leg_length": athlete.leg_length,
        "stride_goal": athlete.stride_goal,
        "kettlebells": "8, 12, 16",
        "races-TOTAL_FORMS": "1",
        "races-INITIAL_FORMS": "0",
        "races-0-name": "",
        "races-0-date": "",
        "races-0-priority": "",
    }
    data.update(changes)
    return data


def test_the_blank_race_row_starts_empty_and_is_ignored(client: Client, world: World) -> None:
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[world.athlete_a.pk])
    html = client.get(url).content.decode()
    assert 'name="races-0-name" maxlength="120" id="id_races-0-name">' in html  # no value
    priority = html[html.index('name="races-0-priority"') :]
    priority = priority[: priority.index("</select>")]
    assert '<option value="" selected>—</option>' in priority
    before = Race.objects.filter(athlete=world.athlete_a).count()
    response = client.post(url, _profile(world))
    assert response.status_code == 302
    assert Race.objects.filter(athlete=world.athlete_a).count() == before


def test_a_race_with_only_a_date_is_named_race(client: Client, world: World) -> None:
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[world.athlete_a.pk])
    day = world.today.replace(year=world.today.year + 1).isoformat()
    client.post(url, _profile(world, **{"races-0-date": day, "races-0-priority": "B"}))
    race = Race.objects.get(athlete=world.athlete_a, date=day)
    assert (race.name, race.priority) == ("Race", "B")


@pytest.mark.parametrize("kind", ["profile", "race"])
def test_profile_errors_are_summed_up_with_links(client: Client, world: World, kind: str) -> None:
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[world.athlete_a.pk])
    day = world.today.isoformat()
    bad = (
        {"name": "", "body_mass_kg": "500"}
        if kind == "profile"
        else {"races-0-date": day, "races-0-name": "Parkrun"}
    )
    response = client.post(url, _profile(world, **bad))
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') : html.index("</section>")]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    if kind == "profile":
        assert links == [
            ("id_name", "Name: This field is required."),
            ("id_body_mass_kg", "Body mass kg: Ensure this value is less than or equal to 200."),
        ]
    else:
        assert links == [("id_races-0-priority", "New race, priority: This field is required.")]
    for target, _ in links:
        assert f'id="{target}"' in html
    assert world.athlete_a.name in html  # nothing saved, nothing lost: the form is shown again


def test_an_expired_form_gets_the_styled_page(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout(html)
    assert "This form could not be sent" in html
