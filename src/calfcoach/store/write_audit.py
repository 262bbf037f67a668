"""Audit rows for every transaction that changes athlete data on one engine (issue 16).

The web app records its writes per request (web/auth.py); the command line has no request
to hang that on, and a dozen commands write through many services. So the command line asks
this module to watch its engine instead: each INSERT, UPDATE or DELETE on a diary table is
noted on the connection (which table, how many rows, which athletes), and when the
transaction commits one audit row per athlete touched is written *in that same transaction*,
just before the COMMIT. A write and its audit row are therefore stored together or not at
all, and a command that writes nothing (``today``, ``history``) leaves no row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Delete, Engine, Insert, Table, Update, event, insert, select

from calfcoach.store.tables import (
    assessments,
    athletes,
    audit,
    calendar_feeds,
    checkins,
    plans,
    runs,
    set_logs,
)

# The athlete's own data. Left out: bookkeeping (the calendar export's calendar_events; an
# import's batch row, written and removed again when every file of the import is refused, so
# a refused import leaves no trace), the accounts tables (their services record their own
# rows) and the audit table itself.
DIARY_TABLES: tuple[Table, ...] = (
    athletes,
    plans,
    set_logs,
    checkins,
    assessments,
    runs,
    calendar_feeds,
)
_BY_NAME = {table.name: table for table in DIARY_TABLES}
_PENDING = "calfcoach_audit_pending"
_VERBS = {"insert": "added", "update": "changed", "delete": "removed"}
_DETAIL_MAX = 1000


@dataclass
class _Pending:
    """What the open transaction has changed so far."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    athlete_ids: set[int] = field(default_factory=set)
    athlete_names: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Watch:
    """Who the engine's writes are recorded as, and the command that makes them."""

    actor: str
    action: str


_WATCHES: WeakKeyDictionary[Engine, Watch] = WeakKeyDictionary()


def watch_writes(engine: Engine, actor: str, action: str) -> None:
    """Record every committed change of athlete data on ``engine`` as made by ``actor``
    (at most 100 characters) doing ``action`` (at most 40). Once per engine."""
    known = engine in _WATCHES
    _WATCHES[engine] = Watch(actor[:100], action[:40])
    if known:
        return
    event.listen(engine, "before_execute", _before_execute, retval=False)
    event.listen(engine, "after_execute", _after_execute)
    event.listen(engine, "commit", _on_commit)
    event.listen(engine, "rollback", _on_rollback)


def _table_of(statement: Any) -> Table | None:
    if not isinstance(statement, Insert | Update | Delete):
        return None
    table = statement.table
    return _BY_NAME.get(getattr(table, "name", "")) if isinstance(table, Table) else None


def _pending(conn: Connection) -> _Pending:
    found = conn.info.get(_PENDING)
    if found is None:
        found = conn.info[_PENDING] = _Pending()
    assert isinstance(found, _Pending)
    return found


def _before_execute(
    conn: Connection,
    statement: Any,
    multiparams: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
    execution_options: Mapping[str, Any],
) -> None:
    """An UPDATE or DELETE names its rows by a WHERE clause (often by row id only): which
    athletes those rows belong to is read now, before they change or go."""
    table = _table_of(statement)
    if table is None or isinstance(statement, Insert) or statement.whereclause is None:
        return
    owner = table.c.id if table is athletes else table.c.athlete_id
    found = conn.execute(select(owner).where(statement.whereclause).distinct()).scalars()
    _pending(conn).athlete_ids.update(int(value) for value in found if value is not None)


def _after_execute(
    conn: Connection,
    statement: Any,
    multiparams: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
    execution_options: Mapping[str, Any],
    result: Any,
) -> None:
    table = _table_of(statement)
    if table is None:
        return
    pending = _pending(conn)
    rows = list(multiparams) or [params]
    count = result.rowcount if result.rowcount is not None and result.rowcount >= 0 else 0
    if isinstance(statement, Insert):
        count = count or len(rows)
        key = "id" if table is athletes else "athlete_id"
        given = [row[key] for row in rows if isinstance(row.get(key), int)]
        if not given:
            # Values given to .values() are bound in the statement, not in the parameters.
            bound = statement.compile().params.get(key)
            given = [bound] if isinstance(bound, int) else []
        pending.athlete_ids.update(given)
        if table is athletes:
            # A new athlete's id is the statement's to read (RETURNING); its name finds it.
            names = [row["name"] for row in rows if isinstance(row.get("name"), str)]
            bound = statement.compile().params.get("name") if not names else None
            pending.athlete_names.update([*names, bound] if isinstance(bound, str) else names)
    if count:
        verb = _VERBS[statement.__visit_name__]
        pending.counts[(table.name, verb)] = pending.counts.get((table.name, verb), 0) + count


def _on_commit(conn: Connection) -> None:
    """Runs inside the transaction, just before its COMMIT: the audit rows join it."""
    pending = conn.info.pop(_PENDING, None)
    watch = _WATCHES.get(conn.engine)
    if not isinstance(pending, _Pending) or not pending.counts or not isinstance(watch, Watch):
        return
    detail = "; ".join(
        f"{table} {verb}: {n}" for (table, verb), n in sorted(pending.counts.items())
    )
    # An athlete the transaction removed has no row to point at (and its audit rows go with it).
    known = set(
        conn.execute(
            select(athletes.c.id).where(
                athletes.c.id.in_(pending.athlete_ids) | athletes.c.name.in_(pending.athlete_names)
            )
        )
        .scalars()
        .all()
    )
    now = datetime.now(UTC)
    for athlete_id in sorted(known) or [None]:
        conn.execute(
            insert(audit).values(
                at=now,
                actor=watch.actor,
                action=watch.action,
                athlete_id=athlete_id,
                detail=detail[:_DETAIL_MAX],
            )
        )


def _on_rollback(conn: Connection) -> None:
    conn.info.pop(_PENDING, None)
