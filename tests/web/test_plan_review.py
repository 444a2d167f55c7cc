"""The coach's plan review: every week of a draft, publish or discard per athlete or build
with a confirmation, item edits (validated, rest, note, swap) and group edits from a date."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from runstrong.web.coaching.item_overrides import NOTE_PREFIX, substitutes_for
from runstrong.web.coaching.models import (
    ItemOverride,
    Plan,
    PlanChange,
    PlannedItem,
    PlannedSession,
    Race,
    SessionLog,
)
from runstrong.web.coaching.plans import plan_generate, plan_publish
from runstrong.web.coaching.replanning import plan_follow
from runstrong.web.coaching.session_log import session_log_missed
from tests.personas import World, login
from tests.web.factories import make_athlete

REVIEW = reverse("coaching:plan-review")
PUBLISH = reverse("coaching:plan-publish")
DISCARD = reverse("coaching:plan-discard")


def _text(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_week_of_a_draft_can_be_shown_and_only_that_week_is_read(
    client: Client, world: World
) -> None:
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=12)[0][0]
    login(client, world.coach_x)
    week = 9
    page = client.get(REVIEW, {"plan": draft.pk, "week": week})
    days = draft.sessions.filter(week_index=week).values_list("date", flat=True)
    assert days
    text = _text(page)
    assert f"Week {week} of 12" in text
    for day in days:
        assert f"{day:%a} {day.day} {day:%b}" in text
    later = draft.sessions.filter(week_index=week + 1).first()
    assert later is not None
    assert f"{later.date:%a} {later.date.day} {later.date:%b} ·" not in text
    # The week picker links every week.
    for index in range(1, 13):
        assert f"week={index}" in page.content.decode()
    # htmx asks for the pane only.
    pane = client.get(
        REVIEW, {"plan": draft.pk, "week": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="draft-pane"
    )
    assert "<html" not in pane.content.decode()
    assert "Week 2 of 12" in _text(pane)


def test_the_review_reads_the_same_few_queries_however_many_drafts(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    plan_generate(athletes=[world.athlete_a, world.athlete_b], start=world.today, weeks=8)
    with CaptureQueriesContext(connection) as few:
        client.get(REVIEW)
    more = [make_athlete(world.coach_x, None, name=f"Extra {n}") for n in range(6)]
    plan_generate(athletes=[world.athlete_a, world.athlete_b, *more], start=world.today, weeks=8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(REVIEW)
    assert "Extra 5" in page.content.decode()
    assert [len(build.drafts) for build in page.context["builds"]] == [8]  # one build
    assert len(many) == len(few)


def test_publishing_one_athlete_asks_first_and_says_what_changes(
    client: Client, world: World
) -> None:
    athlete = world.athlete_a
    session_log_missed(session=world.next_session(athlete), reason="ill")
    current = Plan.objects.get(athlete=athlete, published_at__isnull=False)
    future = (
        PlannedSession.objects.filter(plan=current, date__gte=world.today, log__isnull=True)
        .filter(items__set_logs__isnull=True)
        .distinct()
        .count()
    )
    drafts, _ = plan_generate(athletes=[athlete, world.athlete_b], start=world.today, weeks=6)
    mine = next(d for d in drafts if d.athlete_id == athlete.pk)
    login(client, world.coach_x)
    ask = client.get(PUBLISH, {"plan": mine.pk})
    text = _text(ask)
    assert f"{future} future sessions of the current plan from" in text
    assert "1 logged session is kept exactly as logged" in text
    assert not Plan.objects.filter(pk=mine.pk, published_at__isnull=False).exists()
    client.post(PUBLISH, {"plan": mine.pk})
    assert Plan.objects.filter(pk=mine.pk, published_at__isnull=False).exists()
    # The other athlete's draft waits for its own decision; the logged session stays.
    assert Plan.objects.filter(athlete=world.athlete_b, published_at__isnull=True).exists()
    assert SessionLog.objects.filter(session__athlete=athlete).count() == 1


def test_discarding_a_draft_keeps_the_published_plan_and_another_coach_cannot(
    client: Client, world: World
) -> None:
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=6)[0][0]
    published = set(
        PlannedSession.objects.filter(plan__published_at__isnull=False).values_list("pk")
    )
    login(client, world.coach_y)
    client.post(DISCARD, {"plan": draft.pk})
    assert Plan.objects.filter(pk=draft.pk).exists()
    login(client, world.coach_x)
    assert "Published plans and everything logged stay" in _text(
        client.get(DISCARD, {"plan": draft.pk})
    )
    client.post(DISCARD, {"plan": draft.pk})
    client.post(DISCARD, {"plan": draft.pk})  # a second submit discards nothing more
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert not PlannedSession.objects.filter(plan_id=draft.pk).exists()
    assert published == set(
        PlannedSession.objects.filter(plan__published_at__isnull=False).values_list("pk")
    )


def test_drafts_of_separate_builds_are_shown_and_published_apart(
    client: Client, world: World
) -> None:
    # Two builds a moment apart, of the same season: still two builds.
    first = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=6)[0][0]
    second = plan_generate(athletes=[world.athlete_b], start=world.today, weeks=6)[0][0]
    login(client, world.coach_x)
    page = client.get(REVIEW)
    builds = page.context["builds"]
    assert [[row.plan_id for row in build.drafts] for build in builds] == [
        [second.pk],
        [first.pk],
    ]
    assert "These drafts come from 2 separate builds" in _text(client.get(PUBLISH))
    client.post(PUBLISH, {"build": builds[1].key})
    assert Plan.objects.get(pk=first.pk).published_at is not None
    assert Plan.objects.get(pk=second.pk).published_at is None


def test_an_item_edit_out_of_range_reshows_the_form_with_a_message(
    client: Client, world: World
) -> None:
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=4)[0][0]
    item = PlannedItem.objects.filter(
        session__plan=draft, exercise="single-leg-squat", session__date__gte=world.today
    ).first()
    assert item is not None
    login(client, world.coach_x)
    url = reverse("coaching:item-edit", args=[item.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Target (reps each side)" in form
    assert "Load (kg)" in form
    assert "Cancel" in form
    assert re.search(r'name="target" value="\d+"', form)  # 10, not 10.0
    for load in ("150", "-3"):
        bad = client.post(
            url, {"sets": "3", "target": "8", "load_kg": load}, HTTP_HX_REQUEST="true"
        )
        assert bad.status_code == 200
        assert "item-editor" in bad.content.decode()
        assert f'value="{load}"' in bad.content.decode()
        # A screen reader reads the help and the error the box points to: every id it names
        # is on the page.
        html = bad.content.decode()
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        assert described
        for ids in described:
            for one in ids.split():
                assert f'id="{one}"' in html, one
    plain = client.post(url, {"sets": "3", "target": "8", "load_kg": "150"})
    assert plain.status_code == 400
    assert "the catalog&#x27;s cap" in plain.content.decode()
    item.refresh_from_db()
    assert not item.edited_by_coach
    cancel = client.get(url, {"row": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "item-edit" in cancel
    assert "item-editor" not in cancel


def test_rest_note_and_a_second_edit_are_kept_through_a_replan(
    client: Client, world: World
) -> None:
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=4)[0][0]
    item = PlannedItem.objects.filter(session__plan=draft, session__date__gte=world.today).first()
    assert item is not None
    login(client, world.coach_x)
    url = reverse("coaching:item-edit", args=[item.pk])
    data = {"sets": "2", "target": "9", "load_kg": "", "rest_s": "120", "note": "Slow down"}
    client.post(url, data, HTTP_HX_REQUEST="true")
    data |= {"sets": "4"}
    row = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "edited by coach" in row
    assert "rest 120 s" in row
    assert f"{NOTE_PREFIX}Slow down".replace("'", "&#x27;") in row
    plan_follow(athlete=world.athlete_a, plan=draft, cause="test")
    item.refresh_from_db()
    assert (item.sets, item.target, item.rest_s, item.load_kg) == (4, 9, 120, None)
    texts = [reason["text"] for reason in item.reasons]
    assert texts.count(f"{NOTE_PREFIX}Slow down") == 1
    assert len(texts) > 2  # the engine's reasons are still there


def test_swapping_to_a_catalog_substitute_and_back(client: Client, world: World) -> None:
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=4)[0][0]
    item = PlannedItem.objects.filter(
        session__plan=draft, exercise="single-leg-squat", session__date__gte=world.today
    ).first()
    assert item is not None
    name = substitutes_for("single-leg-squat")[0].name
    login(client, world.coach_x)
    url = reverse("coaching:item-edit", args=[item.pk])
    data = {"sets": "3", "target": "8", "load_kg": "", "rest_s": "60", "swap_to": name}
    row = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    item.refresh_from_db()
    assert item.name == name
    assert item.edited_by_coach
    swap = "Instead of Single-leg squat, rear foot elevated, the coach's choice"
    assert swap in row.replace("&#x27;", "'")
    # Other days of the same exercise keep the engine's choice.
    other = PlannedItem.objects.filter(session__plan=draft, exercise="single-leg-squat").exclude(
        pk=item.pk
    )
    assert other.exists()
    assert name not in set(other.values_list("name", flat=True))
    bad = client.post(url, data | {"swap_to": "Anything"}, HTTP_HX_REQUEST="true")
    assert "Select a valid choice" in bad.content.decode()
    client.post(reverse("coaching:item-edit-remove", args=[item.pk]), HTTP_HX_REQUEST="true")
    item.refresh_from_db()
    assert item.name != name
    assert not item.edited_by_coach


def test_a_group_edit_from_a_date_changes_only_future_unlogged_sessions_of_that_group(
    client: Client, world: World
) -> None:
    coach = world.coach_x
    runner = make_athlete(coach, "miler", event_group="800-1500m")
    plan_generate(athletes=[runner], start=world.today, weeks=6)
    login(client, coach)
    client.post(PUBLISH)
    logged = (
        PlannedSession.objects.filter(athlete=runner, items__exercise="single-leg-squat")
        .order_by("date")
        .first()
    )
    assert logged is not None
    session_log_missed(session=logged, reason="ill")
    before_other = list(
        PlannedItem.objects.filter(session__athlete=world.athlete_c)
        .order_by("pk")
        .values_list("sets", "target")
    )
    start = world.today
    response = client.post(
        reverse("coaching:plan-group-edit"),
        {
            "group": "800-1500m",
            "exercise": "single-leg-squat",
            "start": start.isoformat(),
            "sets": "3",
            "target": "8",
            "load_kg": "",
        },
        follow=True,
    )
    changed = PlannedItem.objects.filter(
        session__athlete=runner, exercise="single-leg-squat", edited_by_coach=True
    )
    assert changed.exists()
    assert set(changed.values_list("sets", "target")) == {(3, 8)}
    assert f"Changed {changed.count()} sessions of the current plans (1 athlete of" in _text(
        response
    )
    assert not changed.filter(session=logged).exists()
    # Athlete C is in the 800 m group too, but coached by coach Y.
    assert before_other == list(
        PlannedItem.objects.filter(session__athlete=world.athlete_c)
        .order_by("pk")
        .values_list("sets", "target")
    )
    # The edit is an override: a replan keeps it.
    plan_follow(athlete=runner, cause="test")
    assert set(changed.values_list("sets", "target")) == {(3, 8)}
    assert ItemOverride.objects.filter(plan__athlete=runner).count() == changed.count()


def test_a_group_edit_refuses_a_load_above_the_catalogs_cap(client: Client, world: World) -> None:
    login(client, world.coach_x)
    response = client.post(
        reverse("coaching:plan-group-edit"),
        {
            "group": "5k",
            "exercise": "single-leg-squat",
            "start": world.today.isoformat(),
            "sets": "3",
            "target": "8",
            "load_kg": "500",
        },
    )
    assert response.status_code == 400
    assert "the catalog&#x27;s cap" in response.content.decode()
    assert not ItemOverride.objects.exists()


@pytest.mark.parametrize("week", ["²", "٣", "99", "0"])
def test_a_week_that_is_not_one_of_the_drafts_shows_its_first_week(
    client: Client, world: World, week: str
) -> None:
    """'²' and '٣' pass str.isdigit() but are no week number; neither is a week past the end."""
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=12)[0][0]
    login(client, world.coach_x)
    page = client.get(REVIEW, {"plan": draft.pk, "week": week})
    assert page.status_code == 200
    assert "Week 1 of 12" in _text(page)


def test_the_coach_and_the_athlete_read_the_coachs_note_beside_the_exercise(
    client: Client, world: World
) -> None:
    draft = plan_generate(athletes=[world.athlete_a], start=world.today, weeks=4)[0][0]
    item = PlannedItem.objects.filter(session__plan=draft, session__date__gte=world.today).first()
    assert item is not None
    login(client, world.coach_x)
    data = {"sets": "3", "target": "9", "load_kg": "", "rest_s": "90", "note": "Knees <out>"}
    url = reverse("coaching:item-edit", args=[item.pk])
    row = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    page = client.get(REVIEW, {"plan": draft.pk, "week": item.session.week_index})
    for html in (row, page.content.decode()):
        # The review row shows it in view, not only under the folded "Why?".
        shown = html.split(f'id="item-{item.pk}"')[1].split('<details class="why">')[0]
        assert "<strong>Note for the athlete:</strong> Knees &lt;out&gt;" in shown
        assert "Knees <out>" not in html
    plan_publish(plan=draft, today=world.today)
    login(client, world.athlete_a)
    page = client.get(reverse("coaching:session-log", args=[item.session_id])).content.decode()
    shown = page.split('<details class="why">')[0]
    assert "<strong>From your coach:</strong> Knees &lt;out&gt;" in shown, "in view, escaped"
    weeks = client.get(reverse("coaching:upcoming")).content.decode()
    assert "<strong>From your coach:</strong> Knees &lt;out&gt;" in weeks, "and on Weeks ahead"


def test_publishing_names_only_the_edits_the_new_plan_leaves_behind(
    client: Client, world: World
) -> None:
    coach = world.coach_x
    runner = make_athlete(coach, "miler", event_group="800-1500m")
    plan_generate(athletes=[runner], start=world.today, weeks=6)
    login(client, coach)
    client.post(PUBLISH)
    draft = plan_generate(athletes=[runner], start=world.today, weeks=6)[0][0]
    edit = {"group": "800-1500m", "exercise": "single-leg-squat", "sets": "3", "target": "8"}
    edit |= {"start": world.today.isoformat(), "load_kg": ""}
    client.post(reverse("coaching:plan-group-edit"), edit)
    grouped = ItemOverride.objects.filter(plan__athlete=runner, plan__published_at__isnull=False)
    assert grouped.exists(), "the group edit reached the current plan"
    assert ItemOverride.objects.filter(plan=draft).count() == grouped.count(), "and the draft"
    # One edit made on the current plan only: that one is left behind.
    item = PlannedItem.objects.filter(
        session__plan__athlete=runner,
        session__plan__published_at__isnull=False,
        session__date__gte=world.today,
        exercise="banded-spanish-squat",
    ).first()
    assert item is not None
    data = {"sets": "2", "target": "9", "load_kg": "", "rest_s": "90", "note": ""}
    client.post(reverse("coaching:item-edit", args=[item.pk]), data, HTTP_HX_REQUEST="true")
    text = _text(client.get(PUBLISH, {"plan": draft.pk}))
    assert "1 coach edit of the current plan from today on is not carried over" in text
    client.post(PUBLISH, {"plan": draft.pk})
    change = PlanChange.objects.filter(athlete=runner, what="Plan published").latest("pk")
    assert "1 coach edit of the previous plan from today on not carried over" in change.reason


def test_a_plan_that_stops_before_the_a_race_says_how_long_it_must_be(
    client: Client, world: World
) -> None:
    race_day = world.today + timedelta(weeks=10)
    Race.objects.create(athlete=world.athlete_a, name="Nationals", date=race_day, priority="A")
    login(client, world.coach_x)
    data = {"athletes": [world.athlete_a.pk], "start": world.today.isoformat(), "weeks": "6"}
    page = client.post(reverse("coaching:plan-new"), data, follow=True)
    text = _text(page)
    assert "before the A race Nationals" in text
    assert "no taper [S12]: a plan of 11 weeks from" in text
    draft = Plan.objects.get(athlete=world.athlete_a, published_at__isnull=True)
    confirm = _text(client.get(PUBLISH, {"plan": draft.pk}))
    assert f"No taper: {world.athlete_a.name}: The plan ends" in confirm, "said again at publish"
