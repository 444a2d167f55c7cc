"""The catalog as data: sources, weak labels, and refusing a broken coach catalog."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from runstrong.engine.catalog import Catalog, load_catalog, parse_catalog
from runstrong.engine.errors import CatalogError

DEFAULT_TEXT = resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")
METHOD_KEYS = {f"M{n}" for n in range(1, 7)}


def test_defaults_hold_the_four_exercises_and_three_event_groups(catalog: Catalog) -> None:
    assert [e.slug for e in catalog.exercises] == [
        "banded-spanish-squat",
        "crouching-crawl",
        "single-leg-squat",
        "glute-ham-iso-row",
    ]
    assert [g.slug for g in catalog.groups] == ["800-1500m", "5k", "10k"]
    assert catalog.kettlebell_sizes_kg == (4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 32)


def test_every_method_rule_and_weak_standard_is_labelled(catalog: Catalog) -> None:
    assert set(catalog.sources) >= METHOD_KEYS
    weak = {key for key, source in catalog.sources.items() if source.weak}
    assert weak == {"S6", "S14", "S18", "S19", "B2", "B7"}


def test_every_group_has_a_standard_for_every_movement(catalog: Catalog) -> None:
    movements = {m.slug for m in catalog.movements}
    for group in catalog.groups:
        assert {s.movement for s in group.standards} == movements


@pytest.mark.parametrize(
    ("edit", "key", "expected"),
    [
        (("weeks = 6", "weeks = 6\nweeks = 7"), "(syntax)", "valid TOML"),
        (("every_weeks = 4", 'every_weeks = "four"'), "rules.deload.every_weeks", "integer"),
        (('sources = ["S19"]', 'sources = ["S99"]'), "rules.deload.sources", "'S99'"),
        (
            ('exercise = "single-leg-squat"', 'exercise = "pistol"'),
            "substitutes.1.exercise",
            "pistol",
        ),
        (("[rules.effort]", "[rules.effortz]"), "rules.effort", "required"),
        (("top = 15", "top = 5"), "exercises.2.dose", "top must be at least start"),
        (('flag = "knee"', 'flag = "ankle"'), "adjustments.0.flag", "patellar-tendon"),
        (
            (
                'extra_sets = 1\nnote = "Front',
                'extra_sets = 1\npain_free_sessions = 2\nnote = "Front',
            ),
            "adjustments.0",
            "pain_free_sessions needs a measure",
        ),
        (
            ('kind = "range"\nstart = 20\ntop = 30', 'kind = "range"\nstart = 20'),
            "exercises.1.beyond_top.0",
            "a range step needs start, top and step",
        ),
        (
            (
                "start_with_load = true\nstart_from_body_mass",
                "start_with_load = false\nstart_from_body_mass",
            ),
            "exercises.0.load",
            "start_from_body_mass needs start_with_load",
        ),
        (
            ("load_up_sessions = 2", "load_up_sessions = 0"),
            "rules.progression.load_up_sessions",
            "1",
        ),
    ],
)
def test_a_broken_catalog_is_refused_with_file_key_and_expectation(
    tmp_path: Path, edit: tuple[str, str], key: str, expected: str
) -> None:
    broken = tmp_path / "club.toml"
    broken.write_text(DEFAULT_TEXT.replace(*edit, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(broken)
    assert raised.value.source == str(broken)
    assert raised.value.key == key
    assert expected in str(raised.value)


def test_the_catalog_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    club = tmp_path / "club.toml"
    club.write_text(DEFAULT_TEXT.replace('name = "runstrong defaults"', 'name = "Club"'), "utf-8")
    monkeypatch.setenv("RUNSTRONG_CATALOG", str(club))
    assert load_catalog().name == "Club"


def test_a_missing_catalog_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="readable TOML file"):
        load_catalog(tmp_path / "nope.toml")


def test_parsed_defaults_equal_the_packaged_catalog(catalog: Catalog) -> None:
    assert parse_catalog(DEFAULT_TEXT) == catalog


def test_a_catalog_file_is_read_again_after_it_changes(tmp_path: Path) -> None:
    club = tmp_path / "club.toml"
    club.write_text(DEFAULT_TEXT.replace('name = "runstrong defaults"', 'name = "A"'), "utf-8")
    first = load_catalog(club)
    assert load_catalog(club) is first, "an unchanged file is parsed once"
    club.write_text(DEFAULT_TEXT.replace('name = "runstrong defaults"', 'name = "Club B"'), "utf-8")
    assert load_catalog(club).name == "Club B"
