"""``calfcoach assess``: the calf tests (heel-raise, hop, seated 1RM) against their norms."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from calfcoach.cli.options import (
    AthleteOption,
    DateOption,
    DbOption,
    TextOrJson,
    open_database,
    parse_date,
    today_date,
)
from calfcoach.cli.output import print_json

TestPainOption = Annotated[
    int | None,
    typer.Option(help="Pain during the test, 0–10 (0 is pain-free); left out: not recorded."),
]

assess_app = typer.Typer(
    help="Calf tests compared with their norms: heel-raise test, seated-raise 1RM and hop test.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@assess_app.command("heel-raise")
def assess_heel_raise(
    left: Annotated[int, typer.Option(help="Single-leg heel raises, left side.")],
    right: Annotated[int, typer.Option(help="Single-leg heel raises, right side.")],
    pain: TestPainOption = None,
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """Record a single-leg heel-raise test (metronome 60 bpm, to fatigue) and compare it.

    Example: calfcoach assess heel-raise --left 24 --right 27 --pain 0
    """
    from calfcoach.services.progress import AssessmentResult
    from calfcoach.services.progress import assess_heel_raise as run

    day = parse_date("--date", date_) or today_date()
    report = run(open_database(db), athlete, day, left, right, today_date(), pain=pain)
    if fmt == "json":
        print_json(AssessmentResult.of_heel_raise(day, pain, report).to_json())
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
    fmt: TextOrJson = "text",
) -> None:
    """Record a hop test: the pain while hopping on the injured leg (calf strain: pain-free
    hopping is one of the return-to-running criteria).

    Example: calfcoach assess hop --pain 0
    """
    from calfcoach.services.progress import AssessmentResult
    from calfcoach.services.progress import assess_hop as run

    day = parse_date("--date", date_) or today_date()
    caution = run(open_database(db), athlete, day, pain, today_date())
    # The test is stored either way (it was done); the caution says it came too soon. With
    # --format json on stderr: standard output is the JSON alone.
    later = f"{caution} The test is stored; test the raises first.\n" if caution else ""
    if fmt == "json":
        print_json(AssessmentResult.of_hop(day, pain).to_json())
        sys.stderr.write(later)
        return
    sys.stdout.write(_test_pain_line("hops", pain) + later)


@assess_app.command("seated-1rm")
def assess_seated_1rm(
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="[1RM]",
            help="Measured 1RM: 95, 95kg or 200lb (a bare number is in your profile's units); "
            "leave out to estimate from logged sets.",
            show_default=False,
        ),
    ] = None,
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """Record a seated calf-raise 1RM (or estimate it with Epley from a logged set), in kg or
    lb like log --load.

    Example: calfcoach assess seated-1rm 95
    """
    from calfcoach.services.progress import AssessmentResult
    from calfcoach.services.progress import assess_seated_1rm as run

    day = parse_date("--date", date_) or today_date()
    # Read in the service, with the profile's units, as log reads --load (issue 13).
    result = run(open_database(db), athlete, day, None, today_date(), typed=value)
    report = result.report
    if fmt == "json":
        print_json(AssessmentResult.of_seated(day, result).to_json())
        return
    if result.estimated_from:
        sys.stdout.write(f"estimated with Epley from {result.estimated_from}\n")
    sys.stdout.write("".join(f"{line}\n" for line in report.lines))
