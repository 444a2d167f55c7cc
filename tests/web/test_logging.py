"""Logging a session on the phone: prefilled sets, bad values kept, no double logs, progression."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import PainReport, PlannedItem, SessionLog, SetLog
from tests.engine.test_catalog import DEFAULT_TEXT
from tests.personas import World, login


def full_form(client: Client, url: str) -> dict[str, str]:
    """The log form's prefilled values, as the browser would submit them untouched."""
    form = client.get(url).context["form"]
    return {name: str(form[name].value() or "") for name in form.fields}


def test_log_form_is_prefilled_from_the_prescription(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    data = full_form(client, reverse("coaching:session-log", args=[session.pk]))
    item = session.items.get(slot="A2")
    assert data[f"set-{item.pk}-1-done"] == f"{item.target:g}"


def test_saving_records_every_set_and_moves_the_next_prescription_on(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    data = full_form(client, url)
    data["reps_in_reserve"] = "2"
    response = client.post(url, data)
    assert response.status_code == 302
    crawl = session.items.get(exercise="crouching-crawl")
    assert SetLog.objects.filter(item=crawl).count() == crawl.sets
    following = (
        PlannedItem.objects.filter(
            session__athlete=world.athlete_a,
            session__date__gt=session.date,
            exercise=crawl.exercise,
        )
        .order_by("session__date")
        .first()
    )
    assert following is not None
    assert following.target == crawl.target + 5  # 10 m -> 15 m, double progression
    today = client.get(reverse("coaching:today")).content.decode()
    assert "What changes next time" in today
    assert "S16" in today


def test_a_bad_value_reshows_the_form_with_everything_typed(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    data = full_form(client, url)
    crawl = session.items.get(exercise="crouching-crawl")
    data[f"set-{crawl.pk}-1-done"] = "ten"
    data[f"set-{crawl.pk}-2-done"] = "12"
    data["notes"] = "felt strong"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="ten"' in page
    assert 'value="12"' in page
    assert "felt strong" in page
    assert "Type a number, e.g. 12 or 16,5." in page
    assert not SessionLog.objects.filter(session=session).exists()


def test_a_double_submit_records_one_log_not_two(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    data = full_form(client, url)
    client.post(url, data)
    count = SetLog.objects.filter(item__session=session).count()
    client.post(url, data)
    assert SetLog.objects.filter(item__session=session).count() == count
    assert SessionLog.objects.filter(session=session).count() == 1


def test_one_tap_confirms_a_single_set(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    crawl = session.items.get(exercise="crouching-crawl")
    prefix = f"set-{crawl.pk}-1"
    url = reverse("coaching:session-set", args=[session.pk])
    body = {"prefix": prefix, f"{prefix}-done": "11", f"{prefix}-load": ""}
    first = client.post(url, body, HTTP_HX_REQUEST="true")
    client.post(url, body, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "✓ saved" in first.content.decode()
    assert SetLog.objects.filter(item=crawl).count() == 1
    assert SetLog.objects.get(item=crawl).done == 11


def test_one_tap_with_a_bad_value_keeps_it_and_saves_nothing(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    crawl = session.items.get(exercise="crouching-crawl")
    prefix = f"set-{crawl.pk}-1"
    response = client.post(
        reverse("coaching:session-set", args=[session.pk]),
        {"prefix": prefix, f"{prefix}-done": "-3", f"{prefix}-load": ""},
    )
    assert response.status_code == 400
    assert 'value="-3"' in response.content.decode()
    assert not SetLog.objects.filter(item=crawl).exists()


def test_a_missed_session_repeats_its_prescription_next_time(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    missed_item = session.items.get(exercise="single-leg-squat")
    following = (
        PlannedItem.objects.filter(
            session__athlete=world.athlete_a,
            session__date__gt=session.date,
            exercise="single-leg-squat",
        )
        .order_by("session__date")
        .first()
    )
    # The plan had moved the next session on; missing this one must hold the athlete back.
    following.target = missed_item.target + 2
    following.save()
    response = client.post(
        reverse("coaching:session-missed", args=[session.pk]), {"reason": "Work ran late"}
    )
    following.refresh_from_db()
    assert response.status_code == 302
    assert SessionLog.objects.get(session=session).status == "missed"
    assert (following.target, following.load_kg) == (missed_item.target, missed_item.load_kg)


def test_missed_without_a_reason_is_reshown(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    response = client.post(reverse("coaching:session-missed", args=[session.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_pain_of_three_raises_a_flag_the_coach_sees(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    data = full_form(client, url)
    squat = session.items.get(exercise="banded-spanish-squat")
    data.update(
        {
            f"pain-{squat.pk}-score": "4",
            f"pain-{squat.pk}-area": "knee",
            f"pain-{squat.pk}-side": "left",
        }
    )
    client.post(url, data)
    assert PainReport.objects.get(athlete=world.athlete_a).score == 4
    today = client.get(reverse("coaching:today")).content.decode()
    assert "Your coach will see" in today
    login(client, world.coach_x)
    overview = client.get(reverse("coaching:overview")).content.decode()
    assert f"Pain 4/10 left knee in the {squat.name} · " in overview
    assert overview.index(world.athlete_a.name) < overview.index(world.athlete_b.name)


def test_a_deload_week_does_not_shrink_the_weeks_after_it(world: World) -> None:
    from runstrong.web.coaching.models import PlannedSession
    from runstrong.web.coaching.session_log import SetEntry, session_log_done

    sessions = list(PlannedSession.objects.filter(athlete=world.athlete_a).order_by("date"))
    deload_index = next(
        i for i, s in enumerate(sessions[:-1]) if s.deload and not sessions[i + 1].deload
    )
    deload, after = sessions[deload_index], sessions[deload_index + 1]
    crawl = deload.items.get(exercise="crouching-crawl")
    planned_after = after.items.get(exercise="crouching-crawl").sets
    entries = [SetEntry(crawl.pk, n, "", crawl.target, None) for n in range(1, crawl.sets + 1)]
    session_log_done(
        session=deload, sets=entries, reps_in_reserve=2, pain=0, pain_where="", notes=""
    )
    assert crawl.sets < planned_after
    assert after.items.get(exercise="crouching-crawl").sets == planned_after


def test_the_effort_hint_states_the_catalogs_reps_in_reserve(
    client: Client, world: World, tmp_path: Path, settings: Any
) -> None:
    """S18 from the catalog: a club that aims for 1–2 reps in reserve sees 1–2 on the phone."""
    club = tmp_path / "club.toml"
    club.write_text(DEFAULT_TEXT.replace("reps_in_reserve = [2, 3]", "reps_in_reserve = [1, 2]"))
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    assert "Aim for 2–3 left in the tank." in client.get(url).content.decode()
    settings.RUNSTRONG_CATALOG = str(club)
    assert "Aim for 1–2 left in the tank." in client.get(url).content.decode()
