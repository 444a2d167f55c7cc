"""The running-plan pages: a coach and an athlete upload, subscribe and fetch; a refused file
is named with its reason; the coach's override is shown as the coach's and moves sessions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
from runstrong.web.coaching.running_plan import calendar_upload
from tests.web.factories import make_athlete, make_coach
from tests.web.running_feeds import Feed, feed_server, ics

pytestmark = pytest.mark.django_db


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


@pytest.fixture
def coach():
    return make_coach("coach")


@pytest.fixture
def athlete(coach):
    return make_athlete(coach, "ana")


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_athlete_uploads_their_plan_from_the_phone(athlete) -> None:
    client = _client("ana")
    page = reverse("coaching:my-running")
    data = ics([("Intervals 5 x 1 km", _day(1), None), ("Easy jog", _day(2), None)])
    response = client.post(
        page,
        {"action": "upload", "ics": SimpleUploadedFile("plan.ics", data, "text/calendar")},
        follow=True,
    )
    text = response.content.decode()
    assert "Running plan read: 2 runs." in text
    assert "Intervals 5 x 1 km" in text
    assert "interval" in text  # the rule key beside the reason
    assert "Count as" not in text  # only the coach overrides


def test_a_refused_file_is_named_with_its_reason_and_nothing_changes(athlete) -> None:
    calendar_upload(athlete, ics([("Tempo", _day(1), None)]))
    response = _client("ana").post(
        reverse("coaching:my-running"),
        {"action": "upload", "ics": SimpleUploadedFile("notes.txt", b"hello", "text/plain")},
    )
    assert response.status_code == 200
    assert "notes.txt: not an iCalendar file" in response.content.decode()
    assert list(PlannedRun.objects.values_list("title", flat=True)) == ["Tempo"]


@override_settings(RUNSTRONG_FETCH_ALLOW_LOOPBACK=False)
def test_an_inside_subscription_url_is_refused_on_the_form_and_not_kept(athlete) -> None:
    url = "http://169.254.169.254/latest/meta-data/"
    response = _client("ana").post(reverse("coaching:my-running"), {"action": "url", "url": url})
    assert response.status_code == 200
    assert "only public addresses are fetched" in response.content.decode()
    assert not RunningCalendar.objects.filter(athlete=athlete).exclude(url="").exists()


def test_the_coach_subscribes_fetches_and_sees_the_last_error(athlete) -> None:
    client = _client("coach")
    page = reverse("coaching:athlete-running", args=[athlete.pk])
    with feed_server(8882) as server:
        server.feeds["/a.ics"] = Feed(ics([("Long run", _day(3), None)]))
        response = client.post(page, {"action": "url", "url": server.url("/a.ics")}, follow=True)
        assert "Running plan read: 1 runs." in response.content.decode()
        server.feeds["/a.ics"] = Feed(b"not a calendar")
        response = client.post(page, {"action": "fetch"}, follow=True)
    text = response.content.decode()
    assert "Not fetched: not an iCalendar file" in text
    assert "Last error" in text
    assert "Long run" in text
    assert RunningCalendar.objects.get(athlete=athlete).good_ics


def test_a_url_that_is_not_http_is_shown_again_with_the_error(athlete) -> None:
    response = _client("coach").post(
        reverse("coaching:athlete-running", args=[athlete.pk]),
        {"action": "url", "url": "file:///etc/passwd"},
    )
    assert response.status_code == 200
    assert "only http:// and https:// URLs can be fetched" in response.content.decode()


def test_the_coach_overrides_a_run_and_it_shows_as_the_coachs(athlete) -> None:
    calendar_upload(athlete, ics([("Steady", _day(2), None)]))
    run = PlannedRun.objects.get()
    client = _client("coach")
    response = client.post(
        reverse("coaching:planned-run-override", args=[athlete.pk, run.pk]),
        {"override": "hard"},
        follow=True,
    )
    assert "Set hard by the coach" in response.content.decode()
    run.refresh_from_db()
    assert run.is_hard
    athlete_page = client.get(reverse("coaching:athlete", args=[athlete.pk])).content.decode()
    assert "1 set by you" in athlete_page


def test_the_athlete_page_flags_a_running_load_jump(athlete) -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    runs = []
    for day in range(-35, 14):
        when = monday + timedelta(days=day)
        if when.weekday() in (1, 3, 5):
            start = datetime(
                when.year, when.month, when.day, 7, tzinfo=timezone.get_current_timezone()
            )
            minutes = 150 if when >= monday + timedelta(days=7) else 40
            runs.append((f"Run {day}", start, minutes))
    calendar_upload(athlete, ics(runs))
    text = _client("coach").get(reverse("coaching:athlete", args=[athlete.pk])).content.decode()
    assert "Running load jumps" in text


def test_the_overview_flags_a_running_load_jump(athlete) -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    zone = timezone.get_current_timezone()
    runs = []
    for day in range(-35, 14):
        when = monday + timedelta(days=day)
        minutes = 200 if when >= monday - timedelta(days=7) else 30
        runs.append(
            (f"Run {day}", datetime(when.year, when.month, when.day, 7, tzinfo=zone), minutes)
        )
    calendar_upload(athlete, ics(runs))
    text = _client("coach").get(reverse("coaching:overview")).content.decode()
    assert "Running load jumps · Week of" in text
    assert reverse("coaching:athlete-running", args=[athlete.pk]) in text
