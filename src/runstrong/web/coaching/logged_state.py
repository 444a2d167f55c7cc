"""What an athlete's log says: the progression state folded from the sessions they finished or
missed, read as plain tuples because it runs on every completion."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Count, Max, Q, TextField
from django.db.models.functions import Cast

from runstrong.engine.catalog import Catalog
from runstrong.engine.model import Item, Ladder
from runstrong.engine.pain import pain_where
from runstrong.engine.prescribe import athlete_exercises
from runstrong.engine.progression import LoggedSet
from runstrong.engine.state import (
    EMPTY_STATE,
    LoggedItem,
    LoggedSession,
    ProgressionState,
    Transition,
    fold_logs,
    state_key,
)
from runstrong.web.coaching.convert import athlete_to_engine, ladder_from_data
from runstrong.web.coaching.folded_state import (
    StoredState,
    state_data,
    state_from_data,
    store_states,
    stored_states,
)
from runstrong.web.coaching.models import (
    Athlete,
    FoldedState,
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
    states = stored_states(fold_marks(athletes, catalog, log))
    moved = [athlete for athlete in athletes if athlete.pk not in states]
    if moved:
        folded = athletes_states(moved, catalog)
        states.update({athlete_id: kept.state for athlete_id, kept in folded.items()})
    return states


def log_marks(athlete_ids: list[int]) -> dict[int, dict[str, Any]]:
    """How far each athlete's log has come: its size, newest row and latest change. A log
    finished by its last set takes the effort and pain once more, in place; that is the one
    change to a log, so the count of logs still waiting for it marks it. `_marks_of` reads
    the same from a fold's own rows."""
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
    return {
        athlete.pk: _digest([log.get(athlete.pk, {}), _starts(athlete, catalog), rules])
        for athlete in athletes
    }


class LogRow(NamedTuple):
    """One logged session as a fold reads it, with its log's marks."""

    athlete_id: int
    pk: int
    day: date
    kind: str
    status: str
    reps_in_reserve: int | None
    pain: int
    pain_by_exercise: bool
    by_last_set: bool
    log_id: int
    logged_at: datetime


LOG_ROW_COLUMNS = (
    "athlete_id", "pk", "date", "kind", "log__status", "log__reps_in_reserve", "log__pain",
    "log__pain_by_exercise", "log__by_last_set", "log__pk", "log__logged_at",
)  # fmt: skip


def _log_rows(**where: Any) -> list[LogRow]:
    """The logged sessions `where` picks, in the order the engine folds them."""
    return [
        LogRow._make(row)
        for row in PlannedSession.objects.filter(log__isnull=False, **where)
        .order_by("date", "pk")
        .values_list(*LOG_ROW_COLUMNS)
    ]


def athletes_states(athletes: list[Athlete], catalog: Catalog) -> dict[int, AthleteState]:
    """Each athlete's state, folded from their whole log in five queries however many
    athletes, and stored with the marks of the rows it was folded from (and the state before
    their newest session, which a completion folds on from: `athlete_state_resumed`)."""
    ids = [athlete.pk for athlete in athletes]
    rows: dict[int, list[LogRow]] = {athlete_id: [] for athlete_id in ids}
    for row in _log_rows(athlete__in=ids):
        rows[row.athlete_id].append(row)
    logs = _logged_sessions(rows, {"athlete__in": ids, "log__isnull": False})
    states = {}
    stored = []
    for athlete in athletes:
        starts = athlete_exercises(athlete_to_engine(athlete), catalog).items
        fold = _Fold(athlete, catalog, rows[athlete.pk], starts)
        before_last, early = fold.on(logs[athlete.pk][:-1])
        state, late = fold.on(logs[athlete.pk][-1:], since=before_last)
        states[athlete.pk] = AthleteState(state, early + late)
        stored.append(fold.stored(state, fold.before_last(before_last)))
    store_states(stored)
    return states


def athlete_state_resumed(athlete: Athlete, catalog: Catalog) -> AthleteState:
    """The athlete's state after their whole log, folded on from the state the last fold
    stored (or the one before its newest session) where the log it was folded from still
    holds; the transitions are those of the sessions folded now, the newest log among them.

    The caller holds the athlete's lock (`plan_follow`): no other fold stores meanwhile.
    """
    rows = _log_rows(athlete=athlete.pk)
    starts = athlete_exercises(athlete_to_engine(athlete), catalog).items
    fold = _Fold(athlete, catalog, rows, starts)
    kept = FoldedState.objects.filter(athlete=athlete).values_list("state", "before_last").first()
    done, since, before_last = 0, EMPTY_STATE, None
    if kept is not None:
        state_json, before = kept
        checkpoints = [
            (state_json.get("through"), state_json),
            *([(before["through"], before["state"])] if before else []),
        ]
        for index, (mark, data) in enumerate(checkpoints):
            held = fold.holds(mark)
            if held is not None:
                done, since = held, state_from_data(data)
                if index == 0:
                    before_last = before  # nothing new: kept as it was
                break
    rest = rows[done:]
    logs = _logged_sessions({athlete.pk: rest}, {"pk__in": [row.pk for row in rest]}, few=True)[
        athlete.pk
    ]
    before, early = fold.on(logs[:-1], since=since)
    state, late = fold.on(logs[-1:], since=before)
    if rest:
        before_last = fold.before_last(before)
    store_states([fold.stored(state, before_last)])
    return AthleteState(state, early + late)


class _Fold:
    """One athlete's fold over their log rows, and the marks stored with its states."""

    def __init__(
        self, athlete: Athlete, catalog: Catalog, rows: list[LogRow], starts: Sequence[Item]
    ) -> None:
        self.athlete, self.catalog, self.rows, self.starts = athlete, catalog, rows, starts
        self.rules = _digest([_starts_of(starts), catalog_digest(catalog)])

    def on(
        self, logs: list[LoggedSession], since: ProgressionState = EMPTY_STATE
    ) -> tuple[ProgressionState, list[Transition]]:
        return fold_logs(logs, starts=self.starts, rule=self.catalog.rules.progression, since=since)

    def checkpoint(self, state: ProgressionState, end: int | None = None) -> dict[str, Any]:
        """The state folded from `rows[:end]`, with what says whether that log still holds."""
        covered = self.rows[:end]
        return {"through": self._through(covered), "state": state_data(state)}

    def before_last(self, state: ProgressionState) -> dict[str, Any] | None:
        """`state`, folded from every session but the newest, kept while the newest log may
        still change: finished by its last set, with effort and pain to follow."""
        if not self.rows or not self.rows[-1].by_last_set:
            return None
        return self.checkpoint(state, -1)

    def holds(self, through: dict[str, Any] | None) -> int | None:
        """How many of the rows a stored state was folded from, where they are still the log
        it was folded from (same rows, none changed, none new before them) and the rules still
        the same; None where they are not."""
        if not through or through.get("rules") != self.rules:
            return None
        last = through["last"]
        end = 0
        if last is not None:
            bound = (date.fromisoformat(last[0]), last[1])
            while end < len(self.rows) and (self.rows[end].day, self.rows[end].pk) <= bound:
                end += 1
        return end if self._through(self.rows[:end])["log"] == through["log"] else None

    def stored(self, state: ProgressionState, before_last: dict[str, Any] | None) -> StoredState:
        log = _marks_of(self.rows)
        marks = _digest([log, _starts_of(self.starts), catalog_digest(self.catalog)])
        return StoredState(self.athlete.pk, marks, state, self._through(self.rows), before_last)

    def _through(self, rows: list[LogRow]) -> dict[str, Any]:
        return {
            "last": [rows[-1].day.isoformat(), rows[-1].pk] if rows else None,
            "log": _digest([_identity(row) for row in rows]),
            "rules": self.rules,
        }


def _identity(row: LogRow) -> list[Any]:
    """What of a log the fold reads; a log changes in place only once (`log_marks`)."""
    return [
        row.pk,
        row.day.isoformat(),
        row.status,
        row.reps_in_reserve,
        row.pain,
        row.pain_by_exercise,
        row.by_last_set,
    ]


def _marks_of(rows: list[LogRow]) -> dict[str, Any]:
    """`log_marks` of one athlete, from the rows a fold read."""
    if not rows:
        return {}
    return {
        "count": len(rows),
        "last": max(row.log_id for row in rows),
        "at": max(row.logged_at for row in rows),
        "by_last_set": sum(row.by_last_set for row in rows),
    }


def _starts(athlete: Athlete, catalog: Catalog) -> list[tuple[str, int]]:
    return _starts_of(athlete_exercises(athlete_to_engine(athlete), catalog).items)


def _starts_of(starts: Sequence[Item]) -> list[tuple[str, int]]:
    return sorted((state_key(item), item.sets) for item in starts)


def _digest(value: Any) -> str:
    text = json.dumps(value, default=str, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _logged_sessions(
    rows: dict[int, list[LogRow]], where: dict[str, Any], *, few: bool = False
) -> dict[int, list[LoggedSession]]:
    """The logged sessions of these rows as the engine folds them; `where` picks the same
    sessions as a filter, so a squad's log is read in a few joins rather than by ids.
    `few` sessions (a completion's) are read in one join of items, ladders and sets.

    Reads only the columns the fold needs, as tuples: the whole log of a season is a few
    thousand sets.

    Pain steps back the exercise it was reported in: an item's pain is the worst report for
    its exercise in that session. Pain reported elsewhere steps nothing back (it is the
    coach's flag). Logs from before pain was reported per exercise had one score for the
    session and every exercise of it stepped back; they fold as they did, so no athlete's
    past changes when this reads them.
    """
    logs: dict[int, list[LoggedSession]] = {athlete_id: [] for athlete_id in rows}
    if not any(rows.values()):
        return logs
    within = {f"session__{k}": v for k, v in where.items()}
    items, sets = _few_items(within) if few else _items(within)
    # The worst pain reported in each exercise of each session, and where it was. A log
    # without pain has no report: only sessions with some are searched.
    pains: dict[tuple[int, str], tuple[int, str]] = {}
    if any(row.pain for athlete_rows in rows.values() for row in athlete_rows):
        for session_id, exercise, score, area, side in (
            PainReport.objects.filter(**within, session__log__pain__gt=0)
            .exclude(exercise="")
            .order_by("pk")
            .values_list("session_id", "exercise", "score", "area", "side")
        ):
            if score > pains.get((session_id, exercise), (-1, ""))[0]:
                pains[(session_id, exercise)] = (score, pain_where(area, side))
    for athlete_id, athlete_rows in rows.items():
        for row in athlete_rows:
            session_items = items.get(row.pk, ())
            hurt = {
                item_id: pains.get((row.pk, item.exercise), (0, ""))
                if row.pain_by_exercise
                else (row.pain, "")
                for item_id, item in session_items
            }
            logs[athlete_id].append(
                LoggedSession(
                    row.day,
                    "missed" if row.status == "missed" else "done",
                    tuple(
                        LoggedItem(
                            item,
                            tuple(
                                # A SetLog side is one of its choices: "left", "right" or "".
                                LoggedSet(
                                    done,
                                    load_kg,
                                    row.reps_in_reserve,
                                    hurt[item_id][0],
                                    side or None,  # type: ignore[arg-type]
                                )
                                for done, load_kg, side in sets.get(item_id, ())
                            ),
                            pain=hurt[item_id][0],
                            pain_where=hurt[item_id][1],
                        )
                        for item_id, item in session_items
                    ),
                    light=row.kind == "light",
                    source=str(row.pk),
                    order=row.pk,
                )
            )
    return logs


Sets = dict[int, list[tuple[float, float | None, str]]]  # by item: done, load, side


def _items(within: dict[str, Any]) -> tuple[dict[int, list[tuple[int, Item]]], Sets]:
    """The items of the sessions `within` picks, by session, and their sets, by item. A
    squad's log shares a few dozen ladders: each is read and parsed once."""
    item_rows = list(PlannedItem.objects.filter(**within).values_list(*LOGGED_ITEM_COLUMNS))
    ladders = {
        pk: _ladder(text)
        for pk, text in ItemText.objects.filter(pk__in={row[-1] for row in item_rows})
        .annotate(ladder_text=Cast("ladder", TextField()))
        .values_list("pk", "ladder_text")
    }
    items: dict[int, list[tuple[int, Item]]] = {}
    for row in item_rows:
        items.setdefault(row[1], []).append((row[0], _logged_item(row, ladders)))
    sets: Sets = {}
    for item_id, done, load_kg, side in (
        SetLog.objects.filter(**{f"item__{k}": v for k, v in within.items()})
        .order_by("set_number", "side")
        .values_list("item_id", "done", "load_kg", "side")
    ):
        sets.setdefault(item_id, []).append((done, load_kg, side))
    return items, sets


def _few_items(within: dict[str, Any]) -> tuple[dict[int, list[tuple[int, Item]]], Sets]:
    """`_items` of a completion's few sessions in one read: each item with its ladder and
    sets joined on, a row per set."""
    width = len(LOGGED_ITEM_COLUMNS)
    rows = (
        PlannedItem.objects.filter(**within)
        .annotate(ladder_text=Cast("text__ladder", TextField()))
        .order_by("slot", "pk", "set_logs__set_number", "set_logs__side")
        .values_list(
            *LOGGED_ITEM_COLUMNS,
            "ladder_text",
            "set_logs__pk",
            "set_logs__done",
            "set_logs__load_kg",
            "set_logs__side",
        )
    )
    items: dict[int, list[tuple[int, Item]]] = {}
    sets: Sets = {}
    for row in rows:
        item_id = row[0]
        if item_id not in sets:
            sets[item_id] = []
            ladders = {row[width - 1]: _ladder(row[width])}
            items.setdefault(row[1], []).append((item_id, _logged_item(row[:width], ladders)))
        if row[width + 1] is not None:
            sets[item_id].append(row[width + 2 :])
    return items, sets


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
