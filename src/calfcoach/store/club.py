"""The club's defaults row (issue 16): one row at most, its lists and loads as JSON text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from calfcoach.store.tables import club_defaults

CLUB_ROW_ID = 1


@dataclass(frozen=True, slots=True)
class ClubDefaultsRow:
    equipment: list[str]
    equipment_loads: dict[str, Any]
    preferred_days: list[str]
    updated_at: datetime
    updated_by: str


class ClubRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self) -> ClubDefaultsRow | None:
        row = self.conn.execute(select(club_defaults)).first()
        if row is None:
            return None
        return ClubDefaultsRow(
            json.loads(row.equipment),
            json.loads(row.equipment_loads),
            json.loads(row.preferred_days),
            row.updated_at,
            row.updated_by,
        )

    def put(
        self,
        equipment: list[str],
        equipment_loads: dict[str, Any],
        preferred_days: list[str],
        updated_by: str,
    ) -> None:
        """Replace the row (one transaction with the caller's other writes)."""
        self.conn.execute(delete(club_defaults))
        self.conn.execute(
            insert(club_defaults).values(
                id=CLUB_ROW_ID,
                equipment=json.dumps(equipment),
                equipment_loads=json.dumps(equipment_loads, sort_keys=True),
                preferred_days=json.dumps(preferred_days),
                updated_at=datetime.now(UTC),
                updated_by=updated_by,
            )
        )
