"""A recorded activity from a watch file, reduced to the summary the planner needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Sports whose load counts as running (DESIGN.md `runs`): everything else is stored with its
# sport and never counts (cycling, walking, hiking, swimming, …).
RUNNING_SPORTS = frozenset({"running"})


@dataclass(frozen=True, slots=True)
class Activity:
    """``start`` is UTC; ``utc_offset_s`` the local offset where the file says it.
    ``avg_cadence`` is in steps per minute (both feet). Unknown values are None."""

    start: datetime
    sport: str
    sub_sport: str | None
    distance_m: float | None
    elapsed_s: float | None
    moving_s: float | None
    ascent_m: float | None
    avg_hr: float | None
    avg_cadence: float | None
    utc_offset_s: int | None = None
    name: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_running(self) -> bool:
        return self.sport in RUNNING_SPORTS
