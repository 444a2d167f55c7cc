"""Strength to the watch: the FIT workout a session downloads, read back by Garmin's own SDK."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.test import Client
from garmin_fit_sdk import Decoder, Stream
from hypothesis import given
from hypothesis import strategies as st

from runstrong.engine.model import block_of
from runstrong.exports.fit_workout import (
    ELLIPSIS,
    STRING_BYTES,
    WorkoutItem,
    fit_text,
    workout_fit,
)
from tests.personas import World, login


def decoded(content: bytes) -> dict[str, Any]:
    decoder = Decoder(Stream.from_byte_array(bytearray(content)))
    assert decoder.check_integrity()
    decoder = Decoder(Stream.from_byte_array(bytearray(content)))
    messages, errors = decoder.read()
    assert errors == []
    return messages


def test_a_session_downloads_as_a_workout_with_one_step_per_set(client: Client, world: World):
    session = world.next_session(world.athlete_a)
    login(client, world.athlete_a)
    response = client.get(f"/sessions/{session.pk}/workout.fit")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.ant.fit"
    assert f'filename="strength-{session.date}.fit"' in response["Content-Disposition"]
    messages = decoded(response.content)

    assert messages["file_id_mesgs"][0]["type"] == "workout"
    workout = messages["workout_mesgs"][0]
    assert workout["sport"] == "training"
    assert workout["sub_sport"] == "strength_training"
    steps = messages["workout_step_mesgs"]
    assert workout["num_valid_steps"] == len(steps)

    items = list(session.items.select_related("text"))
    for item in items:
        mine = [s for s in steps if s["wkt_step_name"].startswith(f"{item.slot} ")]
        assert len(mine) == item.sets * (2 if item.per_side else 1)
        for step in mine:
            # A watch line is short: the name may be cut, but never its side and round.
            assert f"{item.slot} {item.name}".startswith(
                step["wkt_step_name"]
                .rsplit(" ", 1)[0]
                .removesuffix(" left")
                .removesuffix(" right")
                .removesuffix(ELLIPSIS)
            )
            assert step["intensity"] == "active"
            assert step["notes"].startswith(item.load_text)
            if item.measure == "seconds":
                assert step["duration_type"] == "time"
                assert step["duration_time"] == item.target
            elif item.measure == "metres":
                assert step["duration_type"] == "distance"
                assert step["duration_distance"] == item.target
            else:
                assert step["duration_type"] == "reps"
                assert step["duration_reps"] == round(item.target)
    rests = [s for s in steps if s["intensity"] == "rest"]
    assert rests, "rests between rounds"
    assert {s["duration_time"] for s in rests} <= {float(i.rest_s) for i in items}
    assert steps[-1]["intensity"] == "active", "the workout ends on the last set, not a rest"


def test_a_superset_alternates_round_by_round_with_the_rest_after_the_pair():
    items = [
        WorkoutItem("A1", "Banded Spanish squat", 3, 12, "reps", False, 0, "8 kg"),
        WorkoutItem("A2", "Crouching crawl", 3, 20, "metres", False, 90, "bodyweight"),
        WorkoutItem("B1", "Single-leg squat", 2, 8, "reps", True, 60, "bodyweight"),
    ]
    fit = workout_fit("Strength", items, created=datetime(2026, 11, 26, tzinfo=UTC))
    names = [s["wkt_step_name"] for s in decoded(fit)["workout_step_mesgs"]]
    assert names == [
        "A1 Banded Spanish squat 1/3", "A2 Crouching crawl 1/3", "Rest 90 s",
        "A1 Banded Spanish squat 2/3", "A2 Crouching crawl 2/3", "Rest 90 s",
        "A1 Banded Spanish squat 3/3", "A2 Crouching crawl 3/3", "Rest 90 s",
        "B1 Single-leg squat left 1/2", "B1 Single-leg squat right 1/2", "Rest 60 s",
        "B1 Single-leg squat left 2/2", "B1 Single-leg squat right 2/2",
    ]  # fmt: skip
    assert block_of("A2") == "A"


def test_the_coach_gets_the_same_file_and_the_api_serves_it(client: Client, world: World):
    session = world.next_session(world.athlete_a)
    login(client, world.coach_x)
    page = client.get(f"/coach/sessions/{session.pk}/")
    assert f"/sessions/{session.pk}/workout.fit" in page.content.decode()
    steps = decoded(client.get(f"/sessions/{session.pk}/workout.fit").content)
    via_api = client.get(f"/api/v1/sessions/{session.pk}/workout.fit")
    assert via_api.status_code == 200
    assert decoded(via_api.content)["workout_step_mesgs"] == steps["workout_step_mesgs"]


def test_another_athlete_and_another_coach_get_nothing(client: Client, world: World):
    session = world.next_session(world.athlete_a)
    for stranger in (world.athlete_b, world.coach_y):
        login(client, stranger)
        assert client.get(f"/sessions/{session.pk}/workout.fit").status_code == 404
        assert client.get(f"/api/v1/sessions/{session.pk}/workout.fit").status_code == 404


def test_a_name_typed_with_line_breaks_and_emoji_reaches_the_watch_as_one_safe_line():
    items = [WorkoutItem("A1", "Squat\x00 drop\r\nthis 🏋️" + "é" * 40, 1, 5, "reps", False, 0, "")]
    fit = workout_fit("Coach's\nspecial", items, created=datetime(2026, 11, 26, tzinfo=UTC))
    messages = decoded(fit)
    assert messages["workout_mesgs"][0]["wkt_name"] == "Coach's special"
    name = messages["workout_step_mesgs"][0]["wkt_step_name"]
    assert name.startswith("A1 Squat drop this 🏋️é")
    assert name.endswith("é… 1/1"), "one long word is cut before the round, between characters"
    assert len(name.encode()) < STRING_BYTES


def test_a_long_exercise_name_is_cut_after_a_whole_word_with_an_ellipsis():
    name = "Single-leg Romanian deadlift with contralateral dumbbell"
    items = [WorkoutItem("A1", name, 1, 8, "reps", True, 0, "12 kg " + "slow lower " * 10)]
    fit = workout_fit("Strength", items, created=datetime(2026, 11, 26, tzinfo=UTC))
    steps = decoded(fit)["workout_step_mesgs"]
    assert [s["wkt_step_name"] for s in steps] == [
        "A1 Single-leg Romanian deadlift… left 1/1",
        "A1 Single-leg Romanian deadlift… right 1/1",
    ]
    assert steps[0]["notes"] == "12 kg slow lower slow lower slow lower slow…"


@given(st.text())
def test_fit_text_is_one_line_of_valid_utf8_that_fits_the_field(text: str):
    cut = fit_text(text)
    assert len(cut.encode("utf-8")) < STRING_BYTES
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in cut)
    assert cut == cut.strip()


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cc"]), min_size=1)))
def test_fit_text_cuts_only_between_words_or_inside_one_long_word(words: list[str]):
    flat = " ".join(" ".join(words).split())
    cut = fit_text(flat)
    if cut == flat:
        return
    assert cut.endswith(ELLIPSIS)
    kept = cut.removesuffix(ELLIPSIS)
    assert flat.startswith(kept)
    assert len(cut.encode("utf-8")) < STRING_BYTES
