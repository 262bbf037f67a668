"""The ``calfcoach`` Typer app: every command group registered in one place, and ``main``,
which turns every error into one line on stderr and an exit code (DESIGN.md: 0 success, 1 the
work found problems, 2 bad input).

Imports of the heavier parts (Rich, pydantic models, the planner) happen inside the commands
that need them, so ``calfcoach plan --format json`` starts fast.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

from calfcoach.cli import assess, club, diary, exports, imports, log, plans, serve, users
from calfcoach.cli.options import OPTION_NAMES
from calfcoach.errors import CalfcoachError, FieldError
from calfcoach.runtime import tune_collector

app = typer.Typer(
    name="calfcoach",
    help="Calf-strength coaching for runners: loaded, periodized plans checked against "
    "named coaching rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# The order of `calfcoach --help`.
app.command()(plans.plan)
app.command()(plans.check)
app.command()(plans.exercises)
app.command()(diary.init)
app.command()(diary.today)
app.command()(diary.explain)
app.add_typer(log.log_app, name="log")
app.command()(diary.checkin)
app.command()(exports.export)
app.command()(exports.restore)
app.command("import")(imports.import_)
app.command()(imports.runs)
app.add_typer(assess.assess_app, name="assess")
# Accounts and access (issue 16): user add|list|token|revoke-token|password, grant, revoke.
app.add_typer(users.user_app, name="user")
app.command()(users.grant)
app.command()(users.revoke)
# The club's defaults offered when a coach adds an athlete (issue 16): club set|show.
app.add_typer(club.club_app, name="club")
app.command()(diary.history)
app.command()(serve.serve)


def _worded(exc: CalfcoachError) -> str:
    """The one line for an error: a FieldError with this command line's name for its field."""
    if isinstance(exc, FieldError) and exc.field is not None:
        return exc.worded(OPTION_NAMES.get(exc.field, exc.field))
    return str(exc)


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
