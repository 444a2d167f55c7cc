"""What an athlete's log says: the progression state folded from the sessions they finished or
missed, read as plain tuples because it runs on every completion."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, TextField
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
    state_key,
)
from runstrong.web.coaching.convert import athlete_to_engine, ladder_from_data
from runstrong.web.coaching.folded_state import store_states, stored_states
from runstrong.web.coaching.models import (
    Athlete,
    ItemText,
    PainReport,
    PlannedItem,
    PlannedSession,
    SessionLog,
    SetLog,
)
from runstrong.web.coaching.site_catalog import catalog_digest


@dataclass(frozen=True)
class AthleteState:
    state: ProgressionState
    transitions: list[Transition]


def athlete_state(athlete: Athlete, catalog: Catalog) -> AthleteState:
    """The athlete's progression state folded from every session they finished or missed."""
    return athletes_states([athlete], catalog)[athlete.pk]


def athletes_progress(
    athletes: list[Athlete], catalog: Catalog, log: dict[int, dict[str, Any]] | None = None
) -> dict[int, ProgressionState]:
    """Each athlete's state: as stored by the last fold where their log has not moved since
    (every completion folds and stores), folded afresh for the rest. `log` is `log_marks` of
    these athletes, read before anything else a caller reads of their log."""
    if log is None:
        log = log_marks([athlete.pk for athlete in athletes])
    marks = fold_marks(athletes, catalog, log)
    states = stored_states(marks)
    moved = [athlete for athlete in athletes if athlete.pk not in states]
    if moved:
        folded = athletes_states(moved, catalog, marks=marks)
        states.update({athlete_id: kept.state for athlete_id, kept in folded.items()})
    return states


def log_marks(athlete_ids: list[int]) -> dict[int, dict[str, Any]]:
    """How far each athlete's log has come: its size, newest row and latest change. A log
    finished by its last set takes the effort and pain once more, in place; that is the one
    change to a log, so the count of logs still waiting for it marks it."""
    rows = (
        SessionLog.objects.filter(session__athlete__in=athlete_ids)
        .values("session__athlete")
        .annotate(
            count=Count("pk"),
            last=Max("pk"),
            at=Max("logged_at"),
            by_last_set=Count("pk", filter=Q(by_last_set=True)),
        )
        .order_by()
    )
    return {
        row.pop("session__athlete"): row  # count, last, at, by_last_set
        for row in rows
    }


def fold_marks(
    athletes: list[Athlete], catalog: Catalog, log: dict[int, dict[str, Any]]
) -> dict[int, str]:
    """What each athlete's fold is a function of, in 32 hex digits: the log's marks, the set
    counts the profile starts each exercise at, and the catalog's content (its rules)."""
    rules = catalog_digest(catalog)
    marks = {}
    for athlete in athletes:
        starts = athlete_exercises(athlete_to_engine(athlete), catalog).items
        text = json.dumps(
            [log.get(athlete.pk, {}), sorted((state_key(i), i.sets) for i in starts), rules],
            default=str,
            sort_keys=True,
        )
        marks[athlete.pk] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return marks


def athletes_states(
    athletes: list[Athlete], catalog: Catalog, marks: dict[int, str] | None = None
) -> dict[int, AthleteState]:
    """Each athlete's state, folded from their log; four queries however many athletes, and
    the states stored with the `marks` of the log they were folded from (`fold_marks`, read
    first: a log landing meanwhile makes the stored marks stale, never the state).

    Runs on every completion, so it reads only the columns the fold needs, as tuples: the
    whole log of a season is a few thousand sets.

    Pain steps back the exercise it was reported in: an item's pain is the worst report for
    its exercise in that session. Pain reported elsewhere steps nothing back (it is the
    coach's flag). Logs from before pain was reported per exercise had one score for the
    session and every exercise of it stepped back; they fold as they did, so no athlete's
    past changes when this reads them.
    """
    if marks is None:
        marks = fold_marks(athletes, catalog, log_marks([athlete.pk for athlete in athletes]))
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
    store_states((athlete_id, marks[athlete_id], kept.state) for athlete_id, kept in states.items())
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
