"""The access repository: accounts, API tokens, coach grants, the audit trail and the server's
signing key. Like every repository it works inside the caller's transaction and never commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from calfcoach.store.repositories import storable_name
from calfcoach.store.tables import api_tokens, athletes, audit, grants, server_keys, users


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    name: str
    role: str
    password_hash: str
    athlete_id: int | None
    athlete: str | None  # the athlete's name, for an athlete account


@dataclass(frozen=True, slots=True)
class TokenRow:
    """An API token as listed: its id, the start of its digest (to tell tokens apart), never
    the token."""

    id: int
    digest_prefix: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class GrantRow:
    athlete_id: int
    athlete: str
    coach: str
    level: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    athlete: str | None
    detail: str


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_USER_COLUMNS = (
    users.c.id,
    users.c.name,
    users.c.role,
    users.c.password_hash,
    users.c.athlete_id,
    athletes.c.name.label("athlete"),
)


class AccessRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- accounts ---------------------------------------------------------------------------

    def any_user(self) -> bool:
        """Whether any account exists (then every page and API call needs one)."""
        return self.conn.scalar(select(users.c.id).limit(1)) is not None

    def add_user(self, name: str, role: str, password_hash: str, athlete_id: int | None) -> int:
        result = self.conn.execute(
            insert(users).values(
                name=name,
                role=role,
                password_hash=password_hash,
                athlete_id=athlete_id,
                created_at=_now(),
            )
        )
        return int(result.inserted_primary_key[0])

    def user(self, name: str) -> UserRow | None:
        if not storable_name(name):
            return None
        row = self.conn.execute(
            select(*_USER_COLUMNS)
            .select_from(users.outerjoin(athletes, users.c.athlete_id == athletes.c.id))
            .where(users.c.name == name)
        ).first()
        return None if row is None else UserRow(**row._mapping)

    def user_by_id(self, user_id: int) -> UserRow | None:
        row = self.conn.execute(
            select(*_USER_COLUMNS)
            .select_from(users.outerjoin(athletes, users.c.athlete_id == athletes.c.id))
            .where(users.c.id == user_id)
        ).first()
        return None if row is None else UserRow(**row._mapping)

    def users(self) -> list[UserRow]:
        result = self.conn.execute(
            select(*_USER_COLUMNS)
            .select_from(users.outerjoin(athletes, users.c.athlete_id == athletes.c.id))
            .order_by(users.c.name)
        )
        return [UserRow(**row._mapping) for row in result]

    def account_of_athlete(self, athlete_id: int) -> str | None:
        return self.conn.scalar(select(users.c.name).where(users.c.athlete_id == athlete_id))

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(
            update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        )

    # --- API tokens -------------------------------------------------------------------------

    def add_token(self, user_id: int, token_sha256: str) -> None:
        self.conn.execute(
            insert(api_tokens).values(user_id=user_id, token_sha256=token_sha256, created_at=_now())
        )

    def token_user(self, token_sha256: str) -> int | None:
        """The user a live (not revoked) token belongs to."""
        return self.conn.scalar(
            select(api_tokens.c.user_id).where(
                api_tokens.c.token_sha256 == token_sha256, api_tokens.c.revoked_at.is_(None)
            )
        )

    def revoke_tokens(self, user_id: int) -> int:
        result = self.conn.execute(
            update(api_tokens)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        return int(result.rowcount or 0)

    def tokens(self, user_id: int) -> list[TokenRow]:
        """The account's API tokens, live and revoked, oldest first (never the token)."""
        result = self.conn.execute(
            select(
                api_tokens.c.id,
                api_tokens.c.token_sha256,
                api_tokens.c.created_at,
                api_tokens.c.revoked_at,
            )
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.id)
        )
        return [
            TokenRow(
                id=row.id,
                digest_prefix=row.token_sha256[:8],
                created_at=_utc(row.created_at),
                revoked_at=None if row.revoked_at is None else _utc(row.revoked_at),
            )
            for row in result
        ]

    def revoke_token(self, user_id: int, token_id: int) -> bool:
        """Revoke one live token of the account; False when it has no such live token."""
        result = self.conn.execute(
            update(api_tokens)
            .where(
                api_tokens.c.id == token_id,
                api_tokens.c.user_id == user_id,
                api_tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=_now())
        )
        return bool(result.rowcount)

    def live_tokens(self, user_id: int) -> int:
        return int(
            self.conn.scalar(
                select(func.count()).where(
                    api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None)
                )
            )
            or 0
        )

    # --- grants -----------------------------------------------------------------------------

    def set_grant(self, athlete_id: int, coach_id: int, level: str) -> bool:
        """Give or change a coach's level; True when it was new."""
        changed = self.conn.execute(
            update(grants)
            .where(grants.c.athlete_id == athlete_id, grants.c.coach_id == coach_id)
            .values(level=level)
        )
        if changed.rowcount:
            return False
        self.conn.execute(
            insert(grants).values(
                athlete_id=athlete_id, coach_id=coach_id, level=level, created_at=_now()
            )
        )
        return True

    def remove_grant(self, athlete_id: int, coach_id: int) -> bool:
        result = self.conn.execute(
            delete(grants).where(grants.c.athlete_id == athlete_id, grants.c.coach_id == coach_id)
        )
        return bool(result.rowcount)

    def grant_level(self, athlete_id: int, coach_id: int) -> str | None:
        return self.conn.scalar(
            select(grants.c.level).where(
                grants.c.athlete_id == athlete_id, grants.c.coach_id == coach_id
            )
        )

    def grants(
        self, *, athlete_id: int | None = None, coach_id: int | None = None
    ) -> list[GrantRow]:
        """Grants of one athlete, or of one coach, or all; by athlete then coach name."""
        query = select(
            grants.c.athlete_id,
            athletes.c.name.label("athlete"),
            users.c.name.label("coach"),
            grants.c.level,
            grants.c.created_at,
        ).select_from(
            grants.join(athletes, grants.c.athlete_id == athletes.c.id).join(
                users, grants.c.coach_id == users.c.id
            )
        )
        if athlete_id is not None:
            query = query.where(grants.c.athlete_id == athlete_id)
        if coach_id is not None:
            query = query.where(grants.c.coach_id == coach_id)
        result = self.conn.execute(query.order_by(athletes.c.name, users.c.name))
        return [GrantRow(**{**row._mapping, "created_at": _utc(row.created_at)}) for row in result]

    # --- audit ------------------------------------------------------------------------------

    def record(self, actor: str, action: str, athlete_id: int | None, detail: str = "") -> None:
        self.conn.execute(
            insert(audit).values(
                at=_now(), actor=actor, action=action, athlete_id=athlete_id, detail=detail
            )
        )

    def count_since(self, action: str | tuple[str, ...], detail: str, since: datetime) -> int:
        """How many ``action`` rows (of any of the actions, for a tuple) with this ``detail``
        were recorded since ``since`` (the failed password checks of one account, for the
        rate limit)."""
        actions = (action,) if isinstance(action, str) else action
        return int(
            self.conn.scalar(
                select(func.count()).where(
                    audit.c.action.in_(actions), audit.c.detail == detail, audit.c.at >= since
                )
            )
            or 0
        )

    def history(self, athlete_id: int | None = None, limit: int = 200) -> list[AuditRow]:
        """The newest audit rows first, of one athlete or of everything."""
        query = select(
            audit.c.at,
            audit.c.actor,
            audit.c.action,
            athletes.c.name.label("athlete"),
            audit.c.detail,
        ).select_from(audit.outerjoin(athletes, audit.c.athlete_id == athletes.c.id))
        if athlete_id is not None:
            query = query.where(audit.c.athlete_id == athlete_id)
        result = self.conn.execute(
            query.order_by(audit.c.at.desc(), audit.c.id.desc()).limit(limit)
        )
        return [AuditRow(**{**row._mapping, "at": _utc(row.at)}) for row in result]

    # --- the server's signing key -----------------------------------------------------------

    def signing_key(self, purpose: str) -> str:
        """The key for ``purpose``, made on first use. Two processes making it at once: the
        unique purpose lets one win, and both read the winner's key."""
        found = self.conn.scalar(
            select(server_keys.c.secret).where(server_keys.c.purpose == purpose)
        )
        if found is not None:
            return str(found)
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(server_keys).values(
                        purpose=purpose, secret=secrets.token_hex(32), created_at=_now()
                    )
                )
        except IntegrityError:
            pass
        return str(
            self.conn.scalar(select(server_keys.c.secret).where(server_keys.c.purpose == purpose))
        )
