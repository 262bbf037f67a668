"""GPX tracks, read with gpxpy. GPX has no session summary: it is computed from the points."""

from __future__ import annotations

from datetime import UTC

from calfcoach.core.activity import Activity
from calfcoach.importers import Rejected, damaged, xml_damage
from calfcoach.importers.budget import DEFAULT_BUDGET

# GPX (like TCX) is parsed whole: damage anywhere leaves no track to keep.
WHOLE_OR_NOTHING = "a GPX file is read whole, so none of it was imported"
# A track's <type> (Strava, Garmin and others write one) in our sport words.
MIN_YEAR = 1990  # earlier point times are placeholders, not real times
TYPES = {
    "running": "running",
    "run": "running",
    "9": "running",  # Strava's numeric code for a run in some exports
    "trail_running": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "ride": "cycling",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "hike": "hiking",
}


def read_gpx(data: bytes) -> Activity:
    """The summary of a GPX file's tracks (or its routes).

    :raises Rejected: not GPX, or no points at all.
    """
    import gpxpy
    import gpxpy.gpx

    if len(data) > DEFAULT_BUDGET.max_xml_bytes:
        # Before parsing: the tree gpxpy builds takes about 18 times the file.
        raise Rejected(f"refused: larger than {DEFAULT_BUDGET.max_xml_bytes // 2**20} MB of XML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected(f"not a readable GPX file (not UTF-8 at byte {exc.start})") from None
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        # gpxpy parses with the standard library's expat (or lxml when installed); without a
        # DTD no entity can be declared, so no entity expansion or external reference can
        # happen. GPX has no DTD (it is an XML Schema), so nothing real is lost.
        raise Rejected("refused: XML with a DTD or entities (GPX files have none)")
    try:
        gpx = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Rejected(damaged(xml_damage(first), WHOLE_OR_NOTHING)) from None
    points = [p for t in gpx.tracks for s in t.segments for p in s.points]
    if not points:
        raise Rejected("no track points in the GPX file")
    for point in points:
        # A coordinate off the globe (lat="95") made a distance of thousands of km, reported
        # as "distance_m … is out of range" (a trial): name the coordinate instead.
        if not -90 <= point.latitude <= 90:
            raise Rejected(f"latitude {point.latitude:g} is out of range (-90 to 90)")
        if not -180 <= point.longitude <= 180:
            raise Rejected(f"longitude {point.longitude:g} is out of range (-180 to 180)")
    kind = next((t.type for t in gpx.tracks if t.type), None)
    sport = TYPES.get((kind or "").strip().lower(), "unknown")
    name = next((t.name for t in gpx.tracks if t.name), None) or gpx.name
    distance = gpx.length_3d() if any(p.elevation is not None for p in points) else gpx.length_2d()
    uphill, _ = gpx.get_uphill_downhill()
    # Some writers put placeholder times (1901, the 32-bit minimum) on every point, or times on
    # a few points only: such a track has a distance but no duration.
    timed = [p.time for p in points if p.time is not None and p.time.year >= MIN_YEAR]
    notes: list[str] = []
    if len(timed) >= max(2, len(points) // 2):
        start, end_time = timed[0], timed[-1]
        elapsed: float | None = (end_time - start).total_seconds()
        moving_data = gpx.get_moving_data()
        moving = moving_data.moving_time if moving_data and moving_data.moving_time else None
    else:
        others = [gpx.time] + [w.time for w in gpx.waypoints] + timed
        known = [t for t in others if t is not None and t.year >= MIN_YEAR]
        if not known:
            raise Rejected("no times in the GPX file: its run cannot be placed in a week")
        start, elapsed, moving = known[0], None, None
        notes.append("the track has no times: distance only, no duration (start from the file)")
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    try:
        start = start.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past what a datetime holds in UTC
        raise Rejected(
            f"<time> {start.isoformat()} is out of range; allowed: 1900 to 2100"
        ) from None
    return Activity(
        start=start,
        sport=sport,
        sub_sport=None,
        distance_m=round(distance, 1) if distance else None,
        elapsed_s=elapsed,
        moving_s=moving,
        ascent_m=round(uphill, 1) if uphill else None,
        avg_hr=None,
        avg_cadence=None,
        name=name,
        notes=tuple(notes),
    )
