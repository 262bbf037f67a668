"""Bounds on what a watch file may say before it is stored: finite numbers in ranges a human
activity can have, and a start date in a sane window. A file outside them is refused whole
(conservative: a file that says 'inf' metres or the year 9999 cannot be trusted for the rest
either), with the field, its value and what is allowed."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from msgspec.structs import replace

from calfcoach.core.activity import Activity
from calfcoach.importers import Rejected

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# A watch's clock may run a little ahead, and time zones put "today" up to a day apart.
FUTURE_SLACK = timedelta(days=1)

# (field, low, high, unit): the widest a real activity goes, with room to spare.
BOUNDS = (
    ("distance_m", 0.0, 2_000_000.0, "m"),  # 2,000 km: multi-day rides and ultras
    ("elapsed_s", 0.0, 30 * 86_400.0, "s"),  # 30 days: the longest multi-day events
    ("moving_s", 0.0, 30 * 86_400.0, "s"),
    ("ascent_m", 0.0, 200_000.0, "m"),  # 200 km of climbing
    ("avg_hr", 0.0, 250.0, "bpm"),
    ("avg_cadence", 0.0, 400.0, "per minute"),
)


def check_activity(activity: Activity, now: datetime) -> Activity:
    """The activity, if every number is finite and in range and the start is in the window.

    :raises Rejected: the first field out of bounds, with its value and the allowed range.
    """
    for name, low, high, unit in BOUNDS:
        value = getattr(activity, name)
        if value is None:
            continue
        if not math.isfinite(value) or not low <= value <= high:
            raise Rejected(
                f"{name} {value!r} is out of range; allowed: {low:,.0f} to {high:,.0f} {unit}"
            )
    latest = min(LATEST, now + FUTURE_SLACK)
    if not EARLIEST <= activity.start <= latest:
        raise Rejected(
            f"start {activity.start.isoformat()} is out of range; allowed: "
            f"{EARLIEST.date()} to {latest.date()}"
        )
    if activity.utc_offset_s is not None and abs(activity.utc_offset_s) > 18 * 3600:
        # No time zone is more than 14 hours from UTC: the offset is wrong, not the run.
        note = f"UTC offset of {activity.utc_offset_s} s ignored (more than 18 hours)"
        return replace(activity, utc_offset_s=None, notes=(*activity.notes, note))
    return activity
