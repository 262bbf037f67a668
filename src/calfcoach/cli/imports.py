"""Running history in: ``import`` (watch files, folders, export zips) and ``runs``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from calfcoach.cli.options import (
    AthleteOption,
    DbOption,
    TableOrJson,
    TextOrJson,
    open_database,
    today_date,
)
from calfcoach.cli.output import print_json
from calfcoach.errors import FieldError, InputError


def import_(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH...",
            help="Files (.fit .gpx .tcx, gzipped too), folders, or export zips; with --undo, "
            "the batch number (default: the last).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would come in; write nothing.")
    ] = False,
    undo: Annotated[
        bool, typer.Option("--undo", help="Remove everything one import batch added.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """Import running history from watch files, folders and Garmin/Strava export zips.

    Exit 0 when every file went in, 1 when some were skipped, 2 when none could be read.

    Example: calfcoach import ~/Downloads/export_12345.zip --dry-run
    """
    from calfcoach.services import importing

    database = open_database(db)
    if undo:
        batch = None
        if paths:
            if len(paths) > 1 or not paths[0].isdigit():
                given = " ".join(paths)
                raise FieldError("undo", f"{given!r} is not a batch number", importing.UNDO_ALLOWED)
            batch = int(paths[0])
        batch_id, removed = importing.undo_import(database, athlete, batch, today_date())
        sys.stdout.write(f"Undid import batch {batch_id}: removed {removed} activities.\n")
        return
    if not paths:
        raise InputError("import needs at least one PATH (a file, a folder or a zip)")
    show = not quiet and sys.stderr.isatty()
    report = _run_import(importing, database, athlete, [Path(p) for p in paths], dry_run, show)
    if fmt == "json":
        print_json(report.to_json())
    else:
        _print_import(report)
    if report.exit_code == 2:
        # The report above says it all, but on stdout: the one line of every other refusal
        # goes to stderr too, where a script or a person reading errors looks (exit 2).
        raise InputError(_nothing_imported(report))
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _nothing_imported(report) -> str:  # type: ignore[no-untyped-def]
    """The one line of an import that stored nothing and skipped every file: the first file
    skipped and why (the report lists every one)."""
    source, reason = report.failures[0]
    allowed = (
        "allowed: .fit, .gpx or .tcx files (gzipped too), folders of them, or Garmin and "
        "Strava export zips"
    )
    if len(report.failures) == 1:
        return f"nothing imported: {source}: {reason}; {allowed}"
    return (
        f"nothing imported: the {len(report.failures)} files were all skipped (the first, "
        f"{source}: {reason}; the report lists each); {allowed}"
    )


def _run_import(importing, database, athlete, paths, dry_run, show):  # type: ignore[no-untyped-def]
    if not show:
        return importing.import_paths(database, athlete, paths, dry_run, today=today_date())
    import time

    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    started = time.perf_counter()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting…")

        def update(report, source):  # type: ignore[no-untyped-def]
            rate = report.files / max(time.perf_counter() - started, 1e-6)
            bar.update(
                task,
                description=f"{report.files} files · {report.added} runs · "
                f"{_plural(report.duplicates, 'duplicate')} · {len(report.failures)} failed · "
                f"{rate:.0f} files/s",
            )

        return importing.import_paths(database, athlete, paths, dry_run, update, today=today_date())


def _plural(n: int, word: str) -> str:
    """``1 duplicate``, ``3 duplicates``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _print_import(report) -> None:  # type: ignore[no-untyped-def]
    verb = "would add" if report.dry_run else "added"
    sports = ", ".join(f"{n} {sport}" for sport, n in sorted(report.by_sport.items()))
    span = ""
    if report.first is not None and report.last is not None:
        span = f", {report.first.date()} to {report.last.date()}"
    batch = f" (batch {report.batch})" if report.batch is not None else ""
    sys.stdout.write(
        f"{report.files} file{'' if report.files == 1 else 's'}: {verb} {report.added}{batch}"
        + (f" ({sports}{span})" if sports else "")
        + f", {_plural(report.duplicates, 'duplicate')}, "
        + f"{len(report.failures)} skipped.\n"
    )
    for source, reason in report.failures:
        sys.stdout.write(f"skipped {source}: {reason}\n")
    for source, note in report.notes:
        sys.stdout.write(f"note {source}: {note}\n")


def runs(
    weeks: Annotated[
        int | None, typer.Option(help="Only the last N weeks, Monday to Sunday, this one the last.")
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TableOrJson = "table",
) -> None:
    """Imported activities and weekly running totals (km, time, long run, runs, hard sessions).

    Example: calfcoach runs --weeks 8
    """
    from datetime import UTC, datetime

    from calfcoach.services.importing import list_runs

    now = datetime.combine(today_date(), datetime.max.time(), tzinfo=UTC)
    view = list_runs(open_database(db), athlete, weeks, now)
    if fmt == "json":
        print_json(view.to_json())
        return
    from calfcoach.cli.presenters import render_runs

    render_runs(view)
