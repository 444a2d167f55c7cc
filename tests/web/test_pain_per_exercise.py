"""Pain per exercise: only the exercise that hurt steps back; pain elsewhere steps nothing back
and flags the coach; old logs with one pain score fold as they did [S18, P1–P4]."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from runstrong.engine.pain import PAIN_AREAS
from runstrong.web.coaching.logged_state import athlete_state
from runstrong.web.coaching.models import (
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
)
from runstrong.web.coaching.overview import squad_overview
from runstrong.web.coaching.replanning import plan_follow
from runstrong.web.coaching.session_log import (
    PainEntry,
    PainRefused,
    SetEntry,
    session_log_done,
)
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.tokens import token_create
from tests.personas import World, login
from tests.web.test_phone_session import tap_all

THRESHOLD = site_catalog().rules.progression.pain_regress_at


def all_sets(session: PlannedSession) -> list[SetEntry]:
    return [
        SetEntry(item.pk, number, side, item.target, item.load_kg)
        for item in session.items.all()
        for number in range(1, item.sets + 1)
        for side in (("left", "right") if item.per_side else ("",))
    ]


def doses(session: PlannedSession) -> dict[str, tuple[int, float, float | None]]:
    return {i.exercise: (i.sets, i.target, i.load_kg) for i in session.items.all()}


def next_after(session: PlannedSession) -> PlannedSession:
    return (
        PlannedSession.objects.filter(
            athlete=session.athlete, date__gt=session.date, log__isnull=True
        )
        .order_by("date")
        .first()
    )  # type: ignore[return-value]


def changes_of(session: PlannedSession) -> dict[str, str]:
    """What the fold did to each exercise in this session: exercise slug → change."""
    steps = athlete_state(session.athlete, site_catalog()).transitions
    return {step.before.exercise: step.change for step in steps if step.source == str(session.pk)}


# --- The fold ---------------------------------------------------------------------------------


def test_s18_knee_pain_in_the_spanish_squat_steps_back_only_the_spanish_squat(
    world: World,
) -> None:
    session = world.next_session(world.athlete_a)
    changes = session_log_done(
        session=session,
        sets=all_sets(session),
        reps_in_reserve=2,
        pains=[PainEntry(THRESHOLD + 1, "knee", "left", "banded-spanish-squat")],
        notes="",
    )
    folded = changes_of(session)
    assert folded.pop("banded-spanish-squat") == "regress"
    assert folded
    assert "regress" not in folded.values()
    squat = next(change for change in changes if change.change == "regress")
    assert squat.reason.startswith(f"Pain {THRESHOLD + 1}/10 (left knee) in the Banded Spanish")
    assert squat.keys[0] == "S18"
    assert [change.exercise for change in changes if change.change == "regress"] == [squat.exercise]


def test_the_next_session_has_the_squat_a_step_back_and_the_rest_as_a_clean_log_leaves_them(
    world: World,
) -> None:
    """Side by side: the same session logged clean by one athlete and with knee pain in the
    squat by another; only the squat differs in the session after."""
    hurt, clean = world.next_session(world.athlete_a), world.next_session(world.athlete_b)
    assert doses(hurt) == doses(clean)
    squat = ("banded-spanish-squat", "knee", "right")
    for session, pains in (
        (hurt, [PainEntry(THRESHOLD, squat[1], squat[2], squat[0])]),
        (clean, []),
    ):
        session_log_done(
            session=session, sets=all_sets(session), reps_in_reserve=2, pains=pains, notes=""
        )
    after_hurt, after_clean = doses(next_after(hurt)), doses(next_after(clean))
    assert after_hurt.pop(squat[0]) < after_clean.pop(squat[0])
    assert after_hurt == after_clean


def test_s18_p1_pain_elsewhere_steps_nothing_back_and_flags_the_coach(world: World) -> None:
    session = world.next_session(world.athlete_a)
    changes = session_log_done(
        session=session,
        sets=all_sets(session),
        reps_in_reserve=2,
        pains=[PainEntry(THRESHOLD + 2, "shin", "right")],
        notes="",
    )
    assert "regress" not in changes_of(session).values()
    flag = next(change for change in changes if change.change == "flag")
    assert flag.keys == ("S18", "P1")
    assert f"Pain {THRESHOLD + 2}/10 (right shin)" in flag.reason
    assert flag.coach_flag
    report = PainReport.objects.get(session=session)
    assert (report.exercise, report.area, report.side) == ("", "shin", "right")
    row = next(r for r in squad_overview(coach=world.coach_x, today=world.today) if r.pain)
    assert row.id == world.athlete_a.pk
    assert "right shin, not in an exercise" in row.needs[0].text


def test_pain_below_the_threshold_in_an_exercise_steps_nothing_back(world: World) -> None:
    session = world.next_session(world.athlete_a)
    session_log_done(
        session=session,
        sets=all_sets(session),
        reps_in_reserve=2,
        pains=[PainEntry(THRESHOLD - 1, "calf", "left", "crouching-crawl")],
        notes="",
    )
    assert "regress" not in changes_of(session).values()


def test_the_worst_report_in_an_exercise_counts(world: World) -> None:
    session = world.next_session(world.athlete_a)
    session_log_done(
        session=session,
        sets=all_sets(session),
        reps_in_reserve=2,
        pains=[
            PainEntry(1, "knee", "left", "single-leg-squat"),
            PainEntry(THRESHOLD, "hip", "right", "single-leg-squat"),
        ],
        notes="",
    )
    folded = changes_of(session)
    assert folded.pop("single-leg-squat") == "regress"
    assert "regress" not in folded.values()
    log = SessionLog.objects.get(session=session)
    assert (log.pain, log.pain_by_exercise) == (THRESHOLD, True)
    assert log.pain_where.startswith("right hip in the ")


def test_a_log_from_before_pain_per_exercise_still_steps_every_exercise_back(
    world: World,
) -> None:
    """Old logs are read as they were logged: their one score stepped back every exercise of
    the session, and it still does, so no athlete's past changes under them."""
    session = world.next_session(world.athlete_a)
    session_log_done(session=session, sets=all_sets(session), reps_in_reserve=2, notes="")
    SessionLog.objects.filter(session=session).update(
        pain=THRESHOLD, pain_where="knee", pain_by_exercise=False
    )
    PainReport.objects.create(
        athlete=world.athlete_a, session=session, date=session.date, score=THRESHOLD, where="knee"
    )
    plan_follow(athlete=world.athlete_a, cause="test")
    assert set(changes_of(session).values()) == {"regress"}


def test_a_pain_report_that_does_not_fit_the_session_is_refused(world: World) -> None:
    session = world.next_session(world.athlete_a)
    for entry, field in (
        (PainEntry(4, "elbow"), "area"),
        (PainEntry(4, "knee", "up"), "side"),
        (PainEntry(4, "knee", "left", "nordic-curl"), "exercise"),
    ):
        with pytest.raises(PainRefused) as refused:
            session_log_done(
                session=session, sets=[], reps_in_reserve=None, pains=[entry], notes=""
            )
        assert refused.value.field == field
    assert not SessionLog.objects.filter(session=session).exists()
    assert not PainReport.objects.exists()


# --- The phone form without JavaScript ---------------------------------------------------------


def form_data(client: Client, url: str) -> dict[str, str]:
    form = client.get(url).context["form"]
    return {name: str(form[name].value() or "") for name in form.fields}


def test_the_form_asks_pain_per_exercise_with_the_areas_and_sides(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    page = client.get(reverse("coaching:session-log", args=[session.pk])).content.decode()
    for item in session.items.all():
        assert f'name="pain-{item.pk}-score"' in page
        assert f'name="pain-{item.pk}-area"' in page
        assert f'name="pain-{item.pk}-side"' in page
    assert 'name="pain-else-area"' in page
    section = page[page.index('name="pain-else-area"') :]
    positions = [section.index(f">{label}</option>") for label in PAIN_AREAS.values()]
    assert positions == sorted(positions)
    assert "Only the exercise that hurt takes a step back" in page
    assert 'name="pain_where"' not in page


def test_js_off_knee_pain_on_the_squat_is_saved_with_its_area_and_side(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    squat = session.items.get(exercise="banded-spanish-squat")
    data = form_data(client, url) | {
        f"pain-{squat.pk}-score": str(THRESHOLD + 1),
        f"pain-{squat.pk}-area": "knee",
        f"pain-{squat.pk}-side": "left",
        "pain-else-score": "2",
        "pain-else-area": "lower-back",
    }
    assert client.post(url, data).status_code == 302
    reports = {
        (r.exercise, r.area, r.side, r.score) for r in PainReport.objects.filter(session=session)
    }
    assert reports == {
        ("banded-spanish-squat", "knee", "left", THRESHOLD + 1),
        ("", "lower-back", "", 2),
    }
    folded = changes_of(session)
    assert folded.pop("banded-spanish-squat") == "regress"
    assert "regress" not in folded.values()
    page = client.get(url).content.decode()
    assert f"{THRESHOLD + 1}/10</strong> left knee in the {squat.name}" in page
    assert "(regress)" not in page
    assert "a step back" in page


def test_js_off_a_score_without_where_or_a_where_without_score_is_reshown(
    client: Client, world: World
) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    url = reverse("coaching:session-log", args=[session.pk])
    crawl = session.items.get(exercise="crouching-crawl")
    data = form_data(client, url) | {
        f"pain-{crawl.pk}-score": "5",
        "pain-else-area": "hip",
        "notes": "kept",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose where it hurts." in page
    assert "Give the pain a score from 1 to 10." in page
    assert f'<details class="pain-row" id="pain-{crawl.pk}" open>' in page
    assert '<option value="5" selected>5</option>' in page
    assert "kept" in page
    assert not SessionLog.objects.filter(session=session).exists()


def test_js_off_pain_follows_a_session_its_last_set_finished(client: Client, world: World) -> None:
    login(client, world.athlete_a)
    session = world.next_session(world.athlete_a)
    tap_all(client, session)
    assert SessionLog.objects.get(session=session).by_last_set
    row = session.items.get(exercise="glute-ham-iso-row")
    response = client.post(
        reverse("coaching:session-log", args=[session.pk]),
        {
            "reps_in_reserve": "2",
            f"pain-{row.pk}-score": str(THRESHOLD),
            f"pain-{row.pk}-area": "lower-back",
            "notes": "",
        },
    )
    assert response.status_code == 302
    folded = changes_of(session)
    assert folded.pop("glute-ham-iso-row") == "regress"
    assert "regress" not in folded.values()


def test_the_coach_sees_pain_by_area_on_the_exercise_it_hurt_in(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    session_log_done(
        session=session,
        sets=all_sets(session),
        reps_in_reserve=2,
        pains=[
            PainEntry(THRESHOLD + 1, "knee", "left", "banded-spanish-squat"),
            PainEntry(THRESHOLD, "lower-back", ""),
        ],
        notes="",
    )
    login(client, world.coach_x)
    page = client.get(reverse("coaching:session", args=[session.pk])).content.decode()
    squat: PlannedItem = session.items.get(exercise="banded-spanish-squat")
    card = page[page.index(f"<h2>{squat.label}</h2>") :]
    assert card.index(f"Pain {THRESHOLD + 1}/10 left knee") < card.index("</section>")
    assert f"{THRESHOLD}/10</strong> lower back, not in an exercise" in page
    assert "[S18, P4]" in page
    detail = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk])).content.decode()
    assert f"left knee in the {squat.name}" in detail
    assert "nothing stepped back [S18, P4]" in detail


# --- The API ------------------------------------------------------------------------------------


def api_post(client: Client, url: str, body: dict[str, Any], person: Any) -> Any:
    secret = token_create(user=person.user, name="t", read_only=False)[1]
    return client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_api_complete_takes_pain_per_exercise_and_elsewhere(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    url = f"/api/v1/sessions/{session.pk}/complete"
    body = {
        "reps_in_reserve": 2,
        "pains": [
            {
                "score": THRESHOLD,
                "area": "knee",
                "side": "left",
                "exercise": "banded-spanish-squat",
            },
            {"score": THRESHOLD, "area": "achilles", "side": "right"},
        ],
    }
    answer = api_post(client, url, body, world.athlete_a)
    assert answer.status_code == 200
    kinds = {change["change"] for change in answer.json()}
    assert "flag" in kinds
    assert [c["exercise"] for c in answer.json() if c["change"] == "regress"] == [
        "Banded Spanish squat"
    ]
    secret = token_create(user=world.coach_x.user, name="c", read_only=False)[1]
    reports = client.get(
        f"/api/v1/pain-reports?athlete={world.athlete_a.pk}",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    ).json()["items"]
    by_area = {report["area"]: report for report in reports}
    assert by_area["knee"]["exercise"] == "banded-spanish-squat"
    assert by_area["knee"]["exercise_name"] == "Banded Spanish squat"
    assert (by_area["knee"]["side"], by_area["knee"]["where"]) == ("left", "left knee")
    assert by_area["achilles"]["exercise"] == ""
    assert by_area["achilles"]["where"] == "right Achilles"
    detail = client.get(
        f"/api/v1/sessions/{session.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    ).json()
    assert [(p["exercise"], p["area"], p["side"]) for p in detail["pains"]] == [
        ("banded-spanish-squat", "knee", "left"),
        ("", "achilles", "right"),
    ]
    elsewhere = next(c for c in answer.json() if c["change"] == "flag")
    assert elsewhere["exercise"] == "Pain elsewhere (right Achilles)"
    assert elsewhere["keys"] == ["S18"]  # no source speaks of the Achilles


def test_api_a_bad_area_is_4xx_json_naming_the_field(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    url = f"/api/v1/sessions/{session.pk}/complete"
    bad = api_post(client, url, {"pains": [{"score": 4, "area": "elbow"}]}, world.athlete_a)
    assert 400 <= bad.status_code < 500
    fields = [error["field"] for error in bad.json()["errors"]]
    assert any(f.endswith("pains.0.area") for f in fields), fields
    unknown = api_post(
        client,
        url,
        {"pains": [{"score": 4, "area": "knee", "exercise": "nordic-curl"}]},
        world.athlete_a,
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "pains.0.exercise"
    assert "banded-spanish-squat" in unknown.json()["errors"][0]["reason"]
    assert not SessionLog.objects.filter(session=session).exists()


# --- The migration ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_pain_migration_keeps_old_logs_as_logged_and_is_reversible(world: World) -> None:
    """Rows from before the migration are never rewritten: the log keeps its one score and is
    marked as reported per session (so it folds as it did), the report keeps its words."""
    session = world.next_session(world.athlete_a)
    session_log_done(
        session=session, sets=[], reps_in_reserve=2, pain=4, pain_where="sore knee", notes=""
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("coaching", "0011_planned_item_footwear")])
    with connection.cursor() as cursor:
        reports = connection.introspection.get_table_description(cursor, "coaching_painreport")
        logs = connection.introspection.get_table_description(cursor, "coaching_sessionlog")
    assert not {"exercise", "area", "side"} & {column.name for column in reports}
    assert "pain_by_exercise" not in {column.name for column in logs}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    log = SessionLog.objects.get(session=session)
    assert (log.pain, log.pain_where, log.pain_by_exercise) == (4, "sore knee", False)
    report = PainReport.objects.get(session=session)
    assert (report.score, report.where, report.exercise, report.area, report.side) == (
        4, "sore knee", "", "", "",
    )  # fmt: skip
    assert report.where_text == "sore knee"
