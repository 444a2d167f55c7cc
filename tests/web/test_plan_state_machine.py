"""Athlete and coach in any order: logs are never lost and the plan is always the replan.

A hypothesis state machine interleaves what the two of them do (set logs, completions also
repeated, missed sessions, pain, profile edits, coach item edits and their removal, previews,
publishes and re-publishes) and checks after every step that
- no logged set or session log disappears, and a finished session's outcome never changes;
- the current plan's sessions from today on without a logged set are exactly `replan` of the
  state folded from the log, with the coach's pinned edits on top;
- pain at or above the catalog's threshold in an exercise never moved that exercise up, and
  only such pain (in that exercise, or a log's single session score from before pain was
  reported per exercise) ever stepped an exercise back: pain elsewhere steps nothing back.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from runstrong.engine.planner import replan
from runstrong.web.coaching.convert import athlete_to_engine, season_for
from runstrong.web.coaching.folded_state import state_from_data
from runstrong.web.coaching.logged_state import (
    AthleteState,
    athlete_state,
    fold_marks,
    log_marks,
)
from runstrong.web.coaching.models import (
    FoldedState,
    ItemOverride,
    PainReport,
    Plan,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.plans import (
    AlreadyPublished,
    ItemEditError,
    plan_generate,
    plan_item_edit_remove,
    plan_item_update,
    plan_publish,
)
from runstrong.web.coaching.replanning import current_plan, plan_follow
from runstrong.web.coaching.session_log import (
    PainEntry,
    SessionAlreadyLogged,
    SetEntry,
    session_finish_if_all_logged,
    session_log_done,
    session_log_missed,
    set_record,
)
from runstrong.web.coaching.session_rows import has_logged_set
from runstrong.web.coaching.site_catalog import site_catalog
from tests.web.factories import make_athlete, make_coach, publish_plan

_names = itertools.count()
PICK = st.integers(min_value=0, max_value=1000)


def _logged() -> Q:
    """Touched by the athlete (finished, missed or a set logged), written apart from the app's
    own query so the check does not share its mistakes."""
    return Q(log__isnull=False) | Q(has_sets=True)


class CoachAndAthlete(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        number = next(_names)
        self.today = timezone.localdate()
        self.catalog = site_catalog()
        coach = make_coach(f"coach{number}")
        self.athlete = make_athlete(
            coach,
            f"runner{number}",
            strength_days=["mon", "wed", "fri"],
            hard_run_days=["tue"],
        )
        publish_plan(self.athlete, start=self.today, weeks=4, today=self.today)
        self.seen_sets: set[int] = set()
        self.seen_reports: set[int] = set()
        self.outcomes: dict[int, list[Any]] = {}
        # The app reads the clock through timezone.localdate(); days pass when the rule says.
        self._clock = mock.patch(
            "django.utils.timezone.localdate", side_effect=lambda *_, **__: self.today
        )
        self._clock.start()

    def teardown(self) -> None:
        self._clock.stop()

    @rule(days=st.integers(1, 4))
    def days_pass(self, days: int) -> None:
        self.today += timedelta(days=days)

    # -- helpers ---------------------------------------------------------------------------
    def _sessions(self) -> list[PlannedSession]:
        """What the athlete can reach: sessions of published plans."""
        return list(
            PlannedSession.objects.filter(
                athlete=self.athlete, plan__published_at__isnull=False
            ).order_by("date", "pk")
        )

    def _pick_session(self, pick: int) -> PlannedSession | None:
        rows = self._sessions()
        return rows[pick % len(rows)] if rows else None

    def _pick_item(self, pick: int, *, drafts: bool = False) -> PlannedItem | None:
        items = PlannedItem.objects.filter(session__athlete=self.athlete, session__superseded=False)
        if not drafts:
            items = items.filter(session__plan__published_at__isnull=False)
        items = items.order_by("session__date", "pk")
        count = items.count()
        return items[pick % count] if count else None

    # -- the athlete -------------------------------------------------------------------------
    @rule(pick=PICK, set_pick=PICK, done=st.sampled_from([0.0, 5.0, 10.0, 12.0, 30.0]))
    def log_a_set(self, pick: int, set_pick: int, done: float) -> None:
        item = self._pick_item(pick)
        if item is None or SessionLog.objects.filter(session_id=item.session_id).exists():
            return
        sides = ["left", "right"] if item.per_side else [""]
        number = set_pick % item.sets + 1
        side = sides[set_pick % len(sides)]
        set_record(SetEntry(item.pk, number, side, done, item.load_kg))
        session_finish_if_all_logged(session_id=item.session_id)

    @rule(pick=PICK, done=st.sampled_from([1.0, 99.0]))
    def change_a_set_after_finishing(self, pick: int, done: float) -> None:
        """A phone that retries an old tap, or a typo fixed late: the session is closed."""
        item = self._pick_item(pick)
        if item is None or not SessionLog.objects.filter(session_id=item.session_id).exists():
            return
        before = list(SetLog.objects.filter(item=item).values_list("pk", "done", "load_kg"))
        sides = ["left", "right"] if item.per_side else [""]
        assert set_record(SetEntry(item.pk, 1, sides[0], done, item.load_kg)) is None
        after = list(SetLog.objects.filter(item=item).values_list("pk", "done", "load_kg"))
        assert after == before

    @rule(
        pick=PICK,
        pain=st.integers(0, 10),
        where=st.integers(0, 5),
        elsewhere=st.integers(0, 10),
        repeat=st.booleans(),
    )
    def complete(self, pick: int, pain: int, where: int, elsewhere: int, repeat: bool) -> None:
        """Pain in one exercise of the session (picked by `where`) and pain elsewhere."""
        session = self._pick_session(pick)
        if session is None:
            return
        exercises = sorted(session.items.values_list("exercise", flat=True))
        pains = [PainEntry(score=elsewhere, area="shin", side="left")]
        if exercises:
            pains.append(PainEntry(pain, "knee", "right", exercises[where % len(exercises)]))
        answers = []
        for _ in range(2 if repeat else 1):
            try:
                answers.append(
                    session_log_done(
                        session=session, sets=[], reps_in_reserve=2, pains=pains, notes=""
                    )
                )
            except SessionAlreadyLogged:
                return
        assert answers[-1] == answers[0], "a repeat answers as the first completion did"

    @rule(pick=PICK, pain=st.integers(1, 10))
    def tell_new_pain_after_done(self, pick: int, pain: int) -> None:
        """Pain the log does not hold, sent with a second completion: refused, not dropped."""
        session = self._pick_session(pick)
        if (
            session is None
            or not SessionLog.objects.filter(
                session=session, status="done", by_last_set=False
            ).exists()
        ):
            return
        reports = set(PainReport.objects.filter(session=session).values_list("pk", "score"))
        with pytest.raises(SessionAlreadyLogged):
            session_log_done(
                session=session,
                sets=[],
                reps_in_reserve=None,
                pains=[PainEntry(pain, "hip", "left")],
                notes="",
            )
        assert set(PainReport.objects.filter(session=session).values_list("pk", "score")) == (
            reports
        )

    @rule(pick=PICK)
    def miss(self, pick: int) -> None:
        session = self._pick_session(pick)
        if session is None:
            return
        with contextlib.suppress(SessionAlreadyLogged):
            session_log_missed(session=session, reason="ill")

    # -- the coach ---------------------------------------------------------------------------
    @rule(
        days=st.sampled_from([["mon", "thu"], ["tue", "thu", "sat"], ["mon", "wed", "fri"]]),
        bells=st.sampled_from([[8, 12, 16], [12], [], [8, 8, 12, 12, 16]]),
    )
    def edit_profile(self, days: list[str], bells: list[int]) -> None:
        self.athlete.strength_days = days
        self.athlete.kettlebells_kg = bells
        self.athlete.save()
        plan_follow(athlete=self.athlete, cause="Profile edited by coach")

    @rule(pick=PICK, sets=st.integers(1, 5), dose=st.sampled_from([8.0, 10.0, 20.0]))
    def edit_item(self, pick: int, sets: int, dose: float) -> None:
        item = self._pick_item(pick, drafts=True)
        if item is None:
            return
        with contextlib.suppress(ItemEditError):
            plan_item_update(item=item, sets=sets, target=dose, load_kg=None)

    @rule(pick=PICK)
    def remove_edit(self, pick: int) -> None:
        edited = list(
            PlannedItem.objects.filter(session__athlete=self.athlete, edited_by_coach=True)
        )
        if edited:
            with contextlib.suppress(ItemEditError):  # a logged session's edit stays
                plan_item_edit_remove(item=edited[pick % len(edited)])

    @rule(weeks=st.integers(2, 6))
    def preview(self, weeks: int) -> None:
        plan_generate(athletes=[self.athlete], start=self.today, weeks=weeks, today=self.today)

    @rule()
    def publish_draft(self) -> None:
        draft = Plan.objects.filter(athlete=self.athlete, published_at__isnull=True).first()
        if draft is not None:
            plan_publish(plan=draft, today=self.today)

    @rule()
    def republish(self) -> None:
        plan = current_plan(self.athlete)
        assert plan is not None
        before = self._snapshot()
        with pytest.raises(AlreadyPublished):
            plan_publish(plan=plan, today=self.today)
        assert self._snapshot() == before

    def _snapshot(self) -> list[tuple[Any, ...]]:
        return list(
            PlannedItem.objects.filter(session__athlete=self.athlete)
            .order_by("pk")
            .values_list("pk", "session__date", "sets", "target", "load_kg")
        )

    # -- what must always hold -----------------------------------------------------------------
    @invariant()
    def nothing_logged_disappears(self) -> None:
        now = set(
            SetLog.objects.filter(item__session__athlete=self.athlete).values_list("pk", flat=True)
        )
        assert self.seen_sets <= now, "a logged set disappeared"
        self.seen_sets = now
        hidden = SetLog.objects.filter(
            item__session__athlete=self.athlete, item__session__superseded=True
        )
        assert not hidden.exists(), "a logged set sits in a session the athlete cannot see"
        reports = set(PainReport.objects.filter(athlete=self.athlete).values_list("pk", flat=True))
        assert self.seen_reports <= reports, "a pain report disappeared"
        self.seen_reports = reports
        logs = SessionLog.objects.filter(session__athlete=self.athlete)
        for log in logs:
            if log.pk in self.outcomes and not log.by_last_set:
                assert log.outcome == self.outcomes[log.pk], "a finished session's outcome changed"
        assert set(self.outcomes) <= {log.pk for log in logs}, "a session log disappeared"
        for log in logs:
            if not log.by_last_set:
                self.outcomes.setdefault(log.pk, log.outcome)

    @invariant()
    def no_item_outlives_its_session(self) -> None:
        # The item's key to its session is not checked by the database (models.PlannedItem).
        sessions = PlannedSession.all_rows.values("pk")
        assert not PlannedItem.objects.exclude(session_id__in=sessions).exists(), (
            "an item outlived its session"
        )

    def _folded_afresh(self) -> AthleteState:
        """The whole log folded again, leaving the stored states as the app left them: a
        completion folds on from those, and that is under test too."""
        kept = list(FoldedState.objects.filter(athlete=self.athlete))
        folded = athlete_state(self.athlete, self.catalog)
        FoldedState.objects.filter(athlete=self.athlete).delete()
        FoldedState.objects.bulk_create(kept)
        return folded

    @invariant()
    def the_stored_state_is_the_whole_log_folded(self) -> None:
        """A completion folds only the sessions after the state the last fold stored."""
        stored = FoldedState.objects.filter(athlete=self.athlete).first()
        if stored is not None and stored.marks == self._marks():
            assert state_from_data(stored.state) == self._folded_afresh().state

    def _marks(self) -> str:
        log = log_marks([self.athlete.pk])
        return fold_marks([self.athlete], self.catalog, log)[self.athlete.pk]

    @invariant()
    def future_is_the_replan_of_the_log(self) -> None:
        plan = current_plan(self.athlete)
        assert plan is not None
        self.athlete.refresh_from_db()
        from_date = max(self.today, plan.season_start)
        folded = self._folded_afresh()
        expected_plan = replan(
            athlete_to_engine(self.athlete),
            season_for(plan.season_start, plan.weeks, self.athlete.races.all()),
            folded.state,
            from_date,
            self.catalog,
        )
        logged_days = set(
            PlannedSession.objects.filter(athlete=self.athlete, date__gte=from_date)
            .annotate(has_sets=has_logged_set())
            .filter(_logged())
            .values_list("date", flat=True)
        )
        overrides = {
            (o.date, o.exercise): (o.sets, o.target, o.load_kg)
            for o in ItemOverride.objects.filter(plan=plan)
        }
        expected = {
            session.day: {
                item.exercise: overrides.get(
                    (session.day, item.exercise), (item.sets, item.target, item.load_kg)
                )
                for item in session.items
            }
            for session in expected_plan.sessions()
            if session.day not in logged_days
        }
        actual_rows = (
            PlannedSession.objects.filter(athlete=self.athlete, date__gte=from_date)
            .annotate(has_sets=has_logged_set())
            .exclude(_logged())
            .prefetch_related("items")
        )
        actual: dict[Any, dict[str, Any]] = {}
        for row in actual_rows:
            assert row.plan_id == plan.pk or row.plan.published_at is None, (
                "an older plan still has unlogged sessions ahead"
            )
            if row.plan_id == plan.pk:
                actual[row.date] = {
                    i.exercise: (i.sets, i.target, i.load_kg) for i in row.items.all()
                }
        assert actual == expected

    @invariant()
    def pain_steps_back_only_the_exercise_that_hurt(self) -> None:
        """S18: pain at the threshold in an exercise steps that exercise back, never up; no
        exercise steps back for pain elsewhere."""
        threshold = self.catalog.rules.progression.pain_regress_at
        session_wide = {
            str(pk)
            for pk in SessionLog.objects.filter(
                session__athlete=self.athlete, pain__gte=threshold, pain_by_exercise=False
            ).values_list("session_id", flat=True)
        }
        hurt = {
            (str(session_id), exercise)
            for session_id, exercise in PainReport.objects.filter(
                athlete=self.athlete, score__gte=threshold
            )
            .exclude(exercise="")
            .values_list("session_id", "exercise")
        }
        for step in self._folded_afresh().transitions:
            painful = step.source in session_wide or (step.source, step.before.exercise) in hurt
            if painful:
                assert step.change == "regress", step
            else:
                assert step.change != "regress", step


@pytest.mark.django_db(transaction=False)
def test_coach_and_athlete_in_any_order_keep_the_log_and_the_plan_in_step() -> None:
    run_state_machine_as_test(
        CoachAndAthlete,
        settings=settings(
            # A deeper run: RUNSTRONG_STATEFUL_EXAMPLES=200 pytest this file.
            max_examples=int(os.environ.get("RUNSTRONG_STATEFUL_EXAMPLES", "20")),
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
