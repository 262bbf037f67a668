"""Walk what the user points at — files, folders, zips, zips in zips, gzipped members — and
yield each activity file's bytes, or why it was refused. Archives are read member by member
through zipfile; a nested zip is unpacked once into a spooled temporary file (memory up to a
few MB, then the temp folder, removed when closed), because seeking inside a compressed member
re-inflates it from the start each time and made a nested export quadratic.

Limits against hostile input come from one :class:`ImportBudget` for the whole import: each
activity file's size, the bytes unpacked in total, the members looked at, the nesting depth
and the compression ratio a member may claim. Only regular files are read (a device or a FIFO
would never end); member names that climb out of the archive (absolute, "..") are refused.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from calfcoach.importers.budget import DEFAULT_BUDGET, ImportBudget

CHUNK = 1024 * 1024
KINDS = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx"}
# Files an export holds beside the activities: passed over without being read.
IGNORED = frozenset(
    {".csv", ".json", ".txt", ".md", ".html", ".jpg", ".png", ".jpeg", ".pdf", ".gif", ".mp4"}
)
# A nested zip stays in memory up to this size, then moves to a temporary file.
SPOOL_IN_MEMORY = 8 * 1024 * 1024


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


class _OverBudget(Exception):
    """The whole import has used up its budget: nothing more is read."""


@dataclass(slots=True)
class _Spent:
    """What the import has read so far, against its budget."""

    budget: ImportBudget
    bytes: int = 0
    members: int = 0
    stopped: str | None = field(default=None)

    def charge(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.budget.max_total_bytes:
            self.stopped = (
                f"refused: the import passed its budget of {_mb(self.budget.max_total_bytes)} "
                "unpacked; nothing after this was read (import the rest separately)"
            )
            raise _OverBudget

    def count(self) -> None:
        self.members += 1
        if self.members > self.budget.max_members:
            self.stopped = (
                f"refused: the import passed its budget of {self.budget.max_members:,} files "
                "and archive members; nothing after this was read"
            )
            raise _OverBudget


def _why(exc: BaseException) -> str:
    """An exception as a short reason for the report."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(text) > 80:
        # Cut at a word, and say so: "…marker was re" read as a broken message (a trial).
        text = text[:80].rsplit(" ", 1)[0] + "…"
    return text or type(exc).__name__


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _read_capped(stream: IO[bytes], cap: int, spent: _Spent) -> bytes:
    parts, total = [], 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        spent.charge(len(chunk))
        if total > cap:
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


def _ignored(name: str) -> bool:
    """Files passed over silently (an activities.csv, a readme), gzipped or not."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return PurePosixPath(lowered).suffix in IGNORED


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

Strava = dict[str, tuple[str | None, str | None]]


def _strava_index(text: str) -> Strava:
    """Filename (as in the export) -> (activity name, sport) from Strava's activities.csv."""
    index: Strava = {}
    try:
        for row in csv.DictReader(io.StringIO(text)):
            filename = (row.get("Filename") or "").strip()
            if not filename:
                continue
            kind = (row.get("Activity Type") or "").strip().lower()
            index[filename] = (
                (row.get("Activity Name") or "").strip() or None,
                STRAVA_TYPES.get(kind, kind or None),
            )
    except csv.Error:
        return index  # names are a nicety: a broken CSV leaves the files as they are
    return index


def _leaf(source: str, name: str, data: bytes, strava: Strava, spent: _Spent) -> Found:
    """One member or file: gunzip if needed, then identify it."""
    budget = spent.budget
    lookup = strava.get(name) or strava.get(PurePosixPath(name).name) or (None, None)
    if name.lower().endswith(".gz"):
        # Capped by the file limit and by the ratio a real activity file compresses at.
        cap = min(
            budget.max_file_bytes, max(budget.ratio_floor_bytes, budget.max_ratio * len(data))
        )
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = _read_capped(stream, cap, spent)
        except _TooBig:
            return Found(source, error=f"refused: inflates beyond {_mb(cap)} (gzip bomb?)")
        except _OverBudget:
            raise
        except Exception as exc:  # gzip's, zlib's and EOF errors alike
            return Found(source, error=f"corrupt gzip ({_why(exc)})")
        name = name[:-3]
    if not data:
        return Found(source, error="empty file")
    kind = _kind(name, data)
    if kind is None:
        return Found(source, error="unknown format: not FIT, GPX or TCX")
    return Found(source, kind, data, name=lookup[0], sport=lookup[1])


def _end_record(stream: IO[bytes]) -> tuple[int, int] | None:
    """What a zip's end record says: the members it holds (zip64 too), and where the archive
    it ends begins in the file (0 for a zip on its own; zipfile's "concat"); None when it
    cannot be read (zipfile then says what is wrong). Uses zipfile's own end-record reader
    (private, but unchanged since Python 2.6)."""
    try:
        record = zipfile._EndRecData(stream)  # type: ignore[attr-defined]
        if record is None:
            return None
        location = int(record[zipfile._ECD_LOCATION])  # type: ignore[attr-defined]
        directory = int(record[zipfile._ECD_SIZE]) + int(record[zipfile._ECD_OFFSET])  # type: ignore[attr-defined]
        return int(record[zipfile._ECD_ENTRIES_TOTAL]), location - directory  # type: ignore[attr-defined]
    except Exception:
        return None
    finally:
        stream.seek(0)


# How every zip member's local header begins (the first bytes of a zip file).
_LOCAL_HEADER = b"PK\x03\x04"


def _open_zip(stream: IO[bytes], source: str, spent: _Spent) -> zipfile.ZipFile | Found:
    """The archive; or a refusal when it lists more members than the budget has left, or
    when its end is cut off."""
    record = _end_record(stream)
    listed = None if record is None else record[0]
    left = spent.budget.max_members - spent.members
    if listed is not None and listed > left:
        return Found(
            source,
            error=f"refused: the archive lists {listed:,} members; the import's budget has "
            f"{max(left, 0):,} left of {spent.budget.max_members:,}",
        )
    if record is not None and record[1] > 0 and stream.read(4) == _LOCAL_HEADER:
        # A zip cut short loses its end record, and zipfile then takes the last one it finds
        # in the last 64 KB: that of a zip stored inside it, which begins after the outer
        # zip's first member. The archive read as that one alone, and the rest was lost
        # without a word (a trial's cut-off bulk export). (Bytes after an end record, or a
        # self-extractor's program before the archive, are no damage: zipfile reads those.)
        stream.seek(0)
        return Found(source, error="damaged zip: cut short (its end is missing)")
    stream.seek(0)
    return zipfile.ZipFile(stream)


def _zip(archive: zipfile.ZipFile, prefix: str, depth: int, spent: _Spent) -> Iterator[Found]:
    budget = spent.budget
    if depth > budget.max_depth:
        yield Found(prefix, error=f"refused: zips nested deeper than {budget.max_depth}")
        return
    members = [info for info in archive.infolist() if not info.is_dir()]
    strava: Strava = {}
    for info in members:
        if PurePosixPath(info.filename).name == "activities.csv":
            try:
                with archive.open(info) as stream:
                    text = _read_capped(stream, budget.max_xml_bytes, spent)
                strava = _strava_index(text.decode("utf-8-sig", "replace"))
            except _OverBudget:
                raise
            except Exception:  # names are a nicety: any damage leaves the files unnamed
                strava = {}
    for info in members:
        spent.count()
        source = f"{prefix}!{info.filename}"
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or info.filename.startswith(("/", "\\")):
            yield Found(source, error="refused: the member's path leaves the archive")
            continue
        if _ignored(info.filename):
            continue
        nested = info.filename.lower().endswith(".zip")
        # zipfile never inflates a member beyond the size it claims, so the claims bound the
        # work: a member claiming far more than its compressed size is refused unread.
        if info.file_size > budget.ratio_floor_bytes and info.file_size > budget.max_ratio * max(
            info.compress_size, 1
        ):
            yield Found(
                source,
                error=f"refused: claims {_mb(info.file_size)} unpacked from "
                f"{_mb(info.compress_size)} (zip bomb?)",
            )
            continue
        if info.file_size > budget.max_file_bytes and not nested:
            yield Found(source, error=f"refused: claims {_mb(info.file_size)} unpacked")
            continue
        try:
            if nested:
                yield from _nested(archive, info, source, depth, spent)
                continue
            with archive.open(info) as stream:
                data = _read_capped(stream, budget.max_file_bytes, spent)
        except _TooBig:
            yield Found(
                source, error=f"refused: inflates beyond {_mb(budget.max_file_bytes)} (zip bomb?)"
            )
            continue
        except _OverBudget:
            raise
        except Exception as exc:
            # Damaged data (zlib, bz2, lzma errors), a broken header, an encrypted member, an
            # unknown compression method: whatever the archive library raises, that member
            # is unreadable and the walk goes on.
            yield Found(source, error=f"unreadable archive member ({_why(exc)})")
            continue
        yield _leaf(source, info.filename, data, strava, spent)


def _nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, depth: int, spent: _Spent
) -> Iterator[Found]:
    """A zip inside a zip: unpacked once (counted against the budget), then walked."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                spent.charge(len(chunk))
                spool.write(chunk)
        spool.seek(0)
        opened = _open_zip(spool, source, spent)  # type: ignore[arg-type]
        if isinstance(opened, Found):
            yield opened
            return
        with opened as inner:
            yield from _zip(inner, source, depth + 1, spent)


def walk(paths: list[Path], budget: ImportBudget = DEFAULT_BUDGET) -> Iterator[Found]:
    """Every activity file under ``paths`` (files, folders recursively, zip archives), and a
    refusal for each path or member that is not read; after the budget runs out, one refusal
    saying so and nothing more."""
    spent = _Spent(budget)
    current = ""
    try:
        for path in paths:
            current = str(path)
            kind = _stat_kind(path)
            if kind == "dir":
                files = sorted(p for p in path.rglob("*") if not p.is_dir())
                strava: Strava = {}
                for csv_path in (p for p in files if p.name == "activities.csv"):
                    strava = _strava_index(_read_small_text(csv_path, budget, spent))
                for file in files:
                    current = str(file)
                    spent.count()
                    if _ignored(file.name):
                        continue
                    yield from _file(file, strava, str(file.relative_to(path).as_posix()), spent)
            else:
                spent.count()
                yield from _file(path, {}, path.name, spent)
    except _OverBudget:
        yield Found(current, error=spent.stopped or "refused: over the import's budget")


def _stat_kind(path: Path) -> str:
    try:
        return "dir" if stat.S_ISDIR(path.stat().st_mode) else "other"
    except OSError:
        return "other"


def _read_small_text(path: Path, budget: ImportBudget, spent: _Spent) -> str:
    try:
        with _open_regular(path) as stream:
            return _read_capped(stream, budget.max_xml_bytes, spent).decode("utf-8-sig", "replace")
    except (OSError, _TooBig, _NotRegular):
        return ""


class _NotRegular(Exception):
    pass


def _open_regular(path: Path) -> IO[bytes]:
    """The file opened for reading, if it is a regular file. Opened without blocking (a FIFO
    with no writer would wait forever) and checked on the open descriptor.

    :raises _NotRegular: a device, FIFO or socket.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _file(path: Path, strava: Strava, relative: str, spent: _Spent) -> Iterator[Found]:
    source = str(path)
    budget = spent.budget
    try:
        stream = _open_regular(path)
    except _NotRegular:
        yield Found(
            source,
            error="refused: not a regular file (a device, FIFO or socket); allowed: files, "
            "folders and zips",
        )
        return
    except FileNotFoundError:
        yield Found(source, error="no such file")
        return
    except OSError as exc:
        yield Found(source, error=f"cannot read ({exc.strerror})")
        return
    with stream:
        try:
            if zipfile.is_zipfile(stream):
                stream.seek(0)
                opened = _open_zip(stream, source, spent)
                if isinstance(opened, Found):
                    yield opened
                    return
                with opened as archive:
                    yield from _zip(archive, source, 1, spent)
                return
            stream.seek(0)
            if os.fstat(stream.fileno()).st_size > budget.max_file_bytes:
                yield Found(source, error=f"refused: larger than {_mb(budget.max_file_bytes)}")
                return
            data = _read_capped(stream, budget.max_file_bytes, spent)
        except _TooBig:
            yield Found(source, error=f"refused: larger than {_mb(budget.max_file_bytes)}")
            return
        except _OverBudget:
            raise
        except OSError as exc:
            yield Found(source, error=f"cannot read ({_why(exc)})")
            return
        except Exception as exc:  # a damaged zip, whatever zipfile raises for it
            yield Found(source, error=f"unreadable archive ({_why(exc)})")
            return
    yield _leaf(source, relative, data, strava, spent)
