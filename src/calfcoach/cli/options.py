"""The options every command group shares, declared once (as sqlite-utils declares its
``output_options``): ``--db``, ``--athlete``, ``--date``, ``--profile`` and ``--format``, and
the small parsers behind them (today's date, a date option, the database).

``--format`` is one declaration for every command: ``format_option("text", "json")`` gives the
option with its help and its check of the allowed values, so a command's body only branches
on a value already known to be allowed.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calfcoach.errors import InputError

if TYPE_CHECKING:
    from calfcoach.services.context import Database

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


def check_choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """:raises InputError: ``value`` is not one of ``allowed`` (the line names the option)."""
    if value not in allowed:
        raise InputError(
            f"option {option}: {value!r} is not allowed; allowed: {', '.join(allowed)}"
        )
    return value


def _in_words(allowed: tuple[str, ...]) -> str:
    return allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"


def format_option(*allowed: str) -> Any:
    """The ``--format``/``-f`` option allowing these values; a value outside them is refused
    while the command line is read, with the same one line as any other bad option."""

    def check(value: str) -> str:
        return check_choice("--format", value, allowed)

    return Annotated[
        str, typer.Option("--format", "-f", help=f"{_in_words(allowed)}.", callback=check)
    ]


TextOrJson = format_option("text", "json")
TableOrJson = format_option("table", "json")


def today_date() -> date:
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


def parse_date(option: str, value: str | None) -> date | None:
    """:raises InputError: not a date, or outside the days the diary keeps."""
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


def open_database(db: str | None, *, audited: bool = True, creates: bool = False) -> Database:
    """The database of ``--db`` (upgraded to the current schema; a note says where the old
    file is kept). ``audited``: every write of athlete data through it records the command
    and the operating-system user in the audit trail (issue 16; serve's web app records each
    request itself). ``creates``: a command that may begin a new database (init, user add,
    club set, restore, serve); any other is refused a SQLite file that is not there, rather
    than making an empty one (a coach's trial mistyped the folder of `user list --db …`,
    got "No accounts", and a new folder and database were left behind).

    :raises InputError: no SQLite file at the path, for a command that does not create one.
    """
    from calfcoach.services.audit import record_cli_writes
    from calfcoach.services.context import open_database as open_db

    database = open_db(db, create=creates)
    if audited:
        context = typer.main.get_current_context(silent=True)
        record_cli_writes(database, context.command_path if context else "calfcoach")
    if database.backup is not None:
        sys.stderr.write(
            f"calfcoach: note: upgraded the database; the old file is kept as {database.backup}\n"
        )
    return database


def command_allowed(command: str, option: str) -> str | None:
    """What ``option`` of ``command`` allows, where each command has its own range (a value
    of the wrong type is told it: `plan --weeks ten`); None for any other. Each limit is
    read where its command checks it, on this error's path only."""
    if option != "weeks":
        return None
    if command in ("plan", "init"):
        from calfcoach.data import default_norms

        return f"a whole number 1 to {default_norms().max_plan_weeks}"
    if command in ("history", "runs"):
        from calfcoach.core.limits import HISTORY_WEEKS

        return f"a whole number {HISTORY_WEEKS.allowed()}"
    if command == "export":
        from calfcoach.services.exporting import MAX_WEEKS

        return f"a whole number 1 to {MAX_WEEKS}"
    return None


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
