"""Exports of the diary: the calendar (file and private feed), FIT workouts, the printable
plan and CSV. Each export that keeps state (the calendar's SEQUENCE numbers) does it in one
transaction with the read."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from calfcoach.errors import FieldError, InputError, NotFoundError
from calfcoach.services.context import (
    Database,
    current_plan,
    dumbbell_pairs,
    find_athlete,
    stored_profile,
)
from calfcoach.services.replan import fresh_current_plan, run_waiting_replan
from calfcoach.services.unit_of_work import SqlUnitOfWork

# The longest --weeks an export takes (a plan runs to its race and 2 recovery weeks).
MAX_WEEKS = 260


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Exported(Generic[T]):
    """An export, and the plan's first day when the export was to start this week but the plan
    starts after it: the export then starts with the plan's first week, and the shells say so
    (it did so in silence: the new user's trial)."""

    content: T
    plan_starts: date | None = None


@dataclass(frozen=True, slots=True)
class CalendarOptions:
    weeks: int | None = None  # from this week on; None: the whole plan
    at: time | None = None  # timed events starting then; None: all-day
    zone: str | None = None  # IANA time zone of ``at``


def check_zone(zone: str) -> str:
    """:raises InputError: not an IANA time zone name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            "tz",
            f"{zone!r} is not a time zone",
            "an IANA name such as Europe/Berlin, America/New_York or UTC",
        ) from None
    return zone


def local_zone() -> str:
    """This computer's time zone as an IANA name (TZ, /etc/timezone, /etc/localtime), else
    UTC."""
    import os
    from pathlib import Path

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return check_zone(name)
            except InputError:
                continue
    return "UTC"


def calendar_export(
    db: Database, athlete: str | None, options: CalendarOptions, today: date
) -> Exported[bytes]:
    """The athlete's plan as iCalendar, remembering what was exported (one transaction);
    with ``options.weeks`` before the plan starts, its first weeks (``plan_starts``).

    :raises InputError: no such athlete, no plan, or --weeks out of range.
    """
    if options.weeks is not None and not 1 <= options.weeks <= MAX_WEEKS:
        raise FieldError("weeks", f"{options.weeks} is out of range", f"1 to {MAX_WEEKS}")
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        exported = _calendar_in(uow, athlete_id, name, options, today)
        uow.commit()
    return exported


def calendar_feed(db: Database, token: str, options: CalendarOptions, today: date) -> bytes:
    """The feed behind /calendar/<token>.ics. :raises NotFoundError: unknown or revoked."""
    with db.unit_of_work() as uow:
        athlete_id = uow.calendar.athlete_of(token) if len(token) <= 64 else None
        name = None if athlete_id is None else uow.athletes.name_of(athlete_id)
        if athlete_id is None or name is None:
            raise NotFoundError("no such calendar feed (the link may have been revoked)", "token")
        exported = _calendar_in(uow, athlete_id, name, options, today)
        uow.commit()
    return exported.content


def _calendar_in(
    uow: SqlUnitOfWork,
    athlete_id: int,
    name: str,
    options: CalendarOptions,
    today: date,
) -> Exported[bytes]:
    from calfcoach.exporters.ics import EventState, calendar_bytes, event_content, reconcile
    from calfcoach.exporters.sessions import planned_sessions

    profile = stored_profile(uow, athlete_id, name, today)
    # Inside the caller's write transaction: a re-plan the plan waits for runs here.
    run_waiting_replan(uow, athlete_id, name)
    document = current_plan(uow, athlete_id, name)
    first, last = _window(document, options.weeks, today)
    from calfcoach.data import default_catalog

    catalog = default_catalog()
    pairs = dumbbell_pairs(profile)
    events = [
        event_content(name, session, profile.athlete.units, catalog, _insertional(profile), pairs)
        for session in planned_sessions(document)
        if first <= session.day <= last
    ]
    stored = [EventState(**row) for row in uow.calendar.events(athlete_id)]
    # Only events inside the exported window can be changed or cancelled by this export.
    inside = [s for s in stored if first <= s.day <= last]
    items = reconcile(events, inside)
    before = {s.uid: s for s in inside}
    changed = [state for _, state in items if before.get(state.uid) != state]
    uow.calendar.save_events(
        athlete_id,
        [
            {
                "uid": s.uid,
                "day": s.day,
                "sequence": s.sequence,
                "digest": s.digest,
                "cancelled": s.cancelled,
                "summary": s.summary,
            }
            for s in changed
        ],
    )
    body = calendar_bytes(
        items, f"calfcoach: {name}", options.at, options.zone if options.at else None
    )
    return Exported(body, None if options.weeks is None else _starts_later(document, today))


def _insertional(profile: Any) -> bool:
    """Insertional Achilles pain: the exports cue flat-floor raises, as ``today`` does."""
    from calfcoach.core.catalog import is_insertional

    return is_insertional(profile.health.condition, profile.health.achilles_type)


def plan_calendar(document: dict[str, Any], profile: Any) -> bytes:
    """A plan file's calendar (``calfcoach plan --format ics``): all-day events at SEQUENCE 0
    with the same UIDs the diary's export gives them."""
    from calfcoach.exporters.ics import calendar_bytes, event_content, reconcile
    from calfcoach.exporters.sessions import planned_sessions

    name = profile.athlete.name
    from calfcoach.data import default_catalog

    catalog = default_catalog()
    pairs = dumbbell_pairs(profile)
    events = [
        event_content(name, session, profile.athlete.units, catalog, _insertional(profile), pairs)
        for session in planned_sessions(document)
    ]
    return calendar_bytes(reconcile(events, []), f"calfcoach: {name}")


def _starts_later(document: dict[str, Any], today: date) -> date | None:
    """The plan's first day if this week holds no plan day because the plan starts later."""
    plan_first = date.fromisoformat(document["weeks"][0]["start"])
    sunday = today + timedelta(days=6 - today.weekday())
    return plan_first if plan_first > sunday else None


def _window(document: dict[str, Any], weeks: int | None, today: date) -> tuple[date, date]:
    weeks_in = document["weeks"]
    plan_first = date.fromisoformat(weeks_in[0]["start"])
    plan_last = date.fromisoformat(weeks_in[-1]["days"][-1]["date"])
    if weeks is None:
        return plan_first, plan_last
    monday = max(plan_first, today - timedelta(days=today.weekday()))
    return monday, min(plan_last, monday + timedelta(weeks=weeks) - timedelta(days=1))


def feed_token(db: Database, athlete: str | None, create: bool = False) -> str | None:
    """The athlete's calendar feed token; ``create`` makes one when there is none."""
    with db.unit_of_work() as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        token = uow.calendar.feed_token(athlete_id)
        if token is None and create:
            token = secrets.token_urlsafe(24)
            uow.calendar.add_feed(athlete_id, token)
            uow.commit()
    return token


def revoke_feed(db: Database, athlete: str | None) -> int:
    """Revoke the athlete's feed links; returns how many were live. One transaction."""
    with db.unit_of_work() as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        count = uow.calendar.revoke_feeds(athlete_id)
        uow.commit()
    return count


# ---------------------------------------------------------------------------- tables


def table_rows(db: Database, athlete: str | None, what: str) -> list[dict[str, Any]]:
    """One dict a row: ISO dates, SI units with the unit in the key (``load_kg``, ``hold_s``).

    :raises InputError: ``what`` is not sets, checkins, runs or assessments.
    """
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        if what == "sets":
            return [
                {
                    "id": e.id,
                    "date": e.day.isoformat(),
                    "exercise": e.exercise,
                    "set": e.set_number,
                    "side": e.side,
                    "reps": e.reps,
                    "load_kg": e.load_kg,
                    "rpe": e.rpe,
                    "hold_s": e.hold_s,
                }
                for e in uow.sets.all(athlete_id)
            ]
        if what == "checkins":
            return [
                {
                    "date": c.day.isoformat(),
                    "pain_during": c.pain_during,
                    "pain_next_morning": c.pain_next_morning,
                    # (Added: a coach's export held no red flag or clearance, issue 13's trial.)
                    "pain_before": c.pain_before,
                    "red_flag": c.red_flag,
                    "cleared_by_clinician": c.cleared_by_clinician,
                }
                for c in uow.checkins.all(athlete_id)
            ]
        if what == "assessments":
            return [
                {
                    "date": a.day.isoformat(),
                    "kind": a.kind,
                    "left_reps": a.left_reps,
                    "right_reps": a.right_reps,
                    "value_kg": a.value_kg,
                    "pain": a.pain,
                }
                for a in uow.assessments.all(athlete_id)
            ]
        if what == "runs":
            return [_run_row(r) for r in uow.runs.listing(athlete_id)]
    raise FieldError("what", f"{what!r} is not allowed", "sets, checkins, runs, assessments")


def _run_row(r: dict[str, Any]) -> dict[str, Any]:
    from datetime import UTC

    from calfcoach.services.importing import run_json

    row = run_json(r, r["start"] if r["start"].tzinfo else r["start"].replace(tzinfo=UTC))
    # The table's columns only: its JSON and CSV hold the same fields (a test holds them).
    return {column: row[column] for column in COLUMNS["runs"]}


COLUMNS = {
    "sets": ("id", "date", "exercise", "set", "side", "reps", "load_kg", "rpe", "hold_s"),
    "checkins": (
        "date",
        "pain_during",
        "pain_next_morning",
        "pain_before",
        "red_flag",
        "cleared_by_clinician",
    ),
    "assessments": ("date", "kind", "left_reps", "right_reps", "value_kg", "pain"),
    "runs": (
        "start",
        "utc_offset_s",
        "sport",
        "sub_sport",
        "distance_m",
        "elapsed_s",
        "moving_s",
        "ascent_m",
        "avg_hr_bpm",
        "avg_cadence_spm",
        "intervals",
        "name",
        "source",
        "sha256",
    ),
}


def table_csv(db: Database, athlete: str | None, what: str) -> str:
    """The table as CSV with a header row; an empty cell is a missing value."""
    import csv
    import io

    rows = table_rows(db, athlete, what)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[what], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def check_out(path: Any) -> None:
    """Refuse an ``--out`` file that :func:`write_file` would refuse, before an export does its
    work (the calendar's export stores what it sent; the PDF takes seconds to print).

    :raises InputError: a folder, a read-only file, or a folder that does not exist."""
    with _out_errors(path):
        _destination(Path(path))


def write_file(path: Any, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` whole: a temporary file beside it, renamed into place, so a
    failed export never leaves half a file; an existing file keeps its permissions, a new one
    gets what ``open()`` gives under the umask, and a link stays a link (the file it names
    gets the export). A read-only file is refused, not replaced.

    A device, a pipe or anything under /dev or /proc (``/dev/stdout`` is a link to
    /proc/self/fd/1, which may be a file a shell redirect opened) is written in place and
    appended to, never renamed onto: as root the rename put a regular file in place of
    ``/dev/null`` for every program on the machine (issue 13's trial), and through
    ``/dev/stdout >> app.log`` it would have replaced the log (review).

    ``private``: the file is the owner's alone (0600), new or replaced, as a backup must be:
    it holds the accounts' password hashes and calendar tokens.

    :raises InputError: cannot write there."""
    import os
    import stat

    with _out_errors(path):
        target, mode = _destination(Path(path))
        if target is None:  # a stream: written in place
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
            return
        # A new file: mode 0666 through the umask, as open() makes it (mkstemp's 0600 made
        # every new export private while `history --plot` gave 0644: the new user's trial). A
        # file replaced: private until it holds the export, then the old file's mode.
        fresh = 0o600 if private else 0o666
        handle, temporary = _new_temporary(target, fresh if mode is None else 0o600)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            if mode is not None and not private:  # a backup stays its owner's alone
                os.chmod(temporary, stat.S_IMODE(mode))
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


@contextlib.contextmanager
def _out_errors(path: Any) -> Iterator[None]:
    """An OSError while writing ``--out`` as one line naming the file."""
    target = Path(path)
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"option --out: the folder of {target} does not exist") from None
    except PermissionError:
        raise InputError(f"option --out: cannot write {target} (permission denied)") from None
    except OSError as exc:
        raise InputError(f"option --out: cannot write {target} ({exc.strerror})") from None


def _destination(target: Path) -> tuple[Path | None, int | None]:
    """The regular file an export to ``target`` renames into place (a link followed) and its
    mode (None: a new file), or (None, None) for a stream written in place.

    :raises InputError: a folder, or a read-only file.
    :raises OSError: the file's folder does not exist (FileNotFoundError), or cannot be read."""
    import os
    import stat

    if target.is_dir():
        raise InputError(f"option --out: {target} is a folder; allowed: a file name")
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if _names_a_stream(target) or (mode is not None and not stat.S_ISREG(mode)):
        return None, None
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # (a link to no file yet: that file)
    if mode is None:
        if not target.parent.is_dir():
            raise FileNotFoundError(target.parent)
    elif not mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        # Replacing the file is a rename, which needs only its folder's write permission, so
        # a read-only file was silently replaced (the new user's trial). The file's own write
        # bit decides, not os.access alone: for root, os.access says every file is writable.
        why = "the file is read-only" if not mode & stat.S_IWUSR else "permission denied"
        raise InputError(f"option --out: cannot write {target} ({why})")
    return target, mode


def _new_temporary(target: Path, mode: int) -> tuple[int, str]:
    """A new file beside ``target`` opened for writing, made with ``mode`` (the umask
    applies), and its path. (tempfile.mkstemp makes every file 0600.)"""
    import os

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = str(target.parent / f".{target.name}.{secrets.token_hex(4)}")
        try:
            return os.open(temporary, flags, mode), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def _names_a_stream(path: Any) -> bool:
    """Whether ``path``, or a link on the way from it, is under /dev or /proc."""
    import os
    from pathlib import Path

    current = Path(os.path.abspath(path))
    for _ in range(40):  # (the kernel's own limit on links followed)
        if str(current).startswith(("/dev/", "/proc/")):
            return True
        if not current.is_symlink():
            return False
        current = Path(os.path.abspath(current.parent / os.readlink(current)))
    return False


# ---------------------------------------------------------------------------- FIT workouts


def fit_workouts(
    db: Database,
    athlete: str | None,
    folder: Any,
    week: int | None,
    day: date | None,
    today: date,
) -> Exported[list[Path]]:
    """One FIT workout file per strength session of plan week ``week`` (default: this week,
    or the first while the plan has not started, its first day then in ``plan_starts``), or
    of ``day``, written into ``folder`` (made if the folder it is in exists). Returns the
    files' paths; a read-only one is refused before any is written.

    :raises InputError: no such week, no strength session then, the plan has ended (without
        ``week`` or ``day``), or the folder or a file is unwritable.
    """
    from datetime import UTC, datetime

    from calfcoach.exporters.fit_workout import workout_file
    from calfcoach.exporters.sessions import planned_sessions

    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, today)
        document = fresh_current_plan(db, uow, athlete_id, name)
    units, insertional = profile.athlete.units, _insertional(profile)
    count = len(document["weeks"])
    if week is not None and not 1 <= week <= count:
        raise FieldError("week", f"{week} is out of range", f"1 to {count}")
    plan_starts = None
    if day is None and week is None:
        monday = (today - timedelta(days=today.weekday())).isoformat()
        week = next((w["index"] for w in document["weeks"] if w["start"] == monday), None)
        if week is None:
            # Before the plan: its first week, the one the runner trains next (and said so).
            # After it: nothing (week 1's sessions, months past, were written).
            plan_starts = _starts_later(document, today)
            if plan_starts is None:
                last = document["weeks"][-1]["days"][-1]["date"]
                raise InputError(
                    f"this week holds no plan day (the plan ended on {last}); "
                    f"allowed: --week 1 to {count}, or --date"
                )
            week = 1
    sessions = [
        s
        for s in planned_sessions(document)
        if s.kind == "strength" and (s.day == day if day is not None else s.week == week)
    ]
    if not sessions:
        when = f"on {day}" if day is not None else f"in week {week}"
        raise InputError(f"no strength session {when}; allowed: a day or week with one")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise InputError(f"option --out: {target} is a file; allowed: a folder for fit")
    paths = [target / f"calves-{s.day.isoformat()}-{s.number}.fit" for s in sessions]
    with _out_errors(target):
        # The folder itself is made, as a file would be; a missing folder above it is refused,
        # as every other format refuses one (it was made, parents and all: the new user's trial).
        target.mkdir(exist_ok=True)
    for path in paths:
        check_out(path)  # (every file checked before the first is written)
    from calfcoach.data import default_catalog

    catalog = default_catalog()
    created = datetime.now(UTC).replace(microsecond=0)
    for n, (session, path) in enumerate(zip(sessions, paths, strict=True)):
        write_file(
            path,
            workout_file(session, units, catalog, created, serial=n + 1, insertional=insertional),
        )
    return Exported(paths, plan_starts)


# ---------------------------------------------------------------------------- to print


def printable_html(
    db: Database, athlete: str | None, weeks: int | None, today: date
) -> Exported[str]:
    """The plan as one HTML document to print: a cover with the phase calendar, then a page
    a week with every session's exercises, loads, tempo, rest, cues and a box for each set.
    A4 for metric profiles, Letter for imperial ones. With ``weeks`` before the plan starts,
    its first weeks (``plan_starts``)."""
    from calfcoach.core.units import format_mass
    from calfcoach.exporters.printable import render

    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise FieldError("weeks", f"{weeks} is out of range", f"1 to {MAX_WEEKS}")
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, today)
        document = fresh_current_plan(db, uow, athlete_id, name)
    first, last = _window(document, weeks, today)
    shown = [w for w in document["weeks"] if first <= date.fromisoformat(w["start"]) <= last]
    indexes = {w["index"] for w in shown}
    html = render(
        athlete=name,
        body_mass=format_mass(profile.athlete.body_mass_kg, profile.athlete.units),
        units=profile.athlete.units,
        weeks=shown,
        race=document.get("race"),
        warnings=[w for w in document.get("warnings", []) if w.get("week") in indexes],
        insertional=_insertional(profile),
        pairs=dumbbell_pairs(profile),
    )
    return Exported(html, None if weeks is None else _starts_later(document, today))


def write_pdf(html: str, out: Any) -> None:
    """Print the printable HTML to a PDF file (headless Chromium; nothing is fetched while
    rendering). :raises InputError: no Chromium/Chrome here, or the file cannot be written."""
    from calfcoach.exporters.printable import pdf_bytes

    write_file(out, pdf_bytes(html))
