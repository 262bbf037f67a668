"""Import watch history: every file in its own transaction, recorded in a batch that `import
--undo` removes whole. Never twice: the same file (by SHA-256) or the same activity from two
sources (same sport, start within 2 minutes, distance within 2 %) is stored once."""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from calfcoach.core.activity import Activity
from calfcoach.core.limits import HISTORY_WEEKS
from calfcoach.errors import FieldError, InputError
from calfcoach.importers import Rejected
from calfcoach.importers.budget import DEFAULT_BUDGET, ImportBudget
from calfcoach.importers.bulk import Found, walk
from calfcoach.importers.sanity import check_activity
from calfcoach.services.context import Database, find_athlete, stored_profile
from calfcoach.services.unit_of_work import UnitOfWork

SAME_START_SECONDS = 120
SAME_DISTANCE_SHARE = 0.02


@dataclass
class ImportReport:
    dry_run: bool
    batch: int | None = None
    files: int = 0
    added: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    by_sport: Counter[str] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all went in; 1 some were skipped; 2 nothing could be read at all."""
        if not self.failures:
            return 0
        return 2 if not self.added and not self.duplicates else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "batch": self.batch,
            "files": self.files,
            "added": self.added,
            "duplicates": self.duplicates,
            "failed": [{"file": f, "reason": r} for f, r in self.failures],
            # What was said about files that went in (recovered from damage, device time).
            "notes": [{"file": f, "note": n} for f, n in self.notes],
            "by_sport": dict(sorted(self.by_sport.items())),
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
        }


def parse(found: Found, now: datetime | None = None) -> Activity:
    """The activity in a found file, its numbers and dates checked against sane bounds.

    :raises Rejected: the reader's reason, or the field out of bounds.
    """
    from calfcoach.importers.fit import read_fit
    from calfcoach.importers.gpx import read_gpx
    from calfcoach.importers.tcx import read_tcx

    readers = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}
    if found.data is None or found.kind not in readers:
        raise Rejected(found.error or "unknown format")
    activity = readers[found.kind](found.data)
    if found.name and not activity.name:
        activity = replace(activity, name=found.name)
    if found.sport and activity.sport in ("unknown", "other"):
        # Strava's activities.csv names the sport the file itself does not.
        activity = replace(activity, sport=found.sport)
    return check_activity(activity, now or datetime.now(UTC))


def same_activity(a: Activity, b: Activity) -> bool:
    if a.sport != b.sport or abs((a.start - b.start).total_seconds()) > SAME_START_SECONDS:
        return False
    if a.distance_m is None or b.distance_m is None:
        return a.distance_m == b.distance_m
    larger = max(a.distance_m, b.distance_m)
    return larger == 0 or abs(a.distance_m - b.distance_m) / larger <= SAME_DISTANCE_SHARE


def import_paths(
    db: Database,
    athlete: str | None,
    paths: list[Path],
    dry_run: bool,
    progress: Callable[[ImportReport, str], None] | None = None,
    budget: ImportBudget = DEFAULT_BUDGET,
    today: date | None = None,
) -> ImportReport:
    """Import every activity under ``paths``. Each file is one transaction (its run and the
    batch's counters together), so a killed import keeps what it finished, its batch row
    counts exactly that, and a rerun adds only the rest. A file that fails, whatever the
    reason, is reported and the import goes on.

    ``today``: runs added leave the plan's weeks after it waiting for a re-plan (services.replan),
    which the next read runs: the running week and a jump in running load are read from the
    runs (DESIGN.md lists "import" among what changes a plan). A coach's trial found the plan
    unchanged by an import until the next check-in. None (a caller with no day): no re-plan.

    :raises InputError: no such athlete, or a path that does not exist.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"{missing[0]}: no such file or folder")
    report = ImportReport(dry_run)
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        if not dry_run:
            report.batch = uow.runs.new_batch(athlete_id, "\n".join(str(p) for p in paths))
            uow.commit()
    seen_sha: set[str] = set()
    seen: list[Activity] = []
    parse_file = functools.partial(
        _parse_one, now=datetime.now(UTC), max_seconds=budget.max_parse_seconds
    )
    for found, parsed in _parsed(walk(paths, budget), parse_file):
        report.files += 1
        _one(db, athlete_id, found, parsed, report, seen_sha, seen)
        if progress is not None:
            progress(report, found.source)
    if report.batch is not None:
        with db.unit_of_work() as uow:
            uow.runs.finish_batch(report.batch, report.files, report.added, len(report.failures))
            if not report.added:
                uow.runs.delete_batch_if_empty(report.batch)
                report.batch = None
            elif today is not None:
                _replan_waits(uow, athlete_id, name, today)
            uow.commit()
    return report


def _replan_waits(uow: UnitOfWork, athlete_id: int, name: str, today: date) -> None:
    """The plan's weeks after ``today`` wait for a re-plan from the runs now stored (one
    waiting from another day runs first, on what it would have seen then)."""
    from calfcoach.services.replan import defer_replan, settle_before_write

    settle_before_write(uow, athlete_id, name, today)
    defer_replan(uow, athlete_id, name, today)


# Parsing runs in worker processes (both cores) once an import holds this many files; smaller
# imports stay in one process, where starting workers would cost more than it saves. A batch
# holds at most BATCH_FILES files or BATCH_BYTES bytes, which bounds memory.
PARALLEL_AFTER = 64
BATCH_FILES = 64
BATCH_BYTES = 32 * 1024 * 1024

Parsed = tuple[str | None, Activity | str]  # (sha256, activity or the reason it was rejected)


class _TimedOut(BaseException):
    """A file's parse ran past its time limit. A BaseException, so that no reader's
    ``except Exception`` (garmin-fit-sdk collects those as decode errors) swallows it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimedOut after ``seconds`` of CPU time spent parsing (CPU, not wall-clock, so a
    busy machine does not refuse good files), where a timer signal can be used: the main
    thread of a process (the CLI and each worker). Elsewhere the size limits bound it."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _parse_one(found: Found, now: datetime | None = None, max_seconds: float = 20.0) -> Parsed:
    """The file's hash and activity, or why it failed: never raises, so one file never stops
    the import (issue 14). Any exception a reader lets out is a bug there, but for the import
    it is that file's failure."""
    if found.error is not None or found.data is None:
        return None, found.error or "unreadable"
    sha = hashlib.sha256(found.data).hexdigest()
    try:
        with _time_limit(max_seconds):
            return sha, parse(found, now)
    except Rejected as exc:
        return sha, str(exc)
    except _TimedOut:
        return sha, f"refused: reading it took longer than {max_seconds:g} s"
    except MemoryError:
        return sha, "refused: reading it needed more memory than there is"
    except Exception as exc:  # a reader's bug must not stop the batch
        text = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else ""
        return sha, f"cannot be read ({type(exc).__name__}: {text})"


def _batches(found: Iterator[Found]) -> Iterator[list[Found]]:
    batch: list[Found] = []
    size = 0
    for item in found:
        batch.append(item)
        size += len(item.data or b"")
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _parsed(
    found: Iterator[Found], parse_file: Callable[[Found], Parsed] = _parse_one
) -> Iterator[tuple[Found, Parsed]]:
    """Each found file with its parse, in order; in worker processes for large imports."""
    workers = min(2, os.cpu_count() or 1)
    pool: ProcessPoolExecutor | None = None
    done = 0
    try:
        for batch in _batches(found):
            if pool is None and done >= PARALLEL_AFTER and workers > 1:
                pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            if pool is None:
                results: Iterable[Parsed] = map(parse_file, batch)
            else:
                # The reader's bytes go to the workers; the summaries come back in order.
                results = pool.map(parse_file, batch, chunksize=8)
            yield from zip(batch, results, strict=True)
            done += len(batch)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _one(
    db: Database,
    athlete_id: int,
    found: Found,
    parsed: Parsed,
    report: ImportReport,
    seen_sha: set[str],
    seen: list[Activity],
) -> None:
    sha, result = parsed
    if sha is None or isinstance(result, str):
        report.failures.append((found.source, result if isinstance(result, str) else "unreadable"))
        _count(db, report)
        return
    activity = result
    for note in activity.notes:
        report.notes.append((found.source, note))
    if sha in seen_sha or any(same_activity(activity, other) for other in seen):
        report.duplicates += 1
        _count(db, report)
        return
    seen_sha.add(sha)
    seen.append(activity)
    with db.unit_of_work() as uow:
        uow.runs.lock_athlete(athlete_id)  # concurrent imports check and store in turn
        if uow.runs.has_sha(athlete_id, sha) or any(
            same_activity(activity, stored)
            for stored in uow.runs.near(athlete_id, activity.start, SAME_START_SECONDS)
        ):
            report.duplicates += 1
            if report.batch is not None:
                uow.runs.finish_batch(
                    report.batch, report.files, report.added, len(report.failures)
                )
                uow.commit()
            return
        if report.batch is not None:
            if uow.runs.add(athlete_id, report.batch, activity, found.source, sha) is None:
                report.duplicates += 1  # the database's unique constraints caught it
                uow.runs.finish_batch(
                    report.batch, report.files, report.added, len(report.failures)
                )
                uow.commit()
                return
            # The batch's counters in the run's own transaction: right even after a kill.
            uow.runs.finish_batch(
                report.batch, report.files, report.added + 1, len(report.failures)
            )
            uow.commit()
    report.added += 1
    report.by_sport[activity.sport] += 1
    report.first = activity.start if report.first is None else min(report.first, activity.start)
    report.last = activity.start if report.last is None else max(report.last, activity.start)


def _count(db: Database, report: ImportReport) -> None:
    """The batch's counters after a file that added nothing (failed or a duplicate)."""
    if report.batch is None:
        return
    with db.unit_of_work() as uow:
        uow.runs.finish_batch(report.batch, report.files, report.added, len(report.failures))
        uow.commit()


# What `import --undo` takes: the command prints each import's batch number ("added 12
# (batch 3)"; "batch" in --format json), and nothing else lists them.
UNDO_ALLOWED = (
    'a batch number as `calfcoach import` printed it ("added 12 (batch 3)"), or none to '
    "undo the last import"
)


def undo_import(
    db: Database, athlete: str | None, batch: int | None, today: date | None = None
) -> tuple[int, int]:
    """Remove what one import batch added (default: the latest). One transaction; with
    ``today``, the plan waits for a re-plan from the runs left (as :func:`import_paths`).

    :raises InputError: no such batch.
    """
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        batch_id = batch if batch is not None else uow.runs.last_batch(athlete_id)
        if batch_id is None:
            raise InputError(f"no import batch to undo for {name}")
        removed = uow.runs.undo(athlete_id, batch_id)
        if removed is None:
            raise FieldError("undo", f"no import batch {batch_id} for {name}", UNDO_ALLOWED)
        if removed and today is not None:
            _replan_waits(uow, athlete_id, name, today)
        uow.commit()
    return batch_id, removed


@dataclass(frozen=True, slots=True)
class RunsView:
    runs: list[dict[str, Any]]
    weeks: list[dict[str, Any]]
    # Only the last ``weeks_asked`` weeks were listed (None: all); when they held none,
    # ``latest`` is when the latest stored activity started (None: nothing is stored).
    weeks_asked: int | None = None
    latest: datetime | None = None
    units: str = "metric"  # the athlete's: the table's distances in km or miles (not the JSON)

    def to_json(self) -> dict[str, Any]:
        return {"runs": self.runs, "weeks": self.weeks}


# The fields of a run in `calfcoach runs --format json` (DESIGN.md; tests hold them exactly),
# as `export --what runs` keeps its table's columns: each a cut of the one run_json.
RUNS_COLUMNS = (
    "id",
    "start",
    "sport",
    "sub_sport",
    "distance_m",
    "elapsed_s",
    "moving_s",
    "ascent_m",
    "avg_hr",
    "avg_cadence",
    "intervals",
    "recovered",
    "source",
    "sha256",
    # Added to the contract: the activity's name from the file, and the offset of its local
    # time from UTC in seconds (null when the file does not say), which `runs` uses to put a
    # run in its local week (a trial asked which run was which, and on what local day).
    "name",
    "utc_offset_s",
)


def run_json(row: dict[str, Any], start: datetime) -> dict[str, Any]:
    """A stored activity as JSON, the one shape of `calfcoach runs` and `export --what runs`
    (issue 13), each of which shows its own columns of it (both are pinned exactly): the heart
    rate and cadence under both names, ``avg_hr``/``avg_cadence`` (runs) and
    ``avg_hr_bpm``/``avg_cadence_spm`` (export).

    :param start: the row's start, made time-zone aware (the database may hand it back naive).
    """
    return {
        "id": row["id"],
        "start": start.isoformat(),
        "utc_offset_s": row["utc_offset_s"],
        "sport": row["sport"],
        "sub_sport": row["sub_sport"],
        "distance_m": row["distance_m"],
        "elapsed_s": row["elapsed_s"],
        "moving_s": row["moving_s"],
        "ascent_m": row["ascent_m"],
        "avg_hr": row["avg_hr"],
        "avg_hr_bpm": row["avg_hr"],
        "avg_cadence": row["avg_cadence"],
        "avg_cadence_spm": row["avg_cadence"],
        "intervals": bool(row["intervals"]),
        "recovered": bool(row["recovered"]),
        "name": row["name"],
        "source": row["source"],
        "sha256": row["sha256"],
    }


def list_runs(db: Database, athlete: str | None, weeks: int | None, now: datetime) -> RunsView:
    """Stored activities (all sports) and weekly running totals, newest weeks last.

    Weekly totals and hard sessions come from core.running_load, the test the planner uses,
    judged against the runs in the listing (weeks by the runs' local dates).
    """
    from calfcoach.core.running_load import (  # the planner's; not at start
        local_week,
        weekly_running_totals,
    )

    if weeks is not None and not HISTORY_WEEKS.low <= weeks <= HISTORY_WEEKS.high:
        raise FieldError("weeks", f"{weeks} is out of range", HISTORY_WEEKS.allowed())
    # The last N weeks are whole weeks, Monday to Sunday, this one the last: N × 7 days back
    # from now began mid-week, and the first week's total counted only its last days (a
    # trial's "32 km, 3 runs" for a week of 48 km and 5). Asked from a day earlier: a run on a
    # Monday morning east of Greenwich started on the Sunday in UTC.
    first_monday = None
    since = None
    if weeks is not None:
        this_monday = now.date() - timedelta(days=now.date().weekday())
        first_monday = this_monday - timedelta(weeks=weeks - 1)
        since = datetime.combine(first_monday - timedelta(days=1), datetime.min.time(), UTC)
    activities: list[Activity] = []
    runs_out = []
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        units = stored_profile(uow, athlete_id, name, now.date()).athlete.units
        for r in uow.runs.listing(athlete_id, since):
            start = r["start"] if r["start"].tzinfo else r["start"].replace(tzinfo=now.tzinfo)
            activity = _activity_of(r, start)
            if first_monday is not None and local_week(activity) < first_monday:
                continue
            activities.append(activity)
            row = run_json(r, start)
            runs_out.append({column: row[column] for column in RUNS_COLUMNS})
        # An empty window is not an empty store (issue 13): say when the latest one was.
        latest = uow.runs.latest_start(athlete_id) if since is not None and not activities else None
    totals = [
        {
            "start": week.start.isoformat(),
            "km": week.km,
            "runs": week.runs,
            "long_run_km": week.long_run_km,
            "hard_sessions": week.hard_sessions,
            "time_s": week.time_s,
        }
        for week in weekly_running_totals(activities)
    ]
    return RunsView(runs_out, totals, weeks, latest, units)


def _activity_of(r: Any, start: datetime) -> Activity:
    """A stored run's row as the core's Activity (``start``: made time-zone aware)."""
    return Activity(
        start=start,
        sport=r["sport"],
        sub_sport=r["sub_sport"],
        distance_m=r["distance_m"],
        elapsed_s=r["elapsed_s"],
        moving_s=r["moving_s"],
        ascent_m=r["ascent_m"],
        avg_hr=r["avg_hr"],
        avg_cadence=r["avg_cadence"],
        utc_offset_s=r["utc_offset_s"],
        intervals=bool(r["intervals"]),
    )
