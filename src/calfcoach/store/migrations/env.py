"""Alembic environment: runs on the connection calfcoach hands it, or on the URL of
CALFCOACH_DB when run from the alembic command line."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from calfcoach.store.tables import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = os.environ.get("CALFCOACH_DB") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set CALFCOACH_DB to the database URL")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("calfcoach migrations run online only")
run_migrations_online()
