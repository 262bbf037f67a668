"""The club's defaults in a version 2 backup (issue 16), under the document's optional
``"club"`` key: absent when none were set, so other backups read as before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

# Each is JSON text as stored; restoring checks it is JSON of the right shape, and the
# services validate the values as a profile's whenever they are offered.
JsonText = Annotated[StrictStr, Field(min_length=2, max_length=20_000)]


class ClubDefaultsBackup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Literal[1]
    equipment: JsonText
    equipment_loads: JsonText
    preferred_days: JsonText
    updated_at: datetime
    updated_by: StrictStr = Field(min_length=1, max_length=100)

    @field_validator("equipment", "preferred_days")
    @classmethod
    def _json_list(cls, value: str) -> str:
        if not isinstance(_json(value), list):
            raise ValueError("not a JSON list")
        return value

    @field_validator("equipment_loads")
    @classmethod
    def _json_object(cls, value: str) -> str:
        if not isinstance(_json(value), dict):
            raise ValueError("not a JSON object")
        return value


def club_document(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The ``"club"`` object of the club_defaults row; None when there is none."""
    rows = tables.get("club_defaults") or []
    if not rows:
        return None
    row = dict(rows[0])
    row["updated_at"] = _utc(row["updated_at"]).isoformat()
    return row


def club_rows(club: ClubDefaultsBackup | None) -> dict[str, list[dict[str, Any]]]:
    """The club_defaults rows to insert from a document's ``"club"`` object."""
    if club is None:
        return {}
    row = club.model_dump()
    row["updated_at"] = _utc(row["updated_at"])
    return {"club_defaults": [row]}


def _json(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError:
        return None


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
