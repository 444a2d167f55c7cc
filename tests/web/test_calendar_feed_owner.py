"""A calendar feed lives as long as its owner's login: deactivating the user ends it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from runstrong.web.coaching.calendar_feed import feed_create, squad_feed_create
from tests.personas import World


def _feed_answers(url: str) -> int:
    return Client().get(url).status_code


def test_an_athletes_feed_stops_when_their_login_is_deactivated(world: World) -> None:
    url = f"/calendar/{feed_create(athlete=world.athlete_a)}.ics"
    assert _feed_answers(url) == 200
    get_user_model().objects.filter(pk=world.athlete_a.user_id).update(is_active=False)
    assert _feed_answers(url) == 404
    get_user_model().objects.filter(pk=world.athlete_a.user_id).update(is_active=True)
    assert _feed_answers(url) == 200, "reactivating the login brings the same link back"


def test_an_athletes_feed_stops_when_their_login_is_deleted(world: World) -> None:
    url = f"/calendar/{feed_create(athlete=world.athlete_a)}.ics"
    world.athlete_a.user.delete()
    assert _feed_answers(url) == 404


def test_a_squad_feed_stops_when_the_coach_is_deactivated(world: World) -> None:
    url = f"/calendar/squad/{squad_feed_create(coach=world.coach_x)}.ics"
    other = f"/calendar/squad/{squad_feed_create(coach=world.coach_y)}.ics"
    assert _feed_answers(url) == 200
    user = world.coach_x.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _feed_answers(url) == 404
    assert _feed_answers(other) == 200, "another coach's feed is untouched"
