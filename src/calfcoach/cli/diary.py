"""The diary commands: ``init``, ``today``, ``explain``, ``checkin`` and ``history``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from calfcoach.cli.options import (
    AthleteOption,
    DateOption,
    DbOption,
    ProfileOption,
    TableOrJson,
    TextOrJson,
    open_database,
    parse_date,
    today_date,
)
from calfcoach.cli.output import print_json
from calfcoach.errors import InputError


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
    from calfcoach.services.athletes import check_new_profile, init_athlete_from_text
    from calfcoach.services.club import profile_for_new_athlete
    from calfcoach.services.context import database_missing
    from calfcoach.services.files import read_text

    written = read_text(profile, "profile")
    if database_missing(db):
        # A new database holds no club defaults: the profile is checked whole before the file
        # is made, so a refused init leaves none behind (a trial's finding).
        check_new_profile(written, str(profile), today_date())
    database = open_database(db, creates=True)
    text, filled = profile_for_new_athlete(database, written, today_date())
    start_day = parse_date("--start", start)
    result = init_athlete_from_text(database, text, str(profile), start_day, today_date(), weeks)
    if filled:
        sys.stderr.write(f"calfcoach: note: club defaults used for {', '.join(filled)}\n")
    for note in result.notes:
        sys.stderr.write(f"calfcoach: note: {note}\n")
    verb = "Added" if result.created else "Updated"
    sys.stdout.write(
        f"{verb} {result.name}: a {result.weeks}-week plan from {result.start}. "
        "Next: calfcoach today\n"
    )


def today(
    date_: DateOption = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TableOrJson = "table",
) -> None:
    """Today's calf work with exact loads and cues, and what is logged so far.

    Example: calfcoach today --date 2026-12-01
    """
    from calfcoach.services.diary_views import day_view

    day = parse_date("--date", date_) or today_date()
    database = open_database(db)
    view = day_view(database, athlete, day)
    if fmt == "json":
        print_json(view.to_json())
        return
    from calfcoach.cli.presenters import render_day
    from calfcoach.services.diary_views import next_session

    database_following = (
        None if view.to_json()["sessions"] else next_session(database, athlete, day)
    )
    render_day(view, following=database_following)


def explain(
    date_: Annotated[
        str | None, typer.Argument(help="The day (YYYY-MM-DD); default today.")
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """Why each exercise of a day is what it is: the load's 1RM, %1RM and rounding, the phase
    that sets the sets and reps, each change since the plan was made, with rules and sources.

    Example: calfcoach explain 2026-12-01
    """
    from calfcoach.services.explain import explain_day

    day = parse_date("DATE", date_) or today_date()
    found = explain_day(open_database(db), athlete, day)
    if fmt == "json":
        print_json(found.to_json())
        return
    from calfcoach.cli.presenters import render_explanation

    render_explanation(found)


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
    fmt: TextOrJson = "text",
) -> None:
    """Record a training day's pain (during, the next morning, before) or a red flag, and see
    what it changes. A second check-in for the same date updates the first.

    Example: calfcoach checkin --pain-during 3 --pain-next-morning 2
    """
    from calfcoach.services.checkins import record_checkin

    today = today_date()
    day = parse_date("--date", date_) or today
    result = record_checkin(
        open_database(db),
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
        print_json(result.to_json())
        return
    why = f" ({'; '.join(result.reasons)})" if result.reasons else ""
    sys.stdout.write(f"{day}: pain {result.zone}{why} — {result.advice}.\n")
    for notice in result.notices:
        sys.stdout.write(f"! {notice}\n")
    if result.next_session_date is not None:
        sys.stdout.write(f"Next calf session, {result.next_session_date}:\n")
        for change in result.next_session:
            sys.stdout.write(f"  {change.describe(result.units, result.pairs)}\n")


def history(
    exercise: Annotated[str | None, typer.Option(help="Only this exercise id.")] = None,
    weeks: Annotated[int | None, typer.Option(help="Only the last N weeks.")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Also write a chart of estimated 1RM: FILE.svg.")
    ] = None,
    athlete: AthleteOption = None,
    db: DbOption = None,
    fmt: TableOrJson = "table",
) -> None:
    """Strength over time: per exercise, top set, estimated 1RM and volume per session.

    Example: calfcoach history --weeks 12 --plot progress.svg
    """
    from calfcoach.services.progress import history as run

    if plot is not None and plot.suffix.lower() != ".svg":
        raise InputError(f"option --plot: {plot} is not an SVG file; allowed: a FILE.svg")
    result = run(open_database(db), athlete, exercise, weeks, today_date())
    if plot is not None:
        from calfcoach.charts import e1rm_chart_svg

        try:
            chart = e1rm_chart_svg(
                result.exercises, f"{result.athlete}: estimated 1RM", result.units
            )
            plot.write_text(chart)
        except OSError as exc:
            raise InputError(f"option --plot: cannot write {plot} ({exc.strerror})") from None
        sys.stderr.write(f"calfcoach: note: chart written to {plot}\n")
    if fmt == "json":
        print_json(result.to_json())
        return
    from calfcoach.cli.presenters import render_history

    render_history(result)
