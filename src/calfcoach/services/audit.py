"""Audit of the command line's writes (issue 16): every command that changes athlete data
leaves a row saying who ran it ("cli:" and the operating-system user) and when, like the web
app's rows for its requests (web/auth.py). The rows are written in the write's own
transaction (store/write_audit.py), so a change is never stored without its row."""

from __future__ import annotations

import getpass
import os

from calfcoach.services.access import Identity, strip_controls
from calfcoach.services.context import Database
from calfcoach.store.write_audit import watch_writes

CLI_PREFIX = "cli:"


def cli_actor() -> str:
    """``cli:`` and the name of the operating-system user running the command."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        # No login name and no passwd entry (a bare container): the numeric user id.
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return (CLI_PREFIX + strip_controls(user))[:100]


def cli_owner() -> Identity:
    """The command line as the database's owner (it needs no sign-in), named in the audit
    trail as ``cli:USER`` like the command line's diary writes. Its account, grant and club
    commands recorded "owner", which a coach or an athlete reading the trail could take for
    the athlete who owns the diary, beside "cli:root" for the same person's ``log`` (a new
    user's trial, issue 13)."""
    return Identity(name=cli_actor(), role="owner")


def record_cli_writes(database: Database, command: str) -> None:
    """From now on, every transaction of ``database`` that changes athlete data records
    ``cli:USER`` running ``command`` (e.g. "calfcoach log"), once per athlete it touched."""
    watch_writes(database.engine, cli_actor(), strip_controls(command))
