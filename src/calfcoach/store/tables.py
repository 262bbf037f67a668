"""The database tables (SQLAlchemy Core). Changes here need an Alembic revision."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)

# Stable constraint names, so migrations can refer to them on SQLite and PostgreSQL alike.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

athletes = Table(
    "athletes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("profile_toml", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("start", Date, nullable=False),
    Column("current", Boolean, nullable=False),
    # The plan JSON contract (DESIGN.md), as written by `calfcoach plan --format json`.
    Column("document", Text, nullable=False),
    Index("ix_plans_athlete_current", "athlete_id", "current"),
)

set_logs = Table(
    "set_logs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("exercise", String(80), nullable=False),
    Column("set_number", Integer, nullable=False),
    Column("reps", Integer, nullable=False),
    Column("load_kg", Float, nullable=False),
    Column("rpe", Float),
    Column("side", String(5)),
    Column("hold_s", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The UUID the web app made when the set was tapped (an idempotency key), and the client's
    # time of its last edit (the later edit wins); None for sets logged otherwise.
    Column("client_id", String(36)),
    Column("client_updated_at", DateTime(timezone=True)),
    CheckConstraint("reps >= 0", name="reps_not_negative"),
    CheckConstraint("load_kg >= 0", name="load_not_negative"),
    CheckConstraint("side IS NULL OR side IN ('left', 'right')", name="side_known"),
    # "today" and "log" read one athlete's day; history reads one exercise over time, and its
    # daily tops read reps, load and RPE from this index alone, never the table (migration
    # 0012). The id comes first so that, of a day's sets with the same estimate, the first
    # logged is the top one on SQLite as on PostgreSQL.
    Index("ix_set_logs_athlete_day", "athlete_id", "day"),
    Index(
        "ix_set_logs_exercise_tops",
        *("athlete_id", "exercise", "day", "id", "reps", "load_kg", "rpe"),
    ),
    # A client id names one set of one athlete (NULLs, sets from elsewhere, never collide).
    Index("uq_set_logs_athlete_client_id", "athlete_id", "client_id", unique=True),
)

# One set number per athlete, day, exercise and side, enforced by the database, so two loggers
# at once cannot both take the same number. A set with no side counts as side '' (NULLs are
# distinct in a unique index, on SQLite and PostgreSQL alike).
Index(
    "uq_set_logs_number",
    set_logs.c.athlete_id,
    set_logs.c.day,
    set_logs.c.exercise,
    func.coalesce(set_logs.c.side, ""),
    set_logs.c.set_number,
    unique=True,
)

checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("pain_during", Integer, nullable=False),
    Column("pain_next_morning", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Migration 0006 (DOMAIN.md §6): that morning's pain, a red flag, a clinician's clearance.
    Column("pain_before", Integer),
    Column("red_flag", String(30)),
    Column("cleared_by_clinician", Boolean, nullable=False, server_default=false()),
    CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during_range"),
    CheckConstraint(
        "pain_next_morning IS NULL OR pain_next_morning BETWEEN 0 AND 10",
        name="pain_next_morning_range",
    ),
    CheckConstraint(
        "pain_before IS NULL OR pain_before BETWEEN 0 AND 10", name="pain_before_range"
    ),
    CheckConstraint(
        "red_flag IS NULL OR red_flag IN "
        "('sudden_pop', 'swelling', 'night_pain', 'calf_swelling_redness')",
        name="red_flag_known",
    ),
    UniqueConstraint("athlete_id", "day", name="uq_checkins_athlete_day"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("left_reps", Integer),
    Column("right_reps", Integer),
    Column("value_kg", Float),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Pain 0–10 during a heel-raise or hop test; NULL: not recorded (migration 0008).
    Column("pain", Integer),
    CheckConstraint("kind IN ('heel_raise', 'seated_1rm', 'hop')", name="kind_known"),
    CheckConstraint("pain IS NULL OR pain BETWEEN 0 AND 10", name="pain_range"),
    Index("ix_assessments_athlete_day", "athlete_id", "day"),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sources", Text, nullable=False),
    Column("files", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column(
        "batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False
    ),
    Column("start", DateTime(timezone=True), nullable=False),
    Column("utc_offset_s", Integer),
    Column("sport", String(40), nullable=False),
    Column("sub_sport", String(40)),
    Column("distance_m", Float),
    Column("elapsed_s", Float),
    Column("moving_s", Float),
    Column("ascent_m", Float),
    Column("avg_hr", Float),
    Column("avg_cadence", Float),
    Column("name", String(200)),
    Column("intervals", Boolean, nullable=False, server_default="0"),
    # Read from a damaged file (bad CRC, cut off): the import report said why (issue 14).
    Column("recovered", Boolean, nullable=False, server_default="0"),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    UniqueConstraint("athlete_id", "sha256", name="uq_runs_athlete_sha256"),
    # The same activity (sport, start and distance exactly equal) from two files is stored once
    # even when two imports race; the near-equal ones are caught by the importer's check, which
    # runs under the athlete's row lock (RunRepository.lock_athlete).
    Index("uq_runs_activity", "athlete_id", "sport", "start", "distance_m", unique=True),
    # Weekly totals and the two-minute duplicate check read one athlete's runs by start.
    Index("ix_runs_athlete_start", "athlete_id", "start"),
)

# A private calendar feed per athlete: /calendar/<token>.ics. Revoking sets revoked_at; a new
# link is a new row, so an old token never comes back to life.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# What the last calendar export said about each session, so the next one can keep its UID,
# raise SEQUENCE when it changed (RFC 5545 §3.8.7.4) and cancel sessions that disappeared.
calendar_events = Table(
    "calendar_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("uid", String(200), nullable=False),
    Column("day", Date, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("digest", String(64), nullable=False),  # of the event's content
    Column("cancelled", Boolean, nullable=False),
    Column("summary", Text, nullable=False),  # kept to describe a cancelled event
    UniqueConstraint("athlete_id", "uid", name="uq_calendar_events_athlete_uid"),
)

# --- Accounts and access (migration 0009, issue 16) ---------------------------------------
# A database with no row in `users` is a single runner's: the local owner needs no login.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    # argon2id in PHC string form (argon2-cffi); the password itself is never stored.
    Column("password_hash", String(200), nullable=False),
    # An athlete account owns this athlete's diary; null for coaches and admins.
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="SET NULL"), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('admin', 'coach', 'athlete')", name="role_known"),
)

# API tokens for programs: only the SHA-256 of the token is kept (the token is 32 random bytes,
# so a fast hash is enough; argon2 is for guessable passwords). Revoking sets revoked_at.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# A coach's access to one athlete's diary: view, or edit (plan and profile too).
grants = Table(
    "grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("coach_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("level", String(4), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("level IN ('view', 'edit')", name="level_known"),
    UniqueConstraint("athlete_id", "coach_id", name="uq_grants_athlete_coach"),
)

# Who changed what, when. `actor` is a user's name, "cli:" and the operating-system user (the
# command line on the database; "owner" in rows written before issue 13), "owner" (the local
# owner on the web, while there is no account) or "device" (a paired phone); kept as text so
# that removing an account keeps its history.
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("athlete_id", Integer, ForeignKey("athletes.id", ondelete="CASCADE")),
    Column("detail", Text, nullable=False, server_default=""),
    Index("ix_audit_athlete_at", "athlete_id", "at"),
)

# Keys the server signs with (the session cookies), made on first use and shared by every app
# process on the database, so sessions survive restarts and work across workers. Never in a
# backup: a restored database makes a new key, which signs every old session out.
server_keys = Table(
    "server_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("purpose", String(40), nullable=False, unique=True),
    Column("secret", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The club's defaults offered when a coach adds an athlete (issue 16): the club gym's
# equipment, its loads (kg) and the preferred strength days. One row at most (id 1); each
# column is JSON text, validated by the services as a profile's fields are.
club_defaults = Table(
    "club_defaults",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("equipment", Text, nullable=False),
    Column("equipment_loads", Text, nullable=False),
    Column("preferred_days", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(100), nullable=False),
    CheckConstraint("id = 1", name="one_club"),
)

# A plan whose weeks after ``since`` wait for a re-plan: logging a set stores it and marks the
# plan here; the re-plan runs once (services.replan) when the day's sets are all logged, on a
# check-in, or before anything reads the plan past ``since``. One row per athlete at most.
stale_plans = Table(
    "stale_plans",
    metadata,
    Column(
        "athlete_id",
        Integer,
        ForeignKey("athletes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("since", Date, nullable=False),
)
