"""The coach's view of one logged session: sets done against the plan, effort, pain, notes,
why it was missed; reachable from the athlete page; nobody else's coach sees it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import PainReport, PlannedSession
from runstrong.web.coaching.session_log import SetEntry, session_log_done, session_log_missed
from runstrong.web.coaching.site_catalog import site_catalog
from tests.personas import World, login


def text_of(html: str) -> str:
    """The page as a reader sees it: tags dropped, whitespace folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def log_short_session(session: PlannedSession, **details: object) -> None:
    """Every set logged; the crawl's second set 2 m short and its third at a heavier load."""
    entries = []
    for item in session.items.all():
        sides = ("left", "right") if item.per_side else ("",)
        for number in range(1, item.sets + 1):
            for side in sides:
                done, load = item.target, item.load_kg
                if item.exercise == "crouching-crawl" and number == 2:
                    done = item.target - 2
                if item.exercise == "crouching-crawl" and number == 3:
                    load = 4.0
                entries.append(SetEntry(item.pk, number, side, done, load))
    fields = {"reps_in_reserve": 1, "pain": 0, "pain_where": "", "notes": ""} | details
    session_log_done(session=session, sets=entries, **fields)  # type: ignore[arg-type]


def test_coach_sees_sets_against_target_effort_pain_and_notes(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    crawl = session.items.get(exercise="crouching-crawl")
    log_short_session(
        session, pain=4, pain_where="left knee", notes="Knee grumbled on the last squat set."
    )
    login(client, world.coach_x)
    response = client.get(reverse("coaching:session", args=[session.pk]))
    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert "Knee grumbled on the last squat set." in page
    assert "1 reps in reserve" in page
    assert "4/10 left knee" in page
    assert "open flag" in page
    planned = sum(i.sets * (2 if i.per_side else 1) for i in session.items.all())
    assert f"{planned} of {planned} sets logged" in page
    assert f"{planned - 1} on target" in page
    view = response.context["view"]
    line = next(line for line in view.items if line.item.pk == crawl.pk)
    assert [s.status for s in line.sets] == ["met", "short", "met"]
    assert line.sets[1].done == crawl.target - 2
    assert line.sets[2].load_changed
    assert not line.sets[0].load_changed
    assert f"{crawl.target - 2:g} / {crawl.target:g} m short" in page
    assert "4 kg (plan bodyweight)" in page


def test_a_missed_session_shows_the_athletes_reason(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    session_log_missed(session=session, reason="Flu, stayed in bed")
    login(client, world.coach_x)
    page = text_of(client.get(reverse("coaching:session", args=[session.pk])).content.decode())
    assert "Missed Flu, stayed in bed" in page
    assert "0 of" in page


def test_pain_below_the_catalogs_threshold_is_shown_but_is_no_flag(
    client: Client, world: World
) -> None:
    """S15–S17 rule: pain at `pain_regress_at` or more regresses and flags; less is only shown."""
    threshold = site_catalog().rules.progression.pain_regress_at
    session = world.next_session(world.athlete_a)
    log_short_session(session, pain=threshold - 1, pain_where="calf")
    login(client, world.coach_x)
    page = text_of(client.get(reverse("coaching:session", args=[session.pk])).content.decode())
    assert f"{threshold - 1}/10 calf" in page
    assert "open flag" not in page
    assert f"below the flag threshold ({threshold}/10)" in page


@pytest.mark.parametrize("persona", ["coach_y", "athlete_a", "athlete_b"])
def test_nobody_but_the_athletes_coach_sees_the_session(
    client: Client, world: World, persona: str
) -> None:
    session = world.next_session(world.athlete_a)
    log_short_session(session, notes="private")
    login(client, getattr(world, persona))
    response = client.get(reverse("coaching:session", args=[session.pk]))
    assert response.status_code == 404
    assert "private" not in response.content.decode()


def test_the_athlete_page_links_each_logged_session(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    log_short_session(session, notes="Felt strong today")
    login(client, world.coach_x)
    page = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk])).content.decode()
    link = reverse("coaching:session", args=[session.pk])
    sessions_card = page[page.index('id="sessions"') :]
    assert f'href="{link}"' in sessions_card.split("</section>")[0]
    assert "Felt strong today" in sessions_card


def test_the_athlete_pain_card_flags_only_from_the_threshold_up(
    client: Client, world: World
) -> None:
    threshold = site_catalog().rules.progression.pain_regress_at
    PainReport.objects.create(athlete=world.athlete_a, date=world.today, score=1, where="shin")
    PainReport.objects.create(
        athlete=world.athlete_a, date=world.today, score=threshold, where="hip"
    )
    login(client, world.coach_x)
    response = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk]))
    assert [f.where for f in response.context["pain"]["flags"]] == ["hip"]
    assert [f.where for f in response.context["pain"]["minor"]] == ["shin"]
    card = text_of(response.content.decode().split('id="pain"')[1].split("</section>")[0])
    assert f"pain {threshold}/10 (hip)" in card
    assert "Below the flag threshold:" in card
    assert "1/10 shin" in card


def test_resolving_a_flag_from_the_session_returns_to_it(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    log_short_session(session, pain=5, pain_where="shin")
    flag = PainReport.objects.get(session=session)
    login(client, world.coach_x)
    url = reverse("coaching:session", args=[session.pk])
    answer = client.post(reverse("coaching:flag-resolve", args=[flag.pk]), {"back": "session"})
    assert answer["Location"] == url
    page = text_of(client.get(url).content.decode())
    assert "5/10 shin resolved" in page
    assert "open flag" not in page
