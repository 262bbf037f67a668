"""Migration 0008 (test pain, the hop test) on a SQLite file and a PostgreSQL server: tests
stored before keep every value and no pain; after it, a hop test and a pain fit, and pain
outside 0–10 or an unknown kind is refused by the database itself."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from calfcoach.store.db import HEAD_REVISION, current_revision, ensure_schema, make_engine, upgrade

INSERT = sa.text(
    "INSERT INTO assessments (athlete_id, day, kind, left_reps, right_reps, value_kg, "
    "created_at{pain_column}) VALUES (1, '2026-11-20', :kind, :left, :right, :kg, "
    "'2026-11-20 08:00:00+00'{pain_value})"
)


def _insert(conn: sa.Connection, kind: str, pain: int | None = None, **values: object) -> None:
    extra = pain is not None
    statement = sa.text(
        INSERT.text.format(
            pain_column=", pain" if extra else "", pain_value=", :pain" if extra else ""
        )
    )
    params = {"kind": kind, "left": None, "right": None, "kg": None, **values}
    conn.execute(statement, {**params, "pain": pain} if extra else params)


def test_tests_stored_before_0008_keep_their_values_and_no_pain(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO athletes (id, name, profile_toml, created_at) "
                "VALUES (1, 'Old', '[athlete]', '2025-01-01 00:00:00+00')"
            )
        )
        _insert(conn, "heel_raise", left=24, right=27)
        _insert(conn, "seated_1rm", kg=95.0)
    ensure_schema(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT kind, left_reps, right_reps, value_kg, pain FROM assessments ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("heel_raise", 24, 27, None, None),
        ("seated_1rm", None, None, 95.0, None),
    ]
    with engine.begin() as conn:
        _insert(conn, "hop", pain=0)
    for kind, pain in (("hop", 11), ("hop", -1), ("jump", 0)):
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            _insert(conn, kind, pain=pain)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM assessments")).scalar() == 3
