"""The plan commands: ``plan``, ``check`` and ``exercises`` (no database)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from calfcoach.cli.options import (
    ProfileOption,
    TableOrJson,
    TextOrJson,
    format_option,
    parse_date,
    today_date,
)
from calfcoach.cli.output import print_json, write_bytes

PlanFormat = format_option("table", "json", "ics")


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
    fmt: PlanFormat = "table",
) -> None:
    """Build a periodized calf plan for a profile.

    Example: calfcoach plan --profile examples/profile.toml --format json > plan.json
    """
    from calfcoach.services.planning import make_plan

    result = make_plan(profile, parse_date("--start", start), weeks, today_date())
    for note in result.notes:
        sys.stderr.write(f"calfcoach: note: {note}\n")
    if fmt in ("json", "ics"):
        from calfcoach.core.plan import plan_to_dict

        document = plan_to_dict(result.plan)
        if fmt == "ics":
            from calfcoach.services.exporting import plan_calendar

            write_bytes(None, plan_calendar(document, result.profile))
            return
        print_json(document)
        return
    from calfcoach.cli.presenters import render_plan

    render_plan(result.plan, result.profile)


def check(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN.json", help="Plan JSON file.")],
    profile: ProfileOption,
    fmt: TextOrJson = "text",
) -> None:
    """Check a plan file against every coaching rule (DOMAIN.md §8).

    Prints one violation a line, starting with its rule id; exits 1 if there is any.

    Example: calfcoach check plan.json --profile examples/profile.toml
    """
    from calfcoach.core.rules import RULES
    from calfcoach.services.planning import check_plan_file

    violations = check_plan_file(plan_file, profile, today_date())
    if fmt == "json":
        print_json([v.to_dict() for v in violations])
    elif violations:
        for violation in violations:
            sys.stdout.write(violation.line() + "\n")
    else:
        ids = list(RULES)  # the registry's, in rule order: a new rule shows up here
        sys.stdout.write(f"{plan_file}: every rule ({ids[0]}–{ids[-1]}) holds.\n")
    if violations:
        raise typer.Exit(1)


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
    fmt: TableOrJson = "table",
) -> None:
    """The exercise catalog, with cues, regressions and progressions.

    Example: calfcoach exercises --variation bent_knee --equipment dumbbells,bench
    """
    from calfcoach.services.planning import find_exercises

    kit: list[str] | None = None
    if equipment is not None:
        kit = [item.strip() for value in equipment for item in value.split(",") if item.strip()]
    found = find_exercises(variation, kit)
    if fmt == "json":
        print_json([ex.contract_dict() for ex in found])
        return
    from calfcoach.cli.presenters import render_exercises

    render_exercises(found)
