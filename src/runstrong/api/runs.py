"""Completed runs: upload watch files (FIT, TCX, GPX, zips of them) and list the runs."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from runstrong.api.pagination import Page
from runstrong.api.schemas import ErrorOut, ReasonOut, RowId
from runstrong.engine.running import classify_run
from runstrong.running.archive import Member
from runstrong.web.coaching.access import athlete_get_for_user
from runstrong.web.coaching.completed_runs import as_record, thresholds_of, upload_runs
from runstrong.web.coaching.models import CompletedRun, RunUpload
from runstrong.web.coaching.site_catalog import site_catalog

router = Router(tags=["runs"])


class LapOut(Schema):
    duration_s: float
    distance_m: float
    avg_hr: int | None
    max_hr: int | None
    pace_s_per_km: float | None


class RunOut(Schema):
    id: int
    date: date
    started_at: datetime
    duration_s: int
    distance_m: float
    avg_hr: int | None
    max_hr: int | None
    pace_s_per_km: float | None
    sport: str
    source_name: str
    laps: list[LapOut]
    hard: bool
    reasons: list[ReasonOut]


class RefusedOut(Schema):
    name: str
    reason: str


class RunUploadOut(Schema):
    id: int
    state: str
    file_count: int
    imported: int
    refused: list[RefusedOut]
    notes: list[str]


def _upload_out(upload: RunUpload) -> dict[str, Any]:
    return {
        "id": upload.pk,
        "state": upload.state,
        "file_count": upload.file_count,
        "imported": upload.imported,
        "refused": upload.refused,
        "notes": upload.notes,
    }


@router.post(
    "/athletes/{athlete_id}/runs",
    operation_id="upload_runs",
    response={201: RunUploadOut, 202: RunUploadOut, 400: ErrorOut},
)
def upload(request: HttpRequest, athlete_id: RowId, files: File[list[UploadedFile]]) -> Status[Any]:
    """Run files (FIT, TCX, GPX, or zips of them) for one athlete, all or nothing: 201 with
    what was imported and skipped; 202 when many files go to the background worker (poll
    `run_upload`); 400 naming each refused file and why, nothing stored."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    members = [Member(f.name or "upload", f.read()) for f in files]
    found = upload_runs(athlete, members, by=request.user)
    if found.state == "refused":
        errors = [
            {"field": "files", "reason": f"{r['name']}: {r['reason']}"} for r in found.refused
        ]
        return Status(400, {"detail": "No run was imported: a file was refused.", "errors": errors})
    return Status(201 if found.finished else 202, _upload_out(found))


@router.get(
    "/athletes/{athlete_id}/run-uploads/{upload_id}",
    operation_id="run_upload",
    response=RunUploadOut,
)
def upload_status(request: HttpRequest, athlete_id: RowId, upload_id: RowId) -> dict[str, Any]:
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    return _upload_out(get_object_or_404(RunUpload, athlete=athlete, pk=upload_id))


@router.get("/athletes/{athlete_id}/runs", operation_id="list_runs", response=list[RunOut])
@paginate(Page)
def runs(request: HttpRequest, athlete_id: RowId) -> list[dict[str, Any]]:
    """The athlete's completed runs, newest first, each judged hard or easy with reasons."""
    athlete = athlete_get_for_user(user=request.user, athlete_id=athlete_id)
    rows: QuerySet[CompletedRun] = CompletedRun.objects.filter(athlete=athlete).order_by(
        "-started_at", "-pk"
    )
    return _LazyRuns(rows, athlete)  # type: ignore[return-value]


class _LazyRuns:
    """Judges only the page the paginator slices, not every run the athlete has."""

    def __init__(self, rows: QuerySet[CompletedRun], athlete: Any) -> None:
        self.rows = rows
        self.rule = site_catalog().completed_runs
        self.thresholds = thresholds_of(athlete)

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self._out(run) for run in self.rows[window]]

    def _out(self, run: CompletedRun) -> dict[str, Any]:
        record = as_record(run)
        verdict = classify_run(record, self.thresholds, self.rule)
        return {
            "id": run.pk,
            "date": run.date,
            "started_at": timezone.localtime(run.started_at),
            "duration_s": run.duration_s,
            "distance_m": run.distance_m,
            "avg_hr": run.avg_hr,
            "max_hr": run.max_hr,
            "pace_s_per_km": run.pace_s_per_km,
            "sport": run.sport,
            "source_name": run.source_name,
            "laps": [
                lap.model_dump() | {"pace_s_per_km": lap.pace_s_per_km} for lap in record.laps
            ],
            "hard": verdict.hard,
            "reasons": [{"text": r.text, "keys": list(r.keys)} for r in verdict.reasons],
        }
