"""`runstrong groups` and `runstrong check` as a coach uses them: standards by sex where a
source gives them, the group figure (labelled) where it does not, and the optional screens."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runstrong.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def standard(data: dict[str, Any], group: str, movement: str) -> dict[str, Any]:
    found = next(g for g in data["groups"] if g["slug"] == group)
    return next(s for s in found["standards"] if s["movement"] == movement)


def test_B1_groups_json_gives_the_heel_raise_median_for_women_and_men(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """B1: median men 24, women 21, sourced; the group figure is for sex not given."""
    code, out, _ = run(capsys, "groups", "--json")
    assert code == 0
    heel = standard(json.loads(out), "10k", "heel-raise")
    assert heel["target"] == 30
    assert heel["weak"] is True
    women, men = heel["by_sex"]["female"], heel["by_sex"]["male"]
    assert (women["target"], women["weak"], women["own_figure"], women["keys"]) == (
        21, False, True, ["B1"],
    )  # fmt: skip
    assert (men["target"], men["weak"], men["own_figure"]) == (24, False, True)


def test_B3_groups_json_gives_the_mens_bands_and_says_women_have_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """B3: under 176 s at risk and over 198 s not, in men; no figure for women."""
    code, out, _ = run(capsys, "groups", "--json")
    assert code == 0
    hold = standard(json.loads(out), "5k", "glute-ham-hold")
    men, women = hold["by_sex"]["male"], hold["by_sex"]["female"]
    assert (men["target"], men["close_from"], men["keys"], men["weak"]) == (198, 176, ["B3"], False)
    assert (women["target"], women["own_figure"], women["weak"]) == (180, False, True)
    assert women["note"] == "B3 gives no figure for women: the 5 km group figure applies."


def test_groups_table_shows_figures_by_sex_screens_and_the_b3_note(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "groups")
    assert code == 0
    assert "women 21" in out
    assert "men 24" in out
    assert "men 198, close from 176" in out
    assert "optional screen" in out
    assert "heaviest for 10 reps each side" in out
    assert "B3 gives no figure for women, so they are judged on the group figure" in out


@pytest.mark.parametrize(
    ("sex", "status", "target", "keys"),
    [
        ("male", "below", 198, ["B3"]),  # under 176 s: B3's at-risk band
        ("female", "close", 180, ["B3", "B7"]),  # the group figure, with the note
        ("unspecified", "close", 180, ["B3", "B7"]),
    ],
)
def test_B3_check_judges_170_s_by_sex(
    capsys: pytest.CaptureFixture[str], sex: str, status: str, target: float, keys: list[str]
) -> None:
    """B3: 170 s is at risk for a man, not "close"; for a woman the source has no figure."""
    code, out, _ = run(
        capsys, "check", "--event", "10k", "--movement", "glute-ham-hold", "--value", "170",
        "--sex", sex, "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert (data["status"], data["target"], data["sex"]) == (status, target, sex)
    assert data["rule_keys"] == keys
    if sex == "female":
        assert data["reason"][1]["text"].startswith("B3 gives no figure for women")


def test_B1_check_for_a_woman_uses_21_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--event", "5k", "--movement", "heel-raise", "--left", "22", "--right",
        "23", "--sex", "female",
    )  # fmt: skip
    assert code == 0
    assert out.startswith("MET")
    assert "women's 5 km standard of 21 reps (sourced)" in " ".join(out.split())


def test_B4_check_side_plank_gap_cites_B4(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--event", "5k", "--movement", "side-plank", "--left", "60", "--right",
        "90", "--json",
    )  # fmt: skip
    assert code == 0
    gap = json.loads(out)["reason"][-1]
    assert gap["keys"] == ["B4"]


def test_B5_check_judges_the_hop_screen_on_symmetry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--event", "800-1500m", "--movement", "hop-symmetry", "--left", "180",
        "--right", "200", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert (data["status"], data["value"], data["target"]) == ("met", 90.0, 90)


def test_B7_check_judges_an_exercise_benchmark_per_kg_of_body_mass(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "check", "--event", "800-1500m", "--movement", "crouching-crawl-carry",
        "--value", "12", "--mass", "60", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert (data["status"], data["value"], data["target"]) == ("met", 0.2, 0.2)
    assert "B7" in data["rule_keys"]


def test_check_refuses_an_unknown_sex_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "check", "--event", "5k", "--movement", "heel-raise", "--left", "20", "--right",
        "20", "--sex", "robot",
    )  # fmt: skip
    assert code == 2
    assert out == ""
    assert err == (
        "runstrong: error: --sex: 'robot' is not allowed; expected one of female, male, "
        "unspecified\n"
    )
