"""The audit trail's words for what a web write changed (services.change_notes), and None for
a write that changed nothing (issue 13)."""

from __future__ import annotations

from datetime import date

from msgspec.structs import replace

from calfcoach.core.log import CheckIn, SetEntry
from calfcoach.services import change_notes

DAY = date(2026, 12, 1)
SET = SetEntry(7, DAY, "seated-dumbbell-calf-raise", 2, 15, 20.0, 8.0, "left")


def test_a_correction_names_each_value_it_changed() -> None:
    after = replace(SET, reps=14, load_kg=22.5, rpe=None)
    assert change_notes.set_changed(SET, after) == (
        "set 7: seated-dumbbell-calf-raise set 2 (left) on 2026-12-01: "
        "reps 15→14, load 20→22.5 kg, RPE 8→none"
    )


def test_a_correction_to_the_same_values_is_no_change() -> None:
    assert change_notes.set_changed(SET, replace(SET)) is None


def test_added_and_removed_sets_say_their_values() -> None:
    hold = SetEntry(8, DAY, "isometric-calf-hold", 1, 1, 10.0, None, None, 45)
    assert change_notes.sets_added([SET, hold]) == (
        "added set 7: seated-dumbbell-calf-raise set 2 (left) on 2026-12-01, 15 × 20 kg, "
        "RPE 8; set 8: isometric-calf-hold set 1 on 2026-12-01, 45 s hold × 10 kg"
    )
    assert change_notes.sets_added([]) is None
    hops = SetEntry(9, DAY, "pogo-hops", 1, 20, 0.0)
    assert change_notes.set_removed(hops) == "removed set 9: pogo-hops set 1 on 2026-12-01, 20 reps"


def test_a_long_session_is_cut_short() -> None:
    many = [replace(SET, id=n, set_number=n) for n in range(1, 40)]
    text = change_notes.sets_added(many)
    assert text is not None and len(text) == change_notes.DETAIL_MAX and text.endswith("…")


def test_a_check_in_says_what_it_set_and_an_update_what_it_changed() -> None:
    first = CheckIn(1, DAY, 3, None)
    assert change_notes.checkin_saved(None, first) == "check-in 2026-12-01: pain during 3"
    flagged = replace(first, pain_next_morning=2, red_flag="swelling")
    assert change_notes.checkin_saved(first, flagged) == (
        "check-in 2026-12-01: next morning none→2, red flag none→swelling"
    )
    assert change_notes.checkin_saved(flagged, replace(flagged)) is None


def test_a_revoke_with_no_live_link_is_no_change() -> None:
    assert change_notes.calendar_links_revoked(0) is None
    assert change_notes.calendar_links_revoked(1) == "calendar link revoked"
    assert change_notes.calendar_links_revoked(2) == "2 calendar links revoked"
