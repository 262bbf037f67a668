"""Alembic migrations. Run through calfcoach.store.db.ensure_schema, or
`alembic -c src/calfcoach/store/alembic.ini upgrade head` by hand."""
