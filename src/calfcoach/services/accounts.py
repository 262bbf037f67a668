"""Accounts, passwords, API tokens and coach grants (issue 16): the use cases behind
``calfcoach user …``, ``grant``, ``revoke`` and the sign-in page. Each is one transaction and
leaves an audit row saying who did it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from calfcoach.core.limits import USER_NAME_ALLOWED, USER_NAME_MAX, is_user_name
from calfcoach.errors import InputError, NotFoundError
from calfcoach.services.access import (
    LEVELS,
    ROLES,
    Identity,
    identity_of_user,
    strip_controls,
    token_digest,
)
from calfcoach.services.context import Database, find_athlete
from calfcoach.services.unit_of_work import SqlUnitOfWork
from calfcoach.store.access import AuditRow, GrantRow, TokenRow, UserRow

PASSWORD_MIN = 8
# argon2 reads the whole password; a cap keeps a huge one from being a cheap way to burn CPU.
PASSWORD_MAX = 1024
NAME_MAX = USER_NAME_MAX
# Sign-in rate limit: after this many failed attempts on one account within the window, the
# account's sign-in is refused until the window has passed (counted in the database, so every
# app process shares the count).
SIGN_IN_ATTEMPTS = 5
SIGN_IN_WINDOW = timedelta(minutes=15)
# The failures that count toward it: wrong passwords at sign-in and at the Account page's
# "current password" (a session left open must not be a way round the limit, issue 13).
PASSWORD_FAILURES = ("sign_in_failed", "password_check_failed")


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults (argon2id, RFC 9106's low-memory profile).
    return PasswordHasher()


def check_name(name: str) -> str:
    """:raises InputError: a name outside core.limits' rule for user names: empty, too long,
    or holding a space, punctuation or a control character (which would reach a coach's
    terminal raw)."""
    if not is_user_name(name):
        raise InputError(
            f"user name {strip_controls(name)[:NAME_MAX]!r} is not allowed; allowed: "
            f"{USER_NAME_ALLOWED}",
            "name",
        )
    return name


# The audit trail's own names for who made a change: the local owner (the runner on loopback
# while there is no account; the command line's account commands until issue 13), a paired
# phone, and the command line ("cli:" and the operating-system user). An account may not take
# one, or its changes would read as the command line's or the phone's.
RESERVED_USER_NAMES = ("owner", "device")


def check_new_user_name(name: str) -> str:
    """:raises InputError: one the audit trail uses for the command line, the local owner or
    a paired phone, or a name check_name refuses."""
    if name.strip().casefold() in RESERVED_USER_NAMES or ":" in name:
        raise InputError(
            f"user name {strip_controls(name)!r} is not allowed: the audit trail uses it for "
            "the command line or a paired phone; allowed: a name other than "
            f"{', '.join(RESERVED_USER_NAMES)}, without ':'",
            "name",
        )
    return check_name(name)


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InputError(
            f"password: {len(password)} character{'' if len(password) == 1 else 's'}; "
            f"allowed: {PASSWORD_MIN} to {PASSWORD_MAX} characters",
            "password",
        )
    return password


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InputError(
            f"option --{field}: {strip_controls(value)!r} is not allowed; allowed: "
            f"{', '.join(allowed)}",
            field,
        )
    return value


def _account_named(uow: SqlUnitOfWork, name: str) -> UserRow | None:
    """The account ``name`` signs in to: the one stored under that name, else the one whose
    name differs from it only in case ("Kim" signs in as kim: ``add_user`` keeps names unique
    but for case, so at most one matches; a database from before that check may hold two,
    and then only the exact name signs in)."""
    row = uow.access.user(name)
    if row is not None:
        return row
    folded = name.casefold()
    alike = [user for user in uow.access.users() if user.name.casefold() == folded]
    return alike[0] if len(alike) == 1 else None


def _user(uow: SqlUnitOfWork, name: str) -> UserRow:
    """The account ``name`` names, in any case (_account_named), for the commands that act on
    one (user token, user password, grant, revoke: the trial's coach-kim for Coach-Kim).

    :raises NotFoundError: none."""
    row = _account_named(uow, name)
    if row is None:
        known = ", ".join(strip_controls(u.name) for u in uow.access.users()) or "none yet"
        raise NotFoundError(f"no user {strip_controls(name)!r}; allowed: {known}", "name")
    return row


def add_user(
    db: Database, name: str, role: str, password: str, athlete: str | None, actor: Identity
) -> UserRow:
    """Add an account. An athlete account owns ``athlete``'s diary (required, and one account
    an athlete); other roles take no athlete.

    :raises InputError: a bad name, role or password, a name taken, an unknown athlete or one
        that already has an account.
    """
    check_new_user_name(name)
    _choice("role", role, ROLES)
    if role == "athlete" and athlete is None:
        raise InputError("option --athlete is needed for an athlete account", "athlete")
    if role != "athlete" and athlete is not None:
        raise InputError(
            f"option --athlete: only an athlete account owns a diary; a {role} gets access "
            "with: calfcoach grant",
            "athlete",
        )
    check_password(password)
    password_hash = _hasher().hash(password)
    with db.unit_of_work() as uow:
        taken = {row.name.casefold(): row.name for row in uow.access.users()}
        if name.casefold() in taken:
            # "SAM" beside "sam" would be two accounts a coach cannot tell apart in a list.
            raise InputError(
                f"user {taken[name.casefold()]!r} exists already; allowed: a new name", "name"
            )
        athlete_id = None
        if athlete is not None:
            athlete_id, athlete = find_athlete(uow, athlete)
            owner = uow.access.account_of_athlete(athlete_id)
            if owner is not None:
                raise InputError(
                    f"option --athlete: {athlete} already has an account ({owner!r})", "athlete"
                )
        uow.access.add_user(name, role, password_hash, athlete_id)
        uow.access.record(actor.name, "user_add", athlete_id, f"{name} ({role})")
        row = uow.access.user(name)
        uow.commit()
    assert row is not None
    return row


def list_users(db: Database) -> list[tuple[UserRow, int, list[GrantRow]]]:
    """Every account with its number of live API tokens and the grants it holds."""
    with db.unit_of_work(read_only=True) as uow:
        return [
            (row, uow.access.live_tokens(row.id), uow.access.grants(coach_id=row.id))
            for row in uow.access.users()
        ]


def new_token(db: Database, name: str, actor: Identity) -> str:
    """A new API token for the account; only its digest is stored, so this is the one time it
    can be shown. :raises NotFoundError: no such user."""
    token = "cc_" + secrets.token_urlsafe(32)
    with db.unit_of_work() as uow:
        row = _user(uow, name)
        uow.access.add_token(row.id, token_digest(token))
        uow.access.record(actor.name, "token_new", None, row.name)
        uow.commit()
    return token


def revoke_tokens(db: Database, name: str, actor: Identity) -> int:
    """Revoke every live API token of the account; returns how many there were."""
    with db.unit_of_work() as uow:
        row = _user(uow, name)
        count = uow.access.revoke_tokens(row.id)
        uow.access.record(actor.name, "token_revoke", None, f"{row.name}: {count}")
        uow.commit()
    return count


def tokens_of(db: Database, name: str) -> list[TokenRow]:
    """The account's API tokens (ids and dates, never the tokens). :raises NotFoundError:
    no such user."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        return uow.access.tokens(_user(uow, name).id)


def revoke_token(db: Database, name: str, token_id: int, actor: Identity) -> None:
    """Revoke one API token of the account, by the id ``tokens_of`` lists.

    :raises NotFoundError: no such user, or no live token with that id on the account.
    """
    with SqlUnitOfWork(db.engine) as uow:
        row = _user(uow, name)
        if not uow.access.revoke_token(row.id, token_id):
            live = [str(t.id) for t in uow.access.tokens(row.id) if t.revoked_at is None]
            raise NotFoundError(
                f"option --id: {row.name} has no live token {token_id}; allowed: "
                f"{', '.join(live) or 'none (no live token)'} (see calfcoach user tokens "
                f"{row.name})",
                "id",
            )
        uow.access.record(actor.name, "token_revoke", None, f"{row.name}: token {token_id}")
        uow.commit()


def grant(db: Database, athlete: str, coach: str, level: str, actor: Identity) -> bool:
    """Give ``coach`` access to ``athlete``'s diary at ``level`` (or change the level).
    Returns True when the access is new.

    :raises InputError: unknown athlete or user, a level not allowed, or an athlete account
        as the coach.
    """
    _choice("level", level, LEVELS)
    with db.unit_of_work() as uow:
        athlete_id, athlete = find_athlete(uow, athlete)
        row = _user(uow, coach)
        if row.role == "athlete":
            raise InputError(
                f"option --coach: {row.name!r} is an athlete account; allowed: a coach or admin",
                "coach",
            )
        new = uow.access.set_grant(athlete_id, row.id, level)
        uow.access.record(actor.name, "grant", athlete_id, f"{row.name}: {level}")
        uow.commit()
    return new


def revoke(db: Database, athlete: str, coach: str, actor: Identity) -> bool:
    """End ``coach``'s access to ``athlete``; False when there was none."""
    with db.unit_of_work() as uow:
        athlete_id, athlete = find_athlete(uow, athlete)
        row = _user(uow, coach)
        removed = uow.access.remove_grant(athlete_id, row.id)
        if removed:
            uow.access.record(actor.name, "revoke", athlete_id, row.name)
        uow.commit()
    return removed


def check_user(db: Database, name: str) -> None:
    """:raises NotFoundError: no account ``name`` (before a password is asked for it)."""
    with db.unit_of_work(read_only=True) as uow:
        _user(uow, name)


def set_password(db: Database, name: str, password: str, actor: Identity) -> None:
    """Set an account's password (the command line, for any account)."""
    check_password(password)
    password_hash = _hasher().hash(password)
    with db.unit_of_work() as uow:
        row = _user(uow, name)
        uow.access.set_password(row.id, password_hash)
        uow.access.record(actor.name, "password", None, row.name)
        uow.commit()


def change_password(
    db: Database, identity: Identity, current: str, new: str, now: datetime | None = None
) -> None:
    """A signed-in user changes their own password, giving the current one. A wrong one is
    recorded and counts toward the sign-in limit (SIGN_IN_ATTEMPTS in SIGN_IN_WINDOW).

    :raises PasswordsLimited: too many wrong passwords for the account lately.
    :raises InputError: the current password is wrong, or the new one is not allowed.
    """
    check_password(new)
    if identity.user_id is None:
        raise InputError("the local owner has no password", "password")
    now = now or datetime.now(UTC)
    with db.unit_of_work() as uow:
        row = uow.access.user_by_id(identity.user_id)
        if row is None:
            raise InputError("current password: wrong password", "current_password")
        # The sign-in page's limit, on one count with it: after SIGN_IN_ATTEMPTS wrong
        # passwords on either, the right one is refused too until the window has passed.
        _refuse_when_limited(uow, row.name, now, "wrong passwords for this account")
        if not _verify(row.password_hash, current):
            uow.access.record(identity.name, "password_check_failed", None, row.name)
            uow.commit()
            raise InputError("current password: wrong password", "current_password")
        uow.access.set_password(row.id, _hasher().hash(new))
        uow.access.record(identity.name, "password", None, row.name)
        uow.commit()


class SignInRefused(InputError):
    """Wrong name or password, or too many attempts: one message for both of the first two, so
    the page tells nobody which names exist."""


class PasswordsLimited(SignInRefused):
    """Too many wrong passwords for one account within SIGN_IN_WINDOW (the web's 429)."""


def _refuse_when_limited(
    uow: SqlUnitOfWork, name: str, now: datetime, what: str = "failed sign-ins for this name"
) -> None:
    """:raises PasswordsLimited: SIGN_IN_ATTEMPTS wrong passwords for ``name`` (at sign-in
    or the Account page) within SIGN_IN_WINDOW before ``now``."""
    failures = uow.access.count_since(PASSWORD_FAILURES, name, now - SIGN_IN_WINDOW)
    if failures >= SIGN_IN_ATTEMPTS:
        minutes = int(SIGN_IN_WINDOW.total_seconds() // 60)
        raise PasswordsLimited(f"too many {what}; try again in {minutes} minutes")


def sign_in(db: Database, name: str, password: str, now: datetime | None = None) -> Identity:
    """The account for ``name`` and ``password``. Every failure is recorded; after
    SIGN_IN_ATTEMPTS failures on one name within SIGN_IN_WINDOW the name is refused until the
    window has passed, whatever the password.

    :raises SignInRefused: wrong name or password, or rate-limited.
    """
    now = now or datetime.now(UTC)
    if len(name) > NAME_MAX or len(password) > PASSWORD_MAX or strip_controls(name) != name:
        # No account has a control character in its name (check_name): nothing to count or
        # record, and PostgreSQL's text could not hold a NUL of it in the audit row (issue 13).
        raise SignInRefused("wrong user name or password")
    with db.unit_of_work() as uow:
        row = _account_named(uow, name)
        # The tries count against the account, whatever case they typed its name in ("KIM"
        # is not five more tries at kim); an unknown name's against its every case alike, so
        # the answer after five tries tells no one whether a name exists (a review).
        counted = name.casefold() if row is None else row.name
        _refuse_when_limited(uow, counted, now)
        # An unknown name costs one hash check too, so the time taken tells no names.
        if not _verify(row.password_hash if row else _dummy_hash(), password) or row is None:
            uow.access.record(counted if row else "unknown", "sign_in_failed", None, counted)
            uow.commit()
            raise SignInRefused("wrong user name or password")
        if _hasher().check_needs_rehash(row.password_hash):
            uow.access.set_password(row.id, _hasher().hash(password))
        identity = identity_of_user(uow, row.id)
        uow.access.record(row.name, "sign_in", None, row.name)
        uow.commit()
    assert identity is not None
    return identity


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def grants_of(db: Database, athlete: str) -> list[GrantRow]:
    """Who has access to the athlete, and at what level."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        return uow.access.grants(athlete_id=athlete_id)


def audit_of(db: Database, athlete: str | None) -> list[AuditRow]:
    """The newest changes first: one athlete's, or (``None``) everything's."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id = None if athlete is None else find_athlete(uow, athlete)[0]
        return uow.access.history(athlete_id)


# --- Sharing between a coach and an athlete, from the web app -------------------------------


@dataclass(frozen=True, slots=True)
class Sharing:
    """What the sharing page shows: for an athlete, who has access to their diary and every
    change made to it; for a coach, the athletes who gave them access."""

    grants: list[GrantRow]
    history: list[AuditRow]


def sharing_of(db: Database, identity: Identity) -> Sharing:
    with db.unit_of_work(read_only=True) as uow:
        if identity.role == "athlete" and identity.athlete_id is not None:
            return Sharing(
                uow.access.grants(athlete_id=identity.athlete_id),
                uow.access.history(identity.athlete_id),
            )
        if identity.user_id is not None:
            return Sharing(uow.access.grants(coach_id=identity.user_id), [])
        return Sharing(uow.access.grants(), [])


def accept_invite(db: Database, identity: Identity, coach_id: int, level: str) -> str:
    """An athlete accepts a coach's invitation at the level they choose; returns the coach's
    name. :raises InputError: not an athlete account, a level not allowed, or the coach is
    gone."""
    _choice("level", level, LEVELS)
    if identity.role != "athlete" or identity.athlete_id is None:
        raise InputError("only an athlete account accepts an invitation", "level")
    with db.unit_of_work() as uow:
        coach = uow.access.user_by_id(coach_id)
        if coach is None or coach.role == "athlete":
            raise InputError("this invitation's coach has no account any more", "invite")
        uow.access.set_grant(identity.athlete_id, coach.id, level)
        uow.access.record(identity.name, "grant", identity.athlete_id, f"{coach.name}: {level}")
        uow.commit()
    return coach.name


def end_sharing(db: Database, identity: Identity, other: str) -> bool:
    """Either side ends a sharing: an athlete names the coach, a coach names the athlete.
    Returns False when there was none."""
    with db.unit_of_work() as uow:
        if identity.role == "athlete" and identity.athlete_id is not None:
            coach = _account_named(uow, other)
            athlete_id, coach_id = identity.athlete_id, None if coach is None else coach.id
            detail = other if coach is None else coach.name
        else:
            athlete_id = uow.athletes.id_of(other)
            coach_id, detail = identity.user_id, identity.name
        if athlete_id is None or coach_id is None:
            return False
        removed = uow.access.remove_grant(athlete_id, coach_id)
        if removed:
            uow.access.record(identity.name, "revoke", athlete_id, detail)
        uow.commit()
    return removed


def password_hash_of(db: Database, name: str) -> str:
    """The account's password hash, for the session cookie's fingerprint ("" when gone)."""
    with db.unit_of_work(read_only=True) as uow:
        row = uow.access.user(name)
    return "" if row is None else row.password_hash


def coach_name(db: Database, user_id: int) -> str | None:
    """The name of a coach or admin account (an invitation's sender); None when gone."""
    with db.unit_of_work(read_only=True) as uow:
        row = uow.access.user_by_id(user_id)
    return None if row is None or row.role == "athlete" else row.name
