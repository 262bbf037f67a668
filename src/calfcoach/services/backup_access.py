"""The accounts part of a version 2 backup (issue 16): users (with their password hashes),
API tokens (their digests), coach grants and the audit trail, under the document's optional
``"access"`` key. Absent when the database has none of them, so a single runner's backup
reads as before. The server's signing key is never backed up: a restore makes a new one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

RowId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
ACCESS_TABLES = ("users", "api_tokens", "grants", "audit")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserRow(_Strict):
    id: RowId
    name: StrictStr = Field(min_length=1, max_length=100)
    role: Literal["admin", "coach", "athlete"]
    password_hash: StrictStr = Field(min_length=1, max_length=200)
    athlete_id: RowId | None
    created_at: datetime


class ApiTokenRow(_Strict):
    id: RowId
    user_id: RowId
    token_sha256: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")
    created_at: datetime
    revoked_at: datetime | None


class GrantRow(_Strict):
    id: RowId
    athlete_id: RowId
    coach_id: RowId
    level: Literal["view", "edit"]
    created_at: datetime


class AuditRow(_Strict):
    id: RowId
    at: datetime
    actor: StrictStr = Field(min_length=1, max_length=100)
    action: StrictStr = Field(min_length=1, max_length=40)
    athlete_id: RowId | None
    detail: StrictStr


class AccessBackup(_Strict):
    users: list[UserRow] = []
    api_tokens: list[ApiTokenRow] = []
    grants: list[GrantRow] = []
    audit: list[AuditRow] = []


_TIMES = {"created_at", "revoked_at", "at"}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def access_document(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The ``"access"`` object of the rows of the four tables; None when all are empty."""
    if not any(tables.get(name) for name in ACCESS_TABLES):
        return None
    return {
        name: [
            {
                key: (None if value is None else _utc(value).isoformat())
                if key in _TIMES
                else value
                for key, value in row.items()
            }
            for row in tables.get(name, [])
        ]
        for name in ACCESS_TABLES
    }


def access_rows(access: AccessBackup | None) -> dict[str, list[dict[str, Any]]]:
    """The rows to insert, by table, from a document's ``"access"`` object."""
    if access is None:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for name in ACCESS_TABLES:
        rows = []
        for model in getattr(access, name):
            row = model.model_dump()
            for key in _TIMES & row.keys():
                if row[key] is not None:
                    row[key] = _utc(row[key])
            rows.append(row)
        out[name] = rows
    return out
