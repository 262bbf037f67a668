"""The club commands of the command line (issue 16): ``calfcoach club set|show``, the club
gym's equipment, loads and preferred strength days offered to every athlete a coach adds.

Whoever runs the command line on the database is its owner (as for ``calfcoach user``); the
audit trail records the change as "cli:" and the operating-system user.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from calfcoach.cli.options import DbOption, TextOrJson, open_database, today_date
from calfcoach.cli.output import print_json
from calfcoach.errors import FieldError, InputError

club_app = typer.Typer(
    help="The club's defaults offered when a coach adds an athlete: the club gym's equipment, "
    "its loads (kg) and the preferred strength days.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _option(field: str) -> str:
    """This command line's name for a profile field the defaults are checked as (an item's
    position, "athlete.equipment.1", is left out: the value is quoted)."""
    field = ".".join(part for part in field.split(".") if not part.isdigit())
    if field.startswith("equipment_loads."):
        return f"option --loads {field.split('.', 1)[1]}"
    return {
        "athlete.equipment": "option --equipment",
        "strength.preferred_days": "option --days",
        "equipment_loads": "option --loads",
    }.get(field, field)


def _items(values: list[str] | None) -> list[str] | None:
    """Comma-separated and repeated options, as one list; None when not given."""
    if values is None:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@club_app.command("set")
def set_(
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="The club gym's equipment, comma-separated or repeated (as a profile's "
            "athlete.equipment), e.g. dumbbells,step,plates,barbell,rack.",
        ),
    ] = None,
    loads: Annotated[
        list[str] | None,
        typer.Option(
            help="Loads the gym holds, in kg, as KIND=LOADS and repeated: dumbbells=2,4,6 "
            "kettlebells=8,12 plates=1.25,2.5,5 backpack_max=20 barbell=20 smith_bar=15. A "
            "kind given replaces that kind's loads; the others are kept.",
        ),
    ] = None,
    days: Annotated[
        list[str] | None,
        typer.Option(help="Preferred strength days, comma-separated, e.g. tuesday,friday."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Set the club's defaults; an option left out keeps what was set before.

    Example: calfcoach club set --equipment dumbbells,step,plates --loads dumbbells=2,4,6,8
    --days tuesday,friday
    """
    from calfcoach.services import club
    from calfcoach.services.audit import cli_owner

    if equipment is None and loads is None and days is None:
        raise InputError(
            "club set: nothing to set; allowed: --equipment, --loads, --days (see --help)"
        )
    database = open_database(db, creates=True)
    old = club.club_defaults(database) or club.ClubDefaults()
    try:
        parsed_loads = None
        if loads is not None:
            parsed_loads = {}
            for given in loads:
                key, sign, raw = given.partition("=")
                if not sign:
                    raise FieldError(
                        "equipment_loads", f"{given!r} is not KIND=LOADS", "e.g. dumbbells=2,4,6"
                    )
                parsed_loads[key.strip()] = club.parse_loads(key.strip(), raw)
        defaults = club.validated(
            _items(equipment) if equipment is not None else old.equipment,
            # A kind given replaces that kind's loads; the other kinds' loads are kept, as
            # an option left out keeps its value (a new-user trial lost the dumbbells' loads
            # to a later --loads kettlebells=…).
            {**old.loads, **parsed_loads} if parsed_loads is not None else old.loads,
            _items(days) if days is not None else old.preferred_days,
            today_date(),
        )
    except FieldError as exc:
        raise InputError(exc.worded(_option(exc.field or "")), exc.field) from None
    club.set_club_defaults(database, cli_owner(), defaults)
    sys.stdout.write(f"Club defaults set: {club.describe(defaults)}\n")


@club_app.command("show")
def show(
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """The club's defaults, and who set them when.

    Example: calfcoach club show --format json
    """
    from calfcoach.services import club
    from calfcoach.services.access import strip_controls

    defaults = club.club_defaults(open_database(db))
    if fmt == "json":
        print_json(
            None
            if defaults is None
            else {
                "equipment": list(defaults.equipment),
                "equipment_loads": defaults.loads,
                "preferred_days": list(defaults.preferred_days),
                "updated_at": defaults.updated_at.isoformat() if defaults.updated_at else None,
                "updated_by": defaults.updated_by,
            }
        )
        return
    if defaults is None:
        sys.stdout.write(
            "No club defaults yet; set them with: calfcoach club set --equipment … --days …\n"
        )
        return
    when = f"{defaults.updated_at:%Y-%m-%d %H:%M} UTC" if defaults.updated_at else "?"
    sys.stdout.write(
        f"{club.describe(defaults)}\n"
        f"set by {strip_controls(defaults.updated_by or '?')} on {when}\n"
    )
