"""Which week of the Achilles protocol's table each plan week runs (DOMAIN.md §6; Beyer et al.
2015, Am J Sports Med 43:1704; Silbernagel et al. 2007, Am J Sports Med 35:897). Pure.

The protocol's weeks are the plan's ordinary weeks (foundation, strength, power, maintenance):
the taper, the race week and the recovery weeks reduce it as their own rules say, and the
protocol resumes after them at the week where it stopped. Check-ins move the count:

- a protocol week after an amber or red check-in repeats the protocol week before it (once:
  "instead of skipping it");
- after that repeat, amber advances when the next-morning pain is no higher than the week
  before (Silbernagel allows progression within 0–5); red repeats again — DOMAIN.md says
  "repeats the protocol week once" for both, and for red the more conservative reading is
  that it holds the protocol week for as long as it stays red (its dose is halved anyway).

The check-ins that decide a week are those dated from the start of the protocol week before
it up to the day before it starts (so check-ins in the taper and recovery weeks count for the
week the protocol resumes with). Only weeks up to ``decided_through`` are decided by
check-ins: the plan cannot see later ones and assumes the protocol advances (the athlete's
check-ins re-plan the future as they come).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from calfcoach.core.conditions import PainZone
from calfcoach.core.log import CheckIn
from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.pain import JudgedCheckIn, worst_pain


class ProtocolWeek(msgspec.Struct, frozen=True):
    """A plan week's place in the protocol's table."""

    number: int  # 1-based week of the table
    repeated: bool = False  # the same table week as the protocol week before it
    why: str | None = None  # the check-in that repeated it (or let amber advance)


def runs_protocol(phase: str) -> bool:
    """Whether a week of this phase counts as a protocol week (the others reduce it, §6)."""
    return phase in ORDINARY_PHASES


def _next_morning_peak(judged: Sequence[JudgedCheckIn]) -> tuple[int, bool] | None:
    """The highest next-morning pain of these check-ins, and whether it is one: a check-in
    whose next morning has not come yet (or was never entered) does not count while another
    has its next-morning pain; where none has, the highest pain during stands in (the higher
    of the two is the one a zone comes from: the conservative stand-in). A physio's review:
    a protocol whose last session is on Sunday repeated its week on Sunday evening's pain
    during (3, against the week before's next-morning 2), and Monday's next-morning 2 came
    too late to undo it. None without check-ins."""
    measured = [
        j.checkin.pain_next_morning for j in judged if j.checkin.pain_next_morning is not None
    ]
    if measured:
        return max(measured), True
    if not judged:
        return None
    return max(worst_pain(j.checkin) for j in judged), False


def _window(judged: Sequence[JudgedCheckIn], start: date, end: date) -> list[JudgedCheckIn]:
    return [j for j in judged if start <= j.checkin.day < end]


def profile_pain_checkin(pain_now: int, zone: PainZone, start: date) -> tuple[JudgedCheckIn, ...]:
    """The profile's ``pain_now`` as the protocol counts it: a check-in of its zone on the
    plan's first day (DOMAIN.md §6: profile pain and a check-in alike repeat the protocol
    week once instead of using it up — review B4); none when it is green."""
    if zone == "green":
        return ()
    return (JudgedCheckIn(CheckIn(PROFILE_PAIN_ID, start, pain_now, None), zone),)


# The id of the profile's pain counted as a check-in (a stored check-in's id is positive).
PROFILE_PAIN_ID = -1


def protocol_weeks(
    weeks: Sequence[tuple[int, date, str]],
    judged: Sequence[JudgedCheckIn] = (),
    decided_through: int | None = None,
    opening: Sequence[JudgedCheckIn] = (),
) -> dict[int, ProtocolWeek]:
    """The protocol week of each plan week that runs the protocol, by plan week index.

    :param weeks: (index, Monday, phase) of every plan week, in order.
    :param judged: the check-ins with their zones (core.pain.judge), those dated up to today.
    :param decided_through: the last plan week check-ins may move; None: every week.
    :param opening: the profile's pain as a check-in (:func:`profile_pain_checkin`); known
        when the plan is made, it counts whatever ``decided_through``.
    """
    out: dict[int, ProtocolWeek] = {}
    previous: tuple[date, ProtocolWeek] | None = None  # the last protocol week's Monday, place
    earlier_start: date | None = None  # the Monday of the protocol week before that one
    for index, start, phase in weeks:
        if not runs_protocol(phase):
            continue
        if previous is None:
            place = ProtocolWeek(1)
        else:
            last_start, last = previous
            decided = decided_through is None or index <= decided_through
            window = _window(judged, last_start, start) if decided else []
            window = [*_window(opening, last_start, start), *window]
            place = _after(last, window, judged, earlier_start, last_start, start)
        out[index] = place
        earlier_start = previous[0] if previous is not None else None
        previous = (start, place)
    return out


def _after(
    last: ProtocolWeek,
    window: list[JudgedCheckIn],
    judged: Sequence[JudgedCheckIn],
    earlier_start: date | None,
    last_start: date,
    start: date,
) -> ProtocolWeek:
    """The place of the protocol week after ``last``, from the check-ins of ``window``."""
    advanced = ProtocolWeek(last.number + 1)
    zones = {j.zone for j in window}
    if "red" in zones:
        said = _said(max((j for j in window if j.zone == "red"), key=_newest))
        return ProtocolWeek(last.number, True, f"pain was red {said}: the protocol week repeats")
    if "amber" not in zones:
        return advanced
    newest_amber = max((j for j in window if j.zone == "amber"), key=_newest)
    day = newest_amber.checkin.day
    if not last.repeated:
        return ProtocolWeek(
            last.number,
            True,
            f"pain was amber {_said(newest_amber)}: the protocol week repeats once",
        )
    # After one repeat, amber advances unless the next-morning pain rose on the week before.
    before_start = earlier_start if earlier_start is not None else last_start - timedelta(days=7)
    now = _next_morning_peak(window)
    then = _next_morning_peak(_window(judged, before_start, last_start))
    if now is not None and then is not None and now[0] > then[0]:
        this_week = (
            f"next-morning pain {now[0]}" if now[1] else f"pain {now[0]} (no next-morning pain yet)"
        )
        last_week = (
            f"the week before's {then[0]}" if then[1] else f"the week before's pain {then[0]}"
        )
        return ProtocolWeek(
            last.number,
            True,
            f"pain was amber at the check-in of {day} with {this_week}, above {last_week}: "
            "the protocol week repeats",
        )
    return ProtocolWeek(
        last.number + 1,
        False,
        f"pain was amber at the check-in of {day} after a repeated week, with next-morning "
        "pain no higher than the week before: the protocol advances (Silbernagel allows "
        "progression within 0–5)",
    )


def _newest(j: JudgedCheckIn) -> tuple[date, bool]:
    """Newest first; on the same day a stored check-in before the profile's pain."""
    return (j.checkin.day, j.checkin.id != PROFILE_PAIN_ID)


def _said(j: JudgedCheckIn) -> str:
    """Where a zone came from, for the reason: a check-in, or the profile's pain."""
    if j.checkin.id == PROFILE_PAIN_ID:
        return f"in your profile ({j.checkin.pain_during}/10 at the plan's start)"
    return f"at the check-in of {j.checkin.day}"


def protocol_weeks_short(places: dict[int, ProtocolWeek], length: int) -> int:
    """How many more protocol weeks the plan needs to hold all ``length`` of the table."""
    reached = max((p.number for p in places.values()), default=0)
    return max(0, length - reached)
