"""``calfcoach log``: log sets of an exercise or the day as prescribed (``log EXERCISE …``,
the group's default), correct a set (``log edit ID``) or delete one (``log delete ID``).

``log --edit ID`` and ``log --delete ID`` still work for one release, with a note on stderr
(stdout keeps only the output, so ``--format json`` stays parseable).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from calfcoach.cli.options import (
    OPTION_NAMES,
    AthleteOption,
    DateOption,
    DbOption,
    TextOrJson,
    open_database,
    parse_date,
    today_date,
)
from calfcoach.cli.output import print_json
from calfcoach.errors import FieldError, InputError

if TYPE_CHECKING:
    from calfcoach.services.context import Database

DEFAULT_COMMAND = "add"


class DefaultCommandGroup(TyperGroup):
    """A group whose first word may be left out: ``calfcoach log EXERCISE …`` runs
    ``calfcoach log add EXERCISE …``, so the README's commands keep working beside
    ``log edit ID`` and ``log delete ID``. (Typer's callback with ``invoke_without_command``
    cannot do this: the group's own EXERCISE argument would swallow the word ``edit``.)"""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


log_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Log sets (calfcoach log EXERCISE … is calfcoach log add EXERCISE …), correct a "
    "logged set (log edit ID) or delete one (log delete ID).",
    rich_markup_mode=None,
)

SetIdArgument = Annotated[
    int, typer.Argument(metavar="ID", help="The set's id (in calfcoach today).")
]
LoadOption = Annotated[
    str | None,
    typer.Option(
        help="Total external load: 42.5, 42.5kg, 95lb, or 2x8 for a pair of 8 kg "
        "dumbbells (0 = body weight)."
    ),
]
RepsOption = Annotated[int | None, typer.Option(help="Reps per set (contacts for plyometrics).")]
RpeOption = Annotated[float | None, typer.Option(help="Effort, 1–10.")]


def _deprecated(flag: str, command: str) -> None:
    sys.stderr.write(
        f"calfcoach: note: log {flag} ID is deprecated and goes in the next release; "
        f"use: calfcoach log {command} ID\n"
    )


@log_app.command(DEFAULT_COMMAND)
def add(
    exercise: Annotated[
        str | None,
        typer.Argument(
            help="Exercise: its id, its number in calfcoach today, or a piece of its name "
            "that fits one exercise."
        ),
    ] = None,
    sets: Annotated[int | None, typer.Option(help="Number of sets (default 1).")] = None,
    reps: RepsOption = None,
    hold: Annotated[
        int | None, typer.Option(help="Seconds held, for an isometric hold (reps default to 1).")
    ] = None,
    load: LoadOption = None,
    rpe: RpeOption = None,
    side: Annotated[
        str | None,
        typer.Option(help="left or right; a per-side exercise logs both sides without it."),
    ] = None,
    date_: DateOption = None,
    as_prescribed: Annotated[
        bool,
        typer.Option(
            "--as-prescribed",
            help="Log the day's prescribed sets that are not logged yet, as prescribed.",
        ),
    ] = False,
    edit: Annotated[
        int | None, typer.Option(help="Deprecated: calfcoach log edit ID.", hidden=True)
    ] = None,
    delete: Annotated[
        int | None, typer.Option(help="Deprecated: calfcoach log delete ID.", hidden=True)
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """Log sets: one exercise, or the day as prescribed (the default of calfcoach log).

    Example: calfcoach log seated-smith-calf-raise --sets 3 --reps 10 --load 42.5 --rpe 8
    (or by its number in calfcoach today: log 2 --reps 10 --load 20; a hold: log "knees straight"
    --hold 45 --sets 5)
    """
    from calfcoach.services import diary

    if as_prescribed:
        _alone_with_as_prescribed(
            {
                "EXERCISE": exercise,
                "--sets": sets,
                "--reps": reps,
                "--hold": hold,
                "--load": load,
                "--rpe": rpe,
                "--side": side,
                "--edit": edit,
                "--delete": delete,
            }
        )
    day = parse_date("--date", date_) or today_date()
    if edit is not None and delete is not None:
        raise InputError(
            f"options --edit {edit} and --delete {delete}: give one of them; allowed: "
            "--edit ID to correct a set, or --delete ID to delete one"
        )
    database = open_database(db)
    if edit is not None or delete is not None:
        from calfcoach.services.audit import record_cli_writes

        # The audit names what the old flag did, as the subcommand would ("log edit").
        record_cli_writes(database, f"calfcoach log {'edit' if edit is not None else 'delete'}")
    if delete is not None:
        with _set_id_named("delete"):
            _delete(database, athlete, delete)
        _deprecated("--delete", "delete")  # after the work: an error stays one line
        return
    if edit is not None:
        with _set_id_named("edit"):
            entries = [_edit(database, athlete, edit, reps, load, rpe)]
        _deprecated("--edit", "edit")  # after the work: an error stays one line
    elif as_prescribed:
        done = diary.log_day_as_prescribed(database, athlete, day, today_date())
        entries = done.added
        _print_entries(database, athlete, entries, fmt)
        _tell_already_logged(done, day, fmt)
        return
    else:
        if hold is not None and reps is None:
            reps = 1  # one hold a set
        if exercise is None or reps is None:
            raise InputError(
                "log needs EXERCISE and --reps or --hold; allowed: log EXERCISE --reps N (or "
                "--hold SECONDS), log --as-prescribed, log edit ID, log delete ID"
            )
        from calfcoach.data import default_catalog

        exercise_id = diary.resolve_exercise(database, athlete, exercise, day)
        both = side is None and default_catalog().by_id[exercise_id].per_side
        entries = diary.log_sets(
            database,
            athlete,
            day,
            diary.LogRequest(
                exercise_id, 1 if sets is None else sets, reps, load or "0", rpe, side, both, hold
            ),
            today_date(),
        )
    _print_entries(database, athlete, entries, fmt)


def _alone_with_as_prescribed(given: dict[str, object]) -> None:
    """:raises InputError: ``--as-prescribed`` came with an exercise or a set's values, which
    it would ignore (issue 13: ``log 2 --as-prescribed --reps 3`` logged the whole day)."""
    named = [name for name, value in given.items() if value is not None]
    if named:
        raise InputError(
            f"option --as-prescribed: logs the day's plan as prescribed and takes no "
            f"{', '.join(named)}; allowed: --as-prescribed with --date, --athlete, --db, "
            "--format only, or EXERCISE with --reps or --hold (and --sets, --load, --rpe, "
            "--side) without --as-prescribed"
        )


def _tell_already_logged(done: Any, day: object, fmt: str) -> None:
    """Say which of the day's prescribed sets were logged before: on stdout with the text
    output, as a note on stderr with JSON (stdout stays parseable)."""
    if not done.already and not done.one_sided:
        return
    if not done.added:
        message = (
            f"Nothing to log: the {done.prescribed} prescribed sets of {day} are all logged "
            "already (see calfcoach today)."
        )
    else:
        sides = f" ({done.one_sided} more on one side)" if done.one_sided else ""
        message = (
            f"{done.already} of the {done.prescribed} prescribed sets of {day} "
            f"{'was' if done.already == 1 else 'were'} logged "
            f"already{sides}; logged the rest."
        )
    if fmt == "json":
        sys.stderr.write(f"calfcoach: note: {message}\n")
    else:
        sys.stdout.write(message + "\n")


def _print_entries(database: Database, athlete: str | None, entries: list[Any], fmt: str) -> None:
    """The logged sets, one a line (``#12 2026-12-01 … set 1: 10 reps, 20 kg``) or as JSON."""
    from calfcoach.services import context as context_service
    from calfcoach.services import diary_views

    if fmt == "json":
        print_json(
            [
                {"exercise": e.exercise, "date": e.day.isoformat(), **diary_views.logged_dict(e)}
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


def _edit(
    database: Database,
    athlete: str | None,
    set_id: int,
    reps: int | None,
    load: str | None,
    rpe: float | None,
) -> Any:
    """The set corrected: what is given (None: not given; ``--load 0`` is body weight).

    :raises InputError: nothing given (the service refuses it, for the API alike; worded
        here with the command and its options).
    """
    from calfcoach.core.inputs import CHANGE_KEEPS, SetChange
    from calfcoach.services import diary

    try:
        return diary.edit_set(database, athlete, set_id, reps, load, rpe, today_date())
    except FieldError as exc:
        if exc.field != "request":
            raise
        options = ", ".join(
            OPTION_NAMES[field].removeprefix("option ") for field in SetChange.model_fields
        )
        raise InputError(
            f"log edit {set_id}: {exc.problem}; allowed: {options} ({CHANGE_KEEPS})"
        ) from None


def _delete(database: Database, athlete: str | None, set_id: int) -> None:
    from calfcoach.services import diary

    diary.delete_set(database, athlete, set_id, today_date())
    sys.stdout.write(f"Deleted set {set_id}.\n")


@log_app.command("edit")
def edit(
    set_id: SetIdArgument,
    reps: RepsOption = None,
    load: LoadOption = None,
    rpe: RpeOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """Correct a logged set: what you give replaces, what you leave out stays.

    Example: calfcoach log edit 12 --reps 9 --load 95lb
    """
    database = open_database(db)
    _print_entries(database, athlete, [_edit(database, athlete, set_id, reps, load, rpe)], fmt)


@log_app.command("delete")
def delete(
    set_id: SetIdArgument,
    athlete: AthleteOption = None,
    db: DbOption = None,
) -> None:
    """Delete a logged set.

    Example: calfcoach log delete 12
    """
    _delete(open_database(db), athlete, set_id)
