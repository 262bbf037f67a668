"""FIT activity files, decoded with Garmin's reference SDK (garmin-fit-sdk)."""

from __future__ import annotations

import math
import re
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from msgspec.structs import replace

from calfcoach.core.activity import Activity, has_intervals
from calfcoach.importers import Rejected, damaged
from calfcoach.importers.budget import DEFAULT_BUDGET
from calfcoach.importers.fit_fast import RecordTotals, Unsupported, scan

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
SIGNATURE = b".FIT"
# FIT: date_time values below this are seconds since the device powered on, not UTC.
RELATIVE_TIME_LIMIT = 0x10000000
TIMESTAMP_FIELD = 253
NOTHING_IMPORTED = "none of it was imported"


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == SIGNATURE


def _when(seconds: Any) -> datetime | None:
    if isinstance(seconds, datetime):
        return seconds if seconds.tzinfo else seconds.replace(tzinfo=UTC)
    if isinstance(seconds, int | float):
        return FIT_EPOCH + timedelta(seconds=seconds)
    return None


@dataclass(frozen=True, slots=True)
class _Damage:
    """Why garmin-fit-sdk could not finish: ``what`` the damage is, and ``skipped``, what of
    the file it left unread."""

    what: str
    skipped: str
    checksum: bool = False  # every message decoded, but the CRC says some bytes are wrong


_TRUNCATED = _Damage(
    "truncated: the file ends in the middle of a message", "the unfinished message at its end"
)


def _damage(errors: list[Any], size: int) -> _Damage | None:
    """Why the SDK could not finish, in words; None for what it merely does not support."""
    for error in errors:
        text = str(error)
        if "Compressed timestamp" in text:
            # The SDK does not decode compressed-timestamp records; the file is still valid
            # and its session summary (written before them or after) can be used.
            continue
        at = re.search(r"at byte: (\d+)", text)
        position = int(at.group(1)) if at else None
        rest = (
            f"the {size - position} bytes from byte {position} on"
            if position is not None and position < size
            else "nothing"
        )
        if "longer than" in text or "end of" in text.lower() or _end_of_file_bug(error):
            return _TRUNCATED
        if "not a fit file" in text.lower():
            if position:
                return _Damage(
                    f"corrupt header: the part from byte {position} on, a second FIT file "
                    "chained to the first, is not readable",
                    rest,
                )
            return _Damage("corrupt header: not readable as a FIT file", "the whole file")
        if "crc" in text.lower():
            return _Damage(
                "bad CRC: the file's checksum does not match its contents, so some bytes are wrong",
                rest,
                checksum=True,
            )
        return _Damage(f"cannot be decoded: {text.splitlines()[0][:80]}", "the rest of the file")
    return None


def _end_of_file_bug(error: Any) -> bool:
    """garmin-fit-sdk's own "end of file reached" adds an int to a str (stream.read_byte), so
    a file cut where one byte is read fails with that TypeError instead: truncated too."""
    if not isinstance(error, TypeError) or error.__traceback__ is None:
        return False
    return traceback.extract_tb(error.__traceback__)[-1].name == "read_byte"


def read_fit(data: bytes) -> Activity:
    """The activity summary of a FIT file: the fast path (``fit_fast``) when it can, else
    garmin-fit-sdk's full decode (which also recovers what a damaged file still holds).

    :raises Rejected: not a FIT file, not an activity, damaged beyond recovery, or empty.
    """
    if not is_fit(data):
        raise Rejected("not a FIT file (no .FIT signature)")
    try:
        summary = scan(data)
        if summary.session is None:
            # No session: a second pass keeps running totals of the records (flat memory,
            # where the reference decoder would hold every record as a dict).
            summary = scan(data, records=True)
    except (Unsupported, Rejected):
        # Shapes the fast path does not handle, and damage: the reference decoder reads what
        # it can and recovers the session (or the records) before the damage.
        return read_fit_reference(data)
    types = _profile_types()
    kind = types["file"].get(summary.file_id.get(0)) if 0 in summary.file_id else None
    if kind not in (None, "activity"):
        raise Rejected(f"not an activity ({kind} file)")
    if summary.session is None:
        return _from_record_totals(summary.records or RecordTotals(), types, summary.activity)
    raw = summary.session
    scaled: dict[str, Any] = {
        "start_time": raw.get(2),
        "timestamp": raw.get(TIMESTAMP_FIELD),
        "sport": types["sport"].get(raw[5]) if 5 in raw else None,
        "sub_sport": types["sub_sport"].get(raw[6]) if 6 in raw else None,
        "total_elapsed_time": _scaled(raw.get(7), 1000),
        "total_timer_time": _scaled(raw.get(8), 1000),
        "total_distance": _scaled(raw.get(9), 100),
        "avg_heart_rate": raw.get(16),
        "avg_cadence": raw.get(18),
        "avg_fractional_cadence": _scaled(raw.get(92), 128),
        "total_ascent": raw.get(22),
    }
    stamp, local = summary.activity.get(TIMESTAMP_FIELD), summary.activity.get(5)
    offset = None
    if stamp is not None and local is not None and stamp >= RELATIVE_TIME_LIMIT:
        offset = local - stamp
    intensity = types["intensity"]
    laps = [None if i is None else intensity.get(i) for i in summary.lap_intensities]
    return replace(_from_session(scaled, offset, stamp, local), intervals=has_intervals(laps))


def _scaled(value: int | None, scale: int) -> float | None:
    return None if value is None else value / scale


@lru_cache(maxsize=1)
def _profile_types() -> dict[str, dict[int, str]]:
    """Enum names (sport, sub_sport, file type) from garmin-fit-sdk's FIT profile."""
    from garmin_fit_sdk.profile import Profile

    names = ("sport", "sub_sport", "file", "intensity")
    return {name: dict(Profile["types"][name]) for name in names}


def read_fit_reference(data: bytes) -> Activity:
    """The summary from garmin-fit-sdk's full decode (every message, every record).

    :raises Rejected: not a FIT file, not an activity, damaged, or empty.
    """
    from garmin_fit_sdk import Decoder, Stream

    if not is_fit(data):
        raise Rejected("not a FIT file (no .FIT signature)")
    if len(data) > DEFAULT_BUDGET.max_reference_fit_bytes:
        limit = DEFAULT_BUDGET.max_reference_fit_bytes / 1e6
        raise Rejected(
            f"refused: damaged or unusual FIT files are read whole only up to {limit:.1f} MB"
        )
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(
        convert_datetimes_to_dates=False,
        expand_components=True,
        merge_heart_rates=False,
    )
    damage = _damage(errors, len(data))
    file_ids = messages.get("file_id_mesgs", [])
    kind = file_ids[0].get("type") if file_ids else None
    if kind not in (None, "activity"):
        if damage is not None:
            raise Rejected(damaged(damage.what, NOTHING_IMPORTED))
        raise Rejected(f"not an activity ({kind} file)")
    sessions = messages.get("session_mesgs", [])
    activity = (messages.get("activity_mesgs") or [{}])[0]
    stamp, local = activity.get("timestamp"), activity.get("local_timestamp")
    offset = None
    if isinstance(stamp, int) and isinstance(local, int) and stamp >= RELATIVE_TIME_LIMIT:
        offset = local - stamp
    if sessions:
        laps = [lap.get("intensity") for lap in messages.get("lap_mesgs", [])]
        found = _from_session(sessions[0], offset, stamp, local)
        found = replace(found, intervals=has_intervals([str(i) if i else None for i in laps]))
    else:
        try:
            found = _from_records(messages.get("record_mesgs", []), messages, offset)
        except Rejected:
            if damage is not None:
                raise Rejected(
                    damaged(
                        damage.what,
                        "no session summary or timed record came before the damage, so "
                        + NOTHING_IMPORTED,
                    )
                ) from None
            raise
    if damage is None:
        return found
    # Damaged (a bad CRC, cut off mid-message, a corrupt chained header) but the decoder read
    # a session, or timed records, before the damage: keep the run and say what was kept and
    # what skipped (issue 14; the words: issue 13).
    if sessions:
        kept = "the run's session summary" + (
            ", as it decoded (its numbers may be off)"
            if damage.checksum
            else ", read before the damage"
        )
        notes = found.notes
    else:
        count = len(messages.get("record_mesgs", []))
        kept = f"a summary made from the {count} timed records " + (
            "as they decoded (the file has no session summary)"
            if damage.checksum
            else "read before the damage"
        )
        # The records' note says the file has no session message: a cut file may have lost it.
        notes = ()
    note = damaged(damage.what, f"kept {kept}; skipped {damage.skipped}")
    return replace(found, recovered=True, notes=(*notes, note))


def _cadence(value: Any, fractional: Any, sport: str) -> float | None:
    whole = _float(value)
    if whole is None:
        return None
    rpm = whole + (_float(fractional) or 0.0)
    # FIT gives running cadence per leg (strides a minute); steps a minute are twice that.
    return rpm * 2 if sport == "running" else rpm


def _from_session(session: dict[str, Any], offset: int | None, stamp: Any, local: Any) -> Activity:
    raw = session.get("start_time", session.get("timestamp"))
    notes: tuple[str, ...] = ()
    if isinstance(raw, int) and raw < RELATIVE_TIME_LIMIT:
        # Device time (seconds since power-on). The activity message's local time of the end
        # dates it: the start is that, less the time the activity ran; the UTC offset is lost.
        if not (isinstance(stamp, int) and isinstance(local, int)) or local < RELATIVE_TIME_LIMIT:
            raise Rejected("no real start time: the watch recorded device time only")
        raw = local - (stamp - raw)
        offset = None
        notes = ("start from the watch's local time (it recorded device time); UTC offset unknown",)
    start = _when(raw)
    if start is None:
        raise Rejected("no start time in the session")
    sport = str(session.get("sport") or "unknown")
    sub = session.get("sub_sport")
    return Activity(
        start=start,
        sport=sport,
        sub_sport=None if sub is None else str(sub),
        distance_m=_float(session.get("total_distance")),
        elapsed_s=_float(session.get("total_elapsed_time")),
        moving_s=_float(session.get("total_timer_time")),
        ascent_m=_float(session.get("total_ascent")),
        avg_hr=_float(session.get("avg_heart_rate")),
        avg_cadence=_cadence(
            session.get("avg_running_cadence", session.get("avg_cadence")),
            session.get("avg_fractional_cadence"),
            sport,
        ),
        utc_offset_s=offset,
        notes=notes,
    )


def _from_records(
    records: list[dict[str, Any]], messages: dict[str, Any], offset: int | None
) -> Activity:
    raw = [r.get("timestamp") for r in records]
    stamps = [_when(t) for t in raw if not (isinstance(t, int) and t < RELATIVE_TIME_LIMIT)]
    times = [t for t in stamps if t is not None]
    if not times:
        raise Rejected("no activity data (no session and no timed records)")
    sports = messages.get("sport_mesgs", [])
    sport = str(sports[0].get("sport")) if sports and sports[0].get("sport") else "unknown"
    distances = _numbers(records, "distance")
    heart = _numbers(records, "heart_rate")
    return Activity(
        start=times[0],
        sport=sport,
        sub_sport=None,
        distance_m=float(max(distances)) if distances else None,
        elapsed_s=(times[-1] - times[0]).total_seconds(),
        moving_s=None,
        ascent_m=None,
        avg_hr=sum(heart) / len(heart) if heart else None,
        avg_cadence=None,
        utc_offset_s=offset,
        notes=("summary computed from the records: the file has no session message",),
    )


def _numbers(records: list[dict[str, Any]], field: str) -> list[float]:
    """The records' values of ``field`` that are numbers: a damaged file can decode a field as
    a list of values (property test: float() of a list crashed the import)."""
    return [
        float(value)
        for r in records
        if isinstance(value := r.get(field), int | float) and not isinstance(value, bool)
    ]


def _from_record_totals(
    totals: RecordTotals, types: dict[str, dict[int, str]], activity: dict[int, int]
) -> Activity:
    """As :func:`_from_records`, from the fast path's running totals."""
    first, last = totals.first_time, totals.last_time
    if first is None or last is None or first < RELATIVE_TIME_LIMIT:
        raise Rejected("no activity data (no session and no timed records)")
    stamp, local = activity.get(TIMESTAMP_FIELD), activity.get(5)
    offset = None
    if stamp is not None and local is not None and stamp >= RELATIVE_TIME_LIMIT:
        offset = local - stamp
    sport = types["sport"].get(totals.sport) if totals.sport is not None else None
    start = FIT_EPOCH + timedelta(seconds=first)
    return Activity(
        start=start,
        sport=str(sport or "unknown"),
        sub_sport=None,
        distance_m=None if totals.max_distance is None else totals.max_distance / 100,
        elapsed_s=float(last - first),
        moving_s=None,
        ascent_m=None,
        avg_hr=totals.heart_sum / totals.heart_count if totals.heart_count else None,
        avg_cadence=None,
        utc_offset_s=offset,
        notes=("summary computed from the records: the file has no session message",),
    )


def _float(value: Any) -> float | None:
    """A session field's number; None where it is missing or not one number (a damaged
    file can decode a field as a list of values: the property test's float() of a list)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
