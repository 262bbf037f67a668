"""The ``calfcoach`` command line: parse, call a service, render.

Imports of the heavier parts (Rich, pydantic models, the planner) happen inside the commands
that need them, so ``calfcoach plan --format json`` starts fast.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from calfcoach.errors import CalfcoachError, InputError

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
VARIATIONS = ("straight_leg", "bent_knee", "plyometric")

ProfileOption = Annotated[
    Path, typer.Option("--profile", "-p", help="Profile TOML file (see examples/profile.toml).")
]


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
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"option {option}: {value!r} is not a date; allowed: YYYY-MM-DD") from None


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
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Build a periodized calf plan for a profile.

    Example: calfcoach plan --profile examples/profile.toml --format json > plan.json
    """
    from calfcoach.services.planning import make_plan

    fmt = _choice("--format", output_format, PLAN_FORMATS)
    result = make_plan(profile, _parse_date("--start", start), weeks, _today())
    for note in result.notes:
        sys.stderr.write(f"calfcoach: note: {note}\n")
    if fmt == "json":
        from calfcoach.core.plan import plan_to_dict

        _print_json(plan_to_dict(result.plan))
        return
    from calfcoach.presenters import render_plan

    render_plan(result.plan, result.profile)


@app.command()
def check(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN.json", help="Plan JSON file.")],
    profile: ProfileOption,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Check a plan file against every coaching rule (R1–R13).

    Prints one violation a line, starting with its rule id; exits 1 if there is any.

    Example: calfcoach check plan.json --profile examples/profile.toml
    """
    from calfcoach.services.planning import check_plan_file

    fmt = _choice("--format", output_format, CHECK_FORMATS)
    violations = check_plan_file(plan_file, profile, _today())
    if fmt == "json":
        _print_json([v.to_dict() for v in violations])
    elif violations:
        for violation in violations:
            sys.stdout.write(violation.line() + "\n")
    else:
        sys.stdout.write(f"{plan_file}: every rule (R1–R13) holds.\n")
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
    from calfcoach.core.profile import EQUIPMENT
    from calfcoach.services.planning import find_exercises

    fmt = _choice("--format", output_format, CATALOG_FORMATS)
    if variation is not None:
        _choice("--variation", variation, VARIATIONS)
    kit: list[str] | None = None
    if equipment is not None:
        kit = [item.strip() for value in equipment for item in value.split(",") if item.strip()]
        for item in kit:
            _choice("--equipment", item, EQUIPMENT)
    found = find_exercises(variation, kit)
    if fmt == "json":
        _print_json([ex.contract_dict() for ex in found])
        return
    from calfcoach.presenters import render_exercises

    render_exercises(found)


def _fail(message: str, code: int) -> NoReturn:
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
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="calfcoach", standalone_mode=False)
    except CalfcoachError as exc:
        _fail(str(exc), exc.exit_code)
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
