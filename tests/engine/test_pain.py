"""Pain per exercise: only the exercise that hurt steps back, and a report reads where it was
[S18, P1–P4]."""

from __future__ import annotations

from datetime import date, timedelta

from runstrong.engine.catalog import Catalog, default_catalog
from runstrong.engine.model import Item
from runstrong.engine.pain import (
    PAIN_AREAS,
    area_keys,
    pain_elsewhere_reason,
    pain_where,
)
from runstrong.engine.planner import plan, replan
from runstrong.engine.progression import LoggedSet, step_down
from runstrong.engine.state import LoggedItem, LoggedSession, fold_logs, state_key
from runstrong.engine.wording import weekday_date
from tests.engine.conftest import MONDAY, athlete, season


def test_the_phone_lists_the_issue_s_areas_in_order() -> None:
    assert list(PAIN_AREAS.values()) == [
        "Knee", "Shin", "Calf", "Achilles", "Hamstring", "Hip", "Lower back", "Other",
    ]  # fmt: skip


def test_a_report_reads_side_and_area() -> None:
    assert pain_where("knee", "left") == "left knee"
    assert pain_where("lower-back", "") == "lower back"
    assert pain_where("achilles", "right") == "right Achilles"
    assert pain_where("shin", "both") == "shin, both sides"
    assert pain_where("other", "left") == "somewhere else, left side"
    assert pain_where("", "left") == ""


def test_p1_p2_p4_each_area_cites_the_problem_flag_source_of_the_catalog(
    catalog: Catalog,
) -> None:
    """P2 knee, P1 shin and calf, P4 lower back; no key where no source speaks of the area."""
    assert area_keys(catalog, "knee") == ("P2",)
    assert area_keys(catalog, "shin") == ("P1",)
    assert area_keys(catalog, "calf") == ("P1",)
    assert area_keys(catalog, "lower-back") == ("P4",)
    assert area_keys(catalog, "hip") == ()
    assert area_keys(catalog, "other") == ()


def test_s18_pain_elsewhere_steps_nothing_back_and_says_where_with_its_keys(
    catalog: Catalog,
) -> None:
    reason = pain_elsewhere_reason(
        catalog, score=4, area="shin", side="right", where="", day=date(2026, 10, 12)
    )
    assert reason.keys == ("S18", "P1")
    assert "Pain 4/10 (right shin) on Mon 12 Oct" in reason.text
    assert "no exercise steps back" in reason.text
    legacy = pain_elsewhere_reason(
        catalog, score=5, area="", side="", where="sore neck", day=date(2026, 10, 12)
    )
    assert "(sore neck)" in legacy.text
    assert legacy.keys == ("S18",)


def test_s18_pain_in_one_exercise_steps_back_only_that_exercise(catalog: Catalog) -> None:
    """Knee pain in the Spanish squat: the squat one step back, every other exercise climbs
    as its own log says."""
    first = next(plan(athlete(), season(weeks=12), catalog).sessions())
    threshold = catalog.rules.progression.pain_regress_at

    def done(item: Item, pain: int = 0, where: str = "") -> LoggedItem:
        sides = ("left", "right") if item.per_side else (None,)
        sets = tuple(
            LoggedSet(item.target, item.load_kg, 2, 0, side)  # type: ignore[arg-type]
            for _ in range(item.sets)
            for side in sides
        )
        return LoggedItem(item, sets, pain=pain, pain_where=where)

    items = tuple(
        done(item, threshold + 1, "left knee") if item.exercise == "banded-spanish-squat"
        else done(item)
        for item in first.items
    )  # fmt: skip
    state, steps = fold_logs(
        [LoggedSession(MONDAY, "done", items, source="s1")],
        starts=first.items,
        rule=catalog.rules.progression,
    )
    changes = {step.key: step for step in steps}
    squat = next(item for item in first.items if item.exercise == "banded-spanish-squat")
    assert changes[state_key(squat)].change == "regress"
    reason = changes[state_key(squat)].reason
    assert reason.text.startswith(
        f"Pain {threshold + 1}/10 (left knee) in the {squat.name} on {weekday_date(MONDAY)}."
    )
    assert reason.keys[0] == "S18"
    assert "left knee" in (changes[state_key(squat)].coach_flag or "")
    others = [step for key, step in changes.items() if key != state_key(squat)]
    assert others
    assert all(step.change != "regress" for step in others)
    assert all(not state.exercises[step.key].pain_open for step in others)


def test_m1_s18_a_superset_partner_does_not_give_back_the_set_pain_took(
    catalog: Catalog,
) -> None:
    """The squat and the crawl are done in rounds [M1], but a step back for pain in the squat
    [S18] stays a step back: the crawl does the last round alone, and keeps its own dose."""
    profile, window = athlete(), season(weeks=12)
    first = next(plan(profile, window, catalog).sessions())
    threshold = catalog.rules.progression.pain_regress_at
    by_slug = {item.exercise: item for item in first.items}
    squat, crawl = by_slug["banded-spanish-squat"], by_slug["crouching-crawl"]
    assert squat.sets == crawl.sets

    def done(item: Item) -> LoggedItem:
        sides = ("left", "right") if item.per_side else (None,)
        sets = tuple(
            LoggedSet(item.target, item.load_kg, 2, 0, side)  # type: ignore[arg-type]
            for _ in range(item.sets)
            for side in sides
        )
        hurt = item.exercise == "banded-spanish-squat"
        return LoggedItem(item, sets, pain=threshold if hurt else 0, pain_where="left knee")

    logs = [LoggedSession(MONDAY, "done", tuple(done(item) for item in first.items), order=1)]
    state, _ = fold_logs(logs, starts=first.items, rule=default_catalog().rules.progression)
    back, _ = step_down(squat)
    following = next(
        session
        for session in replan(
            profile, window, state, MONDAY + timedelta(days=1), catalog
        ).sessions()
    )
    after = {item.exercise: item for item in following.items}
    assert (after[squat.exercise].sets, after[squat.exercise].target) == (back.sets, back.target)
    assert after[squat.exercise].load_kg == back.load_kg
    assert after["crouching-crawl"].sets >= crawl.sets
    assert after["crouching-crawl"].target >= crawl.target
    if back.sets < squat.sets:
        notes = " ".join(reason.text for reason in after[squat.exercise].reasons)
        assert "step back for pain" in notes
