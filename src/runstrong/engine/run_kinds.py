"""Which planned runs are hard, and which weeks' running jumps [S9, S11].

A running-plan calendar names its runs in words ("6 x 800 m intervals", "Easy 40'", "Long run").
The club's catalog lists the words that make a run hard, each under a rule key; a run as long as
the catalog's long-run minutes is hard whatever it is called. A race is hard and blocks its day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from runstrong.engine.catalog import RunKindRule
from runstrong.engine.model import Reason
from runstrong.engine.wording import weekday_date


@dataclass(frozen=True, slots=True)
class RunKind:
    hard: bool
    race: bool
    reasons: tuple[Reason, ...]
    # The catalog's rule keys that decided it: hard_words keys, "long-run-minutes", "easy-word"
    # or "no-hard-word".
    rule_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LoadJump:
    week_start: date  # a Monday
    acute_minutes: float
    weekly_average_minutes: float
    reason: Reason


_PATTERNS: dict[int, tuple[RunKindRule, dict[str, re.Pattern[str]], re.Pattern[str] | None]] = {}


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Whole words only: "lt" must not match "salt", "long" must not match "belong".
    joined = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{joined})(?![\w])", re.IGNORECASE)


def _patterns(rule: RunKindRule) -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None]:
    known = _PATTERNS.get(id(rule))
    if known is None or known[0] is not rule:
        hard = {key: _word_pattern(words) for key, words in rule.hard_words.items()}
        easy = _word_pattern(rule.easy_words) if rule.easy_words else None
        known = _PATTERNS[id(rule)] = (rule, hard, easy)
    return known[1], known[2]


def classify_run(title: str, description: str, minutes: int | None, rule: RunKindRule) -> RunKind:
    """Hard or easy, with the words or the duration that decided it."""
    text = f"{title}\n{description}"
    hard_patterns, easy_pattern = _patterns(rule)
    found: list[tuple[str, str]] = []
    for key, pattern in hard_patterns.items():
        match = pattern.search(text)
        if match:
            found.append((key, match.group(0)))
    sources = rule.sources
    if found:
        race = any(key in rule.race_keys for key, _ in found)
        words = ", ".join(f"“{word}”" for _, word in found)
        if race:
            text = f"Race: {words} in the plan; no strength session that day or the day before."
        else:
            text = f"Hard: {words} in the plan; lift after it, not the day before."
        reasons = [Reason(text, sources)]
        return RunKind(True, race, tuple(reasons), tuple(key for key, _ in found))
    easy = easy_pattern.search(text) if easy_pattern is not None else None
    if easy is not None:
        return RunKind(
            False,
            False,
            (Reason(f"Easy: “{easy.group(0)}” in the plan and no hard word.", sources),),
            ("easy-word",),
        )
    if minutes is not None and minutes >= rule.long_run_minutes:
        return RunKind(
            True,
            False,
            (
                Reason(
                    f"Hard: {minutes} min, at least the {rule.long_run_minutes} min of a long run.",
                    sources,
                ),
            ),
            ("long-run-minutes",),
        )
    length = f"{minutes} min, " if minutes is not None else ""
    return RunKind(
        False,
        False,
        (Reason(f"Easy: {length}no hard word in the title or description.", sources),),
        ("no-hard-word",),
    )


def load_jumps(
    minutes_by_day: Mapping[date, float],
    known_from: date,
    start: date,
    end: date,
    rule: RunKindRule,
) -> list[LoadJump]:
    """The weeks (Monday to Sunday) from `start` to `end` whose running minutes pass
    `load_jump_ratio` times the weekly average of the 28 days ending that Sunday.

    A week is judged only once 28 days of running are known before its end (`known_from` is
    the first day the minutes cover), so a calendar's first weeks are not all jumps.
    """
    jumps: list[LoadJump] = []
    sunday = start + timedelta(days=(6 - start.weekday()) % 7)
    while sunday - timedelta(days=6) <= end:
        if sunday - timedelta(days=27) >= known_from:
            acute = sum(minutes_by_day.get(sunday - timedelta(days=i), 0.0) for i in range(7))
            chronic = sum(minutes_by_day.get(sunday - timedelta(days=i), 0.0) for i in range(28))
            weekly = chronic / 4
            if weekly > 0 and acute > rule.load_jump_ratio * weekly:
                monday = sunday - timedelta(days=6)
                jumps.append(
                    LoadJump(
                        monday,
                        acute,
                        weekly,
                        Reason(
                            f"Week of {weekday_date(monday)}: {acute:.0f} min of running, over "
                            f"{rule.load_jump_ratio:g} × the 28-day weekly average of "
                            f"{weekly:.0f} min.",
                            (),
                        ),
                    )
                )
        sunday += timedelta(days=7)
    return jumps
