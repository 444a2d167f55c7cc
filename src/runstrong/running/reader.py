"""From uploaded files to runs: each file recognised by its content, not its name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

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


Mapper = Callable[[Callable[[Member], "NamedRun | RefusedFile"], list[Member]], Iterable[Any]]


def read_member(member: Member, limits: Limits) -> NamedRun | RefusedFile:
    """One file read, or why not: module level, so a process pool can run it."""
    try:
        return NamedRun(member.name, read_run(member.name, member.data, limits))
    except RefusedFile as refusal:
        return refusal


def read_uploads(
    files: Iterable[Member], limits: Limits | None = None, *, mapper: Mapper | None = None
) -> Reading:
    """Every run in the uploaded files and zips; a refused file never stops the others being
    read, so the uploader learns about all of them at once. `mapper` (a process pool's map)
    reads the files side by side; the order stays the upload's."""
    limits = limits or Limits()
    reading = Reading()
    found: list[Member] = []
    for upload in files:
        try:
            if is_zip(upload.data):
                for member in members(upload.name, upload.data, limits, reading.notes):
                    if isinstance(member, RefusedFile):
                        reading.refused.append(member)
                    else:
                        found.append(member)
            else:
                found.append(upload)
        except RefusedFile as refusal:
            reading.refused.append(refusal)
        if len(found) > limits.max_files:
            reading.refused.append(
                RefusedFile(upload.name, f"more than {limits.max_files} files in one upload")
            )
            return reading
    for result in (mapper or map)(partial(read_member, limits=limits), found):
        if isinstance(result, RefusedFile):
            reading.refused.append(result)
        else:
            reading.runs.append(result)
    return reading
