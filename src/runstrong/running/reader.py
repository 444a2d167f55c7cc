"""From uploaded files to runs: each file recognised by its content, not its name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from runstrong.engine.running import CompletedRun
from runstrong.running.archive import (
    Limits,
    Member,
    gunzip,
    is_gzip,
    is_zip,
    megabytes,
    members,
)
from runstrong.running.fit import is_fit, read_fit
from runstrong.running.gpx import read_gpx
from runstrong.running.refusals import RefusedFile
from runstrong.running.tcx import read_tcx

FOREIGN = "not a FIT, TCX or GPX run file"


@dataclass(frozen=True, slots=True)
class NamedRun:
    name: str
    run: CompletedRun


@dataclass
class Reading:
    """What an upload held: runs read, files refused (name and why), notes (folders skipped)."""

    runs: list[NamedRun] = field(default_factory=list)
    refused: list[RefusedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _parser(data: bytes) -> Callable[[str, bytes], CompletedRun] | None:
    if is_fit(data):
        return read_fit
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<")):
        if b"<trainingcenterdatabase" in head:
            return read_tcx
        if b"<gpx" in head:
            return read_gpx
    return None


def read_run(name: str, data: bytes, limits: Limits) -> CompletedRun:
    """One run file (gzipped or not); RefusedFile saying why it is not one."""
    if is_gzip(data):
        data = gunzip(name, data, limits)
    if not data:
        raise RefusedFile(name, "the file is empty")
    if len(data) > limits.max_file_bytes:
        raise RefusedFile(name, f"over {megabytes(limits.max_file_bytes)}")
    parser = _parser(data)
    if parser is None:
        raise RefusedFile(name, FOREIGN)
    try:
        return parser(name, data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise RefusedFile(
            name, f"the file's {where or 'content'} is unusable: {problem['msg']}"
        ) from None


def read_uploads(files: Iterable[Member], limits: Limits | None = None) -> Reading:
    """Every run in the uploaded files and zips; a refused file never stops the others being
    read, so the uploader learns about all of them at once."""
    limits = limits or Limits()
    reading = Reading()
    seen = 0
    for upload in files:
        try:
            inside = (
                list(members(upload.name, upload.data, limits, reading.notes))
                if is_zip(upload.data)
                else [upload]
            )
        except RefusedFile as refusal:
            reading.refused.append(refusal)
            continue
        for member in inside:
            seen += 1
            if seen > limits.max_files:
                reading.refused.append(
                    RefusedFile(member.name, f"more than {limits.max_files} files in one upload")
                )
                return reading
            try:
                run = read_run(member.name, member.data, limits)
            except RefusedFile as refusal:
                reading.refused.append(refusal)
            else:
                reading.runs.append(NamedRun(member.name, run))
    return reading
