"""Every command-line write of athlete data leaves an audit row — who ("cli:" and the OS user)
and when — in the write's own transaction; the athlete's history shows them (text and JSON);
a backup carries them; one API token can be revoked by its id (issue 16). Real console script,
real SQLite file and PostgreSQL server."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from calfcoach.services import context
from calfcoach.services.access import identity_of_token
from calfcoach.store.tables import audit
from tests.conftest import ROOT, SHARED_FIXTURES, TODAY, cli_path

SAMPLE = ROOT / "examples" / "profile.toml"
GPX = SHARED_FIXTURES / "gpx" / "Mojstrovka.gpx"

Cli = Callable[..., subprocess.CompletedProcess[str]]


def _runner(url: str, user: str) -> Cli:
    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        # getpass reads LOGNAME, USER, LNAME, USERNAME in that order: set them all.
        names = dict.fromkeys(("LOGNAME", "USER", "LNAME", "USERNAME"), user)
        env = {**os.environ, **names, "CALFCOACH_TODAY": TODAY.isoformat(), "CALFCOACH_DB": url}
        return subprocess.run(
            [cli_path(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60
        )

    return run


@pytest.fixture
def cli(database_url: str) -> Cli:
    """The console script run by the OS user "alice"."""
    return _runner(database_url, "alice")


def rows(url: str) -> list[dict[str, object]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.select(audit).order_by(audit.c.id)).mappings().all()
        return [dict(row) for row in found]
    finally:
        engine.dispose()


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_cli_write_is_audited_as_the_os_user(
    cli: Cli, database_url: str, tmp_path: Path
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    ok(cli("init", "--profile", str(SAMPLE)))
    ok(cli("log", "pogo-hops", "--reps", "20", "--date", TODAY.isoformat()))
    ok(cli("log", "pogo-hops", "--reps", "18", "--date", TODAY.isoformat()))
    ok(cli("log", "edit", "1", "--reps", "19"))
    ok(cli("log", "delete", "2"))
    ok(cli("checkin", "--pain-during", "2"))
    ok(cli("assess", "hop", "--pain", "0"))
    ok(cli("import", str(GPX)))
    # Commands that only read leave nothing.
    before_reads = len(rows(database_url))
    for args in (
        ("today",),
        ("history",),
        ("explain", "2026-12-01"),
        ("export", "--format", "json"),
    ):
        ok(cli(*args))
    assert len(rows(database_url)) == before_reads

    found = rows(database_url)
    actions = [row["action"] for row in found]
    assert actions[:7] == [
        "calfcoach init",
        # `calfcoach log EXERCISE` is the log group's default command, `log add`.
        "calfcoach log add",
        "calfcoach log add",
        "calfcoach log edit",
        "calfcoach log delete",
        "calfcoach checkin",
        "calfcoach assess hop",
    ]
    # An import commits in steps (its batch, then the activities): the activities are recorded.
    assert set(actions[7:]) == {"calfcoach import"}
    assert {row["actor"] for row in found} == {"cli:alice"}
    athlete_id = found[0]["athlete_id"]
    assert athlete_id is not None and all(row["athlete_id"] == athlete_id for row in found)
    details = [row["detail"] for row in found]
    assert details[0] == "athletes added: 1; plans added: 1"
    assert details[1:5] == [
        "set_logs added: 1",
        "set_logs added: 1",
        "set_logs changed: 1",
        "set_logs removed: 1",
    ]
    assert details[5] == "checkins added: 1" and details[6] == "assessments added: 1"
    assert any("runs added: 1" in detail for detail in details[7:])
    for row in found:
        at = row["at"]
        assert isinstance(at, datetime)
        assert (at if at.tzinfo else at.replace(tzinfo=UTC)) >= started


def test_a_refused_write_records_nothing(cli: Cli, database_url: str) -> None:
    ok(cli("init", "--profile", str(SAMPLE)))
    count = len(rows(database_url))
    refused = cli("log", "pogo-hops", "--reps", "-3")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert cli("log", "--delete", "99").returncode == 2
    nothing = cli("log", "edit", "1")  # changes nothing: refused, not recorded as a change
    assert nothing.returncode == 2 and "nothing to change" in nothing.stderr
    assert len(rows(database_url)) == count


def test_the_old_flags_are_audited_as_their_subcommands(cli: Cli, database_url: str) -> None:
    ok(cli("init", "--profile", str(SAMPLE)))
    ok(cli("log", "pogo-hops", "--reps", "20", "--sets", "2", "--date", TODAY.isoformat()))
    ok(cli("log", "--edit", "1", "--reps", "19"))
    ok(cli("log", "--delete", "2"))
    assert [row["action"] for row in rows(database_url)][-2:] == [
        "calfcoach log edit",
        "calfcoach log delete",
    ]


def test_a_profile_change_is_audited_for_that_athlete_only(
    cli: Cli, database_url: str, tmp_path: Path
) -> None:
    riley = tmp_path / "riley.toml"
    riley.write_text(SAMPLE.read_text().replace('name = "Sam"', 'name = "Riley"'))
    ok(cli("init", "--profile", str(SAMPLE)))
    ok(cli("init", "--profile", str(riley)))
    bob = _runner(database_url, "bob")
    ok(bob("init", "--profile", str(SAMPLE)))  # Sam again: an update
    sam = json.loads(ok(bob("history", "--athlete", "Sam", "--format", "json")))["changes"]
    riley_changes = json.loads(ok(cli("history", "--athlete", "Riley", "--format", "json")))
    assert [(c["who"], c["action"]) for c in sam] == [
        ("cli:bob", "calfcoach init"),
        ("cli:alice", "calfcoach init"),
    ]
    assert "athletes changed: 1" in sam[0]["detail"]
    assert [c["who"] for c in riley_changes["changes"]] == ["cli:alice"]


def test_history_shows_the_changes_in_text_and_json(cli: Cli) -> None:
    ok(cli("init", "--profile", str(SAMPLE)))
    ok(cli("checkin", "--pain-during", "1"))
    document = json.loads(ok(cli("history", "--format", "json")))
    # The existing fields stay as they were; "changes" is added, newest first.
    assert set(document) == {"exercises", "assessments", "checkins", "changes"}
    assert [c["action"] for c in document["changes"]] == ["calfcoach checkin", "calfcoach init"]
    first = document["changes"][0]
    assert set(first) == {"at", "who", "action", "detail"}
    assert first["who"] == "cli:alice" and first["detail"] == "checkins added: 1"
    assert datetime.fromisoformat(first["at"]).tzinfo is not None
    text = ok(cli("history"))
    assert "changes" in text and "cli:alice" in text and "calfcoach checkin" in text


def test_a_user_name_with_escape_sequences_reaches_no_terminal_raw(database_url: str) -> None:
    evil = _runner(database_url, "eve\x1b]0;owned\x07")
    ok(evil("init", "--profile", str(SAMPLE)))
    assert rows(database_url)[0]["actor"] == "cli:eve]0;owned"
    assert "\x1b" not in ok(evil("history"))


def test_the_audit_trail_survives_a_backup_and_restore(
    cli: Cli, database_url: str, tmp_path: Path
) -> None:
    ok(cli("init", "--profile", str(SAMPLE)))
    ok(cli("checkin", "--pain-during", "3"))
    backup = tmp_path / "backup.json"
    backup.write_text(ok(cli("export", "--format", "json")))
    before = json.loads(ok(cli("history", "--format", "json")))["changes"]
    target = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    restored = _runner(target, "carol")
    ok(restored("restore", str(backup)))
    after = json.loads(ok(restored("history", "--format", "json")))["changes"]
    # The restore itself is a write, recorded as the one who restored it.
    assert after[0]["who"] == "cli:carol" and after[0]["action"] == "calfcoach restore"
    assert after[1:] == before


def test_one_token_is_revoked_by_its_id(database_url: str, cli: Cli) -> None:
    ok(cli("init", "--profile", str(SAMPLE)))
    ok(cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin="long enough pw"))
    first, second = ok(cli("user", "token", "kim")).strip(), ok(cli("user", "token", "kim")).strip()
    listed = json.loads(ok(cli("user", "tokens", "kim", "--format", "json")))["tokens"]
    assert [t["revoked_at"] for t in listed] == [None, None]
    text = ok(cli("user", "tokens", "kim"))
    assert first not in text and second not in text and "live" in text
    assert ok(cli("user", "revoke-token", "kim", "--id", str(listed[0]["id"]))) == (
        f"Revoked token {listed[0]['id']} of kim.\n"
    )
    db = context.open_database(database_url)
    try:
        assert identity_of_token(db, first) is None
        still = identity_of_token(db, second)
        assert still is not None and still.name == "kim"
    finally:
        db.engine.dispose()
    listed = json.loads(ok(cli("user", "tokens", "kim", "--format", "json")))["tokens"]
    assert listed[0]["revoked_at"] is not None and listed[1]["revoked_at"] is None
    again = cli("user", "revoke-token", "kim", "--id", str(listed[0]["id"]))
    assert again.returncode == 2
    assert again.stderr == (
        f"calfcoach: error: option --id: kim has no live token {listed[0]['id']}; allowed: "
        f"{listed[1]['id']} (see calfcoach user tokens kim)\n"
    )
    assert cli("user", "revoke-token", "kim", "--id", "0").returncode == 2
    assert "no user 'nobody'" in cli("user", "tokens", "nobody").stderr
