"""core.pain: each rule of DOMAIN.md §6's pain monitoring, held and broken."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from calfcoach.core.log import CheckIn
from calfcoach.core.norms import Norms
from calfcoach.core.pain import (
    DVT,
    judge,
    next_morning_rise,
    pain_status,
    week_on_week_rise,
    weekly_peaks,
)

MONDAY = date(2026, 11, 30)


def c(day: int, during: int, morning: int | None = None, **fields) -> CheckIn:
    return CheckIn(None, MONDAY + timedelta(days=day), during, morning, **fields)


def zones(checkins: list[CheckIn], norms: Norms) -> list[str]:
    return [j.zone for j in judge(checkins, norms)]


@pytest.mark.parametrize(
    ("during", "morning", "zone"),
    [(2, None, "green"), (3, None, "amber"), (5, 2, "amber"), (6, None, "red"), (1, 6, "red")],
)
def test_the_zone_comes_from_the_higher_of_during_and_next_morning(
    norms, during, morning, zone
) -> None:
    assert zones([c(1, during, morning)], norms) == [zone]


def test_next_morning_rise_against_pain_before(norms) -> None:
    assert next_morning_rise(c(1, 2, 3, pain_before=2), []) is not None  # 2 → 3: counts
    assert next_morning_rise(c(1, 2, 2, pain_before=1), []) is None  # 1 → 2: within 0–2
    assert next_morning_rise(c(1, 2, 3, pain_before=3), []) is None  # no rise
    assert zones([c(1, 2, 3, pain_before=2)], norms) == ["red"]


def test_pain_before_is_the_baseline_when_given(norms) -> None:
    # The previous next-morning 5 would make 4 no rise; that morning's 2 makes it one.
    assert zones([c(0, 5, 5), c(1, 2, 4, pain_before=2)], norms)[-1] == "red"
    # And the other way: a previous 1 is not the baseline when pain_before says 4.
    assert zones([c(0, 1, 1), c(1, 3, 4, pain_before=4)], norms)[-1] == "amber"


def test_next_morning_rise_against_the_previous_check_in_within_7_days(norms) -> None:
    assert zones([c(0, 1, 2), c(7, 2, 3)], norms)[-1] == "red"  # 7 days: compared
    assert zones([c(0, 1, 2), c(8, 2, 3)], norms)[-1] == "amber"  # 8 days: unrelated
    assert zones([c(0, 0, 0), c(2, 1, 1)], norms)[-1] == "green"  # 0 → 1 stays green
    assert zones([c(0, 0, 0), c(2, 2, 2)], norms)[-1] == "green"  # 0 → 2 stays green
    # The latest earlier check-in with a next-morning value is the baseline.
    assert zones([c(0, 1, 2), c(2, 1), c(3, 2, 3)], norms)[-1] == "red"


def test_check_ins_are_ordered_by_date_not_by_entry(norms) -> None:
    typed = [c(3, 2, 3), c(0, 1, 2)]  # the earlier day entered last
    assert [j.checkin.day for j in judge(typed, norms)] == [MONDAY, MONDAY + timedelta(days=3)]
    assert zones(typed, norms) == ["green", "red"]


def test_weekly_peaks_skip_empty_weeks_and_take_the_highest() -> None:
    peaks = weekly_peaks([c(0, 1), c(3, 4, 2), c(15, 3)])
    assert peaks == [(MONDAY, 4), (MONDAY + timedelta(days=14), 3)]


def test_week_on_week_rise(norms) -> None:
    weeks = [MONDAY + timedelta(weeks=n) for n in range(4)]
    assert week_on_week_rise(list(zip(weeks, [3, 4, 5], strict=False))) is not None
    assert week_on_week_rise(list(zip(weeks, [1, 3], strict=False))) is not None  # +2 to 3
    assert week_on_week_rise(list(zip(weeks, [2, 3], strict=False))) is None  # +1 once
    assert week_on_week_rise(list(zip(weeks, [0, 1, 2], strict=False))) is None  # below 3
    assert week_on_week_rise(list(zip(weeks, [4, 4, 5], strict=False))) is None  # one rise
    assert week_on_week_rise(list(zip(weeks, [0, 2], strict=False))) is None  # to 2 only
    # 3 → 4 → 5 in weekly check-ins is red; with a week in between without one, too.
    assert zones([c(1, 3), c(8, 4), c(15, 5)], norms) == ["amber", "amber", "red"]
    assert zones([c(1, 3), c(8, 4), c(29, 5)], norms)[-1] == "red"
    # Judged as the week stood on the day: a rise in a later week does not redden the past.
    assert zones([c(1, 3), c(8, 4), c(9, 3), c(15, 5)], norms) == ["amber"] * 3 + ["red"]
    # The check-in at the risen peak is red; a lower one later that week is not.
    assert zones([c(1, 1), c(8, 4), c(10, 1)], norms) == ["green", "red", "green"]
    assert zones([c(1, 1), c(8, 4), c(10, 4)], norms) == ["green", "red", "red"]


def test_two_reds_in_a_row_need_a_clinician_until_a_green(norms) -> None:
    today = MONDAY + timedelta(days=20)
    one = pain_status([c(1, 7)], today, norms)
    assert not one.isometric_only and one.notices() == ()
    two = pain_status([c(1, 7), c(4, 6)], today, norms)
    assert two.isometric_only and "see a clinician" in two.notices()[0]
    amber = pain_status([c(1, 7), c(4, 6), c(8, 4)], today, norms)
    assert amber.isometric_only  # still there: only a green lifts it
    green = pain_status([c(1, 7), c(4, 6), c(8, 4), c(11, 1)], today, norms)
    assert not green.isometric_only and green.notices() == ()
    apart = pain_status([c(1, 7), c(4, 1), c(8, 7)], today, norms)
    assert not apart.isometric_only  # not in a row


def test_a_red_flag_stops_until_a_clearance(norms) -> None:
    today = MONDAY + timedelta(days=20)
    flagged = pain_status([c(1, 1, red_flag="night_pain")], today, norms)
    assert flagged.stopped is not None and "stop and see a clinician" in flagged.stopped
    assert flagged.zone == "red"
    later = pain_status([c(1, 1, red_flag="night_pain"), c(3, 0)], today, norms)
    assert later.stopped is not None  # a green check-in does not lift it
    cleared = [c(1, 1, red_flag="night_pain"), c(3, 0, cleared_by_clinician=True)]
    assert pain_status(cleared, today, norms).stopped is None
    # A clearance dated before the flag does not lift it.
    early = [c(0, 0, cleared_by_clinician=True), c(1, 1, red_flag="swelling")]
    assert pain_status(early, today, norms).stopped is not None


def test_a_clearance_added_to_the_flags_own_check_in_lifts_it_and_its_red(norms) -> None:
    """A second check-in the same day records the clinician's clearance on the flag's record
    (new-user trial: it still said "pain red (red flag …)"): the stop lifts, and the pain
    decides the zone; a flag on its own still reddens."""
    today = MONDAY + timedelta(days=3)
    same_day = [c(1, 1, red_flag="sudden_pop", cleared_by_clinician=True)]
    assert zones(same_day, norms) == ["green"]
    status = pain_status(same_day, today, norms)
    assert status.stopped is None and status.zone == "green"
    assert zones([c(1, 1, red_flag="sudden_pop")], norms) == ["red"]


def test_calf_swelling_with_redness_names_a_deep_vein_thrombosis(norms) -> None:
    status = pain_status([c(1, 2, red_flag="calf_swelling_redness")], MONDAY + timedelta(3), norms)
    assert DVT in (status.stopped or "") and DVT in status.advice
    assert any("deep-vein thrombosis: see a doctor today" in n for n in status.notices())
    other = pain_status([c(1, 2, red_flag="sudden_pop")], MONDAY + timedelta(3), norms)
    assert DVT not in (other.stopped or "")


def test_a_sudden_pop_says_see_a_clinician_today(norms) -> None:
    """A pop can be a torn Achilles tendon or calf muscle: today, not at the next appointment;
    swelling or night pain alone keep the plain "stop and see a clinician"."""
    status = pain_status([c(1, 2, red_flag="sudden_pop")], MONDAY + timedelta(3), norms)
    for said in (status.stopped or "", status.advice, " ".join(status.notices())):
        assert "torn Achilles tendon or calf muscle: see a clinician today" in said.replace(
            "A sudden", "a sudden"
        )
    plain = pain_status([c(1, 2, red_flag="night_pain")], MONDAY + timedelta(3), norms)
    assert "today" not in (plain.stopped or "") + plain.advice + " ".join(plain.notices())


def test_the_flare_starts_at_the_first_non_green_and_greens_count_after_the_red(norms) -> None:
    history = [c(0, 1), c(3, 4), c(7, 7), c(10, 1), c(14, 2)]
    status = pain_status(history, MONDAY + timedelta(days=20), norms)
    assert status.flare_start == MONDAY + timedelta(days=3)
    assert status.greens_after_red == (MONDAY + timedelta(days=10), MONDAY + timedelta(days=14))


def test_check_ins_after_today_do_not_count_yet(norms) -> None:
    status = pain_status([c(1, 1), c(5, 8)], MONDAY + timedelta(days=2), norms)
    assert status.zone == "green" and len(status.judged) == 1


def test_two_reds_then_a_red_flag_says_the_holds_come_after_the_clearance(norms) -> None:
    """Red twice in a row, then a red flag: the flag stops the sessions until a clearance;
    the holds that red twice asks for come after it, and the notice says so rather than give
    a second rule beside the stop (a trial). Without a flag it reads as before."""
    reds = [c(0, 7), c(2, 8)]
    plain = pain_status(reds, MONDAY + timedelta(days=3), norms).notices()
    assert any("Until a green check-in the sessions are isometric holds" in n for n in plain)
    flagged = pain_status([*reds, c(3, 2, red_flag="swelling")], MONDAY + timedelta(4), norms)
    notices = flagged.notices()
    assert notices[0].startswith("Stop and see a clinician: swelling reported on")
    assert any(
        "Once a clinician has cleared you, and until a green check-in, the sessions are "
        "isometric holds" in n
        for n in notices
    ), notices
    assert not any("Until a green check-in" in n for n in notices)
