"""The context every service starts from: the database, the athlete a command is about, their
stored profile and their current plan."""

from __future__ import annotations

import functools
import os
import weakref
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from calfcoach.errors import FieldError, FieldNotFound, InputError, NotFoundError
from calfcoach.services.unit_of_work import SqlUnitOfWork, UnitOfWork, UnitOfWorkFactory
from calfcoach.store.db import ensure_schema, make_engine, resolve_url, sqlite_file
from calfcoach.store.repositories import AthleteReads

if TYPE_CHECKING:
    from calfcoach.core.profile import Profile

# The planner, pydantic models and the catalog are imported where they are used: commands
# that only read or write rows (CSV exports, runs, backups) then start without them.


@dataclass(frozen=True, slots=True)
class Database:
    """An open database: the factory of its units of work, which the shells pass to the
    services (the unit tests pass tests/unit/fakes.FakeDatabase instead)."""

    engine: Engine
    url: str
    backup: Path | None  # the copy made before an upgrade, if one was
    # Set on the copy one web request works with (for_request); None elsewhere.
    reads: AthleteReads | None = None

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """One transaction (services.unit_of_work); ``read_only`` for blocks that only read."""
        return SqlUnitOfWork(self.engine, read_only=read_only, reads=self.reads)

    def for_request(self) -> Database:
        """This database for one web request: the request's access check, services and audit
        row share their athlete lookups and the profile they fetch (one of each a request,
        issue 13), while each still runs its own transactions."""
        return replace(self, reads=AthleteReads())


# The engines open_database made in this process and still in use, for close_databases
# (weakly held: an engine its callers dropped is closed as before; the tests open hundreds).
_OPENED: weakref.WeakSet[Engine] = weakref.WeakSet()


def database_missing(option: str | None) -> bool:
    """Whether ``--db``/CALFCOACH_DB names a SQLite file that is not there yet (a command that
    creates one may check its input first, so that a refusal leaves no file behind).

    :raises InputError: the URL is unusable."""
    path = sqlite_file(resolve_url(option))
    return path is not None and not path.exists()


def open_database(option: str | None, *, create: bool = True) -> Database:
    """Open (and if needed create or upgrade) the database named by ``--db``/CALFCOACH_DB.
    ``create`` False: a SQLite file that is not there is refused, not made (a command that
    reads a diary: a mistyped path would start an empty one).

    :raises InputError: the URL is unusable; or no SQLite file there, without ``create``.
    """
    url = resolve_url(option)
    path = None if create else sqlite_file(url)
    if path is not None and not path.exists():
        named = (
            "option --db"
            if option is not None
            else ("CALFCOACH_DB" if os.environ.get("CALFCOACH_DB") else "the default diary")
        )
        raise InputError(
            f"{named}: no database at {path}; allowed: an existing calfcoach database "
            "(`calfcoach init --profile FILE` makes one)",
            "db",
        )
    engine = make_engine(url)
    _OPENED.add(engine)
    backup = ensure_schema(engine)
    return Database(engine, url, backup)


def dumbbell_pairs(profile: Profile) -> frozenset[str]:
    """The exercises this athlete loads with a pair of dumbbells: their load reads "2 × 8 kg"
    wherever a dose is shown (a total of 16 kg read as 16 kg a hand doubles it)."""
    from calfcoach.core.dosing import pair_exercise_ids
    from calfcoach.data import default_catalog, default_norms

    return pair_exercise_ids(default_catalog(), profile.equipment, default_norms())


def close_databases() -> None:
    """Close every connection open_database's engines hold. SQLite moves its write-ahead log
    into the database file when the last connection closes; a command that ended with its
    connections open left the diary in the ``-wal`` file beside it, and a copy of the
    ``.sqlite`` file alone held none of it (issue 13's trial)."""
    for engine in list(_OPENED):
        engine.dispose()
    _OPENED.clear()


def find_athlete(uow: UnitOfWork, name: str | None) -> tuple[int, str]:
    """The athlete named, or the only one. :raises InputError: none, unknown, or ambiguous."""
    if name is not None:
        # One query on the common path (the web app names the athlete on every request); the
        # list of names is read only to say what is allowed.
        found = uow.athletes.id_of(name)
        if found is not None:
            return found, name
    names = uow.athletes.names()
    if name is None:
        if not names:
            raise NotFoundError(
                "no athlete in this database yet; run: calfcoach init --profile YOUR.toml",
                "athlete",
            )
        if len(names) > 1:
            raise FieldError("athlete", "a name is needed here", ", ".join(names))
        name = names[0]
    athlete_id = uow.athletes.id_of(name)
    if athlete_id is None:
        allowed = ", ".join(names) or "none yet (run calfcoach init)"
        raise FieldNotFound("athlete", f"no athlete {name!r}", allowed)
    return athlete_id, name


def stored_profile(uow: UnitOfWork, athlete_id: int, name: str, today: date) -> Profile:
    """The athlete's stored profile, validated. :raises InputError: it no longer validates."""
    return _parse_stored(uow.athletes.profile_toml(athlete_id), name, today)


@functools.lru_cache(maxsize=64)
def _parse_stored(text: str, name: str, today: date) -> Profile:
    # Profiles are frozen models, so one parse serves every request of the web app that reads
    # the same stored text on the same day (a log parses it twice: to dose and to re-plan).
    from calfcoach.core.profile import ProfileError

    try:
        return parse_stored_profile(text, f"stored profile of {name}", today)
    except ProfileError as exc:
        raise InputError(exc.one_line()) from None


def parse_stored_profile(text: str, source: str, today: date) -> Profile:
    """A stored profile's TOML ``text``, validated as the diary reads it back (``source``
    names it in errors): restore checks a backup's profiles with it, so a restored diary
    reads them (issue 13's trial).

    :raises ProfileError: it does not validate.
    """
    from calfcoach.core.profile import parse_profile
    from calfcoach.data import default_norms

    # Valid when it was stored; a race that has gone by since must not lock the diary.
    return parse_profile(
        text, source, today, max_plan_weeks=default_norms().max_plan_weeks, stored=True
    )


def current_plan(uow: UnitOfWork, athlete_id: int, name: str) -> dict[str, Any]:
    """The athlete's current plan document. :raises InputError: none stored yet."""
    document = uow.plans.current(athlete_id)
    if document is None:
        raise InputError(f"{name} has no plan yet; run: calfcoach init --profile YOUR.toml")
    return document


def running_history(uow: UnitOfWork, athlete_id: int | None, today: date) -> Any:
    """The athlete's recent running (core.running_load), or None without imported runs."""
    from calfcoach.core.running_load import HISTORY_WEEKS, summarize

    if athlete_id is None:
        return None
    since = datetime.combine(
        today - timedelta(weeks=HISTORY_WEEKS + 1), datetime.min.time(), tzinfo=UTC
    )
    return summarize(uow.runs.activities(athlete_id, since), today)


def athlete_units(db: Database, athlete: str | None) -> str:
    """The athlete's display units (metric or imperial)."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        return stored_profile(uow, athlete_id, name, date.today()).athlete.units


def _conforms(database: Database) -> UnitOfWorkFactory:
    """mypy checks here that a Database is what the services take."""
    return database
