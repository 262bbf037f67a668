"""The unit of work: one transaction per command, owned by the services layer.

Services get one from the factory the shell passes (``services.context.Database``, or the unit
tests' ``tests/unit/fakes.FakeDatabase``) and use it as ``with db.unit_of_work() as uow: ...;
uow.commit()``. Leaving the block without ``commit()`` (an error, an early return) rolls
everything back, so a command either happens whole or not at all.

:class:`UnitOfWork` is what the diary, check-in and re-plan services need of one (the
repositories as attributes, commit, a context manager), as protocols, so the in-memory fakes and
the SQL repositories are checked against the same methods by mypy. :class:`SqlUnitOfWork` has
more (calendar, backup, access) for the services that only run on a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError

from calfcoach.core.activity import Activity
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.errors import InputError
from calfcoach.store.access import AccessRepository
from calfcoach.store.db import READ_ONLY_OPTION, translated_error, write_lock
from calfcoach.store.repositories import (
    AssessmentRepository,
    AthleteReads,
    AthleteRepository,
    BackupRepository,
    CalendarRepository,
    CheckInRepository,
    PlanRepository,
    RunRepository,
    SetLogRepository,
)


class AthleteStore(Protocol):
    def names(self) -> list[str]: ...
    def id_of(self, name: str) -> int | None: ...
    def name_of(self, athlete_id: int) -> str | None: ...
    def profile_toml(self, athlete_id: int) -> str: ...
    def save(self, name: str, profile_toml: str) -> int: ...


class PlanStore(Protocol):
    def add_current(self, athlete_id: int, start: date, document: dict[str, Any]) -> int: ...
    def replace_current(self, athlete_id: int, document: dict[str, Any]) -> None: ...
    def current(self, athlete_id: int) -> dict[str, Any] | None: ...
    def stale_since(self, athlete_id: int) -> date | None: ...
    def mark_stale(self, athlete_id: int, since: date) -> None: ...
    def clear_stale(self, athlete_id: int) -> None: ...


class SetStore(Protocol):
    def add(self, athlete_id: int, entries: Iterable[SetEntry]) -> list[int]: ...
    def add_from_client(
        self, athlete_id: int, entry: SetEntry, client_id: str, client_updated_at: datetime
    ) -> int: ...
    def by_client_id(
        self, athlete_id: int, client_id: str
    ) -> tuple[SetEntry, datetime | None] | None: ...
    def replace_from_client(
        self, athlete_id: int, entry: SetEntry, client_updated_at: datetime
    ) -> None: ...
    def numbers_and_sides(
        self, athlete_id: int, day: date, exercise: str
    ) -> list[tuple[int, str]]: ...
    def on_day(self, athlete_id: int, day: date) -> list[SetEntry]: ...
    def counts_on_day(self, athlete_id: int, day: date) -> dict[str, int]: ...
    def last_day(self, athlete_id: int) -> date | None: ...
    def between(self, athlete_id: int, first: date, last: date) -> list[SetEntry]: ...
    def next_set_number(self, athlete_id: int, day: date, exercise: str) -> int: ...
    def get(self, athlete_id: int, entry_id: int) -> SetEntry | None: ...
    def replace(self, athlete_id: int, entry: SetEntry) -> None: ...
    def delete(self, athlete_id: int, entry_id: int) -> bool: ...
    def all(self, athlete_id: int) -> list[SetEntry]: ...


class CheckInStore(Protocol):
    def save(self, athlete_id: int, checkin: CheckIn) -> int: ...
    def all(self, athlete_id: int) -> list[CheckIn]: ...


class AssessmentStore(Protocol):
    def add(self, athlete_id: int, assessment: Assessment) -> int: ...
    def all(self, athlete_id: int) -> list[Assessment]: ...


class RunStore(Protocol):
    """What re-planning reads of the imported runs."""

    def activities(self, athlete_id: int, since: datetime) -> list[Activity]: ...


class UnitOfWork(Protocol):
    """One transaction over the diary's repositories."""

    # Read-only properties: an implementation may hold any repository that has the methods.
    @property
    def read_only(self) -> bool: ...
    @property
    def athletes(self) -> AthleteStore: ...
    @property
    def plans(self) -> PlanStore: ...
    @property
    def sets(self) -> SetStore: ...
    @property
    def checkins(self) -> CheckInStore: ...
    @property
    def assessments(self) -> AssessmentStore: ...
    @property
    def runs(self) -> RunStore: ...

    def commit(self) -> None: ...
    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    """What a service is given: a maker of units of work (``services.context.Database``)."""

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork: ...


class SqlUnitOfWork:
    athletes: AthleteRepository
    plans: PlanRepository
    sets: SetLogRepository
    checkins: CheckInRepository
    assessments: AssessmentRepository
    runs: RunRepository
    calendar: CalendarRepository
    backup: BackupRepository
    access: AccessRepository
    connection: Connection

    def __init__(
        self, engine: Engine, *, read_only: bool = False, reads: AthleteReads | None = None
    ) -> None:
        """``read_only``: the block only reads (pages, views); on SQLite it then neither takes
        nor waits for the write lock. ``reads``: the athlete lookups of the web request this
        transaction belongs to (store.repositories.AthleteReads)."""
        self.engine = engine
        self.read_only = read_only
        self.reads = reads
        self._transaction: RootTransaction | None = None
        self._lock = None if read_only else write_lock(engine)

    def __enter__(self) -> SqlUnitOfWork:
        if self._lock is not None:
            self._lock.acquire()
        try:
            return self._begin()
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise

    def _begin(self) -> SqlUnitOfWork:
        try:
            self.connection = self.engine.connect()
            if self.read_only:
                self.connection = self.connection.execution_options(**{READ_ONLY_OPTION: True})
            self._transaction = self.connection.begin()
        except OperationalError as exc:
            raise translated_error(exc) from None
        self.athletes = AthleteRepository(self.connection, self.reads, writes=not self.read_only)
        self.plans = PlanRepository(self.connection)
        self.sets = SetLogRepository(self.connection)
        self.checkins = CheckInRepository(self.connection)
        self.assessments = AssessmentRepository(self.connection)
        self.runs = RunRepository(self.connection)
        self.calendar = CalendarRepository(self.connection)
        self.backup = BackupRepository(self.connection)
        self.access = AccessRepository(self.connection)
        return self

    def commit(self) -> None:
        if self._transaction is not None:
            self._transaction.commit()
            self._transaction = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._transaction is not None and self._transaction.is_active:
                self._transaction.rollback()
        except SqlDatabaseError:
            if exc is None:
                raise
            # The rollback of a failed transaction on a damaged file can fail too: the error
            # that matters is the first one.
        finally:
            self._transaction = None
            self.connection.close()
            if self._lock is not None:
                self._lock.release()
        if isinstance(exc, SqlDatabaseError) and not isinstance(exc, IntegrityError):
            # A busy, unreachable or damaged database is one line for the user, not an
            # internal error; other database errors are bugs and stay as they are.
            error = translated_error(exc)
            if isinstance(exc, OperationalError) or isinstance(error, InputError):
                raise error from None


def _conforms(uow: SqlUnitOfWork) -> UnitOfWork:
    """mypy checks here that the SQL repositories have every method of the protocols above
    (tests/unit/fakes.py does the same for the in-memory ones)."""
    return uow
