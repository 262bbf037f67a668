"""The store and the diary services against a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from calfcoach.errors import FieldError, InputError
from calfcoach.services import athletes as athletes_service
from calfcoach.services import backup as backup_service
from calfcoach.services import checkins as checkins_service
from calfcoach.services import context as context_service
from calfcoach.services import diary, diary_views
from calfcoach.store.db import (
    HEAD_REVISION,
    DatabaseError,
    backup_sqlite_file,
    current_revision,
    ensure_schema,
    make_engine,
    upgrade,
)
from calfcoach.store.tables import metadata
from tests.conftest import ROOT, TODAY

SAMPLE = ROOT / "examples" / "profile.toml"
TUESDAY = date(2026, 12, 1)  # week 1: a strength session in the sample plan
# Week 5: the sample plan's strength phase, with single-leg (per-side) raises.
STRENGTH_TUESDAY = date(2026, 12, 29)


@pytest.fixture
def db(database_url: str) -> context_service.Database:
    return context_service.open_database(database_url)


def test_migrations_create_exactly_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    ensure_schema(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_init_stores_the_athlete_and_plan(db: context_service.Database) -> None:
    result = athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    assert (result.name, result.created, result.weeks) == ("Sam", True, 12)
    again = athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    assert not again.created
    view = diary_views.day_view(db, None, TUESDAY)
    assert view.plan_day is not None and view.plan_day["sessions"]


def test_log_today_and_correct(db: context_service.Database) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    request = diary.LogRequest("kettlebell-single-leg-calf-raise", 3, 12, "4", 7.0, "left")
    entries = diary.log_sets(db, None, STRENGTH_TUESDAY, request)
    assert [e.set_number for e in entries] == [1, 2, 3]
    day = diary_views.day_view(db, "Sam", STRENGTH_TUESDAY).to_json()
    logged = day["sessions"][0]["exercises"][0]["logged"]
    assert [(e["set"], e["reps"], e["load_kg"], e["side"]) for e in logged] == [
        (1, 12, 4.0, "left"),
        (2, 12, 4.0, "left"),
        (3, 12, 4.0, "left"),
    ]
    fixed = diary.edit_set(db, None, entries[1].id, 10, "95lb", None)
    assert fixed.reps == 10 and fixed.load_kg == pytest.approx(43.09, abs=0.01)
    diary.delete_set(db, None, entries[2].id)
    assert len(diary_views.day_view(db, None, STRENGTH_TUESDAY).logged) == 2


def test_log_as_prescribed_logs_every_set_each_side(db: context_service.Database) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    entries = diary.log_as_prescribed(db, None, STRENGTH_TUESDAY)
    kettlebell = [e for e in entries if e.exercise == "kettlebell-single-leg-calf-raise"]
    assert [(e.set_number, e.side) for e in kettlebell] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
        (3, "left"),
        (3, "right"),
    ]
    with pytest.raises(InputError, match="no calf work"):
        diary.log_as_prescribed(db, None, date(2026, 11, 30))


def test_bad_log_input_changes_nothing(db: context_service.Database) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    with pytest.raises(InputError, match=r"did you mean .*kettlebell-single-leg-calf-raise"):
        diary.log_sets(
            db, None, TUESDAY, diary.LogRequest("kettlebel-raise", 1, 5, "4", None, None)
        )
    with pytest.raises(FieldError, match=r"^reps: -3 is out of range; allowed: 0 to 500$"):
        diary.log_sets(db, None, TUESDAY, diary.LogRequest("pogo-hops", 1, -3, "0", None, None))
    with pytest.raises(FieldError, match=r"^load_kg: '9 stone' is not a load"):
        diary.log_sets(
            db, None, TUESDAY, diary.LogRequest("pogo-hops", 1, 3, "9 stone", None, None)
        )
    assert diary_views.day_view(db, None, TUESDAY).logged == []


def test_checkin_zones(db: context_service.Database) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    assert checkins_service.record_checkin(db, None, TUESDAY, 1, 1).zone == "green"
    assert checkins_service.record_checkin(db, None, date(2026, 12, 4), 4, 1).zone == "amber"
    # Next-morning pain higher than the time before is red, whatever the number.
    assert checkins_service.record_checkin(db, None, date(2026, 12, 8), 2, 3).zone == "red"
    with pytest.raises(InputError, match="0 to 10"):
        checkins_service.record_checkin(db, None, TUESDAY, 12, None)


def test_several_athletes_need_a_name(db: context_service.Database, tmp_path: Path) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    other = tmp_path / "kim.toml"
    other.write_text(SAMPLE.read_text().replace('name = "Sam"', 'name = "Kim"'))
    athletes_service.init_athlete(db, other, None, TODAY)
    # The service names the neutral field; the CLI words it "option --athlete" (cli.py).
    with pytest.raises(FieldError, match=r"^athlete: a name is needed here; allowed: Kim, Sam$"):
        diary_views.day_view(db, None, TUESDAY)
    assert diary_views.day_view(db, "Kim", TUESDAY).athlete == "Kim"


def test_backup_restore_backup_is_identical(database_url: str, tmp_path: Path) -> None:
    source = context_service.open_database(database_url)
    athletes_service.init_athlete(source, SAMPLE, None, TODAY)
    diary.log_as_prescribed(source, None, TUESDAY)
    checkins_service.record_checkin(source, None, TUESDAY, 2, 1)
    first = backup_service.export_backup(source)
    assert first["athletes"][0]["sets"]
    target = context_service.open_database(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    counts = backup_service.restore_backup(
        target, json.loads(json.dumps(first)), "backup.json", today=TUESDAY
    )
    assert counts["athletes"] == 1 and counts["sets"] == len(first["athletes"][0]["sets"])
    assert backup_service.export_backup(target) == first
    with pytest.raises(InputError, match="already holds athletes"):
        backup_service.restore_backup(target, first, "backup.json", today=TUESDAY)


def test_restore_refuses_a_bad_document_and_writes_nothing(tmp_path: Path) -> None:
    target = context_service.open_database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with pytest.raises(InputError, match="not a calfcoach backup"):
        backup_service.restore_backup(target, {"hello": 1}, "b.json", today=TODAY)
    bad = {
        "calfcoach_backup": 1,
        "athletes": [
            {
                "name": "A",
                "profile_toml": "",
                "created_at": "2026-01-01T00:00:00+00:00",
                "plans": [],
                "sets": [
                    {
                        "day": "2026-01-01",
                        "exercise": "pogo-hops",
                        "set": 1,
                        "reps": -1,
                        "load_kg": 0,
                    }
                ],
                "checkins": [],
                "assessments": [],
            }
        ],
    }
    with pytest.raises(InputError, match=r"athletes\.0\.sets\.0\.reps"):
        backup_service.restore_backup(target, bad, "b.json", today=TODAY)
    assert backup_service.export_backup(target)["athletes"] == []


def test_a_database_from_the_first_migration_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "first.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO athletes (name, profile_toml, created_at) "
                "VALUES ('Old', '[athlete]', '2025-01-01')"
            )
        )
    backup = ensure_schema(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM athletes")).scalar() == "Old"
    # The file as it was before the upgrade sits beside it.
    assert backup is not None and backup.parent == tmp_path
    old = sa.create_engine(f"sqlite:///{backup}")
    assert current_revision(old) == "0001"
    with old.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM athletes")).scalar() == "Old"


def test_the_first_migration_upgrades_on_postgresql_too(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    ensure_schema(engine)
    assert current_revision(engine) == HEAD_REVISION


def test_backup_copy_holds_uncheckpointed_wal_data(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO athletes (name, profile_toml, created_at) "
                "VALUES ('Live', '[athlete]', '2025-01-01')"
            )
        )
    copy = backup_sqlite_file(path)
    assert copy.name.startswith("live-before-upgrade-") and copy.parent == tmp_path
    with sa.create_engine(f"sqlite:///{copy}").connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM athletes")).scalar() == "Live"


@pytest.mark.parametrize("revision", ["9999", "0000"])
def test_unknown_revisions_are_refused_with_one_line(tmp_path: Path, revision: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE alembic_version SET version_num = '{revision}'"))
    with pytest.raises(DatabaseError) as caught:
        ensure_schema(engine)
    assert "\n" not in str(caught.value) and revision in str(caught.value)


def test_sqlite_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_a_red_check_in_replans_the_stored_future(db: context_service.Database) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    before = diary_views.day_view(db, None, date(2026, 12, 15)).plan_day
    past = diary_views.day_view(db, None, TUESDAY).plan_day
    checkins_service.record_checkin(db, None, date(2026, 12, 8), 7, 6, today=date(2026, 12, 9))
    after = diary_views.day_view(db, None, date(2026, 12, 15)).plan_day
    assert before is not None and after is not None and before != after
    loads_before = {e["exercise"]: e["load_kg"] for s in before["sessions"] for e in s["exercises"]}
    for session in after["sessions"]:
        for e in session["exercises"]:
            assert e["variation"] != "plyometric"
            if e["load_kg"]:
                assert e["load_kg"] <= loads_before[e["exercise"]] / 2
    # The past is never rewritten.
    assert diary_views.day_view(db, None, TUESDAY).plan_day == past


def test_logging_a_failed_session_holds_next_weeks_load(db: context_service.Database) -> None:
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    friday = date(2026, 12, 4)
    plan_day = diary_views.day_view(db, None, friday).plan_day
    assert plan_day is not None
    seated = next(
        e
        for s in plan_day["sessions"]
        for e in s["exercises"]
        if e["exercise"] == "seated-dumbbell-calf-raise"
    )
    diary.log_sets(
        db,
        None,
        friday,
        diary.LogRequest(
            "seated-dumbbell-calf-raise", 3, seated["reps"] - 4, str(seated["load_kg"]), 9.5, None
        ),
        today=date(2026, 12, 5),
    )
    week2 = diary_views.day_view(db, None, date(2026, 12, 11)).plan_day
    assert week2 is not None
    loads = [
        e["load_kg"]
        for s in week2["sessions"]
        for e in s["exercises"]
        if e["exercise"] == "seated-dumbbell-calf-raise"
    ]
    assert loads and all(load <= seated["load_kg"] for load in loads)


def test_the_last_day_with_a_set_is_one_index_probe(db: context_service.Database) -> None:
    """The coach dashboard's "days since the last log" (it read every set of every athlete)."""
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    with db.unit_of_work(read_only=True) as uow:
        athlete_id = uow.athletes.id_of("Sam")
        assert athlete_id is not None
        assert uow.sets.last_day(athlete_id) is None
    for day in (STRENGTH_TUESDAY, TODAY):
        request = diary.LogRequest("kettlebell-single-leg-calf-raise", 1, 12, "4", 7.0, "left")
        diary.log_sets(db, None, day, request)
    with db.unit_of_work(read_only=True) as uow:
        assert uow.sets.last_day(athlete_id) == max(STRENGTH_TUESDAY, TODAY)
