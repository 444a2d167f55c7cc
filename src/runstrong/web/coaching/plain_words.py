"""The engine's codes in the words an athlete reads: no "regress", "load-up" or "to-timed".

Keyed by the engine's own literals, so a new code without a plain word fails its test
(tests/web/test_athlete_screens.py) instead of reaching a phone as a raw code.
"""

from __future__ import annotations

CHANGES = {
    "repeat": "same again",
    "hold": "same dose again",
    "progress": "a step up",
    "load-up": "a heavier weight",
    "to-timed": "now done for time",
    "top": "top of the range",
    "regress": "a step back",
    "pain-free": "back to the full exercise",
}

# Outcomes the web adds to the engine's: pain not tied to an exercise (session_log.py).
OUTCOMES = {"flag": "your coach sees it"}

PHASES = {
    "preparation": "Building",
    "competition": "Race season",
    "taper": "Taper before a race",
    "transition": "Recovery after a race",
}

VERDICTS = {
    "met": "Standard met",
    "close": "Close to the standard",
    "below": "Below the standard",
}


SEXES = {"female": "women", "male": "men"}


def plain_sex(code: str) -> str:
    return SEXES.get(code, "everyone")


def plain_change(code: str) -> str:
    return CHANGES.get(code) or OUTCOMES.get(code) or code.replace("-", " ")


def plain_phase(code: str) -> str:
    return PHASES.get(code, code.replace("-", " ").capitalize())


def plain_verdict(code: str) -> str:
    return VERDICTS.get(code, code)
