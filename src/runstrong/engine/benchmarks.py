"""Judge a test-day result against the athlete's event-group standard [B1–B7]."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from runstrong.engine.catalog import Catalog, Group
from runstrong.engine.errors import ProfileError
from runstrong.engine.model import Reason

Status = Literal["met", "close", "below"]
CLOSE_WITHIN = 0.10
ASYMMETRY_LIMIT_PCT = 10.0


@dataclass(frozen=True, slots=True)
class GroupStandard:
    movement: str
    movement_name: str
    measure: Literal["reps", "seconds", "kg_per_kg"]
    per_side: bool
    target: float
    group: str
    keys: tuple[str, ...]
    weak: bool


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

    @property
    def rule_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for reason in self.reasons for key in reason.keys))


def standard_for(catalog: Catalog, group: Group, movement: str) -> GroupStandard:
    try:
        found = catalog.movement(movement)
    except KeyError:
        allowed = ", ".join(m.slug for m in catalog.movements)
        raise ProfileError("movement", movement, f"expected one of {allowed}") from None
    for standard in group.standards:
        if standard.movement == movement:
            return GroupStandard(
                movement=movement,
                movement_name=found.name,
                measure=found.measure,
                per_side=found.per_side,
                target=standard.target,
                group=group.name,
                keys=standard.sources,
                weak=standard.weak or catalog.is_weak(standard.sources),
            )
    raise ProfileError("movement", movement, f"the {group.name} group has no standard for it")


def evaluate(result: BenchmarkResult, standard: GroupStandard, body_mass_kg: float) -> Verdict:
    """met at or above the target, close within 10 % below it, else below.

    Per-leg tests are judged on the weaker leg, and a gap of more than 10 % between legs is
    flagged. Relative-strength standards divide the load by body mass.
    """
    values = _values(result, standard)
    weakest = min(values)
    value = weakest / body_mass_kg if standard.measure == "kg_per_kg" else weakest
    ratio = value / standard.target
    status: Status = "met" if ratio >= 1 else "close" if ratio >= 1 - CLOSE_WITHIN else "below"
    unit = {"reps": " reps", "seconds": " s", "kg_per_kg": " × body mass"}[standard.measure]
    side = " (weaker side)" if standard.per_side else ""
    label = "weak evidence: coach default" if standard.weak else "sourced"
    reasons = [
        Reason(
            f"{standard.movement_name}: {value:.3g}{unit}{side} against the {standard.group} "
            f"standard of {standard.target:g}{unit} ({label}): {status}.",
            standard.keys,
        )
    ]
    asymmetry = None
    flagged = False
    if len(values) == 2:
        strongest = max(values)
        asymmetry = round(100 * (strongest - weakest) / strongest, 1) if strongest else 0.0
        flagged = asymmetry > ASYMMETRY_LIMIT_PCT
        if flagged:
            reasons.append(
                Reason(
                    f"Left/right differ by {asymmetry:g} % (limit {ASYMMETRY_LIMIT_PCT:g} %): "
                    f"bring the weaker side up.",
                    ("B1", "B5"),
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
