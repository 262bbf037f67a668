"""In-memory repositories and a unit of work for the services' unit tests (cosmicpython ch. 6).

They implement the methods of services.unit_of_work's protocols the way store.repositories does
on a database (set numbers, per-client ids, one check-in a day, the stale-plan mark), so a
service runs unchanged against them; mypy checks them against the same protocols as the SQL
repositories (`make typecheck`). ``FakeUnitOfWork.committed`` says whether the service committed;
leaving the block without a commit throws the block's writes away, as a rollback does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any

from msgspec.structs import replace as struct_replace

from calfcoach.core.activity import Activity
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.services.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class _Athlete:
    name: str
    profile_toml: str


@dataclass
class FakeAthletes:
    rows: dict[int, _Athlete] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [a.name for _, a in sorted(self.rows.items())]

    def id_of(self, name: str) -> int | None:
        return next((i for i, a in self.rows.items() if a.name == name), None)

    def name_of(self, athlete_id: int) -> str | None:
        found = self.rows.get(athlete_id)
        return None if found is None else found.name

    def profile_toml(self, athlete_id: int) -> str:
        return self.rows[athlete_id].profile_toml

    def save(self, name: str, profile_toml: str) -> int:
        found = self.id_of(name)
        if found is not None:
            self.rows[found] = _Athlete(name, profile_toml)
            return found
        new = max(self.rows, default=0) + 1
        self.rows[new] = _Athlete(name, profile_toml)
        return new


@dataclass
class FakePlans:
    # Each athlete's plans as JSON text, as the database keeps them: the newest is current.
    documents: dict[int, list[str]] = field(default_factory=dict)
    stale: dict[int, date] = field(default_factory=dict)

    def add_current(self, athlete_id: int, start: date, document: dict[str, Any]) -> int:
        self.clear_stale(athlete_id)
        self.documents.setdefault(athlete_id, []).append(json.dumps(document))
        return sum(len(d) for d in self.documents.values())

    def replace_current(self, athlete_id: int, document: dict[str, Any]) -> None:
        history = list(self.documents[athlete_id])  # a new list: an open snapshot keeps the old
        history[-1] = json.dumps(document)
        self.documents[athlete_id] = history

    def current(self, athlete_id: int) -> dict[str, Any] | None:
        found = self.documents.get(athlete_id)
        return dict(json.loads(found[-1])) if found else None

    def stale_since(self, athlete_id: int) -> date | None:
        return self.stale.get(athlete_id)

    def mark_stale(self, athlete_id: int, since: date) -> None:
        self.stale[athlete_id] = since

    def clear_stale(self, athlete_id: int) -> None:
        self.stale.pop(athlete_id, None)


@dataclass(frozen=True)
class _StoredSet:
    athlete_id: int
    entry: SetEntry
    client_id: str | None = None
    client_updated_at: datetime | None = None


@dataclass
class FakeSets:
    rows: dict[int, _StoredSet] = field(default_factory=dict)

    def _next_id(self) -> int:
        return max(self.rows, default=0) + 1

    def _of(self, athlete_id: int) -> list[SetEntry]:
        return [r.entry for _, r in sorted(self.rows.items()) if r.athlete_id == athlete_id]

    def add(self, athlete_id: int, entries: Iterable[SetEntry]) -> list[int]:
        ids = []
        for e in entries:
            new = self._next_id()
            self.rows[new] = _StoredSet(athlete_id, struct_replace(e, id=new))
            ids.append(new)
        return ids

    def add_from_client(
        self, athlete_id: int, entry: SetEntry, client_id: str, client_updated_at: datetime
    ) -> int:
        new = self._next_id()
        self.rows[new] = _StoredSet(
            athlete_id, struct_replace(entry, id=new), client_id, client_updated_at
        )
        return new

    def by_client_id(
        self, athlete_id: int, client_id: str
    ) -> tuple[SetEntry, datetime | None] | None:
        for r in self.rows.values():
            if r.athlete_id == athlete_id and r.client_id == client_id:
                return r.entry, r.client_updated_at
        return None

    def replace_from_client(
        self, athlete_id: int, entry: SetEntry, client_updated_at: datetime
    ) -> None:
        self.replace(athlete_id, entry)
        assert entry.id is not None
        self.rows[entry.id] = replace(self.rows[entry.id], client_updated_at=client_updated_at)

    def numbers_and_sides(self, athlete_id: int, day: date, exercise: str) -> list[tuple[int, str]]:
        return [
            (e.set_number, e.side or "")
            for e in self._of(athlete_id)
            if e.day == day and e.exercise == exercise
        ]

    def on_day(self, athlete_id: int, day: date) -> list[SetEntry]:
        return [e for e in self._of(athlete_id) if e.day == day]

    def counts_on_day(self, athlete_id: int, day: date) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.on_day(athlete_id, day):
            counts[e.exercise] = counts.get(e.exercise, 0) + 1
        return counts

    def last_day(self, athlete_id: int) -> date | None:
        return max((e.day for e in self._of(athlete_id)), default=None)

    def between(self, athlete_id: int, first: date, last: date) -> list[SetEntry]:
        return sorted(
            (e for e in self._of(athlete_id) if first <= e.day <= last),
            key=lambda e: (e.day, e.id or 0),
        )

    def next_set_number(self, athlete_id: int, day: date, exercise: str) -> int:
        return 1 + max((n for n, _ in self.numbers_and_sides(athlete_id, day, exercise)), default=0)

    def get(self, athlete_id: int, entry_id: int) -> SetEntry | None:
        found = self.rows.get(entry_id)
        return found.entry if found is not None and found.athlete_id == athlete_id else None

    def replace(self, athlete_id: int, entry: SetEntry) -> None:
        assert entry.id is not None and self.get(athlete_id, entry.id) is not None
        self.rows[entry.id] = replace(self.rows[entry.id], entry=entry)

    def delete(self, athlete_id: int, entry_id: int) -> bool:
        if self.get(athlete_id, entry_id) is None:
            return False
        del self.rows[entry_id]
        return True

    def all(self, athlete_id: int) -> list[SetEntry]:
        return sorted(self._of(athlete_id), key=lambda e: (e.day, e.id or 0))


@dataclass
class FakeCheckIns:
    rows: dict[tuple[int, date], CheckIn] = field(default_factory=dict)
    next_id: int = 1

    def save(self, athlete_id: int, checkin: CheckIn) -> int:
        """One check-in a day: a second one replaces the first and keeps its id."""
        old = self.rows.get((athlete_id, checkin.day))
        new_id = old.id if old is not None and old.id is not None else self.next_id
        if old is None:
            self.next_id += 1
        self.rows[(athlete_id, checkin.day)] = struct_replace(checkin, id=new_id)
        return new_id

    def all(self, athlete_id: int) -> list[CheckIn]:
        return sorted(
            (c for (a, _), c in self.rows.items() if a == athlete_id), key=lambda c: c.day
        )


@dataclass
class FakeAssessments:
    rows: list[tuple[int, Assessment]] = field(default_factory=list)

    def add(self, athlete_id: int, assessment: Assessment) -> int:
        new = len(self.rows) + 1
        self.rows.append((athlete_id, struct_replace(assessment, id=new)))
        return new

    def all(self, athlete_id: int) -> list[Assessment]:
        return sorted(
            (a for i, a in self.rows if i == athlete_id), key=lambda a: (a.day, a.id or 0)
        )


@dataclass
class FakeRuns:
    rows: list[tuple[int, Activity]] = field(default_factory=list)

    def activities(self, athlete_id: int, since: datetime) -> list[Activity]:
        return sorted(
            (a for i, a in self.rows if i == athlete_id and a.start >= since),
            key=lambda a: a.start,
        )


@dataclass
class FakeStores:
    """Everything a fake database holds (what a transaction copies and puts back)."""

    athletes: FakeAthletes = field(default_factory=FakeAthletes)
    plans: FakePlans = field(default_factory=FakePlans)
    sets: FakeSets = field(default_factory=FakeSets)
    checkins: FakeCheckIns = field(default_factory=FakeCheckIns)
    assessments: FakeAssessments = field(default_factory=FakeAssessments)
    runs: FakeRuns = field(default_factory=FakeRuns)

    def copy(self) -> FakeStores:
        """A snapshot: new containers over the same immutable rows (entries, JSON text)."""
        return FakeStores(
            FakeAthletes(dict(self.athletes.rows)),
            FakePlans(dict(self.plans.documents), dict(self.plans.stale)),
            FakeSets(dict(self.sets.rows)),
            FakeCheckIns(dict(self.checkins.rows), self.checkins.next_id),
            FakeAssessments(list(self.assessments.rows)),
            FakeRuns(list(self.runs.rows)),
        )


class FakeUnitOfWork:
    """A transaction over a copy of the stores: commit puts the copy back, leaving without it
    drops it (a rollback)."""

    def __init__(self, database: FakeDatabase, read_only: bool) -> None:
        self.database = database
        self.read_only = read_only
        self.committed = False
        self._work = database.stores.copy()

    @property
    def athletes(self) -> FakeAthletes:
        return self._work.athletes

    @property
    def plans(self) -> FakePlans:
        return self._work.plans

    @property
    def sets(self) -> FakeSets:
        return self._work.sets

    @property
    def checkins(self) -> FakeCheckIns:
        return self._work.checkins

    @property
    def assessments(self) -> FakeAssessments:
        return self._work.assessments

    @property
    def runs(self) -> FakeRuns:
        return self._work.runs

    def commit(self) -> None:
        assert not self.read_only, "a read-only unit of work committed"
        self.database.stores = self._work
        self._work = self._work.copy()
        self.committed = True

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.database.finished.append(self)


class FakeDatabase:
    """What the shells pass to the services (services.context.Database), in memory."""

    def __init__(self) -> None:
        self.stores = FakeStores()
        self.finished: list[FakeUnitOfWork] = []  # every unit of work, in the order they ended

    def unit_of_work(self, *, read_only: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, read_only)

    @property
    def writes(self) -> list[FakeUnitOfWork]:
        """The units of work that committed."""
        return [u for u in self.finished if u.committed]


def _conforms(database: FakeDatabase, uow: FakeUnitOfWork) -> tuple[UnitOfWorkFactory, UnitOfWork]:
    """mypy checks here that the fakes have every method of the services' protocols."""
    return database, uow
