"""Completed runs in: an upload read, judged and stored all or nothing; and read back out,
each run with its hard/easy verdict, for the pages, the API and (later) re-placement."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from runstrong.engine.model import Reason
from runstrong.engine.running import (
    CompletedRun as RunRecord,
)
from runstrong.engine.running import (
    RunLap,
    RunVerdict,
    Thresholds,
    classify_run,
    duration_text,
    pace_text,
)
from runstrong.engine.wording import weekday_date
from runstrong.running.archive import Limits, Member, count_members
from runstrong.running.reader import Reading, read_uploads
from runstrong.web.coaching.models import Athlete, CompletedRun, RunUpload, RunUploadFile
from runstrong.web.coaching.site_catalog import site_catalog


def limits() -> Limits:
    return Limits(
        max_files=settings.RUNSTRONG_RUN_ZIP_MAX_FILES,
        max_file_bytes=settings.RUNSTRONG_RUN_FILE_MAX_BYTES,
        max_total_bytes=settings.RUNSTRONG_RUN_ZIP_MAX_BYTES,
    )


@dataclass
class ImportOutcome:
    imported: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def _row(athlete: Athlete, name: str, run: RunRecord, upload: RunUpload | None) -> CompletedRun:
    return CompletedRun(
        athlete=athlete,
        upload=upload,
        date=timezone.localdate(run.started_at),
        started_at=run.started_at,
        duration_s=round(run.duration_s),
        distance_m=round(run.distance_m, 1),
        avg_hr=run.avg_hr,
        max_hr=run.max_hr,
        sport=run.sport[:40],
        source_name=name[-255:],
        laps=[lap.model_dump() for lap in run.laps],
        hr_seconds={str(bpm): round(seconds, 1) for bpm, seconds in run.hr_seconds.items()},
    )


# Watches' clocks drift: a run may claim to start a few minutes from now.
FUTURE_TOLERANCE = timedelta(minutes=10)


def _future(start: datetime) -> str:
    local = timezone.localtime(start)
    return (
        f"it starts {weekday_date(local.date())} {local:%H:%M}, in the future: "
        "only runs already done are imported"
    )


def import_runs(
    athlete: Athlete, files: Iterable[Member], *, upload: RunUpload | None = None
) -> ImportOutcome:
    """Read every file; store the runs only when none was refused, skipping those already
    stored (same start and duration). Nothing stored runs is ever changed."""
    return store_runs(athlete, read_files(list(files)), upload=upload)


def read_files(files: list[Member]) -> Reading:
    """The files read, outside any transaction (a bulk export takes a while)."""
    processes = min(int(settings.RUNSTRONG_RUN_IMPORT_PROCESSES), file_count(files))
    if processes > 1 and file_count(files) > settings.RUNSTRONG_RUN_INLINE_FILES:
        # A bulk export in the worker: its files are read side by side (a process each
        # core: decoding FIT is pure Python); the database work stays here.
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            reading = read_uploads(
                files, limits(), mapper=lambda read, found: pool.map(read, found, chunksize=8)
            )
    else:
        reading = read_uploads(files, limits())
    return reading


def store_runs(athlete: Athlete, reading: Reading, *, upload: RunUpload | None) -> ImportOutcome:
    outcome = ImportOutcome(notes=list(reading.notes))
    refused = [{"name": r.name, "reason": r.reason} for r in reading.refused]
    # A run that starts later than now is not done yet: it would make a future day "hard".
    soon = timezone.now() + FUTURE_TOLERANCE
    refused += [
        {"name": named.name, "reason": _future(named.run.started_at)}
        for named in reading.runs
        if named.run.started_at > soon
    ]
    if refused:
        outcome.refused = refused
        return outcome
    with transaction.atomic():
        starts = [named.run.started_at for named in reading.runs]
        known = set(
            CompletedRun.objects.filter(athlete=athlete, started_at__in=starts).values_list(
                "started_at", "duration_s"
            )
        )
        rows = []
        for named in reading.runs:
            key = (named.run.started_at, round(named.run.duration_s))
            if key in known:
                local = timezone.localtime(named.run.started_at)
                outcome.notes.append(
                    f"Skipped {named.name}: the run of {local:%Y-%m-%d %H:%M} "
                    f"({duration_text(named.run.duration_s)}) is already imported."
                )
                continue
            known.add(key)
            rows.append(_row(athlete, named.name, named.run, upload))
            outcome.imported.append(named.name)
        CompletedRun.objects.bulk_create(rows, batch_size=500)
    return outcome


def file_count(files: Iterable[Member]) -> int:
    return sum(count_members(member.data) for member in files)


def upload_runs(athlete: Athlete, files: list[Member], *, by: object) -> RunUpload:
    """A few files imported now; many kept for the worker (RunUpload.state says how far)."""
    from runstrong.web.coaching.tasks import import_run_upload

    count = file_count(files)
    upload = RunUpload.objects.create(
        athlete=athlete, by=by if isinstance(by, User) else None, file_count=count
    )
    if count <= settings.RUNSTRONG_RUN_INLINE_FILES:
        finish_upload(upload, files)
        return upload
    RunUploadFile.objects.bulk_create(
        [
            RunUploadFile(upload=upload, name=member.name[-255:], data=member.data)
            for member in files
        ]
    )
    transaction.on_commit(lambda: import_run_upload.enqueue(upload.pk))
    return upload


def finish_upload(upload: RunUpload, files: list[Member]) -> None:
    """Import and say how it went in one transaction: a crash between the two leaves neither."""
    reading = read_files(files)
    with transaction.atomic():
        outcome = store_runs(upload.athlete, reading, upload=upload)
        upload.state = "done" if outcome.ok else "refused"
        upload.imported = len(outcome.imported)
        upload.refused = outcome.refused
        upload.notes = outcome.notes
        upload.finished_at = timezone.now()
        upload.save()


def run_stored_upload(upload_id: int) -> None:
    """The worker's side: import the kept files, then let their bytes go."""
    upload = RunUpload.objects.select_related("athlete").get(pk=upload_id)
    if upload.finished:
        return
    RunUpload.objects.filter(pk=upload.pk).update(state="running")
    files = [Member(name, bytes(data)) for name, data in upload.files.values_list("name", "data")]
    try:
        finish_upload(upload, files)
    except Exception:
        RunUpload.objects.filter(pk=upload.pk).update(state="failed", finished_at=timezone.now())
        raise
    finally:
        RunUploadFile.objects.filter(upload=upload).delete()


# ------------------------------------------------------------------ reading runs back


def thresholds_of(athlete: Athlete) -> Thresholds:
    return Thresholds(
        heart_rate=athlete.threshold_hr,
        pace_s_per_km=float(athlete.threshold_pace) if athlete.threshold_pace else None,
    )


def as_record(run: CompletedRun) -> RunRecord:
    return RunRecord(
        started_at=run.started_at,
        duration_s=max(run.duration_s, 1),
        distance_m=run.distance_m,
        avg_hr=run.avg_hr,
        max_hr=run.max_hr,
        sport=run.sport,
        laps=tuple(RunLap(**lap) for lap in run.laps),
        hr_seconds={int(bpm): seconds for bpm, seconds in run.hr_seconds.items()},
    )


@dataclass(frozen=True)
class JudgedRun:
    run: CompletedRun
    verdict: RunVerdict

    @property
    def hard(self) -> bool:
        return self.verdict.hard

    @property
    def when(self) -> datetime:
        return timezone.localtime(self.run.started_at)

    @property
    def duration(self) -> str:
        return duration_text(self.run.duration_s)

    @property
    def distance_km(self) -> str:
        return f"{self.run.distance_m / 1000:.1f} km"

    @property
    def pace(self) -> str:
        return pace_text(self.run.pace_s_per_km)

    @property
    def lap_rows(self) -> list[dict[str, object]]:
        return [
            {
                "duration": duration_text(lap["duration_s"]),
                "distance_km": f"{lap['distance_m'] / 1000:.2f}",
                "pace": pace_text(RunLap(**lap).pace_s_per_km),
                "avg_hr": lap.get("avg_hr"),
                "max_hr": lap.get("max_hr"),
            }
            for lap in self.run.laps
        ]


def judged_runs(athlete: Athlete, start: date, end: date) -> list[JudgedRun]:
    """The athlete's runs from `start` to `end` (inclusive), oldest first, each judged."""
    rule = site_catalog().completed_runs
    thresholds = thresholds_of(athlete)
    runs = CompletedRun.objects.filter(athlete=athlete, date__gte=start, date__lte=end).order_by(
        "started_at"
    )
    return [JudgedRun(run, classify_run(as_record(run), thresholds, rule)) for run in runs]


def hard_days_many(
    athletes: dict[int, Athlete], ranges: dict[int, tuple[date, date]]
) -> dict[int, set[date]]:
    """For each athlete, the days of their own (start, end) with a hard completed run: one
    query for a whole squad, as a preview or a publish needs."""
    found: dict[int, set[date]] = {athlete_id: set() for athlete_id in ranges}
    spans = [(start, end) for start, end in ranges.values() if start <= end]
    if not spans:
        return found
    rule = site_catalog().completed_runs
    thresholds = {athlete_id: thresholds_of(athletes[athlete_id]) for athlete_id in ranges}
    runs = CompletedRun.objects.filter(
        athlete__in=list(ranges),
        date__gte=min(start for start, _ in spans),
        date__lte=max(end for _, end in spans),
    )
    for run in runs:
        start, end = ranges[run.athlete_id]
        if not start <= run.date <= end or run.date in found[run.athlete_id]:
            continue
        if classify_run(as_record(run), thresholds[run.athlete_id], rule).hard:
            found[run.athlete_id].add(run.date)
    return found


def completed_hard_days(athlete: Athlete, start: date, end: date) -> dict[date, list[Reason]]:
    """The days from `start` to `end` with a hard completed run, and why each was hard: what
    re-placing strength around the running reads for the past."""
    days: dict[date, list[Reason]] = {}
    for judged in judged_runs(athlete, start, end):
        if judged.hard:
            days.setdefault(judged.run.date, []).extend(judged.verdict.reasons)
    return days


def runs_by_day(athlete: Athlete, start: date, days: int) -> dict[date, list[JudgedRun]]:
    found: dict[date, list[JudgedRun]] = {}
    for judged in judged_runs(athlete, start, start + timedelta(days=days - 1)):
        found.setdefault(judged.run.date, []).append(judged)
    return found
