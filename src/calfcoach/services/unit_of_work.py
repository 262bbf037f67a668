"""The unit of work: one transaction per command, owned by the services layer.

Use it as ``with SqlUnitOfWork(engine) as uow: ...; uow.commit()``. Leaving the block without
``commit()`` (an error, an early return) rolls everything back, so a command either happens
whole or not at all.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import OperationalError

from calfcoach.store.db import DatabaseError
from calfcoach.store.repositories import (
    AssessmentRepository,
    AthleteRepository,
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
    connection: Connection

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self.connection = self.engine.connect()
            self._transaction = self.connection.begin()
        except OperationalError as exc:
            message = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            if "locked" in message or "busy" in message:
                raise DatabaseError("database busy, try again") from None
            raise DatabaseError(f"cannot open the database: {message}") from None
        self.athletes = AthleteRepository(self.connection)
        self.plans = PlanRepository(self.connection)
        self.sets = SetLogRepository(self.connection)
        self.checkins = CheckInRepository(self.connection)
        self.assessments = AssessmentRepository(self.connection)
        self.runs = RunRepository(self.connection)
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
        finally:
            self._transaction = None
            self.connection.close()
