"""Each piece of meaning is written once: the units of a dose's measure and the equipment list
live in the engine, and the web app, CLI and downloads read them from there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import runstrong
from runstrong.engine.catalog import Measure, default_catalog
from runstrong.engine.profile import EQUIPMENT, Equipment
from runstrong.engine.wording import MEASURE_UNITS, UNIT_MEASURES, unit_after

SRC = Path(runstrong.__file__).parent


def _sources_matching(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and found.search(path.read_text("utf-8"))
    )


def test_every_measure_has_one_unit_and_reads_back() -> None:
    assert set(MEASURE_UNITS) == set(get_args(Measure))
    for measure, unit in MEASURE_UNITS.items():
        assert UNIT_MEASURES[unit] == UNIT_MEASURES[measure] == measure
    assert (unit_after("metres"), unit_after("reps"), unit_after("reps", bare_reps=True)) == (
        " m",
        " reps",
        "",
    )


def test_every_equipment_code_has_a_label_and_the_catalog_uses_only_those() -> None:
    assert list(EQUIPMENT) == list(get_args(Equipment))
    used = {need for exercise in default_catalog().exercises for need in exercise.equipment}
    assert used <= set(EQUIPMENT)


def test_the_web_forms_offer_the_engines_equipment() -> None:
    from runstrong.web.coaching.models import EQUIPMENT as WEB_EQUIPMENT

    assert list(EQUIPMENT.items()) == WEB_EQUIPMENT


def test_the_unit_mapping_is_spelled_out_in_one_module() -> None:
    assert _sources_matching(r"""["']metres["']:\s*["'] ?m["']""") == ["engine/wording.py"]


def test_the_equipment_list_is_spelled_out_in_one_module() -> None:
    assert _sources_matching(r"""["']ghd["'],\s*["']kettlebells["']""") == ["engine/profile.py"]


def test_one_digest_for_the_secrets_handed_out() -> None:
    """API tokens, invitation links and calendar feeds store their secrets one way."""
    pattern = r"sha256\((token|secret)\.encode"
    assert _sources_matching(pattern) == ["web/coaching/secret_links.py"]
