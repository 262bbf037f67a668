"""The ``calfcoach`` command line: parse, call a service, render.

Imports of the heavier parts (Rich, pydantic models, the planner) happen inside the commands
that need them, so ``calfcoach plan --format json`` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from calfcoach import cli_club, cli_users
from calfcoach.errors import CalfcoachError, FieldError, InputError
from calfcoach.runtime import tune_collector

if TYPE_CHECKING:
    from calfcoach.services.context import Database

app = typer.Typer(
    name="calfcoach",
    help="Calf-strength coaching for runners: loaded, periodized plans checked against "
    "named coaching rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PLAN_FORMATS = ("table", "json")
CHECK_FORMATS = ("text", "json")
CATALOG_FORMATS = ("table", "json")

ProfileOption = Annotated[
    Path, typer.Option("--profile", "-p", help="Profile TOML file (see examples/profile.toml).")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLite file or postgresql+psycopg://… URL. Default: CALFCOACH_DB, "
        "else calfcoach.sqlite in your user data folder.",
    ),
]
AthleteOption = Annotated[
    str | None, typer.Option("--athlete", help="Athlete name (default: the only one).")
]
DateOption = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD. Default: today.")]


def _today() -> date:
    """Today, or CALFCOACH_TODAY (YYYY-MM-DD) so tests and demos are reproducible."""
    fixed = os.environ.get("CALFCOACH_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise InputError(
                f"environment CALFCOACH_TODAY={fixed!r} is not a date; allowed: YYYY-MM-DD"
            ) from None
    return date.today()


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InputError(
            f"option {option}: {value!r} is not allowed; allowed: {', '.join(allowed)}"
        )
    return value


def _parse_date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    from calfcoach.core.limits import DAYS_ALLOWED, FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"option {option}: {value!r} is not a date; allowed: YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(f"option {option}: {day} is out of range; allowed: {DAYS_ALLOWED}")
    return day


# The command line's words for the input fields of core.inputs and the services: the one
# table that turns a FieldError's neutral name (load_kg) into the option a user typed.
OPTION_NAMES = {
    "athlete": "option --athlete",
    "date": "option --date",
    "start": "option --start",
    "weeks": "option --weeks",
    "sets": "option --sets",
    "reps": "option --reps",
    "load_kg": "option --load",
    "rpe": "option --rpe",
    "side": "option --side",
    "hold_s": "option --hold",
    "set_id": "set id",
    "edit": "option --edit",
    "delete": "option --delete",
    "pain_during": "option --pain-during",
    "pain_next_morning": "option --pain-next-morning",
    "pain_before": "option --pain-before",
    "red_flag": "option --red-flag",
    "pain": "option --pain",
    "left": "option --left",
    "right": "option --right",
    "value_kg": "1RM (kg)",
    "variation": "option --variation",
    "equipment": "option --equipment",
    "tz": "option --tz",
    "what": "option --what",
    "week": "option --week",
    "undo": "option --undo",
}


def _worded(exc: CalfcoachError) -> str:
    """The one line for an error: a FieldError with this command line's name for its field."""
    if isinstance(exc, FieldError) and exc.field is not None:
        return exc.worded(OPTION_NAMES.get(exc.field, exc.field))
    return str(exc)


def _print_json(data: object) -> None:
    """JSON on stdout. Pretty for a person at a terminal; compact (the C encoder, several
    times faster on a year-long plan) when a program or a file receives it."""
    import json

    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, indent=indent, ensure_ascii=False))
    sys.stdout.write("\n")


@app.command()
def plan(
    profile: ProfileOption,
    start: Annotated[
        str | None,
        typer.Option(help="First day, YYYY-MM-DD (moved to its Monday). Default: next Monday."),
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option(help="Number of weeks. Default: to the race and 2 recovery weeks, or 12."),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="table, json or ics.")
    ] = "table",
) -> None:
    """Build a periodized calf plan for a profile.

    Example: calfcoach plan --profile examples/profile.toml --format json > plan.json
    """
    from calfcoach.services.planning import make_plan

    fmt = _choice("--format", output_format, (*PLAN_FORMATS, "ics"))
    result = make_plan(profile, _parse_date("--start", start), weeks, _today())
    for note in result.notes:
        sys.stderr.write(f"calfcoach: note: {note}\n")
    if fmt in ("json", "ics"):
        from calfcoach.core.plan import plan_to_dict

        document = plan_to_dict(result.plan)
        if fmt == "ics":
            from calfcoach.services.exporting import plan_calendar

            _write_bytes(None, plan_calendar(document, result.profile))
            return
        _print_json(document)
        return
    from calfcoach.presenters import render_plan

    render_plan(result.plan, result.profile)


@app.command()
def check(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN.json", help="Plan JSON file.")],
    profile: ProfileOption,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Check a plan file against every coaching rule (DOMAIN.md §8).

    Prints one violation a line, starting with its rule id; exits 1 if there is any.

    Example: calfcoach check plan.json --profile examples/profile.toml
    """
    from calfcoach.core.rules import RULES
    from calfcoach.services.planning import check_plan_file

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    violations = check_plan_file(plan_file, profile, _today())
    if fmt == "json":
        _print_json([v.to_dict() for v in violations])
    elif violations:
        for violation in violations:
            sys.stdout.write(violation.line() + "\n")
    else:
        ids = list(RULES)  # the registry's, in rule order: a new rule shows up here
        sys.stdout.write(f"{plan_file}: every rule ({ids[0]}–{ids[-1]}) holds.\n")
    if violations:
        raise typer.Exit(1)


@app.command()
def exercises(
    variation: Annotated[
        str | None, typer.Option(help="straight_leg, bent_knee or plyometric.")
    ] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="Equipment you have (repeat the option, or separate with commas); "
            "'none' for nothing at all."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """The exercise catalog, with cues, regressions and progressions.

    Example: calfcoach exercises --variation bent_knee --equipment dumbbells,bench
    """
    from calfcoach.services.planning import find_exercises

    fmt = _choice("--format", output_format, CATALOG_FORMATS)
    kit: list[str] | None = None
    if equipment is not None:
        kit = [item.strip() for value in equipment for item in value.split(",") if item.strip()]
    found = find_exercises(variation, kit)
    if fmt == "json":
        _print_json([ex.contract_dict() for ex in found])
        return
    from calfcoach.presenters import render_exercises

    render_exercises(found)


def _open(db: str | None, *, audited: bool = True) -> Database:
    from calfcoach.services.audit import record_cli_writes
    from calfcoach.services.context import open_database

    database = open_database(db)
    if audited:  # (serve's web app records each request itself: web/auth.py)
        context = typer.main.get_current_context(silent=True)
        record_cli_writes(database, context.command_path if context else "calfcoach")
    if database.backup is not None:
        sys.stderr.write(
            f"calfcoach: note: upgraded the database; the old file is kept as {database.backup}\n"
        )
    return database


@app.command()
def init(
    profile: ProfileOption,
    db: DbOption = None,
    start: Annotated[
        str | None, typer.Option(help="First day of the plan, YYYY-MM-DD. Default: next Monday.")
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option(help="Number of weeks. Default: to the race and 2 recovery weeks, or 12."),
    ] = None,
) -> None:
    """Store the athlete of a profile and their plan in the database (again: update them).

    Example: calfcoach init --profile examples/profile.toml
    """
    from calfcoach.services.athletes import init_athlete_from_text
    from calfcoach.services.club import profile_for_new_athlete
    from calfcoach.services.files import read_text

    database = _open(db)
    text, filled = profile_for_new_athlete(database, read_text(profile, "profile"), _today())
    start_day = _parse_date("--start", start)
    result = init_athlete_from_text(database, text, str(profile), start_day, _today(), weeks)
    if filled:
        sys.stderr.write(f"calfcoach: note: club defaults used for {', '.join(filled)}\n")
    for note in result.notes:
        sys.stderr.write(f"calfcoach: note: {note}\n")
    verb = "Added" if result.created else "Updated"
    sys.stdout.write(
        f"{verb} {result.name}: a {result.weeks}-week plan from {result.start}. "
        "Next: calfcoach today\n"
    )


@app.command()
def today(
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Today's calf work with exact loads and cues, and what is logged so far.

    Example: calfcoach today --date 2026-12-01
    """
    from calfcoach.services.diary_views import day_view

    fmt = _choice("--format", output_format, PLAN_FORMATS)
    day = _parse_date("--date", date_) or _today()
    database = _open(db)
    view = day_view(database, athlete, day)
    if fmt == "json":
        _print_json(view.to_json())
        return
    from calfcoach.presenters import render_day
    from calfcoach.services.diary_views import next_session

    database_following = (
        None if view.to_json()["sessions"] else next_session(database, athlete, day)
    )
    render_day(view, following=database_following)


@app.command()
def explain(
    date_: Annotated[
        str | None, typer.Argument(help="The day (YYYY-MM-DD); default today.")
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Why each exercise of a day is what it is: the load's 1RM, %1RM and rounding, the phase
    that sets the sets and reps, each change since the plan was made, with rules and sources.

    Example: calfcoach explain 2026-12-01
    """
    from calfcoach.services.explain import explain_day

    fmt = _choice("--format", output_format, ("text", "json"))
    day = _parse_date("DATE", date_) or _today()
    found = explain_day(_open(db), athlete, day)
    if fmt == "json":
        _print_json(found.to_json())
        return
    from calfcoach.presenters import render_explanation

    render_explanation(found)


@app.command()
def log(
    exercise: Annotated[
        str | None,
        typer.Argument(
            help="Exercise: its id, its number in calfcoach today, or a piece of its name "
            "that fits one exercise."
        ),
    ] = None,
    sets: Annotated[int, typer.Option(help="Number of sets.")] = 1,
    reps: Annotated[
        int | None, typer.Option(help="Reps per set (contacts for plyometrics).")
    ] = None,
    hold: Annotated[
        int | None, typer.Option(help="Seconds held, for an isometric hold (reps default to 1).")
    ] = None,
    load: Annotated[
        str,
        typer.Option(
            help="Total external load: 42.5, 42.5kg, 95lb, or 2x8 for a pair of 8 kg "
            "dumbbells (0 = body weight)."
        ),
    ] = "0",
    rpe: Annotated[float | None, typer.Option(help="Effort, 1–10.")] = None,
    side: Annotated[
        str | None,
        typer.Option(help="left or right; a per-side exercise logs both sides without it."),
    ] = None,
    date_: DateOption = None,
    as_prescribed: Annotated[
        bool, typer.Option("--as-prescribed", help="Log the whole day's plan as prescribed.")
    ] = False,
    edit: Annotated[int | None, typer.Option(help="Correct the logged set with this id.")] = None,
    delete: Annotated[int | None, typer.Option(help="Delete the logged set with this id.")] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Log sets: one exercise, the day as prescribed, or correct or delete a logged set.

    Example: calfcoach log seated-smith-calf-raise --sets 3 --reps 10 --load 42.5 --rpe 8
    (or by its number in calfcoach today: log 2 --reps 10 --load 20; a hold: log "calf hold"
    --hold 45 --sets 5)
    """
    from calfcoach.services import context as context_service
    from calfcoach.services import diary
    from calfcoach.services import diary_views as diary_views_service

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    day = _parse_date("--date", date_) or _today()
    if edit is not None and delete is not None:
        raise InputError(
            f"options --edit {edit} and --delete {delete}: give one of them; allowed: "
            "--edit ID to correct a set, or --delete ID to delete one"
        )
    database = _open(db)
    if delete is not None:
        with _set_id_named("delete"):
            diary.delete_set(database, athlete, delete, _today())
        sys.stdout.write(f"Deleted set {delete}.\n")
        return
    if edit is not None:
        with _set_id_named("edit"):
            entry = diary.edit_set(
                database, athlete, edit, reps, None if load == "0" else load, rpe, _today()
            )
        entries = [entry]
    elif as_prescribed:
        entries = diary.log_as_prescribed(database, athlete, day, _today())
    else:
        if hold is not None and reps is None:
            reps = 1  # one hold a set
        if exercise is None or reps is None:
            raise InputError(
                "log needs EXERCISE and --reps or --hold (or --as-prescribed, --edit ID, "
                "--delete ID)"
            )
        from calfcoach.data import default_catalog

        exercise_id = diary.resolve_exercise(database, athlete, exercise, day)
        both = side is None and default_catalog().by_id[exercise_id].per_side
        entries = diary.log_sets(
            database,
            athlete,
            day,
            diary.LogRequest(exercise_id, sets, reps, load, rpe, side, both, hold),
            _today(),
        )
    if fmt == "json":
        _print_json(
            [
                {
                    "exercise": e.exercise,
                    "date": e.day.isoformat(),
                    **diary_views_service.logged_dict(e),
                }
                for e in entries
            ]
        )
        return
    from calfcoach.core.units import format_load

    units = context_service.athlete_units(database, athlete)
    for e in entries:
        side_text = f" {e.side}" if e.side else ""
        load_text = format_load(e.load_kg, units)
        effort = f", RPE {e.rpe:g}" if e.rpe is not None else ""
        done = f"{e.hold_s} s hold" if e.hold_s else f"{e.reps} reps"
        sys.stdout.write(
            f"#{e.id} {e.day} {e.exercise} set {e.set_number}{side_text}: {done}, "
            f"{load_text}{effort}\n"
        )


@contextlib.contextmanager
def _set_id_named(option: str) -> Iterator[None]:
    """A set id's errors name the option that gave it (--edit or --delete)."""
    try:
        yield
    except FieldError as exc:
        if exc.field != "set_id":
            raise
        raise FieldError(option, exc.problem, exc.allowed) from None


@app.command()
def checkin(
    pain_during: Annotated[
        int, typer.Option("--pain-during", "--during", help="Pain during calf loading, 0–10.")
    ],
    pain_next_morning: Annotated[
        int | None,
        typer.Option(
            "--pain-next-morning",
            "--next-morning",
            help="Pain the morning after, 0–10 (may come later: check in again for the date).",
        ),
    ] = None,
    pain_before: Annotated[
        int | None,
        typer.Option("--pain-before", help="Pain that morning, before training, 0–10."),
    ] = None,
    red_flag: Annotated[
        str | None,
        typer.Option(
            "--red-flag",
            help="sudden_pop, swelling, night_pain or calf_swelling_redness: stops the plan "
            "until a clinician clears you.",
        ),
    ] = None,
    cleared_by_clinician: Annotated[
        bool,
        typer.Option(
            "--cleared-by-clinician", help="A clinician has cleared you: lifts red flags."
        ),
    ] = False,
    date_: Annotated[
        str | None,
        typer.Option("--date", help="The training day, YYYY-MM-DD, not after today (default)."),
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Record a training day's pain (during, the next morning, before) or a red flag, and see
    what it changes. A second check-in for the same date updates the first.

    Example: calfcoach checkin --pain-during 3 --pain-next-morning 2
    """
    from calfcoach.services.checkins import record_checkin

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    today = _today()
    day = _parse_date("--date", date_) or today
    result = record_checkin(
        _open(db),
        athlete,
        day,
        pain_during,
        pain_next_morning,
        today,
        pain_before=pain_before,
        red_flag=red_flag,
        cleared_by_clinician=cleared_by_clinician,
    )
    if fmt == "json":
        _print_json(result.to_json())
        return
    why = f" ({'; '.join(result.reasons)})" if result.reasons else ""
    sys.stdout.write(f"{day}: pain {result.zone}{why} — {result.advice}.\n")
    for notice in result.notices:
        sys.stdout.write(f"! {notice}\n")
    if result.next_session_date is not None:
        sys.stdout.write(f"Next calf session, {result.next_session_date}:\n")
        for change in result.next_session:
            sys.stdout.write(f"  {change.describe(result.units)}\n")


EXPORT_FORMATS = ("json", "csv", "ics", "fit", "html", "pdf")
EXPORT_WHAT = ("sets", "checkins", "runs", "assessments")


@app.command()
def export(
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json, csv, ics, fit, html or pdf.")
    ] = "json",
    what: Annotated[
        str | None,
        typer.Option(
            help="csv/json: sets, checkins, runs or assessments (json without it: the full backup)."
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

    fmt = _choice("--format", output_format, EXPORT_FORMATS)
    if what is not None:
        _choice("--what", what, EXPORT_WHAT)
    if fmt == "csv" and what is None:
        raise InputError(
            f"option --what is needed with --format csv; allowed: {', '.join(EXPORT_WHAT)}"
        )
    if fmt == "fit" and out is None:
        raise InputError("option --out is needed with --format fit; allowed: a folder to write to")
    if fmt == "pdf" and out is None:
        raise InputError("option --out is needed with --format pdf; allowed: a FILE.pdf")
    database = _open(db)
    today = _today()
    if fmt == "json":
        if what is None:
            from calfcoach.services.backup import export_backup

            _write_text(out, _json_text(export_backup(database)))
        else:
            _write_text(out, _json_text(exporting.table_rows(database, athlete, what)))
    elif fmt == "csv":
        _write_text(out, exporting.table_csv(database, athlete, what or ""))
    elif fmt == "ics":
        clock = _parse_time(at)
        zone = exporting.check_zone(tz) if tz else (exporting.local_zone() if clock else None)
        options = exporting.CalendarOptions(weeks, clock, zone)
        _write_bytes(out, exporting.calendar_export(database, athlete, options, today))
    elif fmt == "fit":
        assert out is not None
        written = exporting.fit_workouts(
            database, athlete, out, week, _parse_date("--date", date_), today
        )
        sys.stderr.write(f"calfcoach: note: {len(written)} workout files written to {out}\n")
    else:
        printable = exporting.printable_html(database, athlete, weeks, today)
        if fmt == "html":
            _write_text(out, printable)
        else:
            assert out is not None
            exporting.write_pdf(printable, out)
            sys.stderr.write(f"calfcoach: note: the plan to print is in {out}\n")


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


def _json_text(data: object) -> str:
    import json

    return json.dumps(data, indent=2 if sys.stdout.isatty() else None, ensure_ascii=False) + "\n"


def _write_text(out: Path | None, text: str) -> None:
    _write_bytes(out, text.encode("utf-8"))


def _write_bytes(out: Path | None, data: bytes) -> None:
    """To ``out`` whole (a temporary file renamed into place), or to standard output."""
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    from calfcoach.services.exporting import write_file

    write_file(out, data)


@app.command()
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
    counts = restore_backup(_open(db), document, str(backup_file))
    sys.stdout.write("Restored " + ", ".join(_count(n, what) for what, n in counts.items()) + ".\n")


@app.command("import")
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
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Import running history from watch files, folders and Garmin/Strava export zips.

    Exit 0 when every file went in, 1 when some were skipped, 2 when none could be read.

    Example: calfcoach import ~/Downloads/export_12345.zip --dry-run
    """
    from calfcoach.services import importing

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    database = _open(db)
    if undo:
        batch = None
        if paths:
            if len(paths) > 1 or not paths[0].isdigit():
                raise InputError(f"--undo takes one batch number, not {' '.join(paths)!r}")
            batch = int(paths[0])
        batch_id, removed = importing.undo_import(database, athlete, batch)
        sys.stdout.write(f"Undid import batch {batch_id}: removed {removed} activities.\n")
        return
    if not paths:
        raise InputError("import needs at least one PATH (a file, a folder or a zip)")
    show = not quiet and sys.stderr.isatty()
    report = _run_import(importing, database, athlete, [Path(p) for p in paths], dry_run, show)
    if fmt == "json":
        _print_json(report.to_json())
    else:
        _print_import(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _run_import(importing, database, athlete, paths, dry_run, show):  # type: ignore[no-untyped-def]
    if not show:
        return importing.import_paths(database, athlete, paths, dry_run)
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
                f"{report.duplicates} duplicates · {len(report.failures)} failed · "
                f"{rate:.0f} files/s",
            )

        return importing.import_paths(database, athlete, paths, dry_run, update)


def _print_import(report) -> None:  # type: ignore[no-untyped-def]
    verb = "would add" if report.dry_run else "added"
    sports = ", ".join(f"{n} {sport}" for sport, n in sorted(report.by_sport.items()))
    span = ""
    if report.first is not None and report.last is not None:
        span = f", {report.first.date()} to {report.last.date()}"
    batch = f" (batch {report.batch})" if report.batch is not None else ""
    sys.stdout.write(
        f"{report.files} files: {verb} {report.added}{batch}"
        + (f" ({sports}{span})" if sports else "")
        + f", {report.duplicates} duplicates, {len(report.failures)} skipped.\n"
    )
    for source, reason in report.failures:
        sys.stdout.write(f"skipped {source}: {reason}\n")
    for source, note in report.notes:
        sys.stdout.write(f"note {source}: {note}\n")


@app.command()
def runs(
    weeks: Annotated[int | None, typer.Option(help="Only the last N weeks.")] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Imported activities and weekly running totals (km, time, long run, runs, hard sessions).

    Example: calfcoach runs --weeks 8
    """
    from datetime import UTC, datetime

    from calfcoach.services.importing import list_runs

    fmt = _choice("--format", output_format, PLAN_FORMATS)
    now = datetime.combine(_today(), datetime.max.time(), tzinfo=UTC)
    view = list_runs(_open(db), athlete, weeks, now)
    if fmt == "json":
        _print_json(view.to_json())
        return
    from calfcoach.presenters import render_runs

    render_runs(view)


TestPainOption = Annotated[
    int | None,
    typer.Option(help="Pain during the test, 0–10 (0 is pain-free); left out: not recorded."),
]

assess_app = typer.Typer(
    help="Calf tests compared with their norms: heel-raise test, seated-raise 1RM and hop test.",
    no_args_is_help=True,
)
app.add_typer(assess_app, name="assess")

# Accounts and access (issue 16): user add|list|token|revoke-token|password, grant, revoke.
cli_users.register(app)
cli_club.register(app)


@assess_app.command("heel-raise")
def assess_heel_raise(
    left: Annotated[int, typer.Option(help="Single-leg heel raises, left side.")],
    right: Annotated[int, typer.Option(help="Single-leg heel raises, right side.")],
    pain: TestPainOption = None,
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Record a single-leg heel-raise test (metronome 60 bpm, to fatigue) and compare it.

    Example: calfcoach assess heel-raise --left 24 --right 27 --pain 0
    """
    from calfcoach.services.progress import assess_heel_raise as run

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    day = _parse_date("--date", date_) or _today()
    report = run(_open(db), athlete, day, left, right, _today(), pain=pain)
    if fmt == "json":
        _print_json(
            {
                "date": day.isoformat(),
                "left": report.left,
                "right": report.right,
                "lsi": round(report.lsi, 2),
                "median": report.median,
                "percent_of_median": None
                if report.percent_of_median is None
                else round(report.percent_of_median, 1),
                "meets_clinical_floor": report.meets_floor,
                "meets_return_to_run": report.meets_return_to_run,
                "change": report.change,
                "within_test_noise": report.change_is_noise,
                "pain": pain,
            }
        )
        return
    sys.stdout.write("".join(f"{line}\n" for line in report.lines))
    if pain is not None:
        sys.stdout.write(_test_pain_line("raises", pain))


def _test_pain_line(what: str, pain: int) -> str:
    free = "pain-free" if pain == 0 else "not pain-free (pain-free means 0/10)"
    return f"Pain during the test: {pain}/10: {what} {free}.\n"


@assess_app.command("hop")
def assess_hop(
    pain: Annotated[
        int,
        typer.Option(help="Pain while hopping on the injured leg, 0–10 (0 is pain-free)."),
    ],
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Record a hop test: the pain while hopping on the injured leg (calf strain: pain-free
    hopping is one of the return-to-running criteria).

    Example: calfcoach assess hop --pain 0
    """
    from calfcoach.services.progress import assess_hop as run

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    day = _parse_date("--date", date_) or _today()
    run(_open(db), athlete, day, pain, _today())
    if fmt == "json":
        _print_json({"date": day.isoformat(), "kind": "hop", "pain": pain, "pain_free": pain == 0})
        return
    sys.stdout.write(_test_pain_line("hops", pain))


@assess_app.command("seated-1rm")
def assess_seated_1rm(
    value_kg: Annotated[
        float | None,
        typer.Argument(help="Measured 1RM in kg; leave out to estimate from logged sets."),
    ] = None,
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Record a seated calf-raise 1RM (or estimate it with Epley from a logged set).

    Example: calfcoach assess seated-1rm 95
    """
    from calfcoach.services.progress import assess_seated_1rm as run

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    day = _parse_date("--date", date_) or _today()
    result = run(_open(db), athlete, day, value_kg, _today())
    report = result.report
    if fmt == "json":
        _print_json(
            {
                "date": day.isoformat(),
                "value_kg": report.value_kg,
                "target_kg": round(report.target_kg, 1),
                "percent_of_target": round(report.percent_of_target, 1),
                "x_bodyweight": round(report.x_bodyweight, 2),
                "estimated_from": result.estimated_from,
            }
        )
        return
    if result.estimated_from:
        sys.stdout.write(f"estimated with Epley from {result.estimated_from}\n")
    sys.stdout.write("".join(f"{line}\n" for line in report.lines))


@app.command()
def history(
    exercise: Annotated[str | None, typer.Option(help="Only this exercise id.")] = None,
    weeks: Annotated[int | None, typer.Option(help="Only the last N weeks.")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Also write a chart of estimated 1RM: FILE.svg.")
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Strength over time: per exercise, top set, estimated 1RM and volume per session.

    Example: calfcoach history --weeks 12 --plot progress.svg
    """
    from calfcoach.services.progress import history as run

    fmt = _choice("--format", output_format, PLAN_FORMATS)
    if plot is not None and plot.suffix.lower() != ".svg":
        raise InputError(f"option --plot: {plot} is not an SVG file; allowed: a FILE.svg")
    result = run(_open(db), athlete, exercise, weeks, _today())
    if plot is not None:
        from calfcoach.charts import e1rm_chart_svg

        try:
            plot.write_text(e1rm_chart_svg(result.exercises, f"{result.athlete}: estimated 1RM"))
        except OSError as exc:
            raise InputError(f"option --plot: cannot write {plot} ({exc.strerror})") from None
        sys.stderr.write(f"calfcoach: note: chart written to {plot}\n")
    if fmt == "json":
        _print_json(result.to_json())
        return
    from calfcoach.presenters import render_history

    render_history(result)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 to reach it from your phone.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Listen on this computer's LAN address and pair your phone with a one-time "
            "link (printed with its QR code); other devices are refused.",
        ),
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(
            help="The address phones and calendars reach the app at (e.g. through a reverse "
            "proxy), for the absolute links the app shows."
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A host name the app answers to besides the address it listens on (the name "
            "in your browser's address bar); repeat for several. Others are refused (DNS "
            "rebinding).",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Processes serving requests (more than 1 needs PostgreSQL).")
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Addresses of the reverse proxy whose X-Forwarded-Proto/-For are believed, "
            "comma-separated, or * (default: 127.0.0.1)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Run the local web app: this week, one-tap logging, check-ins, progress, the JSON API.

    Example: calfcoach serve --lan (then scan the QR code it prints with your phone)
    """
    if not 1 <= port <= 65535:
        raise InputError(f"option --port: {port} is out of range; allowed: 1 to 65535")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise InputError(
            f"option --public-url: {public_url!r} is not a web address; allowed: "
            "http://HOST[:PORT] or https://HOST[:PORT]"
        )
    if lan:
        host = _lan_address()
    from calfcoach.services.access import accounts_exist
    from calfcoach.web import server
    from calfcoach.web.app import WebSettings

    proxies = server.check_forwarded_allow_ips(forwarded_allow_ips)
    extra_hosts = [_check_host_name(name) for name in allowed_host or []]
    _check_port_free(host, port)
    database = _open(db, audited=False)
    _today()  # a bad CALFCOACH_TODAY is refused now, not on the first request
    # Once the database has an account, every request signs in (web.auth), wherever it
    # comes from; without one, only this computer and a paired phone may reach the diary.
    signed_in = accounts_exist(database)
    options = server.ServeOptions(
        host, port, server.check_workers(workers, database, lan and not signed_in), proxies
    )
    hosts = _allowed_hosts(host, public_url, extra_hosts)
    shown = f"[{host}]" if ":" in host else host
    if lan and not signed_in:
        from calfcoach.web.pairing import Pairing

        pairing = Pairing()
        base = (public_url or f"http://{host}:{port}").rstrip("/")
        _print_pairing(f"{base}/pair/{pairing.code}")
        settings = WebSettings(
            database, _today, pairing=pairing, public_url=public_url, allowed_hosts=hosts
        )
        server.run(settings, options)
        return
    from calfcoach.web.pairing import is_loopback

    if not (host in LOOPBACK or is_loopback(host)) and not signed_in:
        raise InputError(
            f"option --host: {host} would let anyone on the network read and change the diary, "
            "and this database has no accounts; allowed: 127.0.0.1, --lan (pairs your phone), "
            "or add an account first (calfcoach user add NAME --role admin)"
        )
    if signed_in:
        sys.stderr.write("calfcoach: accounts are set up: everyone signs in at /signin\n")
    sys.stderr.write(f"calfcoach: serving on http://{shown}:{port}/ (Ctrl+C stops)\n")
    server.run(WebSettings(database, _today, allowed_hosts=hosts, public_url=public_url), options)


_HOST_NAME = r"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$"


def _check_host_name(name: str) -> str:
    """:raises InputError: not a host name (or *.domain, or [IPv6])."""
    import re

    if not re.match(_HOST_NAME, name):
        raise InputError(
            f"option --allowed-host: {name!r} is not a host name; allowed: a name such as "
            "calves.example.net, *.example.net, an IPv4 address or [IPv6]"
        )
    return name


def _allowed_hosts(host: str, public_url: str | None, extra: list[str]) -> tuple[str, ...]:
    """The Host header values the app answers to, for every bind (DNS-rebinding protection):
    this computer's loopback names, the address it listens on, the --public-url's host and
    the --allowed-host names. Listening on every interface (0.0.0.0, ::) adds this computer's
    LAN address, the one a phone on the Wi-Fi uses."""
    from urllib.parse import urlsplit

    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    if host not in ("0.0.0.0", "::"):
        hosts += [host, f"[{host}]"] if ":" in host else [host]
    else:
        from contextlib import suppress

        with suppress(InputError):  # no network: loopback and the names given
            hosts.append(_lan_address())
    if public_url is not None and urlsplit(public_url).hostname:
        hosts.append(str(urlsplit(public_url).hostname))
    hosts += extra
    return tuple(dict.fromkeys(hosts))


def _lan_address() -> str:
    """This computer's address on its local network (the one its default route uses).

    :raises InputError: no network.
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # A UDP "connect" sends nothing; it only picks the outgoing interface. 192.0.2.1
            # is a documentation address (RFC 5737), never a real host.
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if not address or address.startswith("127.") or address == "0.0.0.0":
        raise InputError(
            "option --lan: this computer has no local network address; allowed: join a "
            "network, or give --host ADDRESS"
        )
    return address


def _print_pairing(link: str) -> None:
    """The one-time pairing link and its QR code, on stderr (stdout stays for data)."""
    import segno

    sys.stderr.write(
        "calfcoach: serving on your local network. Pair your phone: scan this code with its "
        "camera, or open the link on it (it works once; other devices are refused):\n"
    )
    segno.make(link, error="m").terminal(out=sys.stderr, compact=True)
    sys.stderr.write(f"{link}\n(Ctrl+C stops)\n")


def _check_port_free(host: str, port: int) -> None:
    """:raises InputError: the address is taken or unknown (uvicorn would only log it)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(
            f"option --host: {host!r} is not an address of this computer; allowed: "
            "127.0.0.1, 0.0.0.0 or one of its addresses"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(
                f"option --port: cannot listen on {host}:{port} ({exc.strerror}); allowed: a "
                "free port, e.g. --port 8080"
            ) from None


def _count(n: int, plural: str) -> str:
    """``1 athlete``, ``2 athletes``, ``1 import batch`` (the plural names of restore's rows)."""
    if n != 1:
        return f"{n} {plural}"
    return f"1 {plural[:-2] if plural.endswith('ches') else plural[:-1]}"


def _fail(message: str, code: int) -> NoReturn:
    import re

    # A name from a file or the database may hold escape sequences: never raw to a terminal.
    message = re.sub(r"[\x00-\x1f\x7f-\x9f]", "", message)
    sys.stderr.write(f"calfcoach: error: {message}\n")
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app and turn every error into one line and an exit code.

    Usage errors (unknown option, missing value) and bad input exit 2; a bug exits 1 with one
    line (set CALFCOACH_DEBUG=1 for the traceback).
    """
    args = sys.argv[1:] if argv is None else argv
    # calfcoach loads no pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    tune_collector()
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="calfcoach", standalone_mode=False)
    except CalfcoachError as exc:
        _fail(_worded(exc), exc.exit_code)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        raise SystemExit(code if isinstance(code, int) else 0) from None
    except typer.Abort:
        _fail("aborted", 1)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        raise SystemExit(0) from None
    except Exception as exc:
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            # A usage error from the argument parser: unknown option, missing value, ...
            hint = " (see calfcoach --help)"
            _fail(f"{exc.format_message()}{hint}", 2)
        if os.environ.get("CALFCOACH_DEBUG"):
            raise
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        _fail(f"internal error: {type(exc).__name__}: {first_line} (please report this)", 1)
    if isinstance(result, int) and result:
        raise SystemExit(result)


if __name__ == "__main__":
    main()
