"""The unit of work: one transaction per command, owned by the services layer.

Use it as ``with SqlUnitOfWork(engine) as uow: ...; uow.commit()``. Leaving the block without
``commit()`` (an error, an early return) rolls everything back, so a command either happens
whole or not at all.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError

from calfcoach.errors import InputError
from calfcoach.store.access import AccessRepository
from calfcoach.store.db import READ_ONLY_OPTION, translated_error, write_lock
from calfcoach.store.repositories import (
    AssessmentRepository,
    AthleteRepository,
    BackupRepository,
    CalendarRepository,
    CheckInRepository,
    PlanRepository,
    RunRepository,
    SetLogRepository,
)


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

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        """``read_only``: the block only reads (pages, views); on SQLite it then neither takes
        nor waits for the write lock."""
        self.engine = engine
        self.read_only = read_only
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
        self.athletes = AthleteRepository(self.connection)
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
