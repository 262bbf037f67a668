"""Adding an athlete: store their profile and a first plan, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from calfcoach.errors import InputError
from calfcoach.services.context import running_history
from calfcoach.services.files import read_text
from calfcoach.services.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class InitResult:
    name: str
    created: bool
    weeks: int
    start: date
    notes: tuple[str, ...]


def init_athlete(
    db: UnitOfWorkFactory,
    profile_path: Path,
    start: date | None,
    today: date,
    weeks: int | None = None,
) -> InitResult:
    """Store the profile's athlete (or update the one with that name) and a fresh plan of
    ``weeks`` weeks (default: to the race and 2 recovery weeks, or 12).

    One transaction: on any error nothing is stored.
    :raises InputError: unreadable or invalid profile.
    """
    return init_athlete_from_text(
        db, read_text(profile_path, "profile"), str(profile_path), start, today, weeks
    )


def init_athlete_from_text(
    db: UnitOfWorkFactory,
    profile_text: str,
    source: str,
    start: date | None,
    today: date,
    weeks: int | None = None,
    *,
    only_new: bool = False,
) -> InitResult:
    """:func:`init_athlete` for a profile's TOML text (the web app's first-run form);
    ``source`` names it in errors. One transaction.

    ``only_new``: add the athlete, never replace one (checked in the transaction that
    writes, so an athlete of that name added meanwhile is not replaced either).
    :raises InputError: ``only_new`` and the athlete exists.
    """
    from calfcoach.core.plan import plan_to_dict
    from calfcoach.services.planning import plan_for_profile, profile_from_text

    profile = profile_from_text(profile_text, source, today)
    name = profile.athlete.name
    with db.unit_of_work(read_only=True) as uow:
        athlete_id = uow.athletes.id_of(name)
        history = running_history(uow, athlete_id, today)
    result = plan_for_profile(
        profile,
        source,
        start,
        weeks,
        today,
        history,
        provenance=True,
        in_diary=athlete_id is not None,
    )
    try:
        with db.unit_of_work() as uow:
            created = uow.athletes.id_of(name) is None
            if only_new and not created:
                raise InputError(
                    f"athlete.name: {name} exists already; allowed: a name not taken",
                    "athlete.name",
                )
            athlete_id = uow.athletes.save(name, profile_text)
            document = plan_to_dict(result.plan, provenance=True)
            uow.plans.add_current(athlete_id, result.plan.start, document)
            uow.commit()
    except IntegrityError:
        if not only_new:
            raise
        # Added by another request between our look and our write (the name is unique).
        raise InputError(
            f"athlete.name: {name} exists already; allowed: a name not taken", "athlete.name"
        ) from None
    return InitResult(name, created, len(result.plan.weeks), result.plan.start, result.notes)
