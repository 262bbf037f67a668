"""Repositories: the only code that writes SQL. Each works on a connection inside the
caller's transaction and never commits."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Table,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)

from calfcoach.core.activity import Activity
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.store.tables import (
    api_tokens,
    assessments,
    athletes,
    audit,
    calendar_events,
    calendar_feeds,
    checkins,
    club_defaults,
    grants,
    import_batches,
    plans,
    runs,
    server_keys,
    set_logs,
    stale_plans,
    users,
)

# Ids are 64-bit integers in both databases; a larger number names no row (and would overflow
# the driver), so it is checked before any query.
MAX_ID = 2**63 - 1


def valid_id(value: int) -> bool:
    return 1 <= value <= MAX_ID


def storable_name(name: str) -> bool:
    """Whether ``name`` may name a row. PostgreSQL's text cannot hold NUL: a lookup with one
    is a DataError (a 500 and a reset connection, from ?athlete=%00), and no stored name has
    one (the profile's and the account's name checks refuse control characters), so such a
    name names no row and is checked before any query (issue 13)."""
    return "\x00" not in name


def _now() -> datetime:
    return datetime.now(UTC)


def _day_or_none(found: Any) -> date | None:
    """A date read back, or None: SQLite may hand back the ISO text of a date where
    PostgreSQL gives a date."""
    if found is None:
        return None
    return found if isinstance(found, date) else date.fromisoformat(str(found))


def _lock_athlete(conn: Connection, athlete_id: int) -> None:
    """Lock the athlete's row until the transaction ends, so read-then-write steps (the next
    set number, the duplicate check before an import) of concurrent commands for one athlete
    run one after the other on PostgreSQL. FOR NO KEY UPDATE leaves foreign-key checks of
    other inserts alone. SQLite needs nothing: its writers hold the database lock from BEGIN
    IMMEDIATE on."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            select(athletes.c.id).where(athletes.c.id == athlete_id).with_for_update(key_share=True)
        )


def _dialect_insert(conn: Connection, table: Table) -> Any:
    """The INSERT of the connection's own dialect, which has ON CONFLICT. Its module is the
    one the engine already loaded: importing both dialects up front cost every SQLite command
    about 20 ms of start-up, for the PostgreSQL one (issue 13)."""
    dialect = importlib.import_module(f"sqlalchemy.dialects.{conn.dialect.name}")
    return dialect.insert(table)


def _insert_ignoring_duplicates(conn: Connection, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: a row a unique constraint refuses is skipped."""
    return _dialect_insert(conn, table).on_conflict_do_nothing()


class AthleteReads:
    """What one web request has read of the athletes table, so that its access check, its
    services and its audit row look the athlete up once and fetch the profile once (issue
    13), however many units of work they open.

    Only what cannot go stale inside a request is trusted everywhere: an athlete's id never
    changes once the athlete exists, so found ids serve every unit of work, and a name not
    found is asked again (another process may have added it since). A profile can change
    (another request, the command line), so a remembered one serves only read-only units of
    work; a unit of work that writes reads it again, so it never re-plans or stores from a
    profile replaced since the request read it. Any write to the athletes table through
    :class:`AthleteRepository` forgets everything."""

    __slots__ = ("all_names", "ids", "profiles")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.all_names: list[str] | None = None
        self.profiles: dict[int, str] = {}

    def forget(self) -> None:
        self.ids.clear()
        self.all_names = None
        self.profiles.clear()


class AthleteRepository:
    def __init__(
        self, conn: Connection, reads: AthleteReads | None = None, *, writes: bool = False
    ) -> None:
        """``reads``: the request's athlete reads (AthleteReads); ``writes``: this unit of
        work writes, so it takes no remembered profile."""
        self.conn = conn
        self.reads = reads
        self.writes = writes
        # Profiles read in this transaction: consistent within it, writing or not.
        self._read_here: set[int] = set()

    def names(self) -> list[str]:
        if self.reads is None:
            return list(self.conn.scalars(select(athletes.c.name).order_by(athletes.c.name)))
        if self.reads.all_names is None:
            # Ids come along for free: the lookup that follows the list is then no query.
            rows = self.conn.execute(
                select(athletes.c.name, athletes.c.id).order_by(athletes.c.name)
            ).all()
            self.reads.all_names = [name for name, _ in rows]
            self.reads.ids.update({name: athlete_id for name, athlete_id in rows})
        return list(self.reads.all_names)

    def id_of(self, name: str) -> int | None:
        if self.reads is not None and name in self.reads.ids:
            return self.reads.ids[name]
        if not storable_name(name):
            return None
        found = self.conn.scalar(select(athletes.c.id).where(athletes.c.name == name))
        if self.reads is not None and found is not None:
            self.reads.ids[name] = found
        return found

    def name_of(self, athlete_id: int) -> str | None:
        return self.conn.scalar(select(athletes.c.name).where(athletes.c.id == athlete_id))

    def profile_toml(self, athlete_id: int) -> str:
        reads = self.reads
        trusted = not self.writes or athlete_id in self._read_here
        if reads is not None and trusted and athlete_id in reads.profiles:
            return reads.profiles[athlete_id]
        found = self.conn.scalar(select(athletes.c.profile_toml).where(athletes.c.id == athlete_id))
        if found is None:
            raise LookupError(f"no athlete {athlete_id}")
        if reads is not None:
            reads.profiles[athlete_id] = str(found)
            self._read_here.add(athlete_id)
        return str(found)

    def save(self, name: str, profile_toml: str) -> int:
        """Add the athlete, or replace the profile of the one with that name."""
        existing = self.conn.scalar(select(athletes.c.id).where(athletes.c.name == name))
        if existing is not None:
            self.conn.execute(
                update(athletes).where(athletes.c.id == existing).values(profile_toml=profile_toml)
            )
        else:
            existing = self.conn.execute(
                insert(athletes)
                .values(name=name, profile_toml=profile_toml, created_at=_now())
                .returning(athletes.c.id)
            ).scalar_one()
        if self.reads is not None:
            # After the write: what the request read before it (a name not there yet, the old
            # profile) is read again.
            self.reads.forget()
        return int(existing)


class PlanRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_current(self, athlete_id: int, start: date, document: dict[str, Any]) -> int:
        """Store a plan as the athlete's current one (up to date: no re-plan waits); earlier
        plans stay as history."""
        self.clear_stale(athlete_id)
        self.conn.execute(
            update(plans).where(plans.c.athlete_id == athlete_id).values(current=False)
        )
        return int(
            self.conn.execute(
                insert(plans)
                .values(
                    athlete_id=athlete_id,
                    created_at=_now(),
                    start=start,
                    current=True,
                    document=json.dumps(document, separators=(",", ":")),
                )
                .returning(plans.c.id)
            ).scalar_one()
        )

    def replace_current(self, athlete_id: int, document: dict[str, Any]) -> None:
        """Overwrite the current plan (a re-plan: its past weeks are unchanged)."""
        self.conn.execute(
            update(plans)
            .where(plans.c.athlete_id == athlete_id, plans.c.current.is_(True))
            .values(document=json.dumps(document, separators=(",", ":")))
        )

    def current(self, athlete_id: int) -> dict[str, Any] | None:
        found = self.conn.scalar(
            select(plans.c.document)
            .where(plans.c.athlete_id == athlete_id, plans.c.current.is_(True))
            .order_by(plans.c.id.desc())
            .limit(1)
        )
        return None if found is None else dict(json.loads(found))

    def stale_since(self, athlete_id: int) -> date | None:
        """The day from which the current plan waits for a re-plan, or None when up to date."""
        found = self.conn.scalar(
            select(stale_plans.c.since).where(stale_plans.c.athlete_id == athlete_id)
        )
        return _day_or_none(found)

    def mark_stale(self, athlete_id: int, since: date) -> None:
        """Say the plan's weeks after ``since`` wait for a re-plan (replacing an earlier mark).
        An upsert: two logs of one athlete at the same moment both leave one mark."""
        self.conn.execute(
            _dialect_insert(self.conn, stale_plans)
            .values(athlete_id=athlete_id, since=since)
            .on_conflict_do_update(index_elements=["athlete_id"], set_={"since": since})
        )

    def clear_stale(self, athlete_id: int) -> None:
        """Take the mark away, before the re-plan that clears it reads the log: the athlete's
        lock makes a set being logged at that moment commit first (and be read) or wait."""
        _lock_athlete(self.conn, athlete_id)
        self.conn.execute(delete(stale_plans).where(stale_plans.c.athlete_id == athlete_id))


# The columns of a SetEntry, in its field order: rows become entries positionally, which
# matters when a re-plan reads a month of a heavy logger's sets on every log.
_ENTRY_COLUMNS = (
    set_logs.c.id,
    set_logs.c.day,
    set_logs.c.exercise,
    set_logs.c.set_number,
    set_logs.c.reps,
    set_logs.c.load_kg,
    set_logs.c.rpe,
    set_logs.c.side,
    set_logs.c.hold_s,
)


def _entry(row: Any) -> SetEntry:
    """A row selected with ``_ENTRY_COLUMNS``."""
    return SetEntry(*row)


class SetLogRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, athlete_id: int, entries: Iterable[SetEntry]) -> list[int]:
        return [self._insert(athlete_id, e) for e in entries]

    def add_from_client(
        self, athlete_id: int, entry: SetEntry, client_id: str, client_updated_at: datetime
    ) -> int:
        """Store a set under the id its client made (unique per athlete)."""
        return self._insert(
            athlete_id, entry, client_id=client_id, client_updated_at=client_updated_at
        )

    def _insert(self, athlete_id: int, e: SetEntry, **client: Any) -> int:
        """One set row; ``client``: the web app's idempotency key and edit time, if any."""
        return int(
            self.conn.execute(
                insert(set_logs)
                .values(
                    athlete_id=athlete_id,
                    day=e.day,
                    exercise=e.exercise,
                    set_number=e.set_number,
                    reps=e.reps,
                    load_kg=e.load_kg,
                    rpe=e.rpe,
                    side=e.side,
                    hold_s=e.hold_s,
                    created_at=_now(),
                    **client,
                )
                .returning(set_logs.c.id)
            ).scalar_one()
        )

    def by_client_id(
        self, athlete_id: int, client_id: str
    ) -> tuple[SetEntry, datetime | None] | None:
        """The set stored under a client's id, and the client's time of its last edit."""
        row = self.conn.execute(
            select(*_ENTRY_COLUMNS, set_logs.c.client_updated_at).where(
                set_logs.c.athlete_id == athlete_id, set_logs.c.client_id == client_id
            )
        ).first()
        if row is None:
            return None
        moment = row[-1]
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # SQLite hands back naive UTC times
        return _entry(row[:-1]), moment

    def replace_from_client(
        self, athlete_id: int, entry: SetEntry, client_updated_at: datetime
    ) -> None:
        """A client's later edit of a set: its values and the time of the edit."""
        self.conn.execute(
            update(set_logs)
            .where(set_logs.c.id == entry.id, set_logs.c.athlete_id == athlete_id)
            .values(
                reps=entry.reps,
                load_kg=entry.load_kg,
                rpe=entry.rpe,
                side=entry.side,
                hold_s=entry.hold_s,
                client_updated_at=client_updated_at,
            )
        )

    def numbers_and_sides(self, athlete_id: int, day: date, exercise: str) -> list[tuple[int, str]]:
        """(set number, side) of an exercise's sets on a day, side '' when none."""
        result = self.conn.execute(
            select(set_logs.c.set_number, set_logs.c.side).where(
                set_logs.c.athlete_id == athlete_id,
                set_logs.c.day == day,
                set_logs.c.exercise == exercise,
            )
        )
        return [(int(n), side or "") for n, side in result]

    def on_day(self, athlete_id: int, day: date) -> list[SetEntry]:
        result = self.conn.execute(
            select(*_ENTRY_COLUMNS)
            .where(set_logs.c.athlete_id == athlete_id, set_logs.c.day == day)
            .order_by(set_logs.c.id)
        )
        return [_entry(r) for r in result]

    def counts_on_day(self, athlete_id: int, day: date) -> dict[str, int]:
        """How many sets of each exercise are logged on ``day``: counted in the (athlete, day,
        exercise, …) index, without reading a set (logging asks it after every set)."""
        result = self.conn.execute(
            select(set_logs.c.exercise, func.count())
            .where(set_logs.c.athlete_id == athlete_id, set_logs.c.day == day)
            .group_by(set_logs.c.exercise)
        )
        return {str(exercise): int(count) for exercise, count in result}

    def last_day(self, athlete_id: int) -> date | None:
        """The latest day with a logged set: one probe of the (athlete, day) index (the
        coach dashboard asks it for every athlete, and read every set of each for it)."""
        found = self.conn.scalar(
            select(func.max(set_logs.c.day)).where(set_logs.c.athlete_id == athlete_id)
        )
        return _day_or_none(found)

    def between(self, athlete_id: int, first: date, last: date) -> list[SetEntry]:
        """Sets logged from ``first`` to ``last`` (inclusive), on the (athlete, day) index."""
        result = self.conn.execute(
            select(*_ENTRY_COLUMNS)
            .where(
                set_logs.c.athlete_id == athlete_id,
                set_logs.c.day >= first,
                set_logs.c.day <= last,
            )
            .order_by(set_logs.c.day, set_logs.c.id)
        )
        return [SetEntry(*row) for row in result.tuples()]

    def next_set_number(self, athlete_id: int, day: date, exercise: str) -> int:
        """The next free set number; the athlete's row stays locked until commit, so two
        loggers at once take different numbers (uq_set_logs_number would refuse the same)."""
        _lock_athlete(self.conn, athlete_id)
        highest = self.conn.scalar(
            select(func.max(set_logs.c.set_number)).where(
                set_logs.c.athlete_id == athlete_id,
                set_logs.c.day == day,
                set_logs.c.exercise == exercise,
            )
        )
        return 1 + int(highest or 0)

    def get(self, athlete_id: int, entry_id: int) -> SetEntry | None:
        if not valid_id(entry_id):
            return None
        row = self.conn.execute(
            select(*_ENTRY_COLUMNS).where(
                set_logs.c.id == entry_id, set_logs.c.athlete_id == athlete_id
            )
        ).first()
        return None if row is None else _entry(row)

    def replace(self, athlete_id: int, entry: SetEntry) -> None:
        self.conn.execute(
            update(set_logs)
            .where(set_logs.c.id == entry.id, set_logs.c.athlete_id == athlete_id)
            .values(reps=entry.reps, load_kg=entry.load_kg, rpe=entry.rpe, side=entry.side)
        )

    def delete(self, athlete_id: int, entry_id: int) -> bool:
        if not valid_id(entry_id):
            return False
        result = self.conn.execute(
            delete(set_logs).where(set_logs.c.id == entry_id, set_logs.c.athlete_id == athlete_id)
        )
        return bool(result.rowcount)

    def all(self, athlete_id: int) -> list[SetEntry]:
        result = self.conn.execute(
            select(*_ENTRY_COLUMNS)
            .where(set_logs.c.athlete_id == athlete_id)
            .order_by(set_logs.c.id)
        )
        return [_entry(r) for r in result]

    def daily_tops(
        self,
        athlete_id: int,
        since: date | None = None,
        exercise: str | None = None,
        body_kg: dict[str, float] | None = None,
    ) -> list[dict[str, Any]]:
        """:meth:`daily_top_rows` as dicts by column name (``DAILY_TOP_COLUMNS``)."""
        rows = self.daily_top_rows(athlete_id, since, exercise, body_kg)
        return [dict(zip(DAILY_TOP_COLUMNS, row, strict=True)) for row in rows]

    def daily_top_rows(
        self,
        athlete_id: int,
        since: date | None = None,
        exercise: str | None = None,
        body_kg: dict[str, float] | None = None,
    ) -> list[tuple[Any, ...]]:
        """Per exercise and day: the top set (highest Epley estimate), its e1RM and the day's
        volume (reps × kg). Computed in the database, from the (athlete, exercise, day) index
        alone (its reps, load and RPE columns: migration 0012).

        ``body_kg``: the body weight each exercise's calf lifts besides the load (DOMAIN.md
        §2.1), so the e1RM and volume are of the system load; the reps a logged RPE left in
        reserve count toward the estimate (§2.2)."""
        conditions = [set_logs.c.athlete_id == athlete_id]
        if since is not None:
            conditions.append(set_logs.c.day >= since)
        if self.conn.dialect.name == "sqlite":
            return self._daily_tops_sqlite(athlete_id, conditions, exercise, body_kg or {})
        body = (
            case(body_kg, value=set_logs.c.exercise, else_=0.0) if body_kg else literal(0.0, Float)
        )
        system = set_logs.c.load_kg + body
        e1rm = _e1rm(system)
        partition = (set_logs.c.exercise, set_logs.c.day)
        if exercise is not None:
            conditions.append(set_logs.c.exercise == exercise)
        ranked = (
            select(
                set_logs.c.exercise,
                set_logs.c.day,
                set_logs.c.load_kg,
                set_logs.c.reps,
                e1rm.label("e1rm"),
                func.row_number()
                .over(partition_by=partition, order_by=(e1rm.desc(), set_logs.c.id))
                .label("rank"),
                func.sum(set_logs.c.reps * system).over(partition_by=partition).label("volume"),
            )
            .where(*conditions)
            .subquery()
        )
        rows = self.conn.execute(
            select(*(ranked.c[name] for name in DAILY_TOP_COLUMNS))
            .where(ranked.c.rank == 1)
            .order_by(ranked.c.exercise, ranked.c.day)
        )
        return [tuple(row) for row in rows]

    def _daily_tops_sqlite(
        self,
        athlete_id: int,
        conditions: list[Any],
        exercise: str | None,
        body_kg: dict[str, float],
    ) -> list[tuple[Any, ...]]:
        """:meth:`daily_top_rows` on SQLite, which fills bare columns of a max() aggregate from
        the row holding the maximum (a documented SQLite feature): one GROUP BY over the
        covering index, six times faster than the window function on 150,000 sets.

        The body weight is one number per exercise, so the exercises are asked in groups
        sharing it, each with its number as a constant: a CASE choosing it on every row cost a
        quarter of the query over ten years, and each group's exercises are probes of the
        index."""
        names = [exercise] if exercise is not None else self._logged_exercises(athlete_id)
        groups: dict[float, list[str]] = {}
        for name in names:
            groups.setdefault(body_kg.get(name, 0.0), []).append(name)
        found: list[tuple[Any, ...]] = []
        for kg, members in groups.items():
            system = set_logs.c.load_kg + literal(kg, Float)
            found += map(
                tuple,
                self.conn.execute(
                    select(
                        set_logs.c.exercise,
                        set_logs.c.day,
                        set_logs.c.load_kg,
                        set_logs.c.reps,
                        func.max(_e1rm(system)).label("e1rm"),
                        func.sum(set_logs.c.reps * system).label("volume"),
                    )
                    .where(*conditions, set_logs.c.exercise.in_(members))
                    .group_by(set_logs.c.exercise, set_logs.c.day)
                    .order_by(set_logs.c.exercise, set_logs.c.day)
                ),
            )
        if len(groups) > 1:
            found.sort(key=lambda row: (row[0], row[1]))  # (exercise, day)
        return found

    def _logged_exercises(self, athlete_id: int) -> list[str]:
        """The exercises the athlete has logged, by hopping through the (athlete, exercise,
        …) index one name at a time (a loose index scan: one probe a name, where DISTINCT
        read every set)."""
        logged = (
            select(func.min(set_logs.c.exercise).label("name"))
            .where(set_logs.c.athlete_id == athlete_id)
            .cte("logged", recursive=True)
        )
        following = (
            select(func.min(set_logs.c.exercise))
            .where(set_logs.c.athlete_id == athlete_id, set_logs.c.exercise > logged.c.name)
            .scalar_subquery()
        )
        logged = logged.union_all(select(following).where(logged.c.name.is_not(None)))
        return list(self.conn.scalars(select(logged.c.name).where(logged.c.name.is_not(None))))


# The columns of a daily top (SetLogRepository.daily_top_rows), in order.
DAILY_TOP_COLUMNS = ("exercise", "day", "load_kg", "reps", "e1rm", "volume")


def _e1rm(system: Any) -> Any:
    """Epley's estimate of the system load (§2.2): the reps a logged RPE left in reserve
    count toward it."""
    in_reserve = func.coalesce(10.0 - set_logs.c.rpe, 0.0)
    return system * (1 + (cast(set_logs.c.reps, Float) + in_reserve) / 30.0)


class CheckInRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def save(self, athlete_id: int, checkin: CheckIn) -> int:
        """One check-in a day: a second one for the same day replaces the first's values
        (the caller merges what the second one leaves out)."""
        _lock_athlete(self.conn, athlete_id)  # two at once: the second replaces the first
        existing = self.conn.scalar(
            select(checkins.c.id).where(
                checkins.c.athlete_id == athlete_id, checkins.c.day == checkin.day
            )
        )
        values = {
            "pain_during": checkin.pain_during,
            "pain_next_morning": checkin.pain_next_morning,
            "pain_before": checkin.pain_before,
            "red_flag": checkin.red_flag,
            "cleared_by_clinician": checkin.cleared_by_clinician,
        }
        if existing is not None:
            self.conn.execute(update(checkins).where(checkins.c.id == existing).values(**values))
            return int(existing)
        return int(
            self.conn.execute(
                insert(checkins)
                .values(athlete_id=athlete_id, day=checkin.day, created_at=_now(), **values)
                .returning(checkins.c.id)
            ).scalar_one()
        )

    def all(self, athlete_id: int) -> list[CheckIn]:
        result = self.conn.execute(
            select(checkins).where(checkins.c.athlete_id == athlete_id).order_by(checkins.c.day)
        )
        return [
            CheckIn(
                r.id,
                r.day,
                r.pain_during,
                r.pain_next_morning,
                r.pain_before,
                r.red_flag,
                bool(r.cleared_by_clinician),
            )
            for r in result
        ]


class AssessmentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, athlete_id: int, assessment: Assessment) -> int:
        return int(
            self.conn.execute(
                insert(assessments)
                .values(
                    athlete_id=athlete_id,
                    day=assessment.day,
                    kind=assessment.kind,
                    left_reps=assessment.left_reps,
                    right_reps=assessment.right_reps,
                    value_kg=assessment.value_kg,
                    pain=assessment.pain,
                    created_at=_now(),
                )
                .returning(assessments.c.id)
            ).scalar_one()
        )

    def all(self, athlete_id: int) -> list[Assessment]:
        result = self.conn.execute(
            select(assessments)
            .where(assessments.c.athlete_id == athlete_id)
            .order_by(assessments.c.day, assessments.c.id)
        )
        return [
            Assessment(r.id, r.day, r.kind, r.left_reps, r.right_reps, r.value_kg, r.pain)
            for r in result
        ]


def is_empty(conn: Connection) -> bool:
    return conn.scalar(select(func.count()).select_from(athletes)) == 0


class RunRepository:
    """Imported activities and the batches that brought them."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def new_batch(self, athlete_id: int, sources: str) -> int:
        return int(
            self.conn.execute(
                insert(import_batches)
                .values(
                    athlete_id=athlete_id,
                    created_at=_now(),
                    sources=sources,
                    files=0,
                    added=0,
                    failed=0,
                )
                .returning(import_batches.c.id)
            ).scalar_one()
        )

    def finish_batch(self, batch_id: int, files: int, added: int, failed: int) -> None:
        self.conn.execute(
            update(import_batches)
            .where(import_batches.c.id == batch_id)
            .values(files=files, added=added, failed=failed)
        )

    def lock_athlete(self, athlete_id: int) -> None:
        """Hold the athlete's row until commit: concurrent imports then check for duplicates
        and store one after the other, as a serial import would."""
        _lock_athlete(self.conn, athlete_id)

    def has_sha(self, athlete_id: int, sha256: str) -> bool:
        found = self.conn.scalar(
            select(runs.c.id).where(runs.c.athlete_id == athlete_id, runs.c.sha256 == sha256)
        )
        return found is not None

    def near(self, athlete_id: int, start: datetime, seconds: int) -> list[Activity]:
        """Stored activities starting within ``seconds`` of ``start``."""
        result = self.conn.execute(
            select(runs).where(
                runs.c.athlete_id == athlete_id,
                runs.c.start >= start - timedelta(seconds=seconds),
                runs.c.start <= start + timedelta(seconds=seconds),
            )
        )
        return [_activity(r) for r in result]

    def add(
        self, athlete_id: int, batch_id: int, activity: Activity, source: str, sha256: str
    ) -> int | None:
        """Store an activity; None when the database already holds it (the same file, or the
        same sport, start and distance), which its unique constraints decide."""
        return self.conn.execute(
            _insert_ignoring_duplicates(self.conn, runs)
            .values(
                athlete_id=athlete_id,
                batch_id=batch_id,
                start=activity.start,
                utc_offset_s=activity.utc_offset_s,
                sport=activity.sport,
                sub_sport=activity.sub_sport,
                distance_m=activity.distance_m,
                elapsed_s=activity.elapsed_s,
                moving_s=activity.moving_s,
                ascent_m=activity.ascent_m,
                avg_hr=activity.avg_hr,
                avg_cadence=activity.avg_cadence,
                name=None if activity.name is None else activity.name[:200],
                intervals=activity.intervals,
                recovered=activity.recovered,
                source=source,
                sha256=sha256,
            )
            .returning(runs.c.id)
        ).scalar_one_or_none()

    def listing(self, athlete_id: int, since: datetime | None = None) -> list[dict[str, Any]]:
        query = select(runs).where(runs.c.athlete_id == athlete_id)
        if since is not None:
            query = query.where(runs.c.start >= since)
        return [dict(r._mapping) for r in self.conn.execute(query.order_by(runs.c.start))]

    def latest_start(self, athlete_id: int) -> datetime | None:
        """When the athlete's latest stored activity started (UTC); None when none is."""
        found = self.conn.scalar(
            select(func.max(runs.c.start)).where(runs.c.athlete_id == athlete_id)
        )
        if found is None:
            return None
        return found if found.tzinfo else found.replace(tzinfo=UTC)

    def activities(self, athlete_id: int, since: datetime) -> list[Activity]:
        result = self.conn.execute(
            select(runs)
            .where(runs.c.athlete_id == athlete_id, runs.c.start >= since)
            .order_by(runs.c.start)
        )
        return [_activity(r) for r in result]

    def last_batch(self, athlete_id: int) -> int | None:
        return self.conn.scalar(
            select(func.max(import_batches.c.id)).where(import_batches.c.athlete_id == athlete_id)
        )

    def undo(self, athlete_id: int, batch_id: int) -> int | None:
        """Remove a batch and everything it added; None when there is no such batch."""
        if not valid_id(batch_id):
            return None
        exists = self.conn.scalar(
            select(import_batches.c.id).where(
                import_batches.c.id == batch_id, import_batches.c.athlete_id == athlete_id
            )
        )
        if exists is None:
            return None
        removed = self.conn.execute(delete(runs).where(runs.c.batch_id == batch_id)).rowcount
        self.conn.execute(delete(import_batches).where(import_batches.c.id == batch_id))
        return int(removed or 0)

    def delete_batch_if_empty(self, batch_id: int) -> None:
        count = self.conn.scalar(
            select(func.count()).select_from(runs).where(runs.c.batch_id == batch_id)
        )
        if not count:
            self.conn.execute(delete(import_batches).where(import_batches.c.id == batch_id))


def _activity(row: Any) -> Activity:
    start = row.start if row.start.tzinfo else row.start.replace(tzinfo=UTC)
    return Activity(
        start=start,
        sport=row.sport,
        sub_sport=row.sub_sport,
        distance_m=row.distance_m,
        elapsed_s=row.elapsed_s,
        moving_s=row.moving_s,
        ascent_m=row.ascent_m,
        avg_hr=row.avg_hr,
        avg_cadence=row.avg_cadence,
        utc_offset_s=row.utc_offset_s,
        name=row.name,
        intervals=bool(row.intervals),
        recovered=bool(row.recovered),
    )


class CalendarRepository:
    """Calendar feed tokens and the state of the last calendar export, per athlete."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def feed_token(self, athlete_id: int) -> str | None:
        """The athlete's live (not revoked) feed token, if any."""
        return self.conn.scalar(
            select(calendar_feeds.c.token).where(
                calendar_feeds.c.athlete_id == athlete_id, calendar_feeds.c.revoked_at.is_(None)
            )
        )

    def add_feed(self, athlete_id: int, token: str) -> None:
        self.conn.execute(
            insert(calendar_feeds).values(athlete_id=athlete_id, token=token, created_at=_now())
        )

    def revoke_feeds(self, athlete_id: int) -> int:
        result = self.conn.execute(
            update(calendar_feeds)
            .where(calendar_feeds.c.athlete_id == athlete_id, calendar_feeds.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        return int(result.rowcount or 0)

    def athlete_of(self, token: str) -> int | None:
        """The athlete a live token belongs to."""
        return self.conn.scalar(
            select(calendar_feeds.c.athlete_id).where(
                calendar_feeds.c.token == token, calendar_feeds.c.revoked_at.is_(None)
            )
        )

    def events(self, athlete_id: int) -> list[dict[str, Any]]:
        result = self.conn.execute(
            select(
                calendar_events.c.uid,
                calendar_events.c.day,
                calendar_events.c.sequence,
                calendar_events.c.digest,
                calendar_events.c.cancelled,
                calendar_events.c.summary,
            ).where(calendar_events.c.athlete_id == athlete_id)
        )
        return [dict(row._mapping) for row in result]

    def save_events(self, athlete_id: int, states: Iterable[dict[str, Any]]) -> None:
        """Insert new UIDs and update known ones (by athlete and UID)."""
        _lock_athlete(self.conn, athlete_id)  # two exports at once: one after the other
        known = {
            row.uid: row.id
            for row in self.conn.execute(
                select(calendar_events.c.uid, calendar_events.c.id).where(
                    calendar_events.c.athlete_id == athlete_id
                )
            )
        }
        fresh = []
        for state in states:
            if state["uid"] in known:
                self.conn.execute(
                    update(calendar_events)
                    .where(calendar_events.c.id == known[state["uid"]])
                    .values(**{k: v for k, v in state.items() if k != "uid"})
                )
            else:
                fresh.append({"athlete_id": athlete_id, **state})
        if fresh:
            self.conn.execute(insert(calendar_events), fresh)


# Every table a backup holds, parents before children: the order rows are restored in.
BACKUP_TABLES: tuple[Table, ...] = (
    athletes,
    plans,
    set_logs,
    checkins,
    assessments,
    import_batches,
    runs,
    calendar_feeds,
    calendar_events,
    users,
    api_tokens,
    grants,
    audit,
    club_defaults,
)
# Never in a backup: the key that signs session cookies (a restore makes a new one, which signs
# every old session out).
# Nor the marks of plans waiting for a re-plan: a backup runs every waiting re-plan first
# (services.backup), so no plan in it waits.
NOT_BACKED_UP: tuple[Table, ...] = (server_keys, stale_plans)
_BACKUP_BY_NAME = {table.name: table for table in BACKUP_TABLES}
# Rows written per INSERT statement on restore (executemany), which bounds memory.
_RESTORE_CHUNK = 1000


class BackupRepository:
    """Whole rows of every table, ids included: read for the JSON backup and written back as
    they were into an empty database."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def rows(self, table: str, athlete_id: int | None = None) -> list[dict[str, Any]]:
        """Every row of ``table`` (a name in BACKUP_TABLES), every column, in id order; with
        ``athlete_id``, that athlete's rows only (the athlete's own row in ``athletes``; a
        table without an athlete_id column has none)."""
        found = _BACKUP_BY_NAME[table]
        query = select(found).order_by(found.c.id)
        if athlete_id is not None:
            column = found.c.id if found is athletes else found.c.get("athlete_id")
            if column is None:
                return []
            query = query.where(column == athlete_id)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows as they are, ids included; call :meth:`restart_ids` after the last."""
        found = _BACKUP_BY_NAME[table]
        for first in range(0, len(rows), _RESTORE_CHUNK):
            self.conn.execute(insert(found), rows[first : first + _RESTORE_CHUNK])

    def restart_ids(self) -> None:
        """After inserting explicit ids, new rows continue after the highest: PostgreSQL's
        sequences do not follow explicit ids by themselves (SQLite takes max(id) + 1)."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in BACKUP_TABLES:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce(max(id), 0) + 1, false) FROM {table.name}"
                )
            )
