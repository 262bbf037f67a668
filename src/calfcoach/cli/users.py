"""The account commands of the command line (issue 16): ``calfcoach user add|list|token|
tokens|revoke-token|password``, ``calfcoach grant`` and ``calfcoach revoke``.

Whoever runs the command line on the database is its owner, so these commands need no
sign-in; the audit trail records them as "cli:" and the operating-system user, as it does the
command line's diary writes. Names are printed without control
characters, so a name made to hold escape sequences cannot drive the terminal.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from calfcoach.cli.options import DbOption, TextOrJson, open_database
from calfcoach.cli.output import print_json
from calfcoach.errors import InputError

user_app = typer.Typer(
    help="Accounts for a club: admins, coaches and athletes (once one exists, the web app "
    "asks everyone to sign in).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts).",
    ),
]


def _read_password(from_stdin: bool) -> str:
    """The password from standard input's first line, or asked twice at a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise InputError("--password-stdin: standard input held no password")
        return password
    if not sys.stdin.isatty():
        raise InputError(
            "password: no terminal to ask at; allowed: --password-stdin with the password on "
            "standard input"
        )
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _shown(text: str | None) -> str:
    from calfcoach.services.access import strip_controls

    return "-" if text is None else strip_controls(text)


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The account's user name (to sign in with).")],
    role: Annotated[str, typer.Option(help="admin | coach | athlete")],
    athlete: Annotated[
        str | None,
        typer.Option(help="For an athlete account: the athlete whose diary it owns."),
    ] = None,
    password_stdin: PasswordStdinOption = False,
    db: DbOption = None,
) -> None:
    """Add an account; the password is asked twice (or read with --password-stdin).

    Example: calfcoach user add coach-kim --role coach
    """
    from calfcoach.services import accounts
    from calfcoach.services.audit import cli_owner

    # Checked before the password is asked, so a typo costs no typing.
    accounts.check_new_user_name(name)
    if role not in ("admin", "coach", "athlete"):
        raise InputError(
            f"option --role: {_shown(role)!r} is not allowed; allowed: admin, coach, athlete"
        )
    database = open_database(db, creates=True)
    password = _read_password(password_stdin)
    row = accounts.add_user(database, name, role, password, athlete, cli_owner())
    owns = f", owning {_shown(row.athlete)}'s diary" if row.athlete else ""
    sys.stdout.write(f"Added {row.role} {_shown(row.name)}{owns}.\n")


@user_app.command("list")
def list_(
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """The accounts: role, the athlete an athlete account owns, live API tokens, access.

    Example: calfcoach user list
    """
    from calfcoach.services import accounts

    found = accounts.list_users(open_database(db))
    if fmt == "json":
        rows = [
            {
                "name": row.name,
                "role": row.role,
                "athlete": row.athlete,
                "tokens": tokens,
                "access": [{"athlete": g.athlete, "level": g.level} for g in grants],
            }
            for row, tokens, grants in found
        ]
        print_json({"users": rows})
        return
    if not found:
        sys.stdout.write("No accounts: the web app serves the local owner without sign-in.\n")
        return
    for row, tokens, grants in found:
        access = ", ".join(f"{_shown(g.athlete)} ({g.level})" for g in grants) or "-"
        sys.stdout.write(
            f"{_shown(row.name)}\t{row.role}\tathlete: {_shown(row.athlete)}\t"
            f"tokens: {tokens}\taccess: {access}\n"
        )


@user_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="The account the token signs in as.")],
    db: DbOption = None,
) -> None:
    """Print a new API token for programs (Authorization: Bearer TOKEN); it is shown only
    this once (the database keeps its hash).

    Example: calfcoach user token coach-kim
    """
    from calfcoach.services import accounts
    from calfcoach.services.audit import cli_owner

    sys.stdout.write(accounts.new_token(open_database(db), name, cli_owner()) + "\n")


@user_app.command("tokens")
def tokens(
    name: Annotated[str, typer.Argument(help="The account.")],
    db: DbOption = None,
    fmt: TextOrJson = "text",
) -> None:
    """The account's API tokens: id, when made, live or when revoked (never the token).

    Example: calfcoach user tokens coach-kim
    """
    from calfcoach.services import accounts

    found = accounts.tokens_of(open_database(db), name)
    if fmt == "json":
        rows = [
            {
                "id": t.id,
                "digest_prefix": t.digest_prefix,
                "created_at": t.created_at.isoformat(),
                "revoked_at": None if t.revoked_at is None else t.revoked_at.isoformat(),
            }
            for t in found
        ]
        print_json({"tokens": rows})
        return
    if not found:
        sys.stdout.write(f"{_shown(name)} has no API token: calfcoach user token {_shown(name)}\n")
    for t in found:
        state = "live" if t.revoked_at is None else f"revoked {t.revoked_at:%Y-%m-%d %H:%M} UTC"
        sys.stdout.write(
            f"{t.id}\tsha256 {t.digest_prefix}…\tmade {t.created_at:%Y-%m-%d %H:%M} UTC\t{state}\n"
        )


@user_app.command("revoke-token")
def revoke_token(
    name: Annotated[str, typer.Argument(help="The account whose API tokens stop working.")],
    token_id: Annotated[
        int | None,
        typer.Option(
            "--id",
            min=1,
            max=2**63 - 1,
            help="Only this token (its id from: calfcoach user tokens NAME).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Revoke every API token of an account, or only the one given with --id.

    Example: calfcoach user revoke-token coach-kim --id 3
    """
    from calfcoach.services import accounts
    from calfcoach.services.audit import cli_owner

    if token_id is not None:
        accounts.revoke_token(open_database(db), name, token_id, cli_owner())
        sys.stdout.write(f"Revoked token {token_id} of {_shown(name)}.\n")
        return
    count = accounts.revoke_tokens(open_database(db), name, cli_owner())
    sys.stdout.write(f"Revoked {count} token{'s' if count != 1 else ''} of {_shown(name)}.\n")


@user_app.command("password")
def password(
    name: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: PasswordStdinOption = False,
    db: DbOption = None,
) -> None:
    """Set an account's password (asked twice, or read with --password-stdin).

    Example: calfcoach user password coach-kim
    """
    from calfcoach.services import accounts
    from calfcoach.services.audit import cli_owner

    database = open_database(db)
    accounts.check_user(database, name)  # before asking twice for a password it cannot take
    accounts.set_password(database, name, _read_password(password_stdin), cli_owner())
    sys.stdout.write(f"Password of {_shown(name)} changed.\n")


def grant(
    athlete: Annotated[str, typer.Option(help="The athlete whose diary is shared.")],
    coach: Annotated[str, typer.Option(help="The coach (or admin) account that gets access.")],
    level: Annotated[str, typer.Option(help="view | edit (edit: also plan, profile and log)")],
    db: DbOption = None,
) -> None:
    """Give a coach access to an athlete's diary, or change its level.

    Example: calfcoach grant --athlete Sam --coach coach-kim --level view
    """
    from calfcoach.services import accounts
    from calfcoach.services.audit import cli_owner

    new = accounts.grant(open_database(db), athlete, coach, level, cli_owner())
    verb = "now has" if new else "has changed to"
    sys.stdout.write(f"{_shown(coach)} {verb} {level} access to {_shown(athlete)}.\n")


def revoke(
    athlete: Annotated[str, typer.Option(help="The athlete.")],
    coach: Annotated[str, typer.Option(help="The coach (or admin) account losing access.")],
    db: DbOption = None,
) -> None:
    """End a coach's access to an athlete's diary.

    Example: calfcoach revoke --athlete Sam --coach coach-kim
    """
    from calfcoach.services import accounts
    from calfcoach.services.audit import cli_owner

    if accounts.revoke(open_database(db), athlete, coach, cli_owner()):
        sys.stdout.write(f"{_shown(coach)} no longer has access to {_shown(athlete)}.\n")
    else:
        sys.stdout.write(f"{_shown(coach)} had no access to {_shown(athlete)}.\n")
