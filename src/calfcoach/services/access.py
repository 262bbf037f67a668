"""Who may do what with an athlete's diary (issue 16), decided here once for the command line,
the pages and the JSON API.

- The *local owner* (the command line on the database, or the web app on loopback while the
  database has no account) may do everything.
- An *athlete* account owns one athlete's diary.
- A *coach* (or an *admin*: managing accounts gives no diary) sees an athlete only through a
  grant: ``view`` reads, ``edit`` also writes.

An athlete the identity may not see answers exactly like an athlete that does not exist: the
same NotFoundError, naming no one, so a stranger learns no names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from calfcoach.errors import ForbiddenError, InputError, NotFoundError
from calfcoach.services.athletes import NAME_TAKEN, InitResult, alike_names, check_spaces
from calfcoach.services.context import Database, find_athlete
from calfcoach.services.unit_of_work import SqlUnitOfWork

Role = Literal["admin", "coach", "athlete"]
ROLES: tuple[Role, ...] = ("admin", "coach", "athlete")
Level = Literal["view", "edit"]
LEVELS: tuple[Level, ...] = ("view", "edit")
# A grant's levels in order: what each one allows includes what the ones before allow.
_RANK = {"view": 1, "edit": 2, "own": 3}

# C0 and C1 control characters and DEL: escape sequences that would drive a terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters, for anything printed to a terminal."""
    return _CONTROL.sub("", text)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is asking. ``user_id`` None: the local owner."""

    name: str
    role: Role | Literal["owner"]
    user_id: int | None = None
    athlete_id: int | None = None  # the diary an athlete account owns

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


LOCAL_OWNER = Identity(name="owner", role="owner")


def accounts_exist(db: Database) -> bool:
    """Whether the database has any account (then nobody is the local owner on the web)."""
    with db.unit_of_work(read_only=True) as uow:
        return uow.access.any_user()


def token_digest(token: str) -> str:
    """How an API token is kept: its SHA-256 (the token is random, so no salt or stretching
    is needed, and a lookup by digest stays one index probe)."""
    return hashlib.sha256(token.encode()).hexdigest()


def identity_of_user(uow: SqlUnitOfWork, user_id: int) -> Identity | None:
    row = uow.access.user_by_id(user_id)
    if row is None:
        return None
    return Identity(name=row.name, role=row.role, user_id=row.id, athlete_id=row.athlete_id)  # type: ignore[arg-type]


def identity_of_token(db: Database, token: str) -> Identity | None:
    """The account a live API token belongs to; None for an unknown or revoked token."""
    if not token or len(token) > 200:
        return None
    with db.unit_of_work(read_only=True) as uow:
        user_id = uow.access.token_user(token_digest(token))
        return None if user_id is None else identity_of_user(uow, user_id)


def level_of(uow: SqlUnitOfWork, identity: Identity, athlete_id: int) -> str | None:
    """What ``identity`` may do with the athlete: "own", "edit", "view" or None."""
    if identity.is_owner:
        return "own"
    if identity.role == "athlete":
        return "own" if identity.athlete_id == athlete_id else None
    if identity.user_id is None:
        return None
    return uow.access.grant_level(athlete_id, identity.user_id)


def visible_athletes(uow: SqlUnitOfWork, identity: Identity) -> list[str]:
    """The names of the athletes ``identity`` may see, sorted. One or two queries whatever
    the number of athletes (as level_of decides: the owner sees all, an athlete account its
    own diary, a coach or admin the athletes that granted them access)."""
    if identity.is_owner:
        return uow.athletes.names()
    if identity.role == "athlete":
        own = None if identity.athlete_id is None else uow.athletes.name_of(identity.athlete_id)
        return [] if own is None else [own]
    if identity.user_id is None:
        return []
    granted = uow.access.grants(coach_id=identity.user_id)  # sorted by athlete name
    return list(dict.fromkeys(grant.athlete for grant in granted))


def authorized_athlete(
    db: Database, identity: Identity, name: str | None, need: Literal["view", "edit"]
) -> str | None:
    """The athlete ``identity`` asks for, checked: the name to hand to the diary services
    (None for the local owner leaving it out, so "the only athlete" works as before).
    :func:`athlete_access` with the level left out.

    :raises NotFoundError: no such athlete, or one ``identity`` may not see.
    :raises ForbiddenError: one ``identity`` may see but not change (``need="edit"``).
    """
    return athlete_access(db, identity, name, need)[0]


def athlete_access(
    db: Database, identity: Identity, name: str | None, need: Literal["view", "edit"]
) -> tuple[str | None, str]:
    """The athlete ``identity`` asks for, checked, and what ``identity`` may do with them
    ("own", "edit" or "view": the pages show a view-only coach no forms).

    An athlete account leaving it out means its own diary; a coach leaving it out means the
    only athlete they may see.

    :raises NotFoundError: no such athlete, or one ``identity`` may not see (the same error,
        naming no one).
    :raises ForbiddenError: one ``identity`` may see but not change (``need="edit"`` with a
        view grant): the coach knows the athlete, so a 404 "no such athlete" only misled
        (issue 13); the message says what the grant allows.
    """
    if identity.is_owner:
        return name, "own"
    with db.unit_of_work(read_only=True) as uow:
        if name is None:
            visible = visible_athletes(uow, identity)
            if len(visible) == 1:
                name = visible[0]
            elif not visible:
                raise NotFoundError("no athlete you have access to", "athlete")
            else:
                raise InputError(
                    f"athlete is needed here; allowed: {', '.join(visible)}", "athlete"
                )
        athlete_id = uow.athletes.id_of(name)
        level = None if athlete_id is None else level_of(uow, identity, athlete_id)
    if level is None:
        raise NotFoundError("no such athlete", "athlete")
    if _RANK[level] < _RANK[need]:
        raise ForbiddenError(view_only_message(name), "athlete")
    return name, level


def view_only_message(name: str) -> str:
    """What a coach with view access is told when they try to change the diary."""
    return (
        f"view access only: you may read {strip_controls(name)}'s diary but not change it; "
        "ask the athlete for edit access on their Sharing page"
    )


ADD_ATHLETES_ROLES = "only coaches and admins add athletes"


def may_add_athletes(identity: Identity) -> bool:
    """Whether ``identity`` may add an athlete: the local owner, an admin or a coach; never
    an athlete account (it owns one diary)."""
    return identity.is_owner or identity.role in ("admin", "coach")


def password_fingerprint(password_hash: str) -> str:
    """A short digest of an account's password hash, carried in its session cookies: a new
    password changes it, which ends every session signed in with the old one."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def session_key(db: Database) -> str:
    """The key that signs session cookies, made on first use and kept in the database (so
    every app process shares it). One transaction."""
    with db.unit_of_work() as uow:
        key = uow.access.signing_key("session")
        uow.commit()
    return key


def identify_request(
    db: Database, token: str | None, session: tuple[int, str] | None
) -> Identity | None:
    """Who a web request is: the local owner while the database has no account; else the
    account of a live API token (``token``: what followed "Bearer", "" for another scheme) or
    of a valid session (user id, password fingerprint); else None."""
    with db.unit_of_work(read_only=True) as uow:
        if not uow.access.any_user():
            return LOCAL_OWNER
        if token is not None:
            if not token or len(token) > 200:
                return None
            user_id = uow.access.token_user(token_digest(token))
            return None if user_id is None else identity_of_user(uow, user_id)
        if session is None:
            return None
        row = uow.access.user_by_id(session[0])
        if row is None or password_fingerprint(row.password_hash) != session[1]:
            return None
        return identity_of_user(uow, row.id)


def visible_names(db: Database, identity: Identity) -> list[str]:
    """The athletes ``identity`` may see (every one for the local owner), sorted."""
    with db.unit_of_work(read_only=True) as uow:
        return visible_athletes(uow, identity)


def may_hold_feed(identity: Identity, athlete: str, db: Database) -> bool:
    """Whether ``identity`` may see and change the athlete's private calendar link: the local
    owner and the athlete's own account only (a coach's grant does not include it)."""
    if identity.is_owner:
        return True
    if identity.role != "athlete":
        return False
    with db.unit_of_work(read_only=True) as uow:
        return uow.athletes.id_of(athlete) == identity.athlete_id


def authorize_new_athlete(identity: Identity) -> None:
    """May ``identity`` add an athlete? The local owner, an admin or a coach (who then gets
    edit access: see init_athlete_as).

    :raises ForbiddenError: an athlete account: it adds nobody, and says so (whatever the
        name, so it learns no names).
    """
    if not may_add_athletes(identity):
        raise ForbiddenError(ADD_ATHLETES_ROLES)


def init_athlete_as(
    db: Database,
    identity: Identity,
    profile_text: str,
    source: str,
    start: date | None,
    today: date,
    *,
    club_defaults: bool = False,
) -> InitResult:
    """Add a new athlete from a profile (the web app's first-run form and ``POST /athletes``)
    as ``identity``: an owner, admin or coach; a coach who adds an athlete gets edit access to
    them. Audited. It never replaces an athlete (issue 13: a form meant for adding replaced
    Alex's profile): changing one is :func:`update_athlete_as`.

    ``club_defaults``: what the profile leaves out is filled from the club's defaults, as
    ``calfcoach init`` does (services.club); the result's first note says which fields.

    :raises ForbiddenError: ``identity`` is an athlete account.
    :raises InputError: the profile is not valid, names no athlete (a blank name is no
        "Runner" here), or names one that exists already (in any letter case or spacing):
        NAME_TAKEN, the same words whether ``identity`` may see that athlete or not.
    """
    from calfcoach.core.profile import NAME_ALLOWED, ProfileError, names_the_athlete
    from calfcoach.services.athletes import init_athlete_from_text
    from calfcoach.services.club import profile_for_new_athlete
    from calfcoach.services.planning import profile_from_text

    athlete = profile_from_text(profile_text, source, today).athlete
    if not names_the_athlete(profile_text):
        # The profile's default name is for a runner's own file; two athletes added without
        # a name would be one "Runner".
        missing = ProfileError(source, "is missing", field="athlete.name", allowed=NAME_ALLOWED)
        raise InputError(missing.one_line(), "athlete.name")
    authorize_new_athlete(identity)
    with db.unit_of_work(read_only=True) as uow:
        check_spaces(uow, athlete.name, source, only_new=True)
        # "robin" or "Robin  Lee" beside "Robin" or "Robin Lee" would be two athletes a coach
        # cannot tell apart in a list (core.profile.name_key).
        taken = bool(alike_names(uow, athlete.name))
    if taken:
        # Not the 404 "no such athlete" of an athlete one may not see (issue 16): wrong words
        # for an athlete being added. One refusal for every name taken, seen or not, so it
        # tells no one which. (A profile is changed where profiles are changed: PUT
        # /api/v1/athlete, init.)
        raise InputError(NAME_TAKEN, "athlete.name")
    filled: list[str] = []
    if club_defaults:
        profile_text, filled = profile_for_new_athlete(db, profile_text, today)
    result = init_athlete_from_text(db, profile_text, source, start, today, only_new=True)
    _record_profile(db, identity, result)
    if filled:
        note = f"club defaults used for {', '.join(filled)}"
        result = replace(result, notes=(note, *result.notes))
    return result


def update_athlete_as(
    db: Database,
    identity: Identity,
    athlete: str | None,
    profile_text: str,
    source: str,
    start: date | None,
    today: date,
) -> InitResult:
    """Replace the profile of ``athlete`` (already checked for edit access: the web's
    AthleteQuery; None: the only one) and make a fresh plan, as ``calfcoach init`` again
    does. The profile must name that athlete: renaming is not offered. Audited.

    :raises InputError: no such athlete; the profile is not valid, or names another athlete.
    """
    from calfcoach.core.profile import ProfileError
    from calfcoach.services.athletes import init_athlete_from_text
    from calfcoach.services.planning import profile_from_text

    with db.unit_of_work(read_only=True) as uow:
        athlete = find_athlete(uow, athlete)[1]
    name = profile_from_text(profile_text, source, today).athlete.name
    if name != athlete:
        other = ProfileError(
            source,
            f"{strip_controls(name)!r} is not {strip_controls(athlete)!r}",
            field="athlete.name",
            allowed=f"{strip_controls(athlete)!r} (the athlete changed; renaming is not offered)",
        )
        raise InputError(other.one_line(), "athlete.name")
    result = init_athlete_from_text(db, profile_text, source, start, today)
    _record_profile(db, identity, result)
    return result


def _record_profile(db: Database, identity: Identity, result: InitResult) -> None:
    """The audit row of a stored profile; a coach who added the athlete gets edit access."""
    with db.unit_of_work() as uow:
        athlete_id = uow.athletes.id_of(result.name)
        coach_id = identity.user_id if identity.role == "coach" else None
        if result.created and coach_id is not None and athlete_id is not None:
            uow.access.set_grant(athlete_id, coach_id, "edit")
        uow.access.record(
            identity.name, "profile_add" if result.created else "profile_update", athlete_id
        )
        uow.commit()


def record_change(
    db: Database, identity: Identity, action: str, athlete: str | None, detail: str = ""
) -> None:
    """Record that ``identity`` changed something (the web app calls it after every write it
    answered with success), and what (``detail``, e.g. "reps 15→14"). ``athlete`` None: the
    identity's only athlete, if it has one. One transaction."""
    with db.unit_of_work() as uow:
        athlete_id = None if athlete is None else uow.athletes.id_of(athlete)
        if athlete is None:
            visible = visible_athletes(uow, identity)
            athlete_id = uow.athletes.id_of(visible[0]) if len(visible) == 1 else None
        uow.access.record(identity.name, action[:40], athlete_id, detail)
        uow.commit()
