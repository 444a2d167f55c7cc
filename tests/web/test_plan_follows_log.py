"""Logged training is the source of truth: each loss a coach or athlete hit, now held."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from runstrong.engine.state import fold_logs
from runstrong.engine.wording import weekday_date
from runstrong.web.coaching.athlete_records import PROFILE_CAUSE
from runstrong.web.coaching.folded_state import state_data, state_from_data
from runstrong.web.coaching.logged_state import athlete_state
from runstrong.web.coaching.models import (
    Athlete,
    FoldedState,
    PainReport,
    PlanChange,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.plans import plan_generate, plan_item_update
from runstrong.web.coaching.replanning import plan_follow
from runstrong.web.coaching.session_log import (
    PainEntry,
    SetEntry,
    session_finish_if_all_logged,
    session_log_done,
    session_log_missed,
    set_record,
)
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.tokens import token_create
from tests.personas import World, login
from tests.web.factories import make_athlete, publish_plan

API = "/api/v1"


def bearer(person: Any) -> dict[str, str]:
    secret = token_create(user=person.user, name="t", read_only=False)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def upcoming(athlete: Athlete, after: PlannedSession | None = None) -> list[PlannedSession]:
    rows = PlannedSession.objects.filter(athlete=athlete, log__isnull=True).order_by("date")
    if after is not None:
        rows = rows.filter(date__gt=after.date)
    return list(rows)


def dose(session: PlannedSession, exercise: str) -> tuple[int, float, float | None]:
    item = session.items.get(exercise=exercise)
    return item.sets, item.target, item.load_kg


def all_sets(session: PlannedSession, value: float | None = None) -> list[SetEntry]:
    entries = []
    for item in session.items.all():
        sides = ("left", "right") if item.per_side else ("",)
        for number in range(1, item.sets + 1):
            for side in sides:
                done = item.target if value is None else value
                entries.append(SetEntry(item.pk, number, side, done, item.load_kg))
    return entries


def finish(session: PlannedSession, pain: int = 0) -> None:
    session_log_done(
        session=session,
        sets=all_sets(session),
        reps_in_reserve=2,
        pain=pain,
        pain_where="",
        notes="",
    )


def test_publishing_a_new_plan_keeps_sets_tapped_today_but_not_saved(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    crawl = session.items.get(exercise="crouching-crawl")
    login(client, world.athlete_a)
    tapped = client.post(
        reverse("coaching:session-set", args=[session.pk]),
        {"prefix": f"set-{crawl.pk}-1", f"set-{crawl.pk}-1-done": "10"},
    )
    assert tapped.status_code == 200
    login(client, world.coach_x)
    plan_generate(athletes=[world.athlete_a], start=world.today, weeks=6)
    published = client.post(reverse("coaching:plan-publish"))
    assert published.status_code == 302
    assert SetLog.objects.filter(item=crawl, set_number=1, done=10).exists()
    assert PlannedSession.objects.filter(pk=session.pk).exists()
    days = list(
        PlannedSession.objects.filter(athlete=world.athlete_a, date=session.date).values_list(
            "pk", flat=True
        )
    )
    assert days == [session.pk]  # the new plan does not put a second session on that day


def test_republishing_a_published_plan_is_a_conflict_and_keeps_the_log(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    finish(session)
    sets_before = SetLog.objects.filter(item__session=session).count()
    plan_id = session.plan_id
    response = post(client, f"{API}/plans/{plan_id}/publish", {}, **bearer(world.coach_x))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "plan_id"
    assert SessionLog.objects.filter(session=session, status="done").exists()
    assert SetLog.objects.filter(item__session=session).count() == sets_before


def test_a_rebuild_keeps_the_kettlebell_the_athlete_lifted(world: World) -> None:
    athlete = world.athlete_a
    session = world.next_session(athlete)
    squat = session.items.get(exercise="single-leg-squat")
    plan_item_update(item=squat, sets=squat.sets, target=squat.ladder["top"], load_kg=16)
    finish(session)
    plan_generate(athletes=[athlete], start=world.today, weeks=8)
    client = Client()
    login(client, world.coach_x)
    client.post(reverse("coaching:plan-publish"))
    following = upcoming(athlete, after=session)[0]
    item = following.items.get(exercise="single-leg-squat")
    assert item.load_kg == 16
    assert not any(r["text"].startswith("Starts unloaded") for r in item.reasons)


def test_completing_twice_changes_the_next_session_once(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    for entry in all_sets(session):
        set_record(entry)
    headers = bearer(world.athlete_a)
    url = f"{API}/sessions/{session.pk}/complete"
    pains = [{"score": 6, "area": "shin", "side": "left", "exercise": "crouching-crawl"}]
    first = post(client, url, {"pains": pains, "reps_in_reserve": 2}, **headers)
    after_first = dose(upcoming(world.athlete_a, after=session)[0], "crouching-crawl")
    second = post(client, url, {"pains": pains, "reps_in_reserve": 2}, **headers)
    third = post(client, url, {"pains": pains}, HTTP_IDEMPOTENCY_KEY="done-1", **headers)
    assert first.status_code == second.status_code == third.status_code == 200
    assert first.json() == second.json() == third.json()
    assert dose(upcoming(world.athlete_a, after=session)[0], "crouching-crawl") == after_first
    crawl = session.items.get(exercise="crouching-crawl")
    assert after_first[0] == crawl.sets - 1  # one step back for pain, not two

    knee = [{"score": 5, "area": "knee", "side": "right", "exercise": ""}]
    told_later = post(client, url, {"pains": knee}, **headers)
    assert told_later.status_code == 409, "new pain is refused, not dropped without a word"
    assert "already marked done" in told_later.json()["errors"][0]["reason"]
    assert list(PainReport.objects.filter(session=session).values_list("area", "score")) == [
        ("shin", 6)
    ]


def test_missed_twice_and_missed_after_done(client: Client, world: World) -> None:
    first, second = upcoming(world.athlete_a)[:2]
    headers = bearer(world.athlete_a)
    url = f"{API}/sessions/{first.pk}/missed"
    once = post(client, url, {"reason": "ill"}, HTTP_IDEMPOTENCY_KEY="m-1", **headers)
    again = post(client, url, {"reason": "ill"}, HTTP_IDEMPOTENCY_KEY="m-1", **headers)
    assert once.json() == again.json()
    assert once.json()["status"] == "missed"
    finish(second)
    refused = post(client, f"{API}/sessions/{second.pk}/missed", {"reason": "x"}, **headers)
    assert refused.status_code == 409
    assert SessionLog.objects.get(session=second).status == "done"


def twin(world: World, name: str) -> Athlete:
    athlete = make_athlete(world.coach_x, name)
    publish_plan(athlete, start=world.today, weeks=6)
    return athlete


def test_an_older_session_saved_late_gives_the_plan_saving_in_order_gives(
    world: World,
) -> None:
    """Two sessions done in the gym as prescribed; one phone saves them oldest first, the
    other newest first (it was offline). The sessions ahead must be the same."""
    in_order, late = twin(world, "inorder"), twin(world, "late")
    for athlete, order in ((in_order, (0, 1)), (late, (1, 0))):
        sessions = upcoming(athlete)[:2]
        for session in sessions:
            for entry in all_sets(session):
                set_record(entry)
        for index in order:
            finish(sessions[index])
    ahead_in_order, ahead_late = upcoming(in_order)[0], upcoming(late)[0]
    for exercise in ("crouching-crawl", "single-leg-squat", "banded-spanish-squat"):
        assert dose(ahead_in_order, exercise) == dose(ahead_late, exercise)
    first = PlannedSession.objects.filter(athlete=in_order).order_by("date").first()
    assert first is not None
    assert dose(ahead_in_order, "crouching-crawl")[1] > dose(first, "crouching-crawl")[1]


def test_marking_an_old_session_missed_keeps_the_later_progression(world: World) -> None:
    athlete = world.athlete_a
    older, newer = upcoming(athlete)[:2]
    finish(newer)
    climbed = dose(upcoming(athlete, after=newer)[0], "crouching-crawl")
    session_log_missed(session=older, reason="travel")
    assert dose(upcoming(athlete, after=newer)[0], "crouching-crawl") == climbed


def test_the_last_set_logged_finishes_the_session(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    headers = bearer(world.athlete_a)
    entries = all_sets(session)
    for entry in entries:
        body = {"item_id": entry.item_id, "set_number": entry.set_number, "side": entry.side}
        post(client, f"{API}/sessions/{session.pk}/sets", body | {"done": entry.done}, **headers)
    detail = client.get(f"{API}/sessions/{session.pk}", **headers).json()
    assert detail["status"] == "done"
    crawl = session.items.get(exercise="crouching-crawl")
    following = upcoming(world.athlete_a, after=session)[0]
    assert following.items.get(exercise="crouching-crawl").target > crawl.target


def test_a_coach_edit_is_kept_through_replans_until_removed(client: Client, world: World) -> None:
    athlete = world.athlete_a
    first, second = upcoming(athlete)[:2]
    row = second.items.get(exercise="glute-ham-iso-row")
    plan_item_update(item=row, sets=4, target=row.target, load_kg=row.load_kg)
    finish(first)
    kept = PlannedItem.objects.get(pk=row.pk)
    assert (kept.sets, kept.edited_by_coach) == (4, True)
    login(client, world.coach_x)
    page = client.get(reverse("coaching:plan-review"))
    assert page.status_code == 200
    removed = client.post(reverse("coaching:item-edit-remove", args=[row.pk]))
    assert removed.status_code == 302
    back = PlannedItem.objects.get(pk=row.pk)
    assert not back.edited_by_coach
    assert back.sets == first.items.get(exercise="glute-ham-iso-row").sets


def test_a_profile_edit_replans_the_future_and_keeps_what_was_logged(world: World) -> None:
    athlete = world.athlete_a
    done = world.next_session(athlete)
    finish(done)
    tapped = upcoming(athlete, after=done)[0]
    crawl = tapped.items.get(exercise="crouching-crawl")
    set_record(SetEntry(crawl.pk, 1, "", crawl.target, None))
    athlete.strength_days = ["mon", "thu"]
    athlete.save()
    plan_follow(athlete=athlete, cause="Profile edited by coach")
    later = PlannedSession.objects.filter(athlete=athlete, date__gt=tapped.date, log__isnull=True)
    assert later.exists()
    assert {s.date.strftime("%a").lower() for s in later} <= {"mon", "thu"}
    assert PlannedSession.objects.filter(pk__in=[done.pk, tapped.pk]).count() == 2
    assert SetLog.objects.filter(item=crawl).exists()
    change = PlanChange.objects.filter(athlete=athlete, what="Session days").first()
    assert change is not None
    assert change.cause == "Profile edited by coach"


def test_the_athlete_page_lists_plan_changes_with_cause_and_rule_keys(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    finish(session)
    login(client, world.coach_x)
    page = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk])).content.decode()
    assert "Plan changes" in page
    assert f"Session of {weekday_date(session.date)} logged" in page
    assert "Crouching crawl, next session" in page
    assert "S16" in page
    assert "→" in page


def test_another_coach_sees_no_plan_changes_of_my_athlete(client: Client, world: World) -> None:
    finish(world.next_session(world.athlete_a))
    login(client, world.coach_y)
    response = client.get(reverse("coaching:athlete", args=[world.athlete_a.pk]))
    assert response.status_code == 404


def test_a_past_unlogged_session_is_left_alone_by_a_replan(world: World) -> None:
    athlete = world.athlete_a
    past = upcoming(athlete)[0]
    ids_before = set(past.items.values_list("pk", flat=True))
    plan_follow(athlete=athlete, cause="test", today=past.date + timedelta(days=1))
    assert set(PlannedItem.objects.filter(session=past).values_list("pk", flat=True)) == (
        ids_before
    )


def test_plan_changes_through_the_api_for_the_athlete_and_their_coach_only(
    client: Client, world: World
) -> None:
    session = world.next_session(world.athlete_a)
    finish(session)
    url = f"{API}/athletes/{world.athlete_a.pk}/plan-changes"
    own = client.get(url, **bearer(world.athlete_a)).json()["items"]
    coach = client.get(url, **bearer(world.coach_x)).json()["items"]
    assert own == coach
    crawl = next(row for row in own if row["what"].startswith("Crouching crawl"))
    assert crawl["cause"] == f"Session of {weekday_date(session.date)} logged"
    assert crawl["keys"] == ["S16"]
    assert client.get(url, **bearer(world.athlete_b)).status_code == 404
    assert client.get(url, **bearer(world.coach_y)).status_code == 404


def test_replan_command_follows_every_athlete_and_keeps_logs(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    session = world.next_session(world.athlete_a)
    finish(session)
    sets_before = SetLog.objects.count()
    out = StringIO()
    call_command("replan", cause="Club catalog v2", stdout=out)
    assert "Replanned 3 athletes" in out.getvalue()
    assert SetLog.objects.count() == sets_before
    assert SessionLog.objects.filter(session=session).exists()


def test_a_finished_sessions_sets_stay_as_logged(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    finish(session)
    crawl = session.items.get(exercise="crouching-crawl")
    url = f"{API}/sessions/{session.pk}/sets"
    headers = bearer(world.athlete_a)
    same = {"item_id": crawl.pk, "set_number": 1, "side": "", "done": crawl.target}
    replay = post(client, url, same, **headers)
    assert replay.status_code == 201  # the retried last tap is answered
    changed = post(client, url, same | {"done": 1}, **headers)
    assert changed.status_code == 409
    assert changed.json()["errors"][0]["field"] == "session_id"
    assert SetLog.objects.get(item=crawl, set_number=1).done == crawl.target


def test_a_missed_session_takes_no_sets(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    session_log_missed(session=session, reason="ill")
    crawl = session.items.get(exercise="crouching-crawl")
    body = {"item_id": crawl.pk, "set_number": 1, "side": "", "done": 10}
    response = post(client, f"{API}/sessions/{session.pk}/sets", body, **bearer(world.athlete_a))
    assert response.status_code == 409
    assert not SetLog.objects.filter(item__session=session).exists()


def test_missing_twice_without_a_key_changes_nothing(world: World) -> None:
    session = world.next_session(world.athlete_a)
    first = session_log_missed(session=session, reason="ill")
    again = session_log_missed(session=session, reason="something else")
    assert again.pk == first.pk
    assert SessionLog.objects.get(session=session).missed_reason == "ill"


def test_replan_command_refuses_a_cause_too_long_to_show(world: World) -> None:
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--cause: at most 200 characters"):
        call_command("replan", cause="x" * 201)


def test_a_logged_sessions_coach_edit_stays(client: Client, world: World) -> None:
    session = world.next_session(world.athlete_a)
    row = session.items.get(exercise="glute-ham-iso-row")
    plan_item_update(item=row, sets=4, target=row.target, load_kg=row.load_kg)
    finish(session)
    login(client, world.coach_x)
    response = client.post(reverse("coaching:item-edit-remove", args=[row.pk]), follow=True)
    assert "already logged" in response.content.decode()
    kept = PlannedItem.objects.get(pk=row.pk)
    assert (kept.sets, kept.edited_by_coach) == (4, True)


def test_publishing_counts_only_the_replaced_plans_edits_as_left_behind(world: World) -> None:
    from runstrong.web.coaching.plans import plans_publish

    athlete = world.athlete_a
    drafts, _ = plan_generate(athletes=[athlete], start=world.today, weeks=6)
    item = PlannedItem.objects.filter(session__plan=drafts[0]).first()
    assert item is not None
    plan_item_update(item=item, sets=2, target=item.target, load_kg=item.load_kg)
    plans_publish(plans=drafts)
    change = PlanChange.objects.filter(athlete=athlete, what="Plan published").first()
    assert change is not None
    assert "not carried over" not in change.reason
    assert PlannedItem.objects.get(pk=item.pk).sets == 2  # the draft's own edit is published


def test_a_coach_edit_is_carried_into_the_athletes_next_plan(world: World) -> None:
    """A squad rebuilt after the coach edited one athlete's session: the new plan has the
    edit on that day, shown as the coach's, and the publish leaves nothing behind."""
    from runstrong.web.coaching.plans import plans_publish

    athlete = world.athlete_a
    session = upcoming(athlete)[2]
    row = session.items.get(exercise="banded-spanish-squat")
    plan_item_update(item=row, sets=4, target=row.target, load_kg=row.load_kg, note="Slow down")
    drafts, _ = plan_generate(athletes=[athlete], start=world.today, weeks=6)
    drafted = PlannedItem.objects.get(
        session__plan=drafts[0], session__date=session.date, exercise="banded-spanish-squat"
    )
    assert (drafted.sets, drafted.edited_by_coach) == (4, True)
    assert "Coach's note: Slow down" in [reason["text"] for reason in drafted.reasons]

    plans_publish(plans=drafts)
    change = PlanChange.objects.filter(athlete=athlete, what="Plan published").latest("pk")
    assert "not carried over" not in change.reason
    kept = PlannedItem.objects.get(
        session__plan=drafts[0], session__date=session.date, exercise="banded-spanish-squat"
    )
    assert (kept.sets, kept.edited_by_coach) == (4, True)
    plan_follow(athlete=athlete, cause="Profile edited by coach")  # and through replans after
    assert PlannedItem.objects.get(pk=kept.pk).sets == 4


def test_a_change_the_coach_made_gives_its_own_reason_not_the_last_progression_step(
    client: Client, world: World
) -> None:
    """Front-of-knee pain ticked on the profile gives the Spanish squat more sets: the plan
    change says so (P2), not "every set reached 10 reps" from the last session."""
    athlete = world.athlete_a
    finish(world.next_session(athlete))
    login(client, world.coach_x)
    url = reverse("coaching:athlete-edit", args=[athlete.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"problems": ["knee"], "races-TOTAL_FORMS": "0", "races-INITIAL_FORMS": "0"})
    client.post(url, data)

    change = PlanChange.objects.filter(
        athlete=athlete, cause=PROFILE_CAUSE, what__startswith="Banded Spanish squat"
    ).get()
    assert "Front-of-knee pain" in change.reason
    assert change.keys == ["P2"]
    logged = PlanChange.objects.filter(athlete=athlete, cause__startswith="Session of")
    assert all(c.reason.startswith(weekday_date(world.today)) for c in logged), (
        "a change a logged session made still gives the progression's step"
    )


def _delete_checking_keys_now(session: PlannedSession) -> None:
    """A plain delete, with the database's deferred key checks run at once, as at commit."""
    from runstrong.web.coaching.session_rows import sessions_delete

    with transaction.atomic():
        sessions_delete(PlannedSession.objects.filter(pk=session.pk))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                cursor.execute("PRAGMA foreign_key_check")
                if cursor.fetchall():
                    raise IntegrityError("FOREIGN KEY constraint failed")


def test_a_plain_delete_of_a_logged_session_is_refused_and_the_sets_stay(world: World) -> None:
    """The database backs the rule: replans delete with plain statements, and a session that
    took a set cannot go, even if a check above it were wrong."""
    session = world.next_session(world.athlete_a)
    finish(session)
    sets = SetLog.objects.filter(item__session=session).count()
    with pytest.raises(IntegrityError):
        _delete_checking_keys_now(session)
    assert SetLog.objects.filter(item__session=session).count() == sets
    assert SessionLog.objects.filter(session=session).exists()


def test_pain_told_after_the_last_set_steps_the_plan_back(world: World) -> None:
    """S18: the phone finishes a session on its last set and takes effort and pain after it;
    that pain must reach the replan, not only the coach's flag."""
    from runstrong.web.coaching.session_log import PainEntry, session_finish_if_all_logged

    athlete = world.athlete_a
    session = world.next_session(athlete)
    following = upcoming(athlete, after=session)[0]
    before = dose(following, "banded-spanish-squat")
    for entry in all_sets(session):
        set_record(entry)
    session_finish_if_all_logged(session_id=session.pk)
    stepped_up = dose(PlannedSession.objects.get(pk=following.pk), "banded-spanish-squat")

    knee = PainEntry(score=5, area="knee", side="left", exercise="banded-spanish-squat")
    session_log_done(session=session, sets=[], reps_in_reserve=2, pains=[knee], notes="")

    after = dose(PlannedSession.objects.get(pk=following.pk), "banded-spanish-squat")
    assert stepped_up != before  # a clean session moved it up first
    assert after != stepped_up
    assert (after[1], after[2] or 0) <= (before[1], before[2] or 0)


def test_a_preview_that_fails_leaves_the_garbage_collector_running(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview pauses the collector for its batch; a failure part-way must not leave the
    server's process without one (memory held in cycles would grow until restart)."""
    import gc

    def broken(*args: Any, **kwargs: Any) -> None:
        assert not gc.isenabled()
        raise RuntimeError("database went away")

    monkeypatch.setattr("runstrong.web.coaching.plans.drafts_write", broken)
    with pytest.raises(RuntimeError):
        plan_generate(athletes=[world.athlete_a], start=timezone.localdate(), weeks=4)
    assert gc.isenabled()


def first_draft_dose(athlete: Athlete, exercise: str) -> tuple[int, float, float | None]:
    drafts, _ = plan_generate(athletes=[athlete], start=timezone.localdate(), weeks=4)
    item = (
        PlannedItem.objects.filter(session__plan=drafts[0], exercise=exercise)
        .order_by("session__date")
        .first()
    )
    assert item is not None
    return item.sets, item.target, item.load_kg


def test_a_preview_starts_from_the_stored_state_only_while_its_log_holds(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A completion stores the athlete's folded state and a squad's preview starts from it.
    Pain told after the last set changes that log in place: the preview then folds the log
    again and steps the exercise back, instead of climbing from the stored state."""
    athlete = world.athlete_a
    session = upcoming(athlete)[0]
    crawl = dose(session, "crouching-crawl")
    for entry in all_sets(session):
        set_record(entry)
    session_finish_if_all_logged(session_id=session.pk)
    stored = FoldedState.objects.get(athlete=athlete)
    folded_again = []
    monkeypatch.setattr(
        "runstrong.web.coaching.logged_state.fold_logs",
        lambda *args, **kwargs: folded_again.append(1) or fold_logs(*args, **kwargs),
    )
    climbed = first_draft_dose(athlete, "crouching-crawl")
    assert climbed[1] > crawl[1]
    assert not folded_again  # the preview took the state the completion stored

    hurt = PainEntry(score=6, area="knee", side="left", exercise="crouching-crawl")
    session_log_done(session=session, sets=[], reps_in_reserve=2, pains=[hurt], notes="")
    assert FoldedState.objects.get(athlete=athlete).marks != stored.marks
    FoldedState.objects.filter(athlete=athlete).update(marks=stored.marks, state=stored.state)
    stepped_back = first_draft_dose(athlete, "crouching-crawl")
    assert folded_again
    assert stepped_back[:2] < crawl[:2]  # fewer sets or a shorter crawl than it started at


def test_a_stored_state_reads_back_as_the_fold_left_it(world: World) -> None:
    athlete = world.athlete_a
    for pain in (0, 6, 0):
        session = upcoming(athlete)[0]
        if pain:
            hurt = PainEntry(score=pain, area="knee", side="left", exercise="crouching-crawl")
            session_log_done(
                session=session, sets=all_sets(session), reps_in_reserve=1, pains=[hurt], notes=""
            )
        else:
            finish(session)
    state = athlete_state(athlete, site_catalog()).state
    assert len(state.exercises) >= 4
    assert state_from_data(json.loads(json.dumps(state_data(state)))) == state


def test_plan_changes_word_a_pair_of_kettlebells_as_the_session_does(world: World) -> None:
    """The crawl holds a kettlebell in each hand: `2 × 8 kg` on the session, and so in the
    plan change the coach and the athlete read, before and after."""
    athlete = world.athlete_a
    Athlete.objects.filter(pk=athlete.pk).update(kettlebells_kg=[8, 8, 12, 12])
    athlete.refresh_from_db()
    plan_follow(athlete=athlete, cause="Kettlebells added")
    session = upcoming(athlete)[0]
    crawl = session.items.get(exercise="crouching-crawl")
    plan_item_update(item=crawl, sets=crawl.sets, target=crawl.ladder["top"], load_kg=8)
    finish(session)
    plan_follow(athlete=athlete, cause="Profile edited")
    following = upcoming(athlete, after=session)[0].items.get(exercise="crouching-crawl")
    assert following.load_kg is not None
    change = PlanChange.objects.filter(athlete=athlete, what__startswith="Crouching crawl").latest(
        "pk"
    )
    assert change.after.endswith(following.dose_text)
    assert f"2 × {following.load_kg:g} kg" in change.after


@pytest.fixture
def folded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many sessions each fold of a log took in, in order."""
    counts: list[int] = []

    def counting(logs: Any, **kwargs: Any) -> Any:
        logs = list(logs)
        counts.append(len(logs))
        return fold_logs(logs, **kwargs)

    monkeypatch.setattr("runstrong.web.coaching.logged_state.fold_logs", counting)
    return counts


def test_a_completion_folds_only_the_sessions_logged_since_the_last_fold(
    world: World, folded: list[int]
) -> None:
    """A season's log grows to a hundred sessions: a completion folds on from the state the
    last one stored, not from the first session. Pain told after the last set changes the
    newest log, so it folds on from the state before it; an older session saved late sorts
    before both stored states, so the whole log is folded again. Each ends where folding the
    whole log ends (the state machine holds that in any order)."""
    athlete = world.athlete_a
    sessions = upcoming(athlete)[:5]
    for session in sessions[:2]:
        finish(session)
    folded.clear()
    finish(sessions[2])
    assert sum(folded) == 1

    for entry in all_sets(sessions[3]):
        set_record(entry)
    session_finish_if_all_logged(session_id=sessions[3].pk)
    folded.clear()
    knee = PainEntry(score=6, area="knee", side="left", exercise="banded-spanish-squat")
    session_log_done(session=sessions[3], sets=[], reps_in_reserve=2, pains=[knee], notes="")
    assert sum(folded) == 1
    changed = SessionLog.objects.get(session=sessions[3]).outcome
    assert "regress" in {change["change"] for change in changed}

    for later in upcoming(athlete, after=sessions[4])[:2]:
        finish(later)
    folded.clear()
    finish(sessions[4])  # saved after two later ones: it sorts before both stored states
    assert sum(folded) == 7
    stored = FoldedState.objects.get(athlete=athlete)
    assert state_from_data(stored.state) == athlete_state(athlete, site_catalog()).state


def test_a_state_stored_by_the_release_before_is_folded_afresh(
    world: World, folded: list[int]
) -> None:
    """During a rolling upgrade a worker of the release before stores states without the log
    they were folded through: the next completion folds the whole log, never the newest
    session twice onto a state that already holds it."""
    athlete = world.athlete_a
    sessions = upcoming(athlete)[:3]
    for session in sessions[:2]:
        finish(session)
    kept = FoldedState.objects.get(athlete=athlete)
    older = {key: value for key, value in kept.state.items() if key != "through"}
    FoldedState.objects.filter(athlete=athlete).update(state=older)
    folded.clear()
    finish(sessions[2])
    assert sum(folded) == 3
    stored = FoldedState.objects.get(athlete=athlete)
    assert state_from_data(stored.state) == athlete_state(athlete, site_catalog()).state
