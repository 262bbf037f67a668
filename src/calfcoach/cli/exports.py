"""Out of the diary and back: ``export`` (backup, tables, calendar, FIT, print) and ``restore``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from calfcoach.cli.options import (
    AthleteOption,
    DbOption,
    check_choice,
    format_option,
    open_database,
    parse_date,
    today_date,
)
from calfcoach.cli.output import json_text, write_bytes, write_text
from calfcoach.errors import InputError

ExportFormat = format_option("json", "csv", "ics", "fit", "html", "pdf")
EXPORT_WHAT = ("sets", "checkins", "runs", "assessments")


def export(
    fmt: ExportFormat = "json",
    what: Annotated[
        str | None,
        typer.Option(
            help="csv/json: sets, checkins, runs or assessments (json without it: the backup, "
            "of --athlete only when given)."
        ),
    ] = None,
    weeks: Annotated[
        int | None, typer.Option(help="ics, html, pdf: this many weeks from this one.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--time", help="ics: timed events at HH:MM (else all-day).")
    ] = None,
    tz: Annotated[
        str | None, typer.Option(help="ics with --time: IANA time zone. Default: this computer's.")
    ] = None,
    week: Annotated[
        int | None, typer.Option(help="fit: the plan week (default: this one).")
    ] = None,
    date_: Annotated[str | None, typer.Option("--date", help="fit: one day, YYYY-MM-DD.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="File to write (a folder for fit). Default: standard output."),
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
) -> None:
    """Export the diary: a JSON backup, CSV tables, the calendar, FIT workouts or the plan to print.

    Example: calfcoach export --format ics --time 18:30 --out calves.ics
    """
    from calfcoach.services import exporting

    if what is not None:
        check_choice("--what", what, EXPORT_WHAT)
    if fmt == "csv" and what is None:
        raise InputError(
            f"option --what is needed with --format csv; allowed: {', '.join(EXPORT_WHAT)}"
        )
    if fmt == "fit" and out is None:
        raise InputError("option --out is needed with --format fit; allowed: a folder to write to")
    if fmt == "pdf" and out is None:
        raise InputError("option --out is needed with --format pdf; allowed: a FILE.pdf")
    if out is not None and fmt != "fit":
        # Before the work: a refused file must not follow a calendar export that stored what
        # it sent, or a PDF that took seconds to print.
        exporting.check_out(out)
    database = open_database(db)
    today = today_date()
    if fmt == "json":
        if what is None:
            from calfcoach.services.backup import export_backup

            # --athlete: that athlete's backup only (a coach sending Sam's file must not send
            # every athlete's diary and the club's accounts with it).
            # Private: the backup holds password hashes and calendar tokens.
            write_text(out, json_text(export_backup(database, athlete)), private=True)
            _written(out, "the backup" if athlete is None else f"the backup of {athlete}")
        else:
            write_text(out, json_text(exporting.table_rows(database, athlete, what)))
            _written(out, f"the {what}")
    elif fmt == "csv":
        write_text(out, exporting.table_csv(database, athlete, what or ""))
        _written(out, f"the {what}")
    elif fmt == "ics":
        clock = _parse_time(at)
        zone = exporting.check_zone(tz) if tz else (exporting.local_zone() if clock else None)
        options = exporting.CalendarOptions(weeks, clock, zone)
        exported = exporting.calendar_export(database, athlete, options, today)
        calendar = exported.content
        write_bytes(out, calendar)
        _plan_starts(exported.plan_starts)
        sessions = calendar.count(b"BEGIN:VEVENT")
        if sessions == 0:
            # An empty calendar is a valid file: say why it holds nothing.
            sys.stderr.write(
                "calfcoach: note: no calf sessions in the weeks exported (the plan's weeks "
                "from this one on); the calendar is empty\n"
            )
        else:
            _written(out, f"{sessions} calf session{'s' if sessions != 1 else ''}")
    elif fmt == "fit":
        assert out is not None
        fit = exporting.fit_workouts(
            database, athlete, out, week, parse_date("--date", date_), today
        )
        written = fit.content
        _plan_starts(fit.plan_starts)
        files = f"{len(written)} workout file{'' if len(written) == 1 else 's'}"
        sys.stderr.write(f"calfcoach: note: {files} written to {out}\n")
    else:
        printable = exporting.printable_html(database, athlete, weeks, today)
        if fmt == "html":
            write_text(out, printable.content)
            _plan_starts(printable.plan_starts)
            _written(out, "the plan to print")
        else:
            assert out is not None
            exporting.write_pdf(printable.content, out)
            _plan_starts(printable.plan_starts)
            sys.stderr.write(f"calfcoach: note: the plan to print is in {out}\n")


def _written(out: Path | None, what: str) -> None:
    """Say where a file went (on stderr: standard output may be the file itself); nothing
    when it went to standard output. Only the FIT and PDF exports said so before."""
    if out is not None:
        sys.stderr.write(f"calfcoach: note: {what} written to {out}\n")


def _plan_starts(first: date | None) -> None:
    """Say that an export meant to start this week starts with the plan's first week (one
    line; it was silent: the new user's trial)."""
    if first is not None:
        sys.stderr.write(
            f"calfcoach: note: the plan starts on {first}, after this week; "
            "the export starts with its first week\n"
        )


def _parse_time(value: str | None):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    from datetime import time

    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"option --time: {value!r} is not a time; allowed: HH:MM, e.g. 18:30"
        ) from None


def restore(
    backup_file: Annotated[Path, typer.Argument(metavar="BACKUP.json", help="A backup file.")],
    db: DbOption = None,
) -> None:
    """Load a backup written by `calfcoach export` into an empty database.

    Example: calfcoach restore backup.json --db new.sqlite
    """
    from calfcoach.services.backup import restore_backup
    from calfcoach.services.files import read_json

    document = read_json(backup_file, "backup", "calfcoach export --format json")
    # (Opened once the backup is read whole: a refused one leaves no new database behind.)
    counts = restore_backup(
        lambda: open_database(db, creates=True), document, str(backup_file), today=today_date()
    )
    sys.stdout.write("Restored " + ", ".join(_count(n, what) for what, n in counts.items()) + ".\n")


def _count(n: int, plural: str) -> str:
    """``1 athlete``, ``2 athletes``, ``1 import batch`` (the plural names of restore's rows)."""
    if n != 1:
        return f"{n} {plural}"
    return f"1 {plural[:-2] if plural.endswith('ches') else plural[:-1]}"
