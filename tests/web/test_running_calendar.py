"""Running-plan calendars: uploads and subscriptions served by a local server, refusals that
keep the last good copy, and the address guard with the test allowance switched off."""

from __future__ import annotations

import socket
from datetime import date, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from runstrong.web.coaching import safe_fetch
from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar
from runstrong.web.coaching.running_plan import (
    calendar_fetch,
    calendar_set_url,
    calendar_upload,
    run_override,
)
from runstrong.web.coaching.safe_fetch import FetchRefused, Limits, fetch
from runstrong.web.coaching.tasks import sync_due_running_calendars
from tests.web.factories import make_athlete, make_coach
from tests.web.running_feeds import Feed, feed_server, ics

pytestmark = pytest.mark.django_db
PORT = 8881


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def _at(offset: int, hour: int = 18) -> datetime:
    day = _day(offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def athlete():
    return make_athlete(make_coach("coach"), "ana")


def test_a_subscription_picks_up_changes(athlete) -> None:
    with feed_server(PORT) as server:
        server.feeds["/plan.ics"] = Feed(ics([("6 x 800 m intervals", _at(2), 60)]))
        assert calendar_set_url(athlete, server.url("/plan.ics")) is None
        first = calendar_fetch(athlete)
        assert first.ok, first.error
        run = PlannedRun.objects.get(athlete=athlete)
        assert (run.date, run.title, run.minutes, run.hard) == (
            _day(2),
            "6 x 800 m intervals",
            60,
            True,
        )
        assert "interval" in run.rule_keys
        server.feeds["/plan.ics"] = Feed(
            ics([("Easy 40 min", _at(2), 40), ("Tempo 3 x 10 min", _at(4), 55)])
        )
        assert calendar_fetch(athlete).ok
    runs = list(PlannedRun.objects.filter(athlete=athlete).order_by("date"))
    assert [(run.date, run.title, run.hard) for run in runs] == [
        (_day(2), "Easy 40 min", False),
        (_day(4), "Tempo 3 x 10 min", True),
    ]


@pytest.mark.parametrize(
    ("feed", "why"),
    [
        (Feed(delay_s=3), "too long"),
        (Feed(trickle_s=0.05, body=b"BEGIN:VCALENDAR\r\n" * 20), "longer than 2 s"),
        (Feed(b"X" * 60_000), "larger than"),
        (Feed(b"X" * 60_000, declare_length=False), "larger than"),
        (Feed(b"<html>Not found</html>"), "not an iCalendar file"),
        (Feed(status=500), "answered 500"),
    ],
    ids=["slow", "trickle", "huge", "huge-undeclared", "invalid", "server-error"],
)
@override_settings(RUNSTRONG_FETCH_TIMEOUT=2, RUNSTRONG_FETCH_MAX_BYTES=50_000)
def test_a_bad_feed_is_refused_and_the_last_good_copy_kept(athlete, feed, why) -> None:
    with feed_server(PORT) as server:
        server.feeds["/plan.ics"] = Feed(ics([("Long run", _at(3, 9), 100)]))
        calendar_set_url(athlete, server.url("/plan.ics"))
        assert calendar_fetch(athlete).ok
        good = RunningCalendar.objects.get(athlete=athlete)
        server.feeds["/plan.ics"] = feed
        result = calendar_fetch(athlete)
    assert not result.ok
    assert why in result.error
    calendar = RunningCalendar.objects.get(athlete=athlete)
    assert calendar.good_ics == good.good_ics
    assert calendar.good_at == good.good_at
    assert why in calendar.error
    assert calendar.error_at is not None
    assert list(PlannedRun.objects.filter(athlete=athlete).values_list("title", "hard")) == [
        ("Long run", True)
    ]


def test_an_invalid_upload_changes_nothing(athlete) -> None:
    assert calendar_upload(athlete, ics([("Hills 8 x 60 s", _day(1), None)])).ok
    refused = calendar_upload(athlete, b"BEGIN:VCALENDAR\r\nthis is not\r\n")
    assert not refused.ok
    assert refused.error
    assert list(PlannedRun.objects.values_list("title", flat=True)) == ["Hills 8 x 60 s"]


def test_a_coach_override_survives_the_next_sync(athlete) -> None:
    data = ics([("Steady 50", _at(3), 50)])
    calendar_upload(athlete, data)
    run = PlannedRun.objects.get()
    assert not run.is_hard
    run_override(athlete, run.pk, "hard", "coach")
    calendar_upload(athlete, data)
    run.refresh_from_db()
    assert (run.override, run.is_hard, run.hard) == ("hard", True, False)


@override_settings(RUNSTRONG_FETCH_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8881/plan.ics",
        "http://localhost:8881/plan.ics",
        "http://10.1.2.3/plan.ics",
        "http://192.168.0.1/plan.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8881/plan.ics",
        "http://0.0.0.0:8881/plan.ics",
    ],
)
def test_inside_addresses_are_refused(url) -> None:
    with pytest.raises(FetchRefused, match="only public addresses"):
        fetch(url)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8881/inside.ics",
        "http://10.0.0.5/x.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8881/inside.ics",
    ],
)
@override_settings(RUNSTRONG_FETCH_ALLOW_LOOPBACK=False)
def test_a_redirect_to_an_inside_address_is_refused(monkeypatch, target) -> None:
    """The first hop stands in for a public server (the test's own, let through once); every
    later hop is checked with loopback refused, as in production."""
    checked = safe_fetch.public_address
    hops: list[str] = []

    def first_hop_public(host, port, limits):
        hops.append(host)
        if len(hops) == 1:
            return "127.0.0.1"
        return checked(host, port, limits)

    monkeypatch.setattr(safe_fetch, "public_address", first_hop_public)
    with feed_server(PORT) as server:
        server.feeds["/jump"] = Feed(status=302, location=target)
        server.feeds["/inside.ics"] = Feed(ics([("Easy", _day(1), None)]))
        with pytest.raises(FetchRefused, match="only public addresses"):
            fetch("http://feeds.example.com:8881/jump")
    assert len(hops) == 2


def test_the_connection_goes_to_the_address_checked(monkeypatch) -> None:
    """DNS rebinding: a name answering a public (here: allowed) address to the check and an
    inside one afterwards is still fetched from the address that was checked."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"])

    def rebinding(host, port, *args, **kwargs):
        if host == "plan.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "10.9.9.9"), port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with feed_server(PORT) as server:
        server.feeds["/plan.ics"] = Feed(ics([("Tempo", _day(1), None)]))
        body = fetch(
            "http://plan.example.com:8881/plan.ics",
            Limits(timeout_s=2, max_bytes=50_000, allow_loopback=True),
        )
    assert b"Tempo" in body


def test_a_name_that_resolves_inside_is_refused_and_the_checked_address_used(
    monkeypatch,
) -> None:
    """DNS rebinding: the name is looked up once, checked, and that address is connected to."""
    looked_up: list[str] = []

    def resolve(host, port, *args, **kwargs):
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchRefused, match=r"10\.9\.8\.7"):
        fetch(
            "http://plan.example.com/feed.ics",
            Limits(timeout_s=1, max_bytes=1000, allow_loopback=False),
        )
    assert looked_up == ["plan.example.com"]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/x.ics", "http://user:pw@example.com/x"]
)
def test_only_plain_http_urls_are_kept(athlete, url) -> None:
    assert calendar_set_url(athlete, url)
    assert not RunningCalendar.objects.filter(athlete=athlete).exclude(url="").exists()


def test_the_scheduled_sync_fetches_only_subscriptions_due(athlete) -> None:
    other = make_athlete(athlete.squad.coach, "bo")
    with feed_server(PORT) as server:
        server.feeds["/a.ics"] = Feed(ics([("Tempo", _day(1), None)]))
        server.feeds["/b.ics"] = Feed(ics([("Tempo", _day(1), None)]))
        calendar_set_url(athlete, server.url("/a.ics"))
        calendar_set_url(other, server.url("/b.ics"))
        RunningCalendar.objects.filter(athlete=other).update(tried_at=timezone.now())
        result = sync_due_running_calendars.enqueue()
    assert result.return_value == 1
    assert PlannedRun.objects.filter(athlete=athlete).count() == 1
    assert not PlannedRun.objects.filter(athlete=other).exists()
