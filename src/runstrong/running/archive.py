"""Zips of run files (a Garmin or Strava bulk export) opened in memory, within limits.

Nothing is written to disk, so an entry's name is never a path: still, a name that climbs out
(`../x.fit`, `/etc/x`) is refused, as an export never holds one. Folders are skipped, a zip
inside a zip (Garmin's export) is opened once more, a `.gz` member (Strava's) is unpacked.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from runstrong.running.refusals import RefusedFile


@dataclass(frozen=True, slots=True)
class Limits:
    max_files: int = 2000
    max_file_bytes: int = 25 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    data: bytes


def megabytes(size: int) -> str:
    """`25 MB`, `0.95 MB`."""
    return f"{size / 1_048_576:.3g} MB"


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts and ":" not in path.parts[0]


def gunzip(name: str, data: bytes, limits: Limits) -> bytes:
    """A `.gz` file's content, refused past the size limit without unpacking the rest."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            content = packed.read(limits.max_file_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise RefusedFile(name, f"the .gz file is damaged ({error})") from None
    if len(content) > limits.max_file_bytes:
        raise RefusedFile(name, f"over {megabytes(limits.max_file_bytes)} unpacked")
    return content


def count_members(data: bytes) -> int:
    """How many files a zip holds (folders not counted); 1 for anything else or a broken zip."""
    if not is_zip(data):
        return 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(1 for info in archive.infolist() if not info.is_dir())
    except zipfile.BadZipFile:
        return 1


def members(
    name: str, data: bytes, limits: Limits, notes: list[str], *, depth: int = 0
) -> Iterator[Member | RefusedFile]:
    """Each file of the zip `name` as (its name inside, its bytes), or why that one file is
    refused, so every bad file is named at once; folders noted in `notes`. A zip over the
    limits as a whole (too many files, too large unpacked) is refused before any is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RefusedFile(name, "the zip is damaged and cannot be opened") from None
    with archive:
        infos = archive.infolist()
        files = [info for info in infos if not info.is_dir()]
        if len(files) > limits.max_files:
            raise RefusedFile(name, f"{len(files)} files: at most {limits.max_files} in one zip")
        total = sum(info.file_size for info in files)
        if total > limits.max_total_bytes:
            raise RefusedFile(name, f"over {megabytes(limits.max_total_bytes)} unpacked")
        for info in infos:
            inner = f"{name}/{info.filename}"
            if info.is_dir():
                notes.append(f"Skipped the folder {inner} (its files are read on their own).")
                continue
            try:
                yield from _member(archive, info, inner, limits, notes, depth)
            except RefusedFile as refusal:
                yield refusal


def _member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    inner: str,
    limits: Limits,
    notes: list[str],
    depth: int,
) -> Iterator[Member | RefusedFile]:
    if not _safe_name(info.filename):
        raise RefusedFile(inner, "a name that points outside the zip")
    if info.file_size > limits.max_file_bytes:
        raise RefusedFile(inner, f"over {megabytes(limits.max_file_bytes)}")
    try:
        content = archive.read(info)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as error:
        raise RefusedFile(inner, f"cannot be unpacked ({error})") from None
    if is_zip(content) and depth == 0:
        yield from members(inner, content, limits, notes, depth=1)
    elif is_zip(content):
        raise RefusedFile(inner, "a zip inside a zip inside a zip")
    else:
        yield Member(inner, content)
