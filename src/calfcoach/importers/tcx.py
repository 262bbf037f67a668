"""TCX (Training Center XML) activities: the laps' totals make the summary."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from calfcoach.core.activity import Activity, has_intervals
from calfcoach.importers import Rejected, damaged, xml_damage
from calfcoach.importers.budget import DEFAULT_BUDGET

NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
EXT = "{http://www.garmin.com/xmlschemas/ActivityExtension/v2}"
# TCX (like GPX) is parsed whole: damage anywhere leaves no activity to keep.
WHOLE_OR_NOTHING = "a TCX file is read whole, so none of it was imported"
# TCX names the sport Running, Biking or Other.
SPORTS = {"running": "running", "biking": "cycling", "other": "other"}


def _time(text: str | None, what: str) -> datetime | None:
    """A TCX time in UTC. :raises Rejected: not an ISO 8601 time, or one UTC cannot hold."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Rejected(
            f"{what} {text.strip()[:40]!r} is not a time; allowed: ISO 8601, e.g. "
            "2024-05-01T07:30:00Z"
        ) from None


def _number(element: ElementTree.Element | None) -> float | None:
    if element is None or element.text is None:
        return None
    try:
        return float(element.text)
    except ValueError:
        return None


def read_tcx(data: bytes) -> Activity:
    """The first activity of a TCX file, summed over its laps.

    :raises Rejected: not TCX XML, or no activity with a start time.
    """
    if len(data) > DEFAULT_BUDGET.max_xml_bytes:
        raise Rejected(f"refused: larger than {DEFAULT_BUDGET.max_xml_bytes // 2**20} MB of XML")
    try:
        # defusedxml: no DTD, no entities, no external references (a TCX file needs none).
        root = safe_fromstring(data, forbid_dtd=True)
    except ElementTree.ParseError as exc:
        raise Rejected(damaged(xml_damage(str(exc)), WHOLE_OR_NOTHING)) from None
    except DefusedXmlException:
        raise Rejected("refused: XML with a DTD or entities (TCX files have none)") from None
    if not root.tag.endswith("TrainingCenterDatabase"):
        raise Rejected("not a TCX file (no TrainingCenterDatabase)")
    activity = root.find(f"{NS}Activities/{NS}Activity")
    if activity is None:
        raise Rejected("no activity in the TCX file")
    laps = activity.findall(f"{NS}Lap")
    start = _time(activity.findtext(f"{NS}Id"), "<Id>") or (
        _time(laps[0].get("StartTime"), "Lap StartTime") if laps else None
    )
    if start is None:
        raise Rejected("no start time in the TCX activity")
    sport = SPORTS.get((activity.get("Sport") or "").lower(), "unknown")
    seconds = [_number(lap.find(f"{NS}TotalTimeSeconds")) for lap in laps]
    metres = [_number(lap.find(f"{NS}DistanceMeters")) for lap in laps]
    heart = [
        (_number(lap.find(f"{NS}AverageHeartRateBpm/{NS}Value")), t)
        for lap, t in zip(laps, seconds, strict=True)
    ]
    cadence = [
        (
            _number(lap.find(f"{NS}Extensions/{EXT}LX/{EXT}AvgRunCadence"))
            or _number(lap.find(f"{NS}Cadence")),
            t,
        )
        for lap, t in zip(laps, seconds, strict=True)
    ]
    moving = sum(t for t in seconds if t is not None) if any(seconds) else None
    end = None
    points = activity.findall(f".//{NS}Trackpoint/{NS}Time")
    if points:
        end = _time(points[-1].text, "Trackpoint <Time>")
    elapsed = (end - start).total_seconds() if end is not None else moving
    lap_kinds = [
        {"active": "active", "resting": "rest"}.get((lap.findtext(f"{NS}Intensity") or "").lower())
        for lap in laps
    ]
    return Activity(
        intervals=has_intervals(lap_kinds),
        start=start,
        sport=sport,
        sub_sport=None,
        distance_m=sum(m for m in metres if m is not None) if any(metres) else None,
        elapsed_s=elapsed,
        moving_s=moving,
        ascent_m=None,
        avg_hr=_weighted(heart),
        # TCX cadence is per leg, like FIT's; steps a minute are twice that when running.
        avg_cadence=(None if (c := _weighted(cadence)) is None else c * 2)
        if sport == "running"
        else _weighted(cadence),
    )


def _weighted(values: list[tuple[float | None, float | None]]) -> float | None:
    pairs = [(v, w) for v, w in values if v is not None and w]
    total = sum(w for _, w in pairs if w is not None)
    if not pairs or not total:
        return None
    return sum(v * (w or 0) for v, w in pairs) / total
