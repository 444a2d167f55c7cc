"""What an athlete's log says: the progression state folded from the sessions they finished or
missed, read as plain tuples because it runs on every completion."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast

from runstrong.engine.catalog import Catalog
from runstrong.engine.model import Item, Ladder
from runstrong.engine.pain import pain_where
from runstrong.engine.prescribe import athlete_exercises
from runstrong.engine.progression import LoggedSet
from runstrong.engine.state import (
    LoggedItem,
    LoggedSession,
    ProgressionState,
    Transition,
    fold_logs,
)
from runstrong.web.coaching.convert import athlete_to_engine, ladder_from_data
from runstrong.web.coaching.models import (
    Athlete,
    ItemText,
    PainReport,
    PlannedItem,
    PlannedSession,
    SetLog,
)


@dataclass(frozen=True)
class AthleteState:
    state: ProgressionState
    transitions: list[Transition]


def athlete_state(athlete: Athlete, catalog: Catalog) -> AthleteState:
    """The athlete's progression state folded from every session they finished or missed."""
    return athletes_states([athlete], catalog)[athlete.pk]


def athletes_states(athletes: list[Athlete], catalog: Catalog) -> dict[int, AthleteState]:
    """Each athlete's state, folded from their log; four queries however many athletes.

    Runs on every completion, so it reads only the columns the fold needs, as tuples: the
    whole log of a season is a few thousand sets.

    Pain steps back the exercise it was reported in: an item's pain is the worst report for
    its exercise in that session. Pain reported elsewhere steps nothing back (it is the
    coach's flag). Logs from before pain was reported per exercise had one score for the
    session and every exercise of it stepped back; they fold as they did, so no athlete's
    past changes when this reads them.
    """
    logged = {"athlete__in": [athlete.pk for athlete in athletes], "log__isnull": False}
    sessions = PlannedSession.objects.filter(**logged).values_list(
        "athlete_id", "pk", "date", "kind", "log__status", "log__reps_in_reserve", "log__pain",
        "log__pain_by_exercise",
    )  # fmt: skip
    items: dict[int, list[tuple[int, Item]]] = {}
    rows = list(
        PlannedItem.objects.filter(**{f"session__{k}": v for k, v in logged.items()}).values_list(
            *LOGGED_ITEM_COLUMNS
        )
    )
    # A squad's log shares a few dozen ladders: each is read and parsed once.
    ladders = {
        pk: _ladder(text)
        for pk, text in ItemText.objects.filter(pk__in={row[-1] for row in rows})
        .annotate(ladder_text=Cast("ladder", TextField()))
        .values_list("pk", "ladder_text")
    }
    for row in rows:
        items.setdefault(row[1], []).append((row[0], _logged_item(row, ladders)))
    sets: dict[int, list[tuple[float, float | None, str]]] = {}
    for item_id, done, load_kg, side in (
        SetLog.objects.filter(**{f"item__session__{k}": v for k, v in logged.items()})
        .order_by("set_number", "side")
        .values_list("item_id", "done", "load_kg", "side")
    ):
        sets.setdefault(item_id, []).append((done, load_kg, side))
    # The worst pain reported in each exercise of each session, and where it was.
    pains: dict[tuple[int, str], tuple[int, str]] = {}
    for session_id, exercise, score, area, side in (
        PainReport.objects.filter(**{f"session__{k}": v for k, v in logged.items()})
        .exclude(exercise="")
        .order_by("pk")
        .values_list("session_id", "exercise", "score", "area", "side")
    ):
        if score > pains.get((session_id, exercise), (-1, ""))[0]:
            pains[(session_id, exercise)] = (score, pain_where(area, side))
    logs: dict[int, list[LoggedSession]] = {athlete.pk: [] for athlete in athletes}
    for athlete_id, pk, day, kind, status, rir, session_pain, by_exercise in sessions:
        hurt = {
            item_id: pains.get((pk, item.exercise), (0, "")) if by_exercise else (session_pain, "")
            for item_id, item in items.get(pk, ())
        }
        logs[athlete_id].append(
            LoggedSession(
                day,
                "missed" if status == "missed" else "done",
                tuple(
                    LoggedItem(
                        item,
                        tuple(
                            # A SetLog side is one of its choices: "left", "right" or "".
                            LoggedSet(done, load_kg, rir, hurt[item_id][0], side or None)  # type: ignore[arg-type]
                            for done, load_kg, side in sets.get(item_id, ())
                        ),
                        pain=hurt[item_id][0],
                        pain_where=hurt[item_id][1],
                    )
                    for item_id, item in items.get(pk, ())
                ),
                light=kind == "light",
                source=str(pk),
                order=pk,
            )
        )
    states = {}
    for athlete in athletes:
        starts = athlete_exercises(athlete_to_engine(athlete), catalog).items
        state, transitions = fold_logs(
            logs[athlete.pk],
            starts=starts,
            rule=catalog.rules.progression,
        )
        states[athlete.pk] = AthleteState(state, transitions)
    return states


LOGGED_ITEM_COLUMNS = (
    "pk", "session_id", "slot", "exercise", "name", "substitute_for", "sets", "target",
    "per_side", "load_kg", "rest_s", "rir_low", "rir_high", "text_id",
)  # fmt: skip


def _logged_item(row: tuple[Any, ...], ladders: dict[int, Ladder]) -> Item:
    """The prescription as it stood that day: dose and ladder; texts are not needed to fold."""
    (_, _, slot, exercise, name, substitute_for, sets, target, per_side, load_kg, rest_s,
     rir_low, rir_high, text_id) = row  # fmt: skip
    return Item(
        slot=slot,
        exercise=exercise,
        name=name,
        sets=sets,
        target=target,
        ladder=ladders[text_id],
        per_side=per_side,
        load_kg=load_kg,
        rest_s=rest_s,
        reps_in_reserve=(rir_low, rir_high),
        cues=(),
        reasons=(),
        substitute_for=substitute_for or None,
    )


@functools.lru_cache(maxsize=1024)
def _ladder(text: str) -> Ladder:
    # A squad shares a few dozen ladders; each is parsed once per worker.
    return ladder_from_data(json.loads(text))
