"""The JSON backup holds every table: restored into an empty database it gives the same rows,
every column and id, on SQLite and PostgreSQL; a version 1 backup still restores; one
athlete's backup holds their rows only."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from calfcoach.errors import InputError
from calfcoach.services import accounts, club, context, diary, exporting, importing, progress
from calfcoach.services import athletes as athletes_service
from calfcoach.services import backup as backup_service
from calfcoach.services import checkins as checkins_service
from calfcoach.services.access import LOCAL_OWNER, session_key
from calfcoach.store.repositories import BACKUP_TABLES, NOT_BACKED_UP
from calfcoach.store.tables import metadata
from tests.conftest import POSTGRES_ENV, ROOT, SHARED_FIXTURES, TODAY

SAMPLE = ROOT / "examples" / "profile.toml"
BACKED_UP = [table for table in metadata.sorted_tables if table not in NOT_BACKED_UP]
TUESDAY = date(2026, 12, 1)
FRIDAY = date(2026, 12, 4)


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[Any]:
    """Makes more empty databases on the backend of a given URL (for restore targets)."""
    made: list[str] = []
    server = os.environ.get(POSTGRES_ENV)

    def make(like: str) -> str:
        if like.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite'}"
        assert server is not None
        name = f"calfcoach_{uuid.uuid4().hex[:12]}"
        with sa.create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)

    yield make
    if made:
        admin = sa.create_engine(server or "", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fill(db: context.Database, tmp_path: Path) -> None:
    """Something in every table, with gaps in the ids (deleted sets, an undone import)."""
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    kim = tmp_path / "kim.toml"
    kim.write_text(SAMPLE.read_text().replace('name = "Sam"', 'name = "Kim"'))
    athletes_service.init_athlete(db, kim, None, TODAY)
    athletes_service.init_athlete(
        db, SAMPLE, None, TODAY
    )  # a second plan; the first stays as history
    diary.log_as_prescribed(db, "Sam", TUESDAY)
    sets = diary.log_sets(
        db,
        "Kim",
        FRIDAY,
        diary.LogRequest("seated-dumbbell-calf-raise", 3, 11, "17.5", 8.5, None),
    )
    diary.log_sets(db, "Kim", FRIDAY, diary.LogRequest("pogo-hops", 2, 20, "0", None, "left"))
    diary.edit_set(db, "Kim", sets[0].id or 0, 9, "40lb", 9.0, today=FRIDAY)
    diary.delete_set(db, "Kim", sets[1].id or 0, today=FRIDAY)
    checkins_service.record_checkin(db, "Sam", TUESDAY, 2, 1)
    checkins_service.record_checkin(db, "Sam", FRIDAY, 4, None)
    progress.assess_heel_raise(db, "Sam", TUESDAY, 24, 27)
    progress.assess_seated_1rm(db, "Kim", FRIDAY, 61.5)
    fit = SHARED_FIXTURES / "fit"
    importing.import_paths(db, "Sam", [fit / "garmin-fenix-5-run.fit"], dry_run=False)
    importing.import_paths(db, "Sam", [SHARED_FIXTURES / "gpx"], dry_run=False)
    importing.import_paths(db, "Sam", [fit / "garmin-fenix-5-walk.fit"], dry_run=False)
    importing.undo_import(db, "Sam", None)
    importing.import_paths(db, "Kim", [SHARED_FIXTURES / "tcx", fit], dry_run=False)
    exporting.feed_token(db, "Sam", create=True)
    exporting.revoke_feed(db, "Sam")
    exporting.feed_token(db, "Sam", create=True)
    exporting.calendar_export(db, "Sam", exporting.CalendarOptions(), TODAY)
    diary.log_as_prescribed(db, "Sam", FRIDAY, today=FRIDAY)  # a re-plan changes events
    exporting.calendar_export(db, "Sam", exporting.CalendarOptions(), FRIDAY)
    # Accounts (issue 16): a coach with a grant and a revoked token, Sam's own account; each
    # change leaves an audit row. The session key is made too, and stays out of the backup.
    accounts.add_user(db, "coach-kim", "coach", "correct horse battery", None, LOCAL_OWNER)
    accounts.add_user(db, "sam", "athlete", "correct horse battery", "Sam", LOCAL_OWNER)
    accounts.new_token(db, "coach-kim", LOCAL_OWNER)
    accounts.revoke_tokens(db, "coach-kim", LOCAL_OWNER)
    accounts.new_token(db, "sam", LOCAL_OWNER)
    accounts.grant(db, "Kim", "coach-kim", "edit", LOCAL_OWNER)
    # The club's defaults (issue 16, migration 0010).
    gym = club.validated(["dumbbells", "step"], {"dumbbells": [2.0, 4.0]}, ["tuesday"], TODAY)
    club.set_club_defaults(db, LOCAL_OWNER, gym)
    session_key(db)


def _value(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLite hands back naive UTC
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def _tables(db: context.Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, every column, in id order."""
    out = {}
    with db.engine.connect() as conn:
        for table in BACKED_UP:
            rows = conn.execute(sa.select(table).order_by(table.c.id))
            out[table.name] = [
                {column: _value(value) for column, value in row._mapping.items()} for row in rows
            ]
    return out


def test_the_backup_covers_every_table() -> None:
    # All but the server's session key and the marks of plans waiting for a re-plan (a backup
    # runs those re-plans first), on purpose (see NOT_BACKED_UP).
    assert {t.name for t in NOT_BACKED_UP} == {"server_keys", "stale_plans"}
    assert {t.name for t in BACKUP_TABLES} | {"server_keys", "stale_plans"} == set(metadata.tables)


def test_restore_gives_the_same_rows_table_by_table(
    database_url: str, fresh_url: Any, tmp_path: Path
) -> None:
    source = context.open_database(database_url)
    _fill(source, tmp_path)
    original = _tables(source)
    assert all(original.values()), {name: len(rows) for name, rows in original.items()}
    document = json.loads(json.dumps(backup_service.export_backup(source)))
    assert document["calfcoach_backup"] == 2
    target = context.open_database(fresh_url(database_url))
    counts = backup_service.restore_backup(target, document, "backup.json", today=FRIDAY)
    restored = _tables(target)
    for table in BACKED_UP:
        assert restored[table.name] == original[table.name], table.name
    assert counts["runs"] == len(original["runs"]) and counts["sets"] == len(original["set_logs"])
    assert backup_service.export_backup(target) == document
    # New rows follow the restored ids (PostgreSQL's sequences were moved on).
    highest = max(row["id"] for row in original["set_logs"])
    logged = diary.log_sets(
        target, "Sam", TUESDAY, diary.LogRequest("pogo-hops", 1, 10, "0", None, None)
    )
    assert logged[0].id == highest + 1
    batch, removed = importing.undo_import(target, "Kim", None)
    assert removed == sum(1 for r in original["runs"] if r["batch_id"] == batch)


def test_one_athletes_backup_holds_their_rows_only_and_restores_them(
    database_url: str, fresh_url: Any, tmp_path: Path
) -> None:
    """Issue 13: `export --format json --athlete Kim` wrote every athlete's diary and every
    account of the club. It now holds Kim's rows of every table, ids kept, and the audit of
    Kim's diary; no other athlete's, and none of the club's accounts, tokens, grants or
    defaults. Restored into an empty database, it gives those rows back."""
    source = context.open_database(database_url)
    _fill(source, tmp_path)
    original = _tables(source)
    kim = next(row["id"] for row in original["athletes"] if row["name"] == "Kim")
    document = json.loads(json.dumps(backup_service.export_backup(source, "Kim")))
    assert [a["name"] for a in document["athletes"]] == ["Kim"]
    assert "club" not in document
    target = context.open_database(fresh_url(database_url))
    backup_service.restore_backup(target, document, "kim.json", today=FRIDAY)
    restored = _tables(target)
    for table in BACKED_UP:
        if table.name in ("users", "api_tokens", "grants", "club_defaults"):
            expected = []
        elif table.name == "athletes":
            expected = [row for row in original["athletes"] if row["id"] == kim]
        else:
            expected = [row for row in original[table.name] if row["athlete_id"] == kim]
        assert restored[table.name] == expected, table.name
    for name in ("plans", "set_logs", "runs", "assessments", "audit"):
        assert restored[name], name  # Kim has some of each: the filter kept them
    assert all(row["athlete_id"] == kim for row in restored["audit"])
    with pytest.raises(InputError, match="no athlete 'Nobody'"):
        backup_service.export_backup(source, "Nobody")


def test_a_backup_goes_from_postgresql_to_sqlite_and_back(
    database_url: str, fresh_url: Any, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL to SQLite")
    source = context.open_database(database_url)
    _fill(source, tmp_path)
    document = json.loads(json.dumps(backup_service.export_backup(source)))
    lite = context.open_database(f"sqlite:///{tmp_path / 'lite.sqlite'}")
    backup_service.restore_backup(lite, document, "backup.json", today=FRIDAY)
    assert _tables(lite) == _tables(source)
    back = context.open_database(fresh_url(database_url))
    backup_service.restore_backup(
        back,
        json.loads(json.dumps(backup_service.export_backup(lite))),
        "lite.json",
        today=FRIDAY,
    )
    assert _tables(back) == _tables(source)


def _v1_document() -> dict[str, Any]:
    sets = [
        {"day": "2026-12-01", "exercise": "pogo-hops", "set": n, "reps": 20, "load_kg": 0}
        for n in (1, 2, 2, 3)  # 2 twice: concurrent loggers on PostgreSQL before 0004
    ]
    return {
        "calfcoach_backup": 1,
        "athletes": [
            {
                "name": "Sam",
                "profile_toml": SAMPLE.read_text(),
                "created_at": "2026-11-24T08:00:00+01:00",
                "plans": [],
                "sets": sets,
                "checkins": [{"day": "2026-12-01", "pain_during": 2, "pain_next_morning": 1}],
                "assessments": [
                    {"day": "2026-12-01", "kind": "seated_1rm", "value_kg": 60.0},
                ],
            }
        ],
    }


def test_a_version_1_backup_still_restores(database_url: str) -> None:
    db = context.open_database(database_url)
    before = datetime.now(UTC)
    counts = backup_service.restore_backup(db, _v1_document(), "old.json", today=TUESDAY)
    assert counts == {
        "athletes": 1,
        "plans": 0,
        "sets": 4,
        "checkins": 1,
        "assessments": 1,
        "import batches": 0,
        "runs": 0,
        "calendar feeds": 0,
        "calendar events": 0,
    }
    rows = _tables(db)
    assert rows["athletes"][0]["created_at"] == datetime(2026, 11, 24, 7, tzinfo=UTC)
    assert [s["set_number"] for s in rows["set_logs"]] == [1, 2, 4, 3]
    assert all(s["created_at"] >= before.replace(microsecond=0) for s in rows["set_logs"])
    assert rows["assessments"][0]["value_kg"] == 60.0
    again = backup_service.export_backup(db)
    assert again["calfcoach_backup"] == 2 and len(again["athletes"][0]["sets"]) == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(calfcoach_backup=3), "allowed: 1, 2"),
        (lambda d: d.update(calfcoach_backup=True), "allowed: 1, 2"),
        (lambda d: d["athletes"][0]["sets"][0].update(id=2**63), "sets.0.id"),
        (lambda d: d["athletes"][0]["sets"][0].update(reps="10"), "sets.0.reps"),
        (lambda d: d["athletes"][0]["sets"][0].update(load_kg="42"), "sets.0.load_kg"),
        (lambda d: d["athletes"][0]["sets"][0].update(load_kg=float("inf")), "sets.0.load_kg"),
        (lambda d: d["athletes"][0]["sets"][1].update(id=1), "set_logs: id 1 appears twice"),
        (
            lambda d: (
                d["athletes"][0]["import_batches"][0]["runs"][0].update(distance_m=None)
                or d["athletes"][0]["import_batches"][0]["runs"][0].update(sha256="x")
            ),
            "runs.0.sha256",
        ),
        (
            lambda d: d["athletes"][0]["checkins"].append(
                {**d["athletes"][0]["checkins"][0], "id": 99}
            ),
            "the database refuses its rows",
        ),
    ],
)
def test_a_bad_version_2_document_is_refused_whole(
    change: Any, message: str, tmp_path: Path
) -> None:
    source = context.open_database(f"sqlite:///{tmp_path / 'source.sqlite'}")
    athletes_service.init_athlete(source, SAMPLE, None, TODAY)
    diary.log_as_prescribed(source, None, TUESDAY)
    checkins_service.record_checkin(source, None, TUESDAY, 1, 1)
    importing.import_paths(source, None, [SHARED_FIXTURES / "fit"], dry_run=False)
    document = json.loads(json.dumps(backup_service.export_backup(source)))
    change(document)
    target = context.open_database(f"sqlite:///{tmp_path / 'target.sqlite'}")
    with pytest.raises(InputError, match=message) as caught:
        backup_service.restore_backup(target, document, "b.json", today=TUESDAY)
    assert "\n" not in str(caught.value)
    assert all(not rows for rows in _tables(target).values())


def test_runs_survive_export_and_restore_through_the_cli(run_cli, tmp_path: Path) -> None:
    """The report's case: import a run, back up, restore, and the run is there."""
    db, fresh = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    run_cli("init", "--profile", str(SAMPLE), "--db", db)
    imported = run_cli(
        "import", str(SHARED_FIXTURES / "fit" / "garmin-fenix-5-run.fit"), "--db", db
    )
    assert imported.returncode == 0, imported.stderr
    backup = tmp_path / "b.json"
    assert run_cli("export", "--format", "json", "--db", db, "--out", str(backup)).returncode == 0
    restored = run_cli("restore", str(backup), "--db", fresh)
    assert restored.returncode == 0, restored.stderr
    assert "1 athlete," in restored.stdout and "1 run," in restored.stdout
    assert "1 import batch," in restored.stdout
    before = json.loads(run_cli("runs", "--db", db, "--format", "json").stdout)
    after = json.loads(run_cli("runs", "--db", fresh, "--format", "json").stdout)
    assert after == before and len(after["runs"]) == 1


# --- What `init`, `log`, `checkin` and `assess` refuse, restore refuses (issue 13's trial) --


@pytest.fixture(scope="module")
def backup_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A version 2 backup with a set, a check-in and both kinds of test, on TUESDAY."""
    path = tmp_path_factory.mktemp("source") / "source.sqlite"
    source = context.open_database(f"sqlite:///{path}")
    athletes_service.init_athlete(source, SAMPLE, None, TODAY)
    diary.log_as_prescribed(source, None, TUESDAY)
    checkins_service.record_checkin(source, None, TUESDAY, 2, 1)
    progress.assess_heel_raise(source, None, TUESDAY, 24, 27, pain=0)
    progress.assess_seated_1rm(source, None, TUESDAY, 61.5)
    document: dict[str, Any] = json.loads(json.dumps(backup_service.export_backup(source)))
    source.engine.dispose()
    return document


def _first(document: dict[str, Any], records: str) -> dict[str, Any]:
    record: dict[str, Any] = document["athletes"][0][records][0]
    return record


def _profile(document: dict[str, Any], change: Any) -> None:
    athlete = document["athletes"][0]
    athlete["profile_toml"] = change(athlete["profile_toml"])


# (what the trial changed in a real backup, what the one line must say)
REFUSED_RECORDS: dict[str, tuple[Any, str]] = {
    # Every today, history and explain then exited 2 on the stored profile.
    "profile-body-mass-9999-lb": (
        lambda d: _profile(d, lambda t: t.replace("body_mass_kg = 68", "body_mass_lb = 9999")),
        "b.json: athletes.0.profile_toml (the profile of Sam), line 5, field "
        "athlete.body_mass_lb: 9999 is out of range; allowed: a number from 66.2 to 551.1 (lb)",
    ),
    "profile-not-toml": (
        lambda d: _profile(d, lambda t: t.replace("[running]", "[running")),
        "b.json: athletes.0.profile_toml (the profile of Sam), line 12: not valid TOML",
    ),
    # history showed "inf lb × 0  inf lb", the CSV 1e+308.
    "load-1e308": (
        lambda d: _first(d, "sets").update(load_kg=1e308),
        "b.json: field athletes.0.sets.0.load_kg: 1e+308 is out of range; allowed: 0 to 1000 (kg)",
    ),
    # today showed "also logged: #3 moon-hops".
    "exercise-not-in-catalog": (
        lambda d: _first(d, "sets").update(exercise="moon-hops"),
        "b.json: field athletes.0.sets.0.exercise: 'moon-hops' is not in the catalog; "
        "allowed: a catalog id (see calfcoach exercises)",
    ),
    "set-after-today": (
        lambda d: _first(d, "sets").update(day="2031-01-07"),
        "b.json: field athletes.0.sets.0.day: 2031-01-07 is after today (2026-12-01); "
        "allowed: today, or up to 2026-12-03 (a time zone ahead)",
    ),
    "checkin-after-today": (
        lambda d: _first(d, "checkins").update(day="2031-01-07"),
        "b.json: field athletes.0.checkins.0.day: 2031-01-07 is after today",
    ),
    "test-after-today": (
        lambda d: _first(d, "assessments").update(day="2031-01-07"),
        "b.json: field athletes.0.assessments.0.day: 2031-01-07 is after today",
    ),
    # log allows 0 to 500.
    "reps-100000": (
        lambda d: _first(d, "sets").update(reps=100_000),
        "b.json: field athletes.0.sets.0.reps: 100000 is out of range; allowed: 0 to 500",
    ),
    # Refused before, in the validation library's words ("Input should be greater than or
    # equal to 0"): now in the README's one-line form, as log's and checkin's refusals.
    "reps-negative": (
        lambda d: _first(d, "sets").update(reps=-1),
        "b.json: field athletes.0.sets.0.reps: -1 is out of range; allowed: 0 to 500",
    ),
    "pain-11": (
        lambda d: _first(d, "checkins").update(pain_during=11),
        "b.json: field athletes.0.checkins.0.pain_during: 11 is out of range; allowed: 0 to 10",
    ),
    "heel-raise-reps-301": (
        lambda d: _first(d, "assessments").update(left_reps=301),
        "b.json: field athletes.0.assessments.0.left_reps: 301 is out of range; allowed: 0 to 300",
    ),
    # A test holds its kind's values, as `assess` stores them: a hop test with a heel raise's
    # reps, or a seated 1RM with none, was restored.
    "hop-test-with-reps": (
        lambda d: _first(d, "assessments").update(kind="hop"),
        "b.json: field athletes.0.assessments.0.left_reps: is not a field of a hop test; "
        "allowed: day, pain (or null)",
    ),
    "seated-1rm-without-value": (
        lambda d: d["athletes"][0]["assessments"][1].update(value_kg=None),
        "b.json: field athletes.0.assessments.1.value_kg: is missing; "
        "allowed: above 0 up to 1000 (kg)",
    ),
    "set-field-missing": (
        lambda d: _first(d, "sets").pop("reps"),
        "b.json: field athletes.0.sets.0.reps: is missing; allowed: 0 to 500",
    ),
    "bad-date": (
        lambda d: _first(d, "sets").update(day="2026-13-01"),
        "b.json: field athletes.0.sets.0.day: '2026-13-01' is not a date; "
        "allowed: a date as YYYY-MM-DD",
    ),
}


@pytest.mark.parametrize("case", REFUSED_RECORDS)
def test_a_backup_holding_what_the_commands_refuse_is_refused_whole(
    case: str, backup_document: dict[str, Any], database_url: str
) -> None:
    change, words = REFUSED_RECORDS[case]
    document = json.loads(json.dumps(backup_document))
    change(document)
    target = context.open_database(database_url)
    with pytest.raises(InputError) as caught:
        backup_service.restore_backup(target, document, "b.json", today=TUESDAY)
    message = str(caught.value)
    assert message.startswith(words), message
    assert "\n" not in message and "; allowed: " in message and "Input should" not in message
    assert all(not rows for rows in _tables(target).values())


def test_the_unchanged_backup_restores(backup_document: dict[str, Any], database_url: str) -> None:
    """(The cases above fail for their change alone.)"""
    target = context.open_database(database_url)
    counts = backup_service.restore_backup(target, backup_document, "b.json", today=TUESDAY)
    assert counts["checkins"] == 1 and counts["assessments"] == 2 and counts["sets"] > 0


# A version 1 backup's values are checked by the same models (its own reader is lax).
REFUSED_V1: dict[str, tuple[Any, str]] = {
    "reps-100000": (
        lambda d: _first(d, "sets").update(reps=100_000),
        "old.json: field athletes.0.sets.0.reps: 100000 is out of range; allowed: 0 to 500",
    ),
    "load-1e308": (
        lambda d: _first(d, "sets").update(load_kg=1e308),
        "old.json: field athletes.0.sets.0.load_kg: 1e+308 is out of range",
    ),
    "exercise-not-in-catalog": (
        lambda d: _first(d, "sets").update(exercise="moon-hops"),
        "old.json: field athletes.0.sets.0.exercise: 'moon-hops' is not in the catalog",
    ),
    "set-after-today": (
        lambda d: _first(d, "sets").update(day="2031-01-07"),
        "old.json: field athletes.0.sets.0.day: 2031-01-07 is after today",
    ),
    "checkin-after-today": (
        lambda d: _first(d, "checkins").update(day="2031-01-07"),
        "old.json: field athletes.0.checkins.0.day: 2031-01-07 is after today",
    ),
    "test-after-today": (
        lambda d: _first(d, "assessments").update(day="2031-01-07"),
        "old.json: field athletes.0.assessments.0.day: 2031-01-07 is after today",
    ),
    "seated-1rm-2000": (
        lambda d: _first(d, "assessments").update(value_kg=2000.0),
        "old.json: field athletes.0.assessments.0.value_kg: 2000 is out of range; "
        "allowed: above 0 up to 1000 (kg)",
    ),
    "profile-body-mass-9999-lb": (
        lambda d: _profile(d, lambda t: t.replace("body_mass_kg = 68", "body_mass_lb = 9999")),
        "old.json: athletes.0.profile_toml (the profile of Sam), line 5, field "
        "athlete.body_mass_lb: 9999 is out of range",
    ),
}


@pytest.mark.parametrize("case", REFUSED_V1)
def test_a_version_1_backup_holding_what_the_commands_refuse_is_refused(
    case: str, database_url: str
) -> None:
    change, words = REFUSED_V1[case]
    document = _v1_document()
    change(document)
    target = context.open_database(database_url)
    with pytest.raises(InputError) as caught:
        backup_service.restore_backup(target, document, "old.json", today=TUESDAY)
    assert str(caught.value).startswith(words), str(caught.value)
    assert all(not rows for rows in _tables(target).values())


def test_restore_refuses_a_set_after_the_clis_today_and_makes_no_file(
    run_cli, backup_document: dict[str, Any], tmp_path: Path
) -> None:
    """The trial's steps: `calfcoach restore X.json --db new.sqlite` exited 0 with a set
    dated after today. Refused (exit 2, one line) on CALFCOACH_TODAY, the day `log` goes by,
    with no new database file; restored once that day has come."""
    document = json.loads(json.dumps(backup_document))
    # Three days after TUESDAY: a phone's own day may be up to two ahead (time zones).
    _first(document, "sets")["day"] = "2026-12-04"
    backup = tmp_path / "x.json"
    backup.write_text(json.dumps(document))
    fresh = tmp_path / "new.sqlite"
    refused = run_cli("restore", str(backup), "--db", str(fresh), today=TUESDAY)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert refused.stderr.splitlines() == [
        f"calfcoach: error: {backup}: field athletes.0.sets.0.day: 2026-12-04 is after today "
        "(2026-12-01); allowed: today, or up to 2026-12-03 (a time zone ahead)"
    ]
    assert not fresh.exists()
    restored = run_cli("restore", str(backup), "--db", str(fresh), today=date(2026, 12, 2))
    assert restored.returncode == 0, restored.stderr
