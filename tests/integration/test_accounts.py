"""Accounts, API tokens and grants (issue 16) through the real command line and the services,
on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from calfcoach.errors import ForbiddenError, InputError, NotFoundError
from calfcoach.services import accounts, context
from calfcoach.services import athletes as athletes_service
from calfcoach.services.access import (
    LOCAL_OWNER,
    authorized_athlete,
    identity_of_token,
)
from calfcoach.store.tables import api_tokens, audit, users
from tests.conftest import ROOT, TODAY, cli_path

SAMPLE = ROOT / "examples" / "profile.toml"
PASSWORD = "correct horse battery"

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(database_url: str) -> Cli:
    """The real console script on this test's database; ``stdin`` is fed to it."""

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "CALFCOACH_DB": database_url}
        return subprocess.run(
            [cli_path(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    return run


@pytest.fixture
def club(database_url: str, tmp_path: Path) -> context.Database:
    """Two athletes, Sam and Riley, no accounts yet."""
    db = context.open_database(database_url)
    athletes_service.init_athlete(db, SAMPLE, None, TODAY)
    riley = tmp_path / "riley.toml"
    riley.write_text(SAMPLE.read_text().replace('name = "Sam"', 'name = "Riley"'))
    athletes_service.init_athlete(db, riley, None, TODAY)
    return db


def one_error_line(result: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("calfcoach: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def test_user_add_hashes_the_password_with_argon2(club: context.Database, cli: Cli) -> None:
    added = cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added coach kim.\n"
    with club.engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.name, users.c.role, users.c.password_hash)).one()
    assert stored.name == "kim" and stored.role == "coach"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert accounts.sign_in(club, "kim", PASSWORD).name == "kim"
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(club, "kim", PASSWORD + "!")


def test_an_athlete_account_owns_one_athletes_diary(club: context.Database, cli: Cli) -> None:
    added = cli(
        "user",
        "add",
        "sam",
        "--role",
        "athlete",
        "--athlete",
        "Sam",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "owning Sam's diary" in added.stdout
    sam = accounts.sign_in(club, "sam", PASSWORD)
    assert authorized_athlete(club, sam, None, "edit") == "Sam"
    assert authorized_athlete(club, sam, "Sam", "edit") == "Sam"
    with pytest.raises(NotFoundError) as forbidden:
        authorized_athlete(club, sam, "Riley", "view")
    with pytest.raises(NotFoundError) as unknown:
        authorized_athlete(club, sam, "Nobody", "view")
    # Forbidden and unknown read the same, and name no one.
    assert str(forbidden.value) == str(unknown.value) == "no such athlete"
    again = cli(
        "user",
        "add",
        "sam2",
        "--role",
        "athlete",
        "--athlete",
        "Sam",
        "--password-stdin",
        stdin=PASSWORD,
    )
    one_error_line(again, "option --athlete", "Sam already has an account")


@pytest.mark.parametrize(
    ("args", "stdin", "parts"),
    [
        (["--role", "boss"], PASSWORD, ("option --role", "'boss'", "admin, coach, athlete")),
        (["--role", "athlete"], PASSWORD, ("option --athlete is needed",)),
        (
            ["--role", "coach", "--athlete", "Sam"],
            PASSWORD,
            ("option --athlete", "calfcoach grant"),
        ),
        (["--role", "coach"], "short", ("password", "allowed: 8 to 1024 characters")),
        (["--role", "coach"], "", ("standard input held no password",)),
    ],
)
def test_bad_accounts_are_one_line_and_store_nothing(
    club: context.Database, cli: Cli, args: list[str], stdin: str, parts: tuple[str, ...]
) -> None:
    one_error_line(cli("user", "add", "kim", *args, "--password-stdin", stdin=stdin), *parts)
    assert accounts.list_users(club) == []


@pytest.mark.parametrize("name", ["owner", "Device", "cli:root", "cli:alice"])
def test_an_account_cannot_take_a_name_the_audit_trail_uses(
    club: context.Database, cli: Cli, name: str
) -> None:
    # Found by a new-user trial: a coach named "cli:root" made web changes that the athlete's
    # history showed as the command line's.
    one_error_line(
        cli("user", "add", name, "--role", "coach", "--password-stdin", stdin=PASSWORD),
        "audit trail",
        "without ':'",
    )
    assert accounts.list_users(club) == []


@pytest.mark.parametrize("name", ["bad name!", "kim ", "a/b", "<kim>", "_kim", "x" * 101])
def test_a_user_name_outside_the_rule_is_refused_with_the_allowed_characters(
    club: context.Database, cli: Cli, name: str
) -> None:
    """Issue 13 (a new user's trial): `calfcoach user add "bad name!"` was taken."""
    one_error_line(
        cli("user", "add", name, "--role", "coach", "--password-stdin", stdin=PASSWORD),
        "user name ",
        "is not allowed; allowed: 1 to 100 letters, digits, '.', '_', '-' or '@', beginning "
        "with a letter or digit",
    )
    assert accounts.list_users(club) == []


def test_names_of_any_alphabet_are_taken_and_old_names_still_sign_in(
    club: context.Database, cli: Cli
) -> None:
    added = cli(
        "user", "add", "zoë.ødegård@club-1", "--role", "coach", "--password-stdin", stdin=PASSWORD
    )
    assert added.returncode == 0, added.stderr
    assert accounts.sign_in(club, "zoë.ødegård@club-1", PASSWORD).role == "coach"
    # An account made before the rule keeps its name: the sign-in page (the web's only place
    # a user name is typed; no page or API call makes accounts) looks names up as they are.
    with club.unit_of_work() as uow:
        uow.access.add_user("Old Name!", "coach", accounts._hasher().hash(PASSWORD), None)
        uow.commit()
    assert accounts.sign_in(club, "Old Name!", PASSWORD).name == "Old Name!"


def test_a_name_differing_only_in_case_is_taken(club: context.Database, cli: Cli) -> None:
    added = cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    one_error_line(
        cli("user", "add", "KIM", "--role", "coach", "--password-stdin", stdin=PASSWORD),
        "user 'kim' exists already",
    )
    assert [row.name for row, _, _ in accounts.list_users(club)] == ["kim"]


def test_a_name_with_terminal_escapes_is_refused_without_echoing_them(cli: Cli) -> None:
    line = one_error_line(
        cli("user", "add", "evil\x1b]0;owned\x07", "--role", "coach", "--password-stdin"),
        "user name 'evil]0;owned' is not allowed; allowed: 1 to 100 letters, digits",
    )
    assert "\x1b" not in line and "\x07" not in line


def test_without_a_terminal_the_password_must_come_from_stdin(
    club: context.Database, database_url: str
) -> None:
    result = subprocess.run(
        [cli_path(), "user", "add", "kim", "--role", "coach", "--db", database_url],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    one_error_line(result, "--password-stdin")


def test_a_password_for_no_account_is_refused_before_it_is_asked(
    club: context.Database, database_url: str
) -> None:
    """Without a terminal a password must come from stdin; an unknown account is said
    first (it asked for the password, twice at a terminal, before saying there was none)."""
    result = subprocess.run(
        [cli_path(), "user", "password", "nobody", "--db", database_url],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    one_error_line(result, "no user 'nobody'")


def test_a_token_is_shown_once_kept_hashed_and_revocable(club: context.Database, cli: Cli) -> None:
    assert (
        cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORD).returncode
        == 0
    )
    first = cli("user", "token", "kim")
    second = cli("user", "token", "kim")
    assert first.returncode == second.returncode == 0, first.stderr
    token, other = first.stdout.strip(), second.stdout.strip()
    assert token != other and len(token) > 40
    with club.engine.connect() as conn:
        stored = conn.scalars(sa.select(api_tokens.c.token_sha256)).all()
    assert len(stored) == 2 and token not in stored and other not in stored
    kim = identity_of_token(club, token)
    assert kim is not None and kim.name == "kim" and kim.role == "coach"
    assert identity_of_token(club, token + "x") is None
    listed = json.loads(cli("user", "list", "--format", "json").stdout)
    assert listed == {
        "users": [{"name": "kim", "role": "coach", "athlete": None, "tokens": 2, "access": []}]
    }
    revoked = cli("user", "revoke-token", "kim")
    assert revoked.stdout == "Revoked 2 tokens of kim.\n"
    assert identity_of_token(club, token) is None and identity_of_token(club, other) is None
    one_error_line(cli("user", "token", "nobody"), "no user 'nobody'", "allowed: kim")


def test_grants_give_a_coach_view_then_edit_and_revoke_ends_it(
    club: context.Database, cli: Cli
) -> None:
    cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORD)
    kim = accounts.sign_in(club, "kim", PASSWORD)
    with pytest.raises(NotFoundError):
        authorized_athlete(club, kim, "Sam", "view")
    granted = cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "view")
    assert granted.stdout == "kim now has view access to Sam.\n", granted.stderr
    assert authorized_athlete(club, kim, "Sam", "view") == "Sam"
    assert authorized_athlete(club, kim, None, "view") == "Sam"  # the only one kim sees
    with pytest.raises(ForbiddenError, match=r"^view access only"):
        authorized_athlete(club, kim, "Sam", "edit")
    cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "edit")
    assert authorized_athlete(club, kim, "Sam", "edit") == "Sam"
    listed = cli("user", "list")
    assert "kim\tcoach\tathlete: -\ttokens: 0\taccess: Sam (edit)" in listed.stdout
    assert cli("revoke", "--athlete", "Sam", "--coach", "kim").returncode == 0
    with pytest.raises(NotFoundError):
        authorized_athlete(club, kim, "Sam", "view")
    again = cli("revoke", "--athlete", "Sam", "--coach", "kim")
    assert again.stdout == "kim had no access to Sam.\n"


def test_the_account_commands_take_a_name_in_any_case(club: context.Database, cli: Cli) -> None:
    """Names are unique whatever their case and sign-in takes any case: so do the commands
    that act on an account (a trial typed coach-kim for Coach-Kim and was told "no user")."""
    cli("user", "add", "Coach-Kim", "--role", "coach", "--password-stdin", stdin=PASSWORD)
    granted = cli("grant", "--athlete", "Sam", "--coach", "coach-kim", "--level", "view")
    assert granted.stdout == "coach-kim now has view access to Sam.\n", granted.stderr
    kim = accounts.sign_in(club, "Coach-Kim", PASSWORD)
    assert authorized_athlete(club, kim, "Sam", "view") == "Sam"
    token = cli("user", "token", "COACH-KIM")
    assert token.returncode == 0 and token.stdout.strip(), token.stderr
    changed = cli("user", "password", "coach-KIM", "--password-stdin", stdin="a new password")
    assert changed.returncode == 0, changed.stderr
    assert accounts.sign_in(club, "Coach-Kim", "a new password").name == "Coach-Kim"
    revoked = cli("revoke", "--athlete", "Sam", "--coach", "coach-kim")
    assert revoked.stdout == "coach-kim no longer has access to Sam.\n", revoked.stderr
    one_error_line(cli("user", "token", "coach-kimberley"), "no user 'coach-kimberley'")


def test_an_admin_reads_no_diary_unless_granted(club: context.Database, cli: Cli) -> None:
    cli("user", "add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    admin = accounts.sign_in(club, "root", PASSWORD)
    with pytest.raises(NotFoundError):
        authorized_athlete(club, admin, None, "view")
    cli("grant", "--athlete", "Sam", "--coach", "root", "--level", "view")
    assert authorized_athlete(club, admin, "Sam", "view") == "Sam"
    assert authorized_athlete(club, LOCAL_OWNER, None, "edit") is None  # the owner as before


@pytest.mark.parametrize(
    ("args", "parts"),
    [
        (["--athlete", "Sam", "--coach", "kim", "--level", "full"], ("--level", "view, edit")),
        (["--athlete", "Nobody", "--coach", "kim", "--level", "view"], ("no athlete 'Nobody'",)),
        (["--athlete", "Sam", "--coach", "nobody", "--level", "view"], ("no user 'nobody'",)),
        (["--athlete", "Sam", "--coach", "sam", "--level", "view"], ("athlete account",)),
    ],
)
def test_bad_grants_are_one_line(
    club: context.Database, cli: Cli, args: list[str], parts: tuple[str, ...]
) -> None:
    cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORD)
    cli(
        "user",
        "add",
        "sam",
        "--role",
        "athlete",
        "--athlete",
        "Sam",
        "--password-stdin",
        stdin=PASSWORD,
    )
    one_error_line(cli("grant", *args), *parts)


def test_a_level_or_role_not_allowed_reads_like_every_other_option(
    club: context.Database, cli: Cli
) -> None:
    """Issue 13: "option --level: 'admin'; allowed: view, edit" said nothing was wrong."""
    level = cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "admin")
    line = one_error_line(level)
    assert line == "calfcoach: error: option --level: 'admin' is not allowed; allowed: view, edit"
    role = cli("user", "add", "kim", "--role", "boss", "--password-stdin", stdin=PASSWORD)
    assert one_error_line(role) == (
        "calfcoach: error: option --role: 'boss' is not allowed; allowed: admin, coach, athlete"
    )


def test_every_account_change_is_audited_as_the_command_line(
    club: context.Database, cli: Cli
) -> None:
    """The command line's account commands are recorded as "cli:USER", as its diary writes
    are (issue 13: they said "owner", which a coach or athlete reading the trail could take
    for the athlete who owns the diary, beside "cli:root" for the same person's log)."""
    from calfcoach.services.audit import cli_actor

    cli("user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORD)
    cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "view")
    cli("user", "token", "kim")
    cli("revoke", "--athlete", "Sam", "--coach", "kim")
    cli("club", "set", "--equipment", "step")
    with club.engine.connect() as conn:
        rows = conn.execute(sa.select(audit.c.actor, audit.c.action).order_by(audit.c.id)).all()
    here = cli_actor()  # the same operating-system user runs the tests and the commands
    assert here.startswith("cli:") and here != "cli:"
    assert [tuple(r) for r in rows] == [
        (here, "user_add"),
        (here, "grant"),
        (here, "token_new"),
        (here, "revoke"),
        (here, "club_defaults"),
    ]
    history = accounts.audit_of(club, "Sam")
    assert [row.action for row in history] == ["revoke", "grant"]
    assert {row.actor for row in history} == {here}


def test_sign_in_is_rate_limited_per_name(club: context.Database) -> None:
    accounts.add_user(club, "kim", "coach", PASSWORD, None, LOCAL_OWNER)
    for _ in range(accounts.SIGN_IN_ATTEMPTS):
        with pytest.raises(accounts.SignInRefused, match="wrong user name or password"):
            accounts.sign_in(club, "kim", "not the password")
    # Now even the right password is refused, until the window has passed.
    with pytest.raises(accounts.SignInRefused, match="too many failed sign-ins"):
        accounts.sign_in(club, "kim", PASSWORD)
    later = datetime.now(UTC) + accounts.SIGN_IN_WINDOW + timedelta(seconds=1)
    assert accounts.sign_in(club, "kim", PASSWORD, now=later).name == "kim"


def test_sign_in_takes_the_name_in_any_case_and_counts_its_tries_once(
    club: context.Database,
) -> None:
    """A coach who types "Kim" signs in as kim (names are unique but for case), and the
    tries at each case of the name count against the one account: five cases are not five
    more guesses each."""
    accounts.add_user(club, "kim", "coach", PASSWORD, None, LOCAL_OWNER)
    assert accounts.sign_in(club, "KIM", PASSWORD).name == "kim"
    cases = ["Kim", "KIM", "kIm", "kiM", "KiM", "kIM"]
    assert len(cases) >= accounts.SIGN_IN_ATTEMPTS
    for typed in cases[: accounts.SIGN_IN_ATTEMPTS]:
        with pytest.raises(accounts.SignInRefused, match="wrong user name or password"):
            accounts.sign_in(club, typed, "not the password")
    with pytest.raises(accounts.SignInRefused, match="too many failed sign-ins"):
        accounts.sign_in(club, "kim", PASSWORD)
    with pytest.raises(accounts.SignInRefused, match="too many failed sign-ins"):
        accounts.sign_in(club, cases[-1], PASSWORD)
    # A name no account has, in no case, is refused as ever; its tries count for every case
    # alike too, so the answer after five tells no one whether the name exists (a review).
    for typed in ("bob", "Bob", "BOB", "bOb", "boB"):
        with pytest.raises(accounts.SignInRefused, match="wrong user name or password"):
            accounts.sign_in(club, typed, PASSWORD)
    with pytest.raises(accounts.SignInRefused, match="too many failed sign-ins"):
        accounts.sign_in(club, "BoB", PASSWORD)


def test_a_password_change_needs_the_current_one(club: context.Database) -> None:
    accounts.add_user(club, "kim", "coach", PASSWORD, None, LOCAL_OWNER)
    kim = accounts.sign_in(club, "kim", PASSWORD)
    with pytest.raises(InputError, match="current password"):
        accounts.change_password(club, kim, "guess", "a new password")
    accounts.change_password(club, kim, PASSWORD, "a new password")
    assert accounts.sign_in(club, "kim", "a new password").name == "kim"
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(club, "kim", PASSWORD)


def test_an_athlete_name_with_escape_sequences_is_refused_in_one_clean_line(
    cli: Cli, tmp_path: Path
) -> None:
    profile = tmp_path / "evil.toml"
    profile.write_text(
        '[athlete]\nname = "Sam\\u001b]0;pwned\\u0007\\u009b2J"\nbody_mass_kg = 68\n'
    )
    line = one_error_line(
        cli("init", "--profile", str(profile)), "field athlete.name", "control characters"
    )
    assert "\x1b" not in line and "\x07" not in line and "\x9b" not in line
