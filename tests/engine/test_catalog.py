"""The catalog as data: sources, weak labels, and refusing a broken coach catalog."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from runstrong.engine.catalog import Catalog, default_catalog, load_catalog, parse_catalog
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
            "substitutes[1].exercise",
            "pistol",
        ),
        (("[rules.effort]", "[rules.effortz]"), "rules.effort", "required"),
        (("top = 15", "top = 5"), "exercises[2].dose", "top must be at least start"),
        (("[benchmarking]", "[benchmarkingz]"), "benchmarking", "required"),
        (
            ("close_from = 176", "close_from = 200"),
            "groups[0].standards[2].by_sex.male",
            "close_from must be below target",
        ),
        (
            ('close_from = 176, sources = ["B3"]', 'close_from = 176, sources = ["B9"]'),
            "groups[0].standards[2].by_sex.male.sources",
            "'B9'",
        ),
        (
            ('exercise = "crouching-crawl"\nprotocol', 'exercise = "crawl"\nprotocol'),
            "movements[6].exercise",
            "'crawl'",
        ),
        (
            (
                'per_side = false\nsources = ["B3"]',
                "per_side = false\nsymmetry = { limit_pct = 10, "
                'sources = ["B3"] }\nsources = ["B3"]',
            ),
            "movements[2]",
            "per_side test only",
        ),
        (('flag = "knee"', 'flag = "ankle"'), "adjustments[0].flag", "patellar-tendon"),
        (
            (
                'extra_sets = 1\nnote = "Front',
                'extra_sets = 1\npain_free_sessions = 2\nnote = "Front',
            ),
            "adjustments[0]",
            "pain_free_sessions needs a measure",
        ),
        (
            ('kind = "range"\nstart = 20\ntop = 30', 'kind = "range"\nstart = 20'),
            "exercises[1].beyond_top[0]",
            "a range step needs start, top and step",
        ),
        (
            (
                "start_with_load = true\nstart_from_body_mass",
                "start_with_load = false\nstart_from_body_mass",
            ),
            "exercises[0].load",
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


def test_the_engine_reads_no_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller hands the engine its catalog: RUNSTRONG_CATALOG is the CLI's and the web
    settings' to read, so a stray variable cannot change what a test or a library call plans."""
    club = tmp_path / "club.toml"
    club.write_text(DEFAULT_TEXT.replace('name = "runstrong defaults"', 'name = "Club"'), "utf-8")
    monkeypatch.setenv("RUNSTRONG_CATALOG", str(club))
    assert load_catalog(None).name == "runstrong defaults"
    assert load_catalog(club).name == "Club"


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


CRAWL_LOAD = 'implement = "kettlebells, one a hand (farmer\'s carry)"'


def _edited(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = DEFAULT_TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    club = tmp_path / "club.toml"
    club.write_text(text, encoding="utf-8")
    return club


SQUAT_BLOCK = 'slug = "banded-spanish-squat"\nname = "Banded Spanish squat"\nblock = "A"'
CRAWL_BLOCK = 'slug = "crouching-crawl"\nname = "Crouching crawl"\nblock = "A"'
SINGLE_BLOCK = (
    'slug = "single-leg-squat"\nname = "Single-leg squat, rear foot elevated"\nblock = "B"'
)
ROW_TIMED = '[exercises.timed]\nstart = 30\ntop = 60\nstep = 15\nsources = ["M5", "S20"]\n'


@pytest.mark.parametrize(
    ("rule", "edits", "key", "says"),
    [
        ("M1", [(CRAWL_BLOCK, CRAWL_BLOCK.replace('"A"', '"B"'))], "exercises[1].block",
         "crouching crawl is trained in a superset with the banded Spanish squat"),
        ("M1", [(SQUAT_BLOCK, SQUAT_BLOCK.replace('"A"', '"C"'))], "exercises[0].block",
         "opens the superset"),
        ("M1", [(SINGLE_BLOCK, SINGLE_BLOCK.replace('"B"', '"A"'))], "exercises[2].block",
         "banded Spanish squat and the crouching crawl only"),
        ("M1", [('slug = "crouching-crawl"', 'slug = "crawl"'),
                ('exercise = "crouching-crawl"', 'exercise = "crawl"'),
                ('exercise = "crouching-crawl"', 'exercise = "crawl"'),
                ('exercise = "crouching-crawl"', 'exercise = "crawl"')],  # and its benchmark
         "exercises", "'crouching-crawl'"),
        ("M2", [("max_sessions_per_week = 2", "max_sessions_per_week = 3")],
         "exercises[2].max_sessions_per_week", "once or twice a week"),
        ("M2", [("max_sessions_per_week = 2\n", "")],
         "exercises[2].max_sessions_per_week", "not nothing"),
        ("M3", [("front_foot_placement = true", "front_foot_placement = false")],
         "exercises[2].front_foot_placement", "front-foot placement"),
        ("M4", [('max_kg = 24\n', 'max_kg = 24\nstart_with_load = true\n')],
         "exercises[2].load.start_with_load", "single-leg squat starts unloaded"),
        ("M4", [(CRAWL_LOAD, CRAWL_LOAD + "\nstart_with_load = true")],
         "exercises[1].load.start_with_load", "crouching crawl starts unloaded"),
        ("M5", [(ROW_TIMED, "")], "exercises[3].timed", "timed work"),
        ("M6", [('implement = "goblet kettlebell"', 'implement = "kettlebell in the rack"')],
         "exercises[0].load.implement", "goblet hold"),
    ],
)  # fmt: skip
def test_a_catalog_that_breaks_the_articles_rules_is_refused_naming_key_and_rule(
    tmp_path: Path, rule: str, edits: list[tuple[str, str]], key: str, says: str
) -> None:
    """M1–M6 are the article's rules, not coach data: a coach's catalog cannot break them."""
    with pytest.raises(CatalogError) as raised:
        load_catalog(_edited(tmp_path, *edits))
    assert raised.value.key == key
    assert raised.value.expected.startswith(f"{rule} — ")
    assert says in raised.value.expected


def test_m4_lets_the_spanish_squat_start_loaded(tmp_path: Path) -> None:
    """M4 names the crawl and the single-leg squat only; the goblet squat may start loaded."""
    load = default_catalog().exercise("banded-spanish-squat").load
    assert load is not None
    assert load.start_with_load


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (("kettlebell_sizes_kg = [4,", "kettlebell_sizes_kg = [-4,"), "kettlebell_sizes_kg[0]"),
        (("max_kg = 24", "max_kg = nan"), "exercises[2].load.max_kg"),
        (("max_kg = 16", "max_kg = inf"), "exercises[0].load.max_kg"),
        (("max_kg = 8", "max_kg = -8"), "adjustments[5].max_kg"),
        (("start = 30\ntop = 45\nstep = 15\nreason", "start = -30\ntop = 45\nstep = 15\nreason"),
         "substitutes[0].start"),
        (("sets = 5\nstart = 30", "sets = 5\nstart = nan"), "adjustments[1].start"),
        (("target = 25,", "target = -25,"), "groups[0].standards[0].target"),
        (("reps_in_reserve = [2, 3]", "reps_in_reserve = [-1, 3]"), "rules.effort"),
        (("volume_cut_percent = [41, 60]", "volume_cut_percent = [41, nan]"),
         "rules.taper.volume_cut_percent[1]"),
    ],
)  # fmt: skip
def test_catalog_numbers_refuse_negatives_nan_and_inf(
    tmp_path: Path, edit: tuple[str, str], key: str
) -> None:
    with pytest.raises(CatalogError) as raised:
        load_catalog(_edited(tmp_path, edit))
    assert raised.value.key == key


def test_m1_the_spanish_squat_comes_before_the_crawl() -> None:
    """M1: the superset is A1 Spanish squat, then A2 crawl; a catalog listing them the other way
    round is refused at the crawl."""
    data = tomllib.loads(DEFAULT_TEXT)
    data["exercises"][0], data["exercises"][1] = data["exercises"][1], data["exercises"][0]
    with pytest.raises(ValidationError, match=r"exercises\[0\]\.block: M1 — the banded Spanish"):
        Catalog.model_validate(data)
