"""Adding an athlete: store their profile and a first plan, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from calfcoach.errors import InputError
from calfcoach.services.context import running_history
from calfcoach.services.files import read_text
from calfcoach.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

# What adding an athlete answers when the name is taken, in any letter case or spacing
# (core.profile.name_key): the same words whoever asks and whoever has the name (an athlete
# the asker may see or one they may not), so it names no one and tells nothing of athletes
# one may not see (issue 16) beyond what a refusal must: this name cannot be added.
NAME_TAKEN = (
    "athlete.name: that name cannot be used here; allowed: a name no athlete in the club "
    "has, in any letter case or spacing"
)


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

    A name that is a stored athlete's in another letter case or spacing (core.profile's
    name_key) is neither added nor taken for that athlete: "sam" beside "Sam" would be two
    athletes a coach cannot tell apart, and updating "Sam" from a file naming "sam" would
    leave the file and the diary disagreeing.

    ``only_new``: add the athlete, never replace one (checked in the transaction that
    writes, so an athlete of that name added meanwhile is not replaced either).
    :raises InputError: ``only_new`` and the name is taken (NAME_TAKEN); the name is a
        stored one written another way.
    """
    from calfcoach.core.plan import plan_to_dict
    from calfcoach.services.planning import plan_for_profile, profile_from_text

    profile = profile_from_text(profile_text, source, today)
    name = profile.athlete.name
    with db.unit_of_work(read_only=True) as uow:
        check_spaces(uow, name, source, only_new)
        _check_name(uow, name, source, only_new)
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
            _check_name(uow, name, source, only_new)
            created = uow.athletes.id_of(name) is None
            athlete_id = uow.athletes.save(name, profile_text)
            document = plan_to_dict(result.plan, provenance=True)
            uow.plans.add_current(athlete_id, result.plan.start, document)
            uow.commit()
    except IntegrityError:
        if not only_new:
            raise
        # Added by another request between our look and our write (the name is unique).
        raise InputError(NAME_TAKEN, "athlete.name") from None
    return InitResult(name, created, len(result.plan.weeks), result.plan.start, result.notes)


def alike_names(uow: UnitOfWork, name: str) -> list[str]:
    """The stored athletes' names that are ``name`` by core.profile's name_key (in any letter
    case and spacing), the one written exactly so first. Every name is read: the database
    cannot fold case and spaces as Python does, and a club's list is short."""
    from calfcoach.core.profile import name_key

    key = name_key(name)
    alike = [stored for stored in uow.athletes.names() if name_key(stored) == key]
    return sorted(alike, key=lambda stored: stored != name)


def check_new_profile(profile_text: str, source: str, today: date) -> None:
    """What :func:`init_athlete_from_text` refuses of a profile before any database is read:
    its validation and a new name's spaces (for a database not made yet: a refused ``init``
    then leaves no empty file behind, a trial's finding).

    :raises InputError: the profile is not valid, or its name has spaces around it."""
    from calfcoach.services.planning import profile_from_text

    name = profile_from_text(profile_text, source, today).athlete.name
    if name != name.strip():
        raise InputError(_spaced(name, source), "athlete.name")


def _spaced(name: str, source: str) -> str:
    """The one line refusing a new athlete's name with spaces around it."""
    from calfcoach.core.profile import NEW_NAME_ALLOWED, ProfileError

    return ProfileError(
        source,
        f"{name!r} has spaces before or after it",
        field="athlete.name",
        allowed=NEW_NAME_ALLOWED,
    ).one_line()


def check_spaces(uow: UnitOfWork, name: str, source: str, only_new: bool) -> None:
    """A name with spaces before or after it is refused for a new athlete, not stripped: a
    coach cannot tell "SAM " from "SAM" in a list (a club's trial), and stripping would
    quietly turn a profile naming a stored "SAM " into one naming another athlete. An athlete
    stored so before this check keeps their name: `init` may change their profile under it.
    Only the diary refuses it: `plan` and `check` read such a profile as before (a profile
    file is a contract; a review).

    :raises InputError: a spaced name that no stored athlete has (or ``only_new``)."""
    if name == name.strip() or (not only_new and uow.athletes.id_of(name) is not None):
        return
    raise InputError(_spaced(name, source), "athlete.name")


def _check_name(uow: UnitOfWork, name: str, source: str, only_new: bool) -> None:
    """:raises InputError: ``name`` (of the profile ``source``) is a stored athlete's written
    another way; or ``only_new`` and it is a stored athlete's at all."""
    alike = alike_names(uow, name)
    if not alike:
        return
    if only_new:
        raise InputError(NAME_TAKEN, "athlete.name")
    if alike[0] != name:
        # The command line is the database's owner, who sees every athlete: naming one is
        # no leak here.
        raise InputError(
            f"{source}, field athlete.name: {name!r} is the stored athlete {alike[0]!r} "
            f"written another way (letter case or spaces); allowed: {alike[0]!r} to change "
            "their profile, or a name no athlete has",
            "athlete.name",
        )
