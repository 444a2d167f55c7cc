"""Invitations and password reset by email (Django's locmem backend in tests)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from runstrong.web.coaching.invitations import (
    InvitationGone,
    invitation_accept,
    invitation_get,
    invitation_issue,
)
from runstrong.web.coaching.models import Athlete, Invitation
from runstrong.web.config.email import email_settings
from tests.personas import World, login
from tests.web.factories import make_athlete

ROSTER = "name,email,event_group\nAda Quick,ada@example.org,5k\nNo Mail,,10k\n"
GOOD = {"password1": "tempo-run-42x", "password2": "tempo-run-42x"}


def _link_path(body: str) -> str:
    match = re.search(r"http://testserver(/invite/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Run what is queued as `runstrong worker` would. The worker closes "old" connections
    between tasks, which on PostgreSQL would close the test's own (it is in a transaction)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: call_command("db_worker", batch=True, interval=0, verbosity=0)


@pytest.fixture(autouse=True)
def locmem(settings: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]


def test_import_emails_each_new_athlete_their_link(client: Client, world: World) -> None:
    login(client, world.coach_x)
    page = client.post(
        reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "send_email": "on"}
    ).content.decode()
    assert len(mail.outbox) == 1, "the athlete without an address gets no email"
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert "Ada Quick" in message.body
    path = _link_path(message.body)
    assert f"http://testserver{path}" in page, "the page shows the same link"
    assert "1 email is on the way" in page
    invitation = Invitation.objects.get(athlete__name="Ada Quick")
    assert invitation.emailed_at is not None
    assert invitation.email_error == ""
    listed = client.get(reverse("coaching:invitations")).content.decode()
    assert "Emailed " in listed

    athlete = Client()
    accepted = athlete.post(path, {"username": "ada", **GOOD})
    assert accepted["Location"] == reverse("coaching:today")
    assert Athlete.objects.get(name="Ada Quick").user.email == "ada@example.org"
    gone = athlete.get(path)
    assert gone.status_code == 404
    assert "This link has been used" in gone.content.decode()


def test_reissue_replaces_the_old_link(client: Client, world: World) -> None:
    login(client, world.coach_x)
    client.post(reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "send_email": "on"})
    first = _link_path(mail.outbox[0].body)
    ada = Athlete.objects.get(name="Ada Quick")
    page = client.get(reverse("coaching:invitations")).content.decode()
    assert "Ada Quick" in page
    assert "athletea" not in page.lower(), "athletes with a login are not listed"
    done = client.post(
        reverse("coaching:invitations"), {"athletes": [str(ada.pk)], "send_email": "on"}
    )
    assert len(mail.outbox) == 2
    second = _link_path(mail.outbox[1].body)
    assert second != first
    assert 'data-copy="link-1"' in done.content.decode()
    old = Client().get(first)
    assert old.status_code == 404
    assert "replaced by a newer one" in old.content.decode()
    assert Client().get(second).status_code == 200
    assert Invitation.objects.filter(athlete=ada).count() == 1


def test_a_link_expires_after_the_configured_days(
    client: Client, world: World, settings: object
) -> None:
    settings.RUNSTRONG_INVITATION_DAYS = 3  # type: ignore[attr-defined]
    login(client, world.coach_x)
    client.post(reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "send_email": "on"})
    path = _link_path(mail.outbox[0].body)
    invitation = Invitation.objects.get(athlete__name="Ada Quick")
    left = invitation.expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < left <= timedelta(days=3)
    assert Client().get(path).status_code == 200
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    expired = Client().post(path, {"username": "ada", **GOOD})
    assert expired.status_code == 404
    assert "This link has expired" in expired.content.decode()
    assert Athlete.objects.get(name="Ada Quick").user is None
    assert "Expired" in client.get(reverse("coaching:invitations")).content.decode()


def test_the_links_csv_holds_only_this_coachs_open_links(client: Client, world: World) -> None:
    login(client, world.coach_x)
    done = client.post(reverse("coaching:roster"), {"text": ROSTER, "confirm": "1"})
    links = re.findall(r'name="link" value="([^"]+)"', done.content.decode())
    assert len(links) == 2
    response = client.post(
        reverse("coaching:invitation-links"), {"link": [*links, "http://evil/invite/=cmd/"]}
    )
    text = response.content.decode("utf-8-sig")
    assert "attachment" in response["Content-Disposition"]
    assert text.splitlines()[0] == "name,email,squad,invitation_link,works_until"
    assert all(link in text for link in links)
    assert "evil" not in text
    login(client, world.coach_y)
    assert (
        links[0]
        not in client.post(reverse("coaching:invitation-links"), {"link": links}).content.decode()
    )


def test_usernames_go_through_djangos_validators(client: Client, world: World) -> None:
    athlete = make_athlete(world.coach_x, None, name="Gil")
    path = reverse("invite", args=[invitation_issue(athlete=athlete).token])
    for bad in ("gil <script>", "x" * 151, "athletea", "ATHLETEA"):
        response = Client().post(path, {"username": bad, **GOOD})
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
    athlete.refresh_from_db()
    assert athlete.user is None
    assert Client().post(path, {"username": "gil.r+1", **GOOD}).status_code == 302


def test_two_accepts_of_one_link_make_one_login(world: World) -> None:
    athlete = make_athlete(world.coach_x, None, name="Hal")
    token = invitation_issue(athlete=athlete).token
    first, second = invitation_get(token=token), invitation_get(token=token)
    invitation_accept(invitation=first, username="hal1", password="tempo-run-42x")
    with pytest.raises(InvitationGone):
        invitation_accept(invitation=second, username="hal2", password="tempo-run-42x")
    athlete.refresh_from_db()
    assert athlete.user.username == "hal1"
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="hal2").exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_of_one_link_make_one_login() -> None:
    from tests.web.factories import make_coach

    athlete = make_athlete(make_coach("coachz"), None, name="Ida")
    token = invitation_issue(athlete=athlete).token
    seen = [invitation_get(token=token), invitation_get(token=token)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(index: int) -> None:
        from django.db import OperationalError, connections

        try:
            barrier.wait()
            # The test database is SQLite in shared memory, which answers "locked" at once
            # where a database file waits for the lock: try again, as a browser's retry would.
            for _ in range(100):
                try:
                    invitation_accept(
                        invitation=seen[index], username=f"ida{index}", password="tempo-run-42x"
                    )
                except OperationalError:
                    time.sleep(0.02)
                    continue
                except InvitationGone:
                    outcomes.append("gone")
                else:
                    outcomes.append("ok")
                break
            else:
                outcomes.append("locked")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["gone", "ok"]
    athlete.refresh_from_db()
    assert athlete.user is not None


def test_password_reset_by_email(client: Client, world: World) -> None:
    user = world.athlete_a.user
    user.email = "a@example.org"
    user.save()
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
    sent = client.post(reverse("password_reset"), {"email": "a@example.org"})
    assert sent["Location"] == reverse("password_reset_done")
    assert "Check your email" in client.get(sent["Location"]).content.decode()
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/password/reset/\S+/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    form = client.get(match.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "hill-reps-99z", "new_password2": "hill-reps-99z"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("hill-reps-99z")
    assert (
        client.post(reverse("password_reset"), {"email": "nobody@example.org"}).status_code == 302
    )
    assert len(mail.outbox) == 1, "no email for an unknown address, and the page says the same"


def test_email_url_parsing() -> None:
    assert email_settings("").backend.endswith("console.EmailBackend")
    smtp = email_settings("smtp+tls://me%40club.org:p%2Fw@mail.club.org")
    assert (smtp.host, smtp.port, smtp.user, smtp.password) == (
        "mail.club.org", 587, "me@club.org", "p/w",
    )  # fmt: skip
    assert smtp.use_tls
    assert not smtp.use_ssl
    assert email_settings("smtps://mail.club.org").port == 465
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings("carrier-pigeon://loft")


def test_an_email_that_cannot_be_sent_keeps_the_links(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    login(client, world.coach_x)
    page = client.post(
        reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "send_email": "on"}
    ).content.decode()
    assert Athlete.objects.filter(name="Ada Quick").exists()
    invitation = Invitation.objects.get(athlete__name="Ada Quick")
    assert invitation.emailed_at is None
    assert invitation.email_error == "mail server down"
    assert "/invite/" in page, "the links can still be copied"
    listed = client.get(reverse("coaching:invitations")).content.decode()
    assert "Email not sent: mail server down" in listed


def test_queued_emails_leave_no_link_behind_in_the_task_table(
    client: Client, world: World, settings: Any, worker: Callable[[], None]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    login(client, world.coach_x)
    page = client.post(
        reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "send_email": "on"}
    ).content.decode()
    assert "1 email is on the way" in page
    assert mail.outbox == [], "the request only queued it"
    queued = DBTaskResult.objects.get()
    assert "/invite/" in json.dumps(queued.args_kwargs)
    worker()
    assert len(mail.outbox) == 1
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL"
    assert "/invite/" not in json.dumps(done.args_kwargs), "the link is kept only as a hash"
    assert Invitation.objects.get(athlete__name="Ada Quick").emailed_at is not None


def test_a_link_replaced_before_its_email_went_is_not_sent(
    client: Client, world: World, settings: Any, worker: Callable[[], None]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    login(client, world.coach_x)
    client.post(reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "send_email": "on"})
    ada = Athlete.objects.get(name="Ada Quick")
    client.post(reverse("coaching:invitations"), {"athletes": [ada.pk]})
    worker()
    assert mail.outbox == [], "the first link stopped working when the second was made"


def test_new_links_for_everyone_listed_in_one_step(client: Client, world: World) -> None:
    login(client, world.coach_x)
    client.post(reverse("coaching:roster"), {"text": ROSTER, "confirm": "1"})
    done = client.post(reverse("coaching:invitations"), {"all": "1"}).content.decode()
    links = re.findall(r'name="link" value="([^"]+)"', done)
    assert len(links) == 2, "both athletes without a login, none of coach Y's"
    text = client.post(reverse("coaching:invitation-links"), {"link": links}).content.decode()
    assert "Ada Quick" in text
    assert "No Mail" in text


def test_password_reset_stops_after_the_limit_without_saying_who_exists(
    client: Client, world: World, settings: Any
) -> None:
    settings.RUNSTRONG_PASSWORD_RESET_RATE = "3/h"
    user = world.athlete_a.user
    user.email = "a@example.org"
    user.save()
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "A@example.org"}).status_code == 302
    refused = client.post(reverse("password_reset"), {"email": "a@example.org"})
    assert refused.status_code == 429
    assert "Too many reset emails" in refused.content.decode()
    assert 'value="a@example.org"' in refused.content.decode(), "the form keeps what was typed"
    assert len(mail.outbox) == 3, "no fourth email to the same inbox"
    # The same limit for any address from this caller: no way to tell accounts apart.
    stranger = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert stranger.status_code == 429
    assert len(mail.outbox) == 3


def test_a_password_reset_email_goes_through_the_worker(
    client: Client, world: World, settings: Any, worker: Callable[[], None]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = world.athlete_a.user
    user.email = "a@example.org"
    user.save()
    assert client.post(reverse("password_reset"), {"email": "a@example.org"}).status_code == 302
    assert mail.outbox == []
    worker()
    assert len(mail.outbox) == 1
    assert "/password/reset/" in mail.outbox[0].body
    assert "/password/reset/" not in json.dumps(DBTaskResult.objects.get().args_kwargs)


def test_the_password_reset_limit_is_counted_where_every_worker_sees_it() -> None:
    """Each gunicorn worker has its own memory: the limit lives in the shared "limits" cache
    (files in the data folder, or Redis), not in the per-process default."""
    from django.conf import settings as live

    from runstrong.web.config import settings as shipped

    assert shipped.CACHES["limits"]["BACKEND"].endswith(("FileBasedCache", "RedisCache"))
    assert "limits" in live.CACHES
