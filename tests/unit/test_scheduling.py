"""Session days and the variations each session holds."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from calfcoach.core import scheduling
from calfcoach.core.scheduling import assign_variations, choose_days

SL, BK, PL = "straight_leg", "bent_knee", "plyometric"


def brute_force_score(offsets, carry, plyo_ok, max_plyo, gap_raise, gap_plyo):
    """The best score over every combination: the reference the search must match."""
    subsets = [frozenset(c) for r in (1, 2, 3) for c in itertools.combinations((SL, BK, PL), r)]
    options = [[s for s in subsets if ok or PL not in s] for ok in plyo_ok]
    wanted = {SL, BK} | ({PL} if any(plyo_ok) else set())
    best = None
    for combo in itertools.product(*options):
        score = score_of(combo, offsets, carry, max_plyo, gap_raise, gap_plyo, wanted)
        if score is not None and (best is None or score > best):
            best = score
    return best


def score_of(combo, offsets, carry, max_plyo, gap_raise, gap_plyo, wanted):
    last = dict(zip((SL, BK, PL), carry, strict=True))
    clashes = plyos = 0
    for day, parts in zip(offsets, combo, strict=True):
        for v in parts:
            seen = last[v]
            if seen is not None and v == PL and day - seen < gap_plyo:
                return None
            if seen is not None and v != PL and day - seen < gap_raise:
                clashes += 1
            last[v] = day
        plyos += PL in parts
    if plyos > max_plyo:
        return None
    covered = set().union(*combo) >= wanted
    return (int(covered), -clashes, sum(len(p - {PL}) for p in combo), plyos)


weeks = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=4, unique=True).map(
    lambda days: tuple(sorted(days))
)
carries = st.tuples(*(st.one_of(st.none(), st.integers(min_value=-7, max_value=-1)),) * 3)


@settings(max_examples=300, deadline=None)
@given(weeks, carries, st.data())
def test_search_finds_the_best_assignment(offsets, carry, data) -> None:
    plyo_ok = tuple(data.draw(st.booleans()) for _ in offsets)
    got = assign_variations(offsets, carry, plyo_ok, 2, 2, 2)
    wanted = {SL, BK} | ({PL} if any(plyo_ok) else set())
    assert all(parts for parts in got)
    assert score_of(got, offsets, carry, 2, 2, 2, wanted) == brute_force_score(
        offsets, carry, plyo_ok, 2, 2, 2
    )


@settings(max_examples=300, deadline=None)
@given(
    weeks,
    st.tuples(*(st.one_of(st.none(), st.integers(min_value=-14, max_value=-1)),) * 3),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=1, max_value=4),
    st.data(),
)
def test_a_last_day_far_back_counts_as_none(offsets, carry, gap_raise, gap_plyo, data) -> None:
    """The cache key forgets last days that leave every session its gap: the answer is the
    search's own, with the last days as given."""
    plyo_ok = tuple(data.draw(st.booleans()) for _ in offsets)
    as_given = scheduling._assign_variations.__wrapped__(
        offsets, carry, plyo_ok, 2, gap_raise, gap_plyo
    )
    assert assign_variations(offsets, carry, plyo_ok, 2, gap_raise, gap_plyo) == as_given


def test_one_session_holds_everything() -> None:
    assert assign_variations((1,), (None, None, None), (True,), 2, 2, 2) == (
        frozenset({SL, BK, PL}),
    )


def test_consecutive_days_split_the_work() -> None:
    monday, tuesday = assign_variations((0, 1), (None, None, None), (True, True), 2, 2, 2)
    assert monday and tuesday and not (monday & tuesday)
    assert (monday | tuesday) == {SL, BK, PL}


def test_plyometrics_wait_48h_after_last_weeks() -> None:
    (monday,) = assign_variations((0,), (None, None, -1), (True,), 2, 2, 2)
    assert PL not in monday


def test_days_prefer_the_preferred_then_spacing() -> None:
    assert choose_days((0, 1, 2, 3, 4, 5, 6), 2, (1, 4), None, False) == [1, 4]
    assert choose_days((0, 1, 2, 3, 4, 5, 6), 2, (), None, False) in (
        [0, 3],
        [0, 4],
        [1, 4],
        [1, 5],
        [2, 5],
        [2, 6],
    )
    assert choose_days((0, 1, 2), 3, (), None, True) == [0, 2]
    assert choose_days((), 2, (), None, False) == []
