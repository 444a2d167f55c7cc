"""Completed runs: what a run file holds once read, and whether the run was hard or easy.

A run is hard when any rule of the catalog's `[completed_runs]` holds: enough time at or above
the athlete's threshold heart rate, laps faster than their threshold pace, a TRIMP-style load
(minutes weighted by heart-rate zone), or simply a long run. Each verdict says why, with the
rule keys, so a coach can see which figure to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from runstrong.engine.catalog import CompletedRunRule
from runstrong.engine.model import Reason
from runstrong.engine.wording import count

RULE = "completed_runs"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class RunLap(_Frozen):
    """One lap as the watch split it (or the whole run, for a file without laps)."""

    duration_s: float = Field(ge=0)
    distance_m: float = Field(ge=0)
    avg_hr: int | None = Field(default=None, ge=20, le=260)
    max_hr: int | None = Field(default=None, ge=20, le=260)

    @property
    def pace_s_per_km(self) -> float | None:
        return pace(self.duration_s, self.distance_m)


class CompletedRun(_Frozen):
    """What one run file says: when, how long and far, heart rate, laps.

    `hr_seconds` maps a heart rate (bpm) to the seconds spent at it, so the run can be judged
    again when the athlete's threshold changes without keeping every sample.
    """

    started_at: datetime
    duration_s: float = Field(gt=0)
    distance_m: float = Field(ge=0)
    avg_hr: int | None = Field(default=None, ge=20, le=260)
    max_hr: int | None = Field(default=None, ge=20, le=260)
    sport: str = "running"
    laps: tuple[RunLap, ...] = ()
    hr_seconds: dict[int, float] = Field(default_factory=dict)

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a start time needs its time zone")
        return value

    @property
    def pace_s_per_km(self) -> float | None:
        return pace(self.duration_s, self.distance_m)


class Thresholds(_Frozen):
    """The athlete's own figures the rules compare with; None: not known, that rule is skipped."""

    heart_rate: int | None = Field(default=None, ge=60, le=240)
    pace_s_per_km: float | None = Field(default=None, gt=0)


class RunVerdict(_Frozen):
    hard: bool
    reasons: tuple[Reason, ...]
    load: float | None = None
    share_above_threshold: float | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for reason in self.reasons for key in reason.keys)


def pace(duration_s: float, distance_m: float) -> float | None:
    """Seconds per kilometre, or None without distance."""
    if distance_m < 1:
        return None
    return duration_s / (distance_m / 1000)


def pace_text(seconds_per_km: float | None) -> str:
    """`4:05 /km`, or an en dash."""
    if seconds_per_km is None:
        return "–"
    whole = round(seconds_per_km)
    return f"{whole // 60}:{whole % 60:02d} /km"


def duration_text(seconds: float) -> str:
    """`1:02:03` or `45:10`."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def share_at_or_above(hr_seconds: Mapping[int, float], threshold: int) -> float | None:
    total = sum(hr_seconds.values())
    if total <= 0:
        return None
    return sum(s for bpm, s in hr_seconds.items() if bpm >= threshold) / total


def training_load(
    hr_seconds: Mapping[int, float], threshold: int, rule: CompletedRunRule
) -> float | None:
    """Minutes weighted by the zone (share of threshold heart rate) they were run in."""
    if not hr_seconds:
        return None
    zones = sorted(rule.load_zones, key=lambda zone: zone.from_share)
    load = 0.0
    for bpm, seconds in hr_seconds.items():
        share = bpm / threshold
        weight = zones[0].weight
        for zone in zones:
            if share >= zone.from_share:
                weight = zone.weight
        load += seconds / 60 * weight
    return load


def fast_lap_seconds(laps: tuple[RunLap, ...], threshold_pace: float, min_seconds: int) -> float:
    """Time in laps of at least `min_seconds` run faster than threshold pace."""
    fast = 0.0
    for lap in laps:
        lap_pace = lap.pace_s_per_km
        if lap.duration_s >= min_seconds and lap_pace is not None and lap_pace < threshold_pace:
            fast += lap.duration_s
    return fast


def classify_run(run: CompletedRun, thresholds: Thresholds, rule: CompletedRunRule) -> RunVerdict:
    """Hard or easy, with every rule that made it hard (or why it counts as easy)."""
    reasons: list[Reason] = []
    share = load = None
    if thresholds.heart_rate is not None and run.hr_seconds:
        share = share_at_or_above(run.hr_seconds, thresholds.heart_rate)
        if share is not None and share >= rule.share_above_threshold_hr:
            reasons.append(
                Reason(
                    f"{share:.0%} of the run at or above threshold heart rate "
                    f"{thresholds.heart_rate} (hard from {rule.share_above_threshold_hr:.0%})",
                    (f"{RULE}.share_above_threshold_hr",),
                )
            )
        load = training_load(run.hr_seconds, thresholds.heart_rate, rule)
        if load is not None and load >= rule.hard_load:
            reasons.append(
                Reason(
                    f"training load {load:.0f} (hard from {rule.hard_load:g})",
                    (f"{RULE}.hard_load", f"{RULE}.load_zones"),
                )
            )
    if thresholds.pace_s_per_km is not None and run.laps:
        fast = fast_lap_seconds(run.laps, thresholds.pace_s_per_km, rule.lap_min_seconds)
        if fast >= rule.fast_lap_min_seconds:
            reasons.append(
                Reason(
                    f"{duration_text(fast)} in laps faster than threshold pace "
                    f"{pace_text(thresholds.pace_s_per_km)} (hard from "
                    f"{duration_text(rule.fast_lap_min_seconds)})",
                    (f"{RULE}.fast_lap_min_seconds", f"{RULE}.lap_min_seconds"),
                )
            )
    if run.duration_s >= rule.long_run_minutes * 60:
        reasons.append(
            Reason(
                f"a long run: {duration_text(run.duration_s)} (hard from "
                f"{count(rule.long_run_minutes, 'minute')})",
                (f"{RULE}.long_run_minutes",),
            )
        )
    if reasons:
        return RunVerdict(hard=True, reasons=tuple(reasons), load=load, share_above_threshold=share)
    return RunVerdict(
        hard=False,
        reasons=(_easy_reason(run, thresholds, share, load, rule),),
        load=load,
        share_above_threshold=share,
    )


def _easy_reason(
    run: CompletedRun,
    thresholds: Thresholds,
    share: float | None,
    load: float | None,
    rule: CompletedRunRule,
) -> Reason:
    said: list[str] = []
    keys: list[str] = [f"{RULE}.long_run_minutes"]
    if share is not None:
        said.append(f"{share:.0%} of the time at or above threshold heart rate")
        keys.append(f"{RULE}.share_above_threshold_hr")
    if load is not None:
        said.append(f"load {load:.0f}")
        keys.append(f"{RULE}.hard_load")
    if thresholds.pace_s_per_km is not None and run.laps:
        said.append("no long enough laps faster than threshold pace")
        keys.append(f"{RULE}.fast_lap_min_seconds")
    if thresholds.heart_rate is None and thresholds.pace_s_per_km is None:
        said.append("no threshold heart rate or pace in the profile to judge the effort by")
    elif not said:
        said.append("no heart rate or laps in the file to judge the effort by")
    said.append(f"shorter than {count(rule.long_run_minutes, 'minute')}")
    return Reason("Easy: " + "; ".join(said), tuple(keys))
