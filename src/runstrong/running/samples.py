"""From a file's samples (time, distance, heart rate) and laps to one CompletedRun."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from runstrong.engine.running import CompletedRun, RunLap

# A gap longer than this between two samples is a pause: its time counts at no heart rate.
LONGEST_GAP_S = 30


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float  # since the start
    distance_m: float | None
    heart_rate: int | None


def heart_rate_seconds(samples: Sequence[Sample]) -> dict[int, float]:
    """Seconds spent at each heart rate: each sample holds until the next one."""
    spent: dict[int, float] = {}
    for here, after in itertools.pairwise(samples):
        gap = after.seconds - here.seconds
        if here.heart_rate and 0 < gap <= LONGEST_GAP_S:
            spent[here.heart_rate] = spent.get(here.heart_rate, 0.0) + gap
    return spent


def whole_run_lap(duration_s: float, distance_m: float, hr: Sequence[int]) -> RunLap:
    return RunLap(
        duration_s=duration_s,
        distance_m=distance_m,
        avg_hr=round(sum(hr) / len(hr)) if hr else None,
        max_hr=max(hr) if hr else None,
    )


def summarise(
    *,
    started_at: datetime,
    samples: Sequence[Sample],
    laps: Sequence[RunLap],
    sport: str,
    duration_s: float | None = None,
    distance_m: float | None = None,
    avg_hr: int | None = None,
    max_hr: int | None = None,
) -> CompletedRun:
    """The run, its totals taken from the file's summary where it has one, else the samples."""
    rates = [s.heart_rate for s in samples if s.heart_rate]
    distances = [s.distance_m for s in samples if s.distance_m is not None]
    if duration_s is None:
        duration_s = samples[-1].seconds - samples[0].seconds if samples else 0.0
    if distance_m is None:
        distance_m = max(distances) if distances else 0.0
    if avg_hr is None and rates:
        avg_hr = round(sum(rates) / len(rates))
    if max_hr is None and rates:
        max_hr = max(rates)
    if not laps:
        laps = [whole_run_lap(duration_s, distance_m, rates)]
    return CompletedRun(
        started_at=started_at,
        duration_s=duration_s,
        distance_m=distance_m,
        avg_hr=avg_hr,
        max_hr=max_hr,
        sport=sport,
        laps=tuple(laps),
        hr_seconds=heart_rate_seconds(samples),
    )
