"""core.protocol_weeks: which week of the Achilles protocol each plan week runs (DOMAIN.md §6:
amber or red repeats a week once, then amber may advance; taper, race and recovery do not
count, and the protocol resumes at the week where it stopped)."""

from __future__ import annotations

from datetime import date, timedelta

from calfcoach.core.log import CheckIn
from calfcoach.core.norms import Norms
from calfcoach.core.pain import judge
from calfcoach.core.protocol_weeks import protocol_weeks, protocol_weeks_short

START = date(2026, 11, 30)  # a Monday


def weeks(*phases: str) -> list[tuple[int, date, str]]:
    return [(n + 1, START + timedelta(weeks=n), p) for n, p in enumerate(phases)]


def wednesday(week: int) -> date:
    return START + timedelta(weeks=week - 1, days=2)


def numbers(places: dict[int, object]) -> dict[int, int]:
    return {n: p.number for n, p in places.items()}  # type: ignore[attr-defined]


def test_without_check_ins_the_ordinary_weeks_count_and_the_others_do_not() -> None:
    layout = weeks("foundation", "strength", "taper", "race", "recovery", "maintenance")
    assert numbers(protocol_weeks(layout)) == {1: 1, 2: 2, 6: 3}


def test_amber_repeats_once_then_advances_without_a_next_morning_rise(norms: Norms) -> None:
    layout = weeks(*["foundation"] * 6)
    checkins = [
        CheckIn(None, wednesday(2), 4, 2),
        CheckIn(None, wednesday(3), 4, 2),  # amber again, next morning no higher
    ]
    places = protocol_weeks(layout, judge(checkins, norms))
    assert numbers(places) == {1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 5}
    assert places[3].repeated and "repeats once" in (places[3].why or "")
    assert not places[4].repeated and "advances" in (places[4].why or "")


def test_amber_with_a_rising_next_morning_repeats_again(norms: Norms) -> None:
    layout = weeks(*["foundation"] * 5)
    # Next morning 1 → 2: amber (during 4), not red (a rise counts from 3), but it rose.
    checkins = [CheckIn(None, wednesday(2), 4, 1), CheckIn(None, wednesday(3), 4, 2)]
    assert numbers(protocol_weeks(layout, judge(checkins, norms))) == {
        1: 1,
        2: 2,
        3: 2,
        4: 2,
        5: 3,
    }


def test_a_sunday_check_in_awaiting_its_next_morning_does_not_repeat_the_week(
    norms: Norms,
) -> None:
    """A physio's review: the protocol's last session of the week on Sunday (after the long
    run). Sunday evening's check-in has its pain during (3) and no next morning yet; the week
    was decided on it as if 3 were the next-morning pain, above the week before's 2, and
    repeated, though every next-morning pain entered was 2 (§6: amber "with next-morning pain
    no higher than the week before advances"). A check-in without its next morning counts
    only where none of the week's has one; the reason quotes what it compared."""
    layout = weeks(*["foundation"] * 5)
    sunday = START + timedelta(weeks=2, days=6)
    checkins = [
        CheckIn(None, wednesday(2), 3, 2, pain_before=2),
        CheckIn(None, wednesday(3), 3, 2, pain_before=2),
        CheckIn(None, sunday, 3, None, pain_before=2),  # the next morning not yet entered
    ]
    places = protocol_weeks(layout, judge(checkins, norms))
    assert numbers(places) == {1: 1, 2: 2, 3: 2, 4: 3, 5: 4}
    assert "advances" in (places[4].why or "")
    # With no next-morning pain at all that week, its pain during stands in, and says so.
    alone = [CheckIn(None, wednesday(2), 3, 2, pain_before=2), CheckIn(None, sunday, 3, None)]
    places = protocol_weeks(layout, judge(alone, norms))
    assert numbers(places)[4] == 2
    assert "pain 3 (no next-morning pain yet)" in (places[4].why or "")


def test_red_repeats_while_it_stays_red_and_green_goes_on(norms: Norms) -> None:
    layout = weeks(*["strength"] * 6)
    checkins = [
        CheckIn(None, wednesday(1), 7, None),
        CheckIn(None, wednesday(2), 6, None),
        CheckIn(None, wednesday(3), 1, None),
    ]
    assert numbers(protocol_weeks(layout, judge(checkins, norms))) == {
        1: 1,
        2: 1,
        3: 1,
        4: 2,
        5: 3,
        6: 4,
    }


def test_only_weeks_up_to_decided_through_follow_check_ins(norms: Norms) -> None:
    layout = weeks(*["foundation"] * 4)
    checkins = [CheckIn(None, wednesday(1), 4, None), CheckIn(None, wednesday(3), 4, None)]
    assert numbers(protocol_weeks(layout, judge(checkins, norms), 2)) == {1: 1, 2: 1, 3: 2, 4: 3}


def test_check_ins_in_the_recovery_weeks_count_for_the_week_the_protocol_resumes_with(
    norms: Norms,
) -> None:
    layout = weeks("power", "taper", "race", "recovery", "maintenance", "maintenance")
    checkins = [CheckIn(None, wednesday(4), 3, None)]
    places = protocol_weeks(layout, judge(checkins, norms))
    assert numbers(places) == {1: 1, 5: 1, 6: 2}
    assert protocol_weeks_short(places, 12) == 10
