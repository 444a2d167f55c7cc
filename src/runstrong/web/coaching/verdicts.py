"""Each athlete's latest result per benchmark movement, judged by the engine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import F

from runstrong.engine.benchmarks import UNITS, GroupStandard, Verdict, evaluate, standard_for
from runstrong.engine.benchmarks import BenchmarkResult as EngineResult
from runstrong.engine.catalog import Catalog
from runstrong.engine.errors import RunstrongError
from runstrong.web.coaching.models import BenchmarkResult


@dataclass(frozen=True)
class Judged:
    result: BenchmarkResult
    verdict: Verdict
    previous: Verdict | None = None
    unit: str = ""  # of the judged value: ` × body mass`, ` s`, ` %`

    @property
    def change_text(self) -> str:
        """`+0.06 × body mass`, `-4 s`: the change with its unit, or ""."""
        change = self.change
        if change is None:
            return ""
        return f"{'+' if change > 0 else ''}{round(change, 2):g}{self.unit}"

    @property
    def change(self) -> float | None:
        """The judged value (weaker leg, or load per kg) against the result before it."""
        if self.previous is None:
            return None
        return round(self.verdict.value - self.previous.value, 3)


def latest_verdicts(
    *,
    athletes: dict[int, tuple[str, float]],
    today: date,
    catalog: Catalog,
    days: int = 365,
) -> dict[tuple[int, str], Judged]:
    """Keyed by (athlete id, movement); `athletes` maps id to (event group, body mass).

    Each athlete is judged on the standard for their sex where a source gives one. One query
    for all athletes; results the catalog cannot judge are left out.
    """
    since = today - timedelta(days=days)
    results = BenchmarkResult.objects.filter(athlete__in=list(athletes), date__gte=since).annotate(
        athlete_sex=F("athlete__sex")
    )
    judged: dict[tuple[int, str], Judged] = {}
    complete: set[tuple[int, str]] = set()
    # A squad shares a few dozen standards: each is looked up once (None: not judged).
    standards: dict[tuple[str, str, str], GroupStandard | None] = {}
    for result in results.order_by("-date", "-pk"):
        key = (result.athlete_id, result.movement)
        if key in complete:
            continue
        group, mass = athletes[result.athlete_id]
        wanted = (group, result.movement, result.athlete_sex)
        if wanted not in standards:
            try:
                standards[wanted] = standard_for(
                    catalog, catalog.group(group), result.movement, result.athlete_sex
                )
            except (RunstrongError, KeyError):
                standards[wanted] = None
        standard = standards[wanted]
        if standard is None:
            continue
        try:
            verdict = evaluate(
                EngineResult(result.movement, result.value, result.left, result.right),
                standard,
                mass,
            )
        except (RunstrongError, KeyError):
            continue
        if key in judged:
            judged[key] = replace(judged[key], previous=verdict)
            complete.add(key)
        else:
            judged[key] = Judged(result, verdict, unit=UNITS[standard.measure])
    return judged
