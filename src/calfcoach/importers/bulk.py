"""Walk what the user points at — files, folders, zips, zips in zips, gzipped members — and
yield each activity file's bytes, or why it was refused. Archives are read member by member
through zipfile (a nested zip is opened inside its parent, never written to disk).

Limits against hostile archives: a member may inflate to at most MAX_MEMBER_BYTES (counted as
it is read, whatever size it claims), zips nest at most MAX_DEPTH deep, and member names that
climb out of the archive (absolute, "..") are refused.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 4
CHUNK = 1024 * 1024
KINDS = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx"}


@dataclass(frozen=True, slots=True)
class Found:
    """An activity file (``data`` and ``kind``), or a refusal (``error``)."""

    source: str  # "export.zip!activities/123.fit.gz"
    kind: str | None = None  # fit | gpx | tcx
    data: bytes | None = None
    error: str | None = None
    name: str | None = None  # from a Strava activities.csv
    sport: str | None = None  # from a Strava activities.csv


class _TooBig(Exception):
    pass


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _read_capped(stream: IO[bytes]) -> bytes:
    parts, total = [], 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        if total > MAX_MEMBER_BYTES:
            raise _TooBig
        parts.append(chunk)
    return b"".join(parts)


def _kind(name: str, data: bytes) -> str | None:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in KINDS:
        return KINDS[suffix]
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if head.startswith(b"<") and b"<gpx" in data[:2048]:
        return "gpx"
    if head.startswith(b"<") and b"TrainingCenterDatabase" in data[:2048]:
        return "tcx"
    return None


# Strava's activities.csv "Activity Type" in our sport words.
STRAVA_TYPES = {
    "run": "running",
    "trail run": "running",
    "virtual run": "running",
    "ride": "cycling",
    "virtual ride": "cycling",
    "walk": "walking",
    "hike": "hiking",
    "swim": "swimming",
}


def _strava_index(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Filename (as in the export) -> (activity name, sport) from Strava's activities.csv."""
    index: dict[str, tuple[str | None, str | None]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        filename = (row.get("Filename") or "").strip()
        if not filename:
            continue
        kind = (row.get("Activity Type") or "").strip().lower()
        index[filename] = (
            (row.get("Activity Name") or "").strip() or None,
            STRAVA_TYPES.get(kind, kind or None),
        )
    return index


def _leaf(
    source: str, name: str, data: bytes, strava: dict[str, tuple[str | None, str | None]]
) -> Found | None:
    """One member or file: gunzip if needed, then identify it. None for files to pass over
    silently (an activities.csv, a readme)."""
    lookup = strava.get(name) or strava.get(PurePosixPath(name).name) or (None, None)
    if name.lower().endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = _read_capped(stream)
        except _TooBig:
            return Found(source, error=f"refused: inflates beyond {_mb(MAX_MEMBER_BYTES)}")
        except (OSError, EOFError) as exc:
            return Found(source, error=f"corrupt gzip ({str(exc)[:60]})")
        name = name[:-3]
    if PurePosixPath(name).suffix.lower() in (
        ".csv",
        ".json",
        ".txt",
        ".md",
        ".html",
        ".jpg",
        ".png",
        ".jpeg",
        ".pdf",
    ):
        return None
    if not data:
        return Found(source, error="empty file")
    kind = _kind(name, data)
    if kind is None:
        return Found(source, error="unknown format: not FIT, GPX or TCX")
    return Found(source, kind, data, name=lookup[0], sport=lookup[1])


def _zip(archive: zipfile.ZipFile, prefix: str, depth: int) -> Iterator[Found]:
    if depth > MAX_DEPTH:
        yield Found(prefix, error=f"refused: zips nested deeper than {MAX_DEPTH}")
        return
    members = [info for info in archive.infolist() if not info.is_dir()]
    strava: dict[str, tuple[str | None, str | None]] = {}
    for info in members:
        if PurePosixPath(info.filename).name == "activities.csv":
            try:
                with archive.open(info) as stream:
                    strava = _strava_index(_read_capped(stream).decode("utf-8-sig", "replace"))
            except (_TooBig, zipfile.BadZipFile, OSError):
                strava = {}
    for info in members:
        source = f"{prefix}!{info.filename}"
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or info.filename.startswith(("/", "\\")):
            yield Found(source, error="refused: the member's path leaves the archive")
            continue
        nested = info.filename.lower().endswith(".zip")
        # A nested zip is read in place, member by member (each member capped), so only
        # activity files are refused by the size they claim.
        if info.file_size > MAX_MEMBER_BYTES and not nested:
            yield Found(source, error=f"refused: claims {_mb(info.file_size)} unpacked")
            continue
        try:
            if nested:
                with archive.open(info) as stream, zipfile.ZipFile(stream) as inner:
                    yield from _zip(inner, source, depth + 1)
                continue
            with archive.open(info) as stream:
                data = _read_capped(stream)
        except _TooBig:
            yield Found(
                source, error=f"refused: inflates beyond {_mb(MAX_MEMBER_BYTES)} (zip bomb?)"
            )
            continue
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            yield Found(source, error=f"unreadable archive member ({str(exc)[:60]})")
            continue
        found = _leaf(source, info.filename, data, strava)
        if found is not None:
            yield found


def walk(paths: list[Path]) -> Iterator[Found]:
    """Every activity file under ``paths`` (files, folders recursively, zip archives)."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            strava: dict[str, tuple[str | None, str | None]] = {}
            for csv_path in (p for p in files if p.name == "activities.csv"):
                strava = _strava_index(csv_path.read_text(encoding="utf-8-sig", errors="replace"))
            for file in files:
                yield from _file(file, strava, str(file.relative_to(path).as_posix()))
        else:
            yield from _file(path, {}, path.name)


def _file(
    path: Path, strava: dict[str, tuple[str | None, str | None]], relative: str
) -> Iterator[Found]:
    source = str(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                yield from _zip(archive, source, 1)
            return
        if path.stat().st_size > MAX_MEMBER_BYTES:
            yield Found(source, error=f"refused: larger than {_mb(MAX_MEMBER_BYTES)}")
            return
        data = path.read_bytes()
    except FileNotFoundError:
        yield Found(source, error="no such file")
        return
    except (OSError, zipfile.BadZipFile) as exc:
        yield Found(
            source, error=f"cannot read ({exc.strerror if isinstance(exc, OSError) else exc})"
        )
        return
    found = _leaf(source, relative, data, strava)
    if found is not None:
        yield found
