"""The ``calfcoach`` command line: every command in one table, and ``main``, which turns every
error into one line on stderr and an exit code (DESIGN.md: 0 success, 1 the work found
problems, 2 bad input).

A run imports and builds only the command it runs (``cli.lazy``), and the commands import the
heavier parts (Rich, pydantic models, the planner, the database) inside their functions, so
``calfcoach plan --format json`` starts fast; ``calfcoach --help`` still lists every command.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache, partial
from typing import Any, NoReturn

import typer

from calfcoach.cli.lazy import Command, LazyCommandGroup, LazyCommands
from calfcoach.cli.options import OPTION_NAMES, command_allowed
from calfcoach.errors import CalfcoachError, FieldError
from calfcoach.runtime import freeze_for_exit, tune_collector

# Every command in the order of `calfcoach --help`: its name and its Typer declaration, a
# command function or a group's Typer app ("module:attribute", imported when it is used).
COMMANDS = {
    "plan": "calfcoach.cli.plans:plan",
    "check": "calfcoach.cli.plans:check",
    "exercises": "calfcoach.cli.plans:exercises",
    "init": "calfcoach.cli.diary:init",
    "today": "calfcoach.cli.diary:today",
    "explain": "calfcoach.cli.diary:explain",
    "checkin": "calfcoach.cli.diary:checkin",
    "export": "calfcoach.cli.exports:export",
    "restore": "calfcoach.cli.exports:restore",
    "import": "calfcoach.cli.imports:import_",
    "runs": "calfcoach.cli.imports:runs",
    # Access to a diary (issue 16).
    "grant": "calfcoach.cli.users:grant",
    "revoke": "calfcoach.cli.users:revoke",
    "history": "calfcoach.cli.diary:history",
    "serve": "calfcoach.cli.serve:serve",
    "log": "calfcoach.cli.log:log_app",
    "assess": "calfcoach.cli.assess:assess_app",
    # Accounts for a club (issue 16): user add|list|token|revoke-token|password.
    "user": "calfcoach.cli.users:user_app",
    # The club's defaults offered when a coach adds an athlete (issue 16): club set|show.
    "club": "calfcoach.cli.club:club_app",
}


def _new_app() -> typer.Typer:
    """The top-level Typer app, without commands."""
    app = typer.Typer(
        name="calfcoach",
        help="Calf-strength coaching for runners: loaded, periodized plans checked against "
        "named coaching rules.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        cls=LazyCommandGroup,
    )
    app.callback()(_options)
    return app


def _show_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version  # (only when asked: a slow import)

        sys.stdout.write(f"calfcoach {version('calfcoach')}\n")
        raise typer.Exit()


def _options(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print calfcoach's version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
) -> None:
    """Calf-strength coaching for runners: loaded, periodized plans checked against named
    coaching rules."""


def _register(app: typer.Typer, name: str) -> None:
    """Add the command ``name`` of :data:`COMMANDS` to ``app`` (importing its module)."""
    module, attribute = COMMANDS[name].split(":")
    declared = getattr(importlib.import_module(module), attribute)
    if isinstance(declared, typer.Typer):
        app.add_typer(declared, name=name)
    else:
        app.command(name)(declared)


@cache
def full_app() -> typer.Typer:
    """The Typer app with every command registered (every command module imported): for the
    tests and tools that read Typer's registrations. ``main`` does not use it."""
    app = _new_app()
    for name in COMMANDS:
        _register(app, name)
    return app


def _build(name: str) -> Command:
    """The click command (or group) ``name``, as Typer builds it inside the whole app."""
    alone = _new_app()
    _register(alone, name)
    return typer.main.get_group(alone).commands[name]


def command_line() -> LazyCommandGroup:
    """The click group ``main`` runs: every command listed, each built on first use."""
    group = typer.main.get_group(_new_app())
    assert isinstance(group, LazyCommandGroup)
    group.commands = LazyCommands({name: partial(_build, name) for name in COMMANDS})
    return group


def __getattr__(name: str) -> Any:
    # ``calfcoach.cli.app.app``: the whole Typer app, built only when asked for (PEP 562).
    if name == "app":
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _worded(exc: CalfcoachError) -> str:
    """The one line for an error: a FieldError with this command line's name for its field."""
    if isinstance(exc, FieldError) and exc.field is not None:
        return exc.worded(OPTION_NAMES.get(exc.field, exc.field))
    return str(exc)


# The parser's words for a value that is not of its option's type ("'abc' is not a valid
# int."), and what each type is in the house style's words.
_NOT_OF_TYPE = {"int": "a whole number", "integer": "a whole number", "float": "a number"}


def _not_a_number(exc: Exception) -> str | None:
    """An option or argument given something that is not a number, in the house style: what
    was given, under the command line's name, and the values allowed (the limits of the
    input model where the value has one meaning, else the kind of number); None for any
    other usage error."""
    import re

    param = getattr(exc, "param", None)
    found = re.fullmatch(r"(.*) is not a valid (\w+)\.", str(getattr(exc, "message", "")))
    if param is None or found is None or found.group(2) not in _NOT_OF_TYPE:
        return None
    from calfcoach.core.inputs import ALLOWED

    name = str(param.name)
    flags = sorted((opt for opt in param.opts if opt.startswith("--")), key=len, reverse=True)
    where = OPTION_NAMES.get(name) or (f"option {flags[0]}" if flags else name)
    words = _NOT_OF_TYPE[found.group(2)]
    # An option whose range is its command's (--weeks: a plan's, a history's, an export's).
    context = getattr(exc, "ctx", None)
    command = getattr(context, "info_name", None)
    allowed = command_allowed(str(command), name) or ALLOWED.get(name, words)
    return f"{where}: {found.group(1)} is not {words}; allowed: {allowed}"


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
    command = command_line()
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
            _fail(_not_a_number(exc) or f"{exc.format_message()}{hint}", 2)
        if os.environ.get("CALFCOACH_DEBUG"):
            raise
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        _fail(f"internal error: {type(exc).__name__}: {first_line} (please report this)", 1)
    if isinstance(result, int) and result:
        raise SystemExit(result)


def run() -> None:
    """The ``calfcoach`` script and ``python -m calfcoach``: :func:`main`, then the process
    ends. What the command loaded is frozen out of the cyclic collector's sight first
    (runtime.freeze_for_exit), so the interpreter's last full collection does not walk every
    module, the catalog and the plan again (issue 13: 10–25 ms of each start-up). Tests and
    benches that call :func:`main` in their own process keep their collector as it was."""
    try:
        main()
    finally:
        # (Only a command that opened a database imported this: the others skip it.)
        context = sys.modules.get("calfcoach.services.context")
        if context is not None:
            context.close_databases()
        freeze_for_exit()


if __name__ == "__main__":
    run()
