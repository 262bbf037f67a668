"""A fast path for FIT summaries: walk the record headers, keep the definitions, and decode
only the few messages a run summary needs (file_id, session, activity); every other message
is skipped by the size its definition gives.

Handles little- and big-endian definitions, developer fields (skipped by their sizes),
compressed-timestamp headers, chained FIT files (the first activity session wins) and field
sizes that are not a multiple of their base type (read as invalid). Each file's CRC-16 is
checked with crcmod's C implementation (hundreds of MB/s). Anything it cannot finish raises
:class:`Unsupported`, and damage it is sure of raises ``Rejected``; either way the caller
falls back to the reference decoder (garmin-fit-sdk), which recovers what a damaged file
still holds. For files without a session, a second pass sums the records (``records=True``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from calfcoach.importers import Rejected

FILE_ID, SPORT, SESSION, LAP, RECORD, ACTIVITY = 0, 12, 18, 19, 20, 34
WANTED = {FILE_ID, SESSION, LAP, ACTIVITY}
LAP_INTENSITY = 23
TIMESTAMP = 253
# Record fields a summary without a session needs: heart rate, distance (1/100 m), and the
# compressed speed/distance field, whose presence sends the file to the reference decoder.
RECORD_HEART_RATE, RECORD_DISTANCE, RECORD_COMPRESSED = 3, 5, 8
# date_time values below this are seconds since the device powered on, not UTC.
RELATIVE_TIME_LIMIT = 0x10000000

# Base types: id (low 5 bits) -> (size, signed, invalid value, "z" type where 0 is invalid).
BASE = {
    0x00: (1, False, 0xFF, False),  # enum
    0x01: (1, True, 0x7F, False),
    0x02: (1, False, 0xFF, False),
    0x03: (2, True, 0x7FFF, False),
    0x04: (2, False, 0xFFFF, False),
    0x05: (4, True, 0x7FFFFFFF, False),
    0x06: (4, False, 0xFFFFFFFF, False),
    0x07: (1, False, 0x00, False),  # string
    0x08: (4, False, 0xFFFFFFFF, False),  # float32 (not read here)
    0x09: (8, False, 0xFFFFFFFFFFFFFFFF, False),
    0x0A: (1, False, 0x00, True),
    0x0B: (2, False, 0x0000, True),
    0x0C: (4, False, 0x00000000, True),
    0x0D: (1, False, 0xFF, False),  # byte
    0x0E: (8, True, 0x7FFFFFFFFFFFFFFF, False),
    0x0F: (8, False, 0xFFFFFFFFFFFFFFFF, False),
    0x10: (8, False, 0x0000000000000000, True),
}


@lru_cache(maxsize=1)
def _crc16() -> Callable[[bytes], int]:
    """FIT's CRC (CRC-16/ARC), from crcmod."""
    import crcmod.predefined

    function: Callable[[bytes], int] = crcmod.predefined.mkPredefinedCrcFun("crc-16")
    return function


class Unsupported(Exception):
    """The fast path cannot finish this file; decode it fully instead."""


@dataclass(slots=True)
class _Definition:
    big_endian: bool
    global_number: int
    fields: list[tuple[int, int, int, int]]  # (field number, offset, size, base type)
    size: int
    timestamp_at: int | None = None  # offset of a 4-byte timestamp field, if any


@dataclass(slots=True)
class Summary:
    """Raw field values (by field number) of the first file_id, activity and session."""

    file_id: dict[int, int] = field(default_factory=dict)
    session: dict[int, int] | None = None
    activity: dict[int, int] = field(default_factory=dict)
    lap_intensities: list[int | None] = field(default_factory=list)
    records: RecordTotals | None = None  # only when asked for (a file without a session)


@dataclass(slots=True)
class RecordTotals:
    """What a summary from the records needs, kept as running totals (memory stays flat
    however many records a file holds)."""

    first_time: int | None = None
    last_time: int | None = None
    max_distance: int | None = None  # 1/100 m
    heart_sum: int = 0
    heart_count: int = 0
    sport: int | None = None  # the first sport message's sport

    def add(self, values: dict[int, int]) -> None:
        if RECORD_COMPRESSED in values:
            raise Unsupported("compressed speed/distance records")
        stamp = values.get(TIMESTAMP)
        if stamp is not None and stamp >= RELATIVE_TIME_LIMIT:
            if self.first_time is None:
                self.first_time = stamp
            self.last_time = stamp
        distance = values.get(RECORD_DISTANCE)
        if distance is not None and (self.max_distance is None or distance > self.max_distance):
            self.max_distance = distance
        heart = values.get(RECORD_HEART_RATE)
        if heart is not None:
            self.heart_sum += heart
            self.heart_count += 1


def _value(data: bytes, offset: int, size: int, base: int, big_endian: bool) -> int | None:
    spec = BASE.get(base & 0x1F)
    if spec is None:
        return None
    width, signed, invalid, zero_invalid = spec
    if size < width or base & 0x1F in (0x07, 0x08, 0x09):
        return None  # misaligned size, strings and floats: nothing a summary needs
    raw = int.from_bytes(
        data[offset : offset + width], "big" if big_endian else "little", signed=False
    )
    if raw == invalid or (zero_invalid and raw == 0):
        return None
    if signed and raw >= 1 << (8 * width - 1):
        raw -= 1 << (8 * width)
    return raw


def scan(data: bytes, records: bool = False) -> Summary:
    """The summary fields of a FIT file; with ``records``, the record totals too (a second
    pass for files without a session, so ordinary files do not pay for it).

    :raises Rejected: a corrupt header or a file that ends early.
    :raises Unsupported: anything the fast path does not handle.
    """
    summary = Summary(records=RecordTotals() if records else None)
    position = 0
    first = True
    while position < len(data):
        header_size = data[position]
        if header_size not in (12, 14) or data[position + 8 : position + 12] != b".FIT":
            if first:
                raise Rejected("not a FIT file (no .FIT signature)")
            raise Rejected("corrupt header: not readable as a FIT file")
        data_size = int.from_bytes(data[position + 4 : position + 8], "little")
        start = position + header_size
        end = start + data_size
        if end + 2 > len(data):
            raise Rejected("truncated: the file ends in the middle of a message")
        # CRC-16/ARC over the header and data, then the stored CRC: zero when they agree.
        if _crc16()(data[position : end + 2]) != 0:
            raise Rejected("bad CRC: the file is damaged")
        _records(data, start, end, summary)
        position = end + 2
        first = False
    return summary


def _records(data: bytes, position: int, end: int, summary: Summary) -> None:
    definitions: dict[int, _Definition] = {}
    last_timestamp: int | None = None
    wanted = WANTED | {RECORD, SPORT} if summary.records is not None else WANTED
    try:
        while position < end:
            header = data[position]
            position += 1
            if header & 0x80:  # compressed timestamp header
                local = (header >> 5) & 0x03
                offset = header & 0x1F
                if last_timestamp is None:
                    raise Unsupported("compressed timestamp before any timestamp")
                timestamp = (last_timestamp & ~0x1F) + offset
                if offset < (last_timestamp & 0x1F):
                    timestamp += 0x20
                last_timestamp = timestamp
                definition = definitions[local]
                if definition.global_number in wanted:
                    values = _decode(data, position, definition)
                    values.setdefault(TIMESTAMP, timestamp)
                    _keep(summary, definition.global_number, values)
                position += definition.size
            elif header & 0x40:  # definition message
                local = header & 0x0F
                big_endian = data[position + 1] == 1
                number = int.from_bytes(
                    data[position + 2 : position + 4], "big" if big_endian else "little"
                )
                count = data[position + 4]
                position += 5
                fields, size = [], 0
                for n in range(count):
                    num, fsize, base = data[position + 3 * n : position + 3 * n + 3]
                    fields.append((num, size, fsize, base))
                    size += fsize
                position += 3 * count
                if header & 0x20:  # developer fields: skipped by their sizes
                    dev_count = data[position]
                    position += 1
                    size += sum(data[position + 3 * n + 1] for n in range(dev_count))
                    position += 3 * dev_count
                stamp_at = next(
                    (off for num, off, fsize, _ in fields if num == TIMESTAMP and fsize == 4),
                    None,
                )
                definitions[local] = _Definition(big_endian, number, fields, size, stamp_at)
            else:  # data message
                definition = definitions[header & 0x0F]
                if definition.global_number in wanted:
                    values = _decode(data, position, definition)
                    if TIMESTAMP in values:
                        last_timestamp = values[TIMESTAMP]
                    _keep(summary, definition.global_number, values)
                elif definition.timestamp_at is not None:
                    # Only the timestamp, for the compressed headers that may follow.
                    at = position + definition.timestamp_at
                    last_timestamp = int.from_bytes(
                        data[at : at + 4], "big" if definition.big_endian else "little"
                    )
                position += definition.size
    except (KeyError, IndexError, ValueError) as exc:
        raise Unsupported(f"fast path stopped: {exc!r}") from None
    if position != end:
        raise Unsupported("records overrun the data size")


def _decode(data: bytes, position: int, definition: _Definition) -> dict[int, int]:
    values = {}
    for number, offset, size, base in definition.fields:
        value = _value(data, position + offset, size, base, definition.big_endian)
        if value is not None:
            values[number] = value
    return values


def _keep(summary: Summary, number: int, values: dict[int, int]) -> None:
    if number == FILE_ID and not summary.file_id:
        summary.file_id = values
    elif number == SESSION and summary.session is None:
        summary.session = values
    elif number == ACTIVITY and not summary.activity:
        summary.activity = values
    elif number == LAP and summary.session is None:  # the first activity's laps
        summary.lap_intensities.append(values.get(LAP_INTENSITY))
    elif number == RECORD and summary.records is not None:
        summary.records.add(values)
    elif number == SPORT and summary.records is not None and summary.records.sport is None:
        summary.records.sport = values.get(0)
