"""Storage: SQLAlchemy 2.0 tables and repositories, Alembic migrations. SQLite by default,
PostgreSQL for a club. Storage is SI (kg, seconds)."""
