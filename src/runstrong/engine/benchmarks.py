"""Judge a test-day result against the athlete's event-group standard [B1–B7].

A standard is the group's figure unless a source gives its own figure for the athlete's sex
(`by_sex` in the catalog); then that figure and its band apply. Every target, band and
left/right limit comes from the catalog.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from runstrong.engine.catalog import SEXES, BenchmarkMeasure, Catalog, Group, Movement, Standard
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Reason

Status = Literal["met", "close", "below"]
SexGiven = Literal["female", "male", "unspecified"]
SEXES_GIVEN: tuple[SexGiven, ...] = ("female", "male", "unspecified")
UNITS: dict[BenchmarkMeasure, str] = {
    "reps": " reps",
    "seconds": " s",
    "kg_per_kg": " × body mass",
    "cm": " cm",
    "symmetry_pct": " %",
}
UNIT_NAMES: dict[BenchmarkMeasure, str] = {
    "reps": "reps",
    "seconds": "seconds",
    "kg_per_kg": "kg per kg body mass",
    "cm": "cm",
    "symmetry_pct": "% limb symmetry",
}
# What a tester writes down: a load test takes the kettlebell's kg, a symmetry test each leg's
# distance.
ENTRY_UNITS: dict[BenchmarkMeasure, str] = {
    "reps": "reps",
    "seconds": "s",
    "kg_per_kg": "kg",
    "cm": "cm",
    "symmetry_pct": "cm",
}
SEX_WORDS = {"female": "women", "male": "men"}


def entry_problem(catalog: Catalog, movement: Movement, value: float) -> str | None:
    """Why a typed result cannot be right (under zero, or over the catalog's plausible most for
    its measure), in words for the person who typed it; None when it can."""
    unit = ENTRY_UNITS[movement.measure]
    if not math.isfinite(value) or value < 0:
        return f"{value:g} {unit}: a result is zero or more"
    most = catalog.benchmarking.entry_max[movement.measure]
    if value > most:
        return f"{value:g} {unit} is more than plausible (at most {most:g} {unit})"
    return None


@dataclass(frozen=True, slots=True)
class GroupStandard:
    """The standard one athlete is judged on: met at `target`, close from `close_from`.

    `for_sex` says the figure is a source's own for `sex`; `note` says why the group figure
    stands in when a source gives figures for another sex only (or the sex is not given).
    """

    movement: str
    movement_name: str
    measure: BenchmarkMeasure
    per_side: bool
    target: float
    group: str
    keys: tuple[str, ...]
    weak: bool
    close_from: float = 0.0
    band_keys: tuple[str, ...] = ()
    band_from_source: bool = False
    sex: SexGiven = "unspecified"
    for_sex: bool = False
    note: Reason | None = None
    symmetry_limit_pct: float | None = None
    symmetry_keys: tuple[str, ...] = ()
    screen: bool = False


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    """What the athlete did: `value` for a one-sided test, `left` and `right` for a per-leg one.

    For a relative-strength movement (`kg_per_kg`) the values are the load lifted in kg.
    """

    movement: str
    value: float | None = None
    left: float | None = None
    right: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    movement: str
    status: Status
    value: float
    target: float
    ratio: float
    asymmetry_pct: float | None
    asymmetry_flag: bool
    reasons: tuple[Reason, ...]
    close_from: float = 0.0
    sex: SexGiven = "unspecified"
    for_sex: bool = False

    @property
    def rule_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for reason in self.reasons for key in reason.keys))


def standard_for(
    catalog: Catalog, group: Group, movement: str, sex: str = "unspecified"
) -> GroupStandard:
    """The standard for an athlete of `sex` (female, male or unspecified) in `group`."""
    try:
        found = catalog.movement(movement)
    except KeyError:
        allowed = ", ".join(m.slug for m in catalog.movements)
        raise ProfileError("movement", movement, f"expected one of {allowed}") from None
    given = next((known for known in SEXES_GIVEN if known == sex), None)
    if given is None:
        raise ProfileError("sex", sex, f"expected one of {', '.join(SEXES_GIVEN)}")
    standard = next((s for s in group.standards if s.movement == movement), None)
    if standard is None:
        raise ProfileError("movement", movement, f"the {group.name} group has no standard for it")
    figure = next((f for s, f in standard.by_sex.items() if s == given), None)
    if figure is not None:
        target, close_from, keys = figure.target, figure.close_from, figure.sources
        weak = figure.weak or catalog.is_weak(figure.sources)
    else:
        target, close_from, keys = standard.target, standard.close_from, standard.sources
        weak = standard.weak or catalog.is_weak(standard.sources)
    bench = catalog.benchmarking
    symmetry = found.symmetry
    per_side_gap = found.per_side and found.measure != "symmetry_pct"
    return GroupStandard(
        movement=movement,
        movement_name=found.title,
        measure=found.measure,
        per_side=found.per_side,
        target=target,
        group=group.name,
        keys=keys,
        weak=weak,
        close_from=(
            close_from
            if close_from is not None
            else round(target * (1 - bench.close_within_pct / 100), 9)
        ),
        band_keys=keys if close_from is not None else bench.close_sources,
        band_from_source=close_from is not None,
        sex=given,
        for_sex=figure is not None,
        note=None if figure is not None else _stand_in(standard, group, given),
        symmetry_limit_pct=(
            (symmetry.limit_pct if symmetry else bench.symmetry_limit_pct) if per_side_gap else None
        ),
        symmetry_keys=(
            (symmetry.sources if symmetry else bench.symmetry_sources) if per_side_gap else ()
        ),
        screen=found.screen,
    )


def standards_by_sex(
    catalog: Catalog, group: Group, movement: str
) -> dict[SexGiven, GroupStandard]:
    """What each athlete in the group is judged on: women, men, and those whose sex is not given."""
    return {sex: standard_for(catalog, group, movement, sex) for sex in SEXES_GIVEN}


def _stand_in(standard: Standard, group: Group, sex: str) -> Reason | None:
    """Why the group figure is used where a source gives figures by sex."""
    if not standard.by_sex:
        return None
    keys = tuple(dict.fromkeys(k for f in standard.by_sex.values() for k in f.sources))
    named = ", ".join(keys)
    if sex in SEXES:
        text = (
            f"{named} gives no figure for {SEX_WORDS[sex]}: the {group.name} group figure applies."
        )
    else:
        given = " and ".join(SEX_WORDS[s] for s in SEXES if s in standard.by_sex)
        text = (
            f"Sex not given: the {group.name} group figure applies "
            f"({named} gives figures for {given})."
        )
    return Reason(text, keys)


def evaluate(result: BenchmarkResult, standard: GroupStandard, body_mass_kg: float) -> Verdict:
    """met at or above the target, close from `close_from`, else below.

    Per-leg tests are judged on the weaker leg, and a gap between legs over the movement's
    limit is flagged. Relative-strength standards divide the load by body mass; a symmetry
    test judges the weaker leg as a percentage of the stronger one.
    """
    values = _values(result, standard)
    weakest, strongest = min(values), max(values)
    if standard.measure == "symmetry_pct":
        value = round(100 * weakest / strongest, 1) if strongest else 0.0
    elif standard.measure == "kg_per_kg":
        value = weakest / body_mass_kg
    else:
        value = weakest
    # Judged as shown: 0.4999 kg/kg printed as 0.5 must not read "below" a band from 0.5.
    value = round(value, 3)
    ratio = value / standard.target
    status: Status = (
        "met" if value >= standard.target else "close" if value >= standard.close_from else "below"
    )
    unit = UNITS[standard.measure]
    side = " (weaker side)" if standard.per_side and standard.measure != "symmetry_pct" else ""
    whose = f"the {standard.group} standard"
    if standard.for_sex:
        whose = f"the {SEX_WORDS[standard.sex]}'s {standard.group} standard"
    band = f", close from {standard.close_from:g}{unit}" if standard.band_from_source else ""
    label = "weak evidence: coach default" if standard.weak else "sourced"
    reasons = [
        Reason(
            f"{standard.movement_name}: {round(value, 3):g}{unit}{side} against {whose} of "
            f"{standard.target:g}{unit}{band} ({label}): {status}.",
            # The band's source counts only when the band decided the status.
            tuple(dict.fromkeys(standard.keys + (standard.band_keys if status != "met" else ()))),
        )
    ]
    if standard.note is not None:
        reasons.append(standard.note)
    asymmetry = None
    flagged = False
    if len(values) == 2 and standard.symmetry_limit_pct is not None:
        asymmetry = round(100 * (strongest - weakest) / strongest, 1) if strongest else 0.0
        flagged = asymmetry > standard.symmetry_limit_pct
        if flagged:
            reasons.append(
                Reason(
                    f"Left/right differ by {asymmetry:g} % "
                    f"(limit {standard.symmetry_limit_pct:g} %): bring the weaker side up.",
                    standard.symmetry_keys,
                )
            )
    return Verdict(
        movement=standard.movement,
        status=status,
        value=round(value, 3),
        target=standard.target,
        ratio=round(ratio, 3),
        asymmetry_pct=asymmetry,
        asymmetry_flag=flagged,
        reasons=tuple(reasons),
        close_from=standard.close_from,
        sex=standard.sex,
        for_sex=standard.for_sex,
    )


def _values(result: BenchmarkResult, standard: GroupStandard) -> tuple[float, ...]:
    if standard.per_side:
        if result.left is None or result.right is None:
            raise ProfileError(
                "left/right", None, f"{standard.movement_name} needs a result for each leg"
            )
        values: tuple[float, ...] = (result.left, result.right)
    elif result.value is None:
        raise ProfileError("value", None, f"{standard.movement_name} needs one result")
    else:
        values = (result.value,)
    for value in values:
        if not (math.isfinite(value) and value >= 0):
            raise ProfileError("value", value, "results are zero or more")
    return values
