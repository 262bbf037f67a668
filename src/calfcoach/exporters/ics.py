"""iCalendar (RFC 5545) with the icalendar library: one VEVENT per calf session.

UIDs come from athlete, date and session, so a calendar that imports or subscribes again
updates its events instead of duplicating them. Whoever keeps the previous export's state
(services.exporting) passes it in: an event whose content changed gets SEQUENCE + 1, and a
session that is gone is sent once more as STATUS:CANCELLED with a higher SEQUENCE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from calfcoach.core.catalog import Catalog
from calfcoach.exporters.sessions import (
    PlannedSession,
    exercise_line,
    first_cue,
    minutes,
    session_uid,
    test_line,
    title,
)

PRODID = "-//calfcoach//calf sessions//EN"


@dataclass(frozen=True, slots=True)
class EventContent:
    uid: str
    day: date
    summary: str
    description: str
    minutes: int

    @property
    def digest(self) -> str:
        text = f"{self.day}\n{self.summary}\n{self.description}\n{self.minutes}"
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class EventState:
    """What an export said about one UID; stored between exports."""

    uid: str
    day: date
    sequence: int
    digest: str
    cancelled: bool
    summary: str


def event_content(
    athlete: str,
    session: PlannedSession,
    units: str,
    catalog: Catalog,
    insertional: bool = False,
    pairs: frozenset[str] = frozenset(),
) -> EventContent:
    """One session's event; ``insertional``: cue the flat-floor raises (DOMAIN.md §6);
    ``pairs``: the exercises loaded with a pair of dumbbells ("2 × 8 kg")."""
    lines = [test_line(test, catalog, insertional) for test in session.tests]
    for ex in session.exercises:
        lines.append(exercise_line(ex, units, catalog, insertional, pairs))
        cue = first_cue(ex, catalog, insertional)
        if cue:
            lines.append(f"  Cue: {cue}")
    lines.append(
        f"Week {session.week}, {session.phase} phase. Log it: calfcoach log, or the web app."
    )
    return EventContent(
        session_uid(athlete, session),
        session.day,
        title(session),
        "\n".join(lines),
        minutes(session),
    )


def reconcile(
    events: Sequence[EventContent], previous: Iterable[EventState]
) -> list[tuple[EventContent | None, EventState]]:
    """Each event with its new state, then every earlier event that is gone, cancelled.

    New events start at SEQUENCE 0; a changed one (or one coming back after a cancel) goes
    up by one; an unchanged one keeps its number. A cancelled event stays cancelled (and
    listed, so late subscribers hear of it too) without going up again.
    """
    before = {state.uid: state for state in previous}
    out: list[tuple[EventContent | None, EventState]] = []
    for event in events:
        old = before.pop(event.uid, None)
        if old is None:
            sequence = 0
        elif old.digest == event.digest and not old.cancelled:
            sequence = old.sequence
        else:
            sequence = old.sequence + 1
        out.append(
            (event, EventState(event.uid, event.day, sequence, event.digest, False, event.summary))
        )
    for old in before.values():
        state = (
            old
            if old.cancelled
            else EventState(old.uid, old.day, old.sequence + 1, old.digest, True, old.summary)
        )
        out.append((None, state))
    return out


def calendar_bytes(
    items: Sequence[tuple[EventContent | None, EventState]],
    name: str,
    at: time | None = None,
    zone: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The VCALENDAR: all-day events, or timed ones starting ``at`` in ``zone`` (IANA name)
    with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # As TEXT (RFC 5545 3.3.11), escaped by icalendar as the descriptions are: an X- property
    # is written raw otherwise, and a comma, semicolon or backslash in an athlete's name
    # changed what a calendar program reads (the new user's trial).
    calendar.add("x-wr-calname", vText(name))
    tz = ZoneInfo(zone) if at is not None and zone else None
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for content, state in sorted(items, key=lambda item: (item[1].day, item[1].uid)):
        event = Event()
        event.add("uid", state.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", state.sequence)
        event.add("summary", state.summary if content is None else content.summary)
        length = timedelta(minutes=content.minutes if content else 30)
        if at is None:
            event.add("dtstart", state.day)
            event.add("dtend", state.day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # an all-day reminder, not busy all day
        else:
            start = datetime.combine(state.day, at, tzinfo=tz or UTC)
            event.add("dtstart", start)
            event.add("dtend", start + length)
        if content is None:
            event.add("status", "CANCELLED")
            event.add("description", "This calf session is no longer in the plan.")
        else:
            event.add("status", "CONFIRMED")
            event.add("description", content.description)
            event.add("categories", ["calfcoach"])
        calendar.add_component(event)
    if tz is not None:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
