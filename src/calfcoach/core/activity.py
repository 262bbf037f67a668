"""A recorded activity from a watch file, reduced to the summary the planner needs."""

from __future__ import annotations

from datetime import datetime

import msgspec

# Sports whose load counts as running (DESIGN.md `runs`): everything else is stored with its
# sport and never counts (cycling, walking, hiking, swimming, …).
RUNNING_SPORTS = frozenset({"running"})


class Activity(msgspec.Struct, frozen=True):
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
    # Laps marked as intervals, or work laps split by rest/recovery laps: a structured session.
    intervals: bool = False
    # Read from a damaged file (bad CRC, cut off, corrupt chained header): the summary is what
    # the decoder recovered before the damage; ``notes`` says why.
    recovered: bool = False

    @property
    def is_running(self) -> bool:
        return self.sport in RUNNING_SPORTS


# FIT lap intensities (and TCX's Active/Resting) that make a run a structured session.
WORK_LAPS = frozenset({"interval"})
REST_LAPS = frozenset({"rest", "recovery"})


def has_intervals(intensities: list[str | None]) -> bool:
    """Two or more laps marked as intervals, or rest laps between two or more active ones."""
    marked = [i for i in intensities if i is not None]
    if sum(1 for i in marked if i in WORK_LAPS) >= 2:
        return True
    active = sum(1 for i in marked if i in ("active", "interval"))
    return active >= 2 and any(i in REST_LAPS for i in marked)
