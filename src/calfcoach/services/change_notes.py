"""What a web or API write changed, in words, for the audit trail's ``detail`` (issue 13: the
web's rows said only "PATCH /api/v1/sets/1", and a write that changed nothing was recorded
as a change). Each function takes the values the services return and gives one short line,
or None when nothing changed: then no audit row is written (web.auth).

Loads are kg, as stored; the line names the set by exercise, day and number, as the pages
show it, with its id.
"""

from __future__ import annotations

from collections.abc import Sequence

from calfcoach.core.log import CheckIn, SetEntry

DETAIL_MAX = 500  # a whole session logged at once is a dozen sets; longer ends in "…"


def _number(value: float) -> str:
    return f"{value:g}"


def set_values(entry: SetEntry) -> str:
    """``"12 × 20 kg, RPE 8"``, ``"20 reps"`` (body weight), ``"45 s hold × 10 kg"``."""
    if entry.hold_s:
        text = f"{entry.hold_s} s hold"
        if entry.load_kg:
            text += f" × {_number(entry.load_kg)} kg"
    elif entry.load_kg:
        text = f"{entry.reps} × {_number(entry.load_kg)} kg"
    else:
        text = f"{entry.reps} reps"
    if entry.rpe is not None:
        text += f", RPE {_number(entry.rpe)}"
    return text


def set_name(entry: SetEntry) -> str:
    """``"set 7: pogo-hops set 2 (left) on 2026-12-01"``."""
    side = f" ({entry.side})" if entry.side else ""
    return f"set {entry.id}: {entry.exercise} set {entry.set_number}{side} on {entry.day}"


def _short(text: str) -> str:
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def sets_added(entries: Sequence[SetEntry]) -> str | None:
    """``"added set 7: pogo-hops set 2 on 2026-12-01, 20 reps"``; None for no set."""
    if not entries:
        return None
    return _short("added " + "; ".join(f"{set_name(e)}, {set_values(e)}" for e in entries))


def set_removed(entry: SetEntry) -> str:
    return _short(f"removed {set_name(entry)}, {set_values(entry)}")


def set_changed(before: SetEntry, after: SetEntry) -> str | None:
    """``"set 7: pogo-hops set 2 on 2026-12-01: reps 15→14, load 20→22.5 kg"``; None when
    the values are the same (a correction that corrects nothing)."""

    def shown(value: float | int | str | None, unit: str = "") -> str:
        if value is None or value == "":
            return "none"
        return (_number(value) if isinstance(value, float | int) else value) + unit

    parts = [
        f"{label} {shown(old)}→{shown(new, unit)}"
        for label, old, new, unit in (
            ("reps", before.reps, after.reps, ""),
            ("load", before.load_kg, after.load_kg, " kg"),
            ("RPE", before.rpe, after.rpe, ""),
            ("side", before.side, after.side, ""),
            ("hold", before.hold_s, after.hold_s, " s"),
        )
        if old != new
    ]
    if not parts:
        return None
    return _short(f"{set_name(before)}: {', '.join(parts)}")


_CHECKIN_FIELDS = (
    ("pain during", "pain_during"),
    ("next morning", "pain_next_morning"),
    ("before", "pain_before"),
    ("red flag", "red_flag"),
    ("cleared by a clinician", "cleared_by_clinician"),
)


def checkin_saved(previous: CheckIn | None, saved: CheckIn) -> str | None:
    """``"check-in 2026-12-01: pain during 3, next morning 2"`` for a new one;
    ``"check-in 2026-12-01: pain during 3→5"`` for an update; None when the update repeats
    what was stored."""

    def shown(value: object) -> str:
        if value is None:
            return "none"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    if previous is None:
        parts = [
            f"{label} {shown(getattr(saved, field))}"
            for label, field in _CHECKIN_FIELDS
            if getattr(saved, field) not in (None, False)
        ]
        return _short(f"check-in {saved.day}: {', '.join(parts)}")
    parts = [
        f"{label} {shown(getattr(previous, field))}→{shown(getattr(saved, field))}"
        for label, field in _CHECKIN_FIELDS
        if getattr(previous, field) != getattr(saved, field)
    ]
    return _short(f"check-in {saved.day}: {', '.join(parts)}") if parts else None


def heel_raise_test(day: object, left: int, right: int, pain: int | None) -> str:
    pain_text = "" if pain is None else f", pain {pain}"
    return f"heel-raise test on {day}: left {left}, right {right}{pain_text}"


def hop_test(day: object, pain: int) -> str:
    return f"hop test on {day}: pain {pain}"


def seated_test(day: object, value_kg: float, estimated_from: str | None) -> str:
    how = "measured" if estimated_from is None else f"estimated from {estimated_from}"
    return f"seated 1RM on {day}: {_number(round(value_kg, 1))} kg ({how})"


def calendar_links_revoked(count: int) -> str | None:
    """None when there was no live link to revoke."""
    if not count:
        return None
    return "calendar link revoked" if count == 1 else f"{count} calendar links revoked"
