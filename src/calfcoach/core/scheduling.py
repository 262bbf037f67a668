"""Which days of a week hold strength sessions, and which variations each session holds.

Pure, cached functions of small tuples: the same running pattern gives the same answer every
week, so a long plan computes each only once.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

SL, BK, PL = "straight_leg", "bent_knee", "plyometric"


@lru_cache(maxsize=1024)
def choose_days(
    clean: tuple[int, ...],
    wanted: int,
    preferred: tuple[int, ...],
    prev_offset: int | None,
    spaced: bool,
    steady: bool = False,
) -> list[int]:
    """Pick up to ``wanted`` session days (0 = Monday) among ``clean`` ones: preferred days
    first, then days with a day between sessions (also across the week boundary).

    ``steady`` (with ``spaced``): the same days next week keep a day between sessions too,
    so a protocol's week does not leave the next one short (a Sunday session blocks Monday).
    """
    # (Comprehensions and tuples rather than generators: every week of a plan new to the
    # cache tries up to 35 combinations.)
    before = () if prev_offset is None else (prev_offset,)
    for count in range(min(wanted, len(clean)), 0, -1):
        best: tuple[int, ...] | None = None
        best_score: tuple[int, ...] | None = None
        for combo in itertools.combinations(clean, count):
            gaps = [b - a for a, b in itertools.pairwise(before + combo)]
            if spaced and gaps and min(gaps) < 2:
                continue
            # Gap to the same days next week (the pattern repeats).
            wrap = combo[0] + 7 - combo[-1]
            if steady and spaced and wrap < 2:
                continue
            gaps.append(wrap)
            score = (
                len([d for d in combo if d in preferred]),
                len([g for g in gaps if g >= 2]),
                min(gaps),
            )
            if best_score is None or score > best_score:
                best, best_score = combo, score
        if best is not None:
            return list(best)
    return []


def assign_variations(
    offsets: tuple[int, ...],
    carry: tuple[int | None, ...],
    plyo_ok: tuple[bool, ...],
    max_plyo_sessions: int,
    min_gap_raise: int,
    min_gap_plyo: int,
) -> tuple[frozenset[str], ...]:
    """Which variations each session holds.

    ``offsets``: the session days (0 = this Monday); ``carry``: the last day of each
    variation (straight-leg, bent-knee, plyometric) before them, None for none.
    Hard: plyometrics never on consecutive days (R6) and in at most ``max_plyo_sessions``.
    Preferred, in order: every session non-empty (R1), all variations in the week (R2), the
    same raise ≥ 48 h apart (§5), then as many raises and plyometric sessions as fit.
    """
    # A last day far enough back to leave every session day its gap weighs as none: said so,
    # many more weeks share one cached answer.
    first = min(offsets, default=0)
    # (Spelled out for the three variations: asked every week of every plan.)
    straight, bent, plyo = carry
    near = (
        None if straight is None or first - straight >= min_gap_raise else straight,
        None if bent is None or first - bent >= min_gap_raise else bent,
        None if plyo is None or first - plyo >= min_gap_plyo else plyo,
    )
    return _assign_variations(
        offsets, near, plyo_ok, max_plyo_sessions, min_gap_raise, min_gap_plyo
    )


@lru_cache(maxsize=4096)
def _assign_variations(
    offsets: tuple[int, ...],
    carry: tuple[int | None, ...],
    plyo_ok: tuple[bool, ...],
    max_plyo_sessions: int,
    min_gap_raise: int,
    min_gap_plyo: int,
) -> tuple[frozenset[str], ...]:
    # Depth-first over the sessions, largest subsets first, pruning on the hard constraints
    # and on an optimistic bound of the score: the same answer as trying every combination,
    # at a fraction of the cost (a week of four sessions has 7^4 combinations).
    all_subsets = [frozenset(c) for r in (3, 2, 1) for c in itertools.combinations((SL, BK, PL), r)]
    options = [[sub for sub in all_subsets if ok or PL not in sub] for ok in plyo_ok]
    wanted = frozenset({SL, BK} | ({PL} if any(plyo_ok) else set()))
    count = len(offsets)
    best: list[tuple[frozenset[str], ...]] = [tuple(frozenset() for _ in offsets)]
    best_score: list[tuple[int, int, int, int] | None] = [None]
    chosen: list[frozenset[str]] = []

    def search(
        index: int,
        last: dict[str, int | None],
        covered: frozenset[str],
        clashes: int,
        raises: int,
        plyos: int,
    ) -> None:
        left = count - index
        # (Comparisons, not min()/{**a, **b}: this runs at every node of the search, and in
        # CPython 3.11 the builtin parses keyword arguments at each call.)
        room = max_plyo_sessions - plyos
        bound = (1, -clashes, raises + 2 * left, plyos + (room if room < left else left))
        if best_score[0] is not None and bound <= best_score[0]:
            return
        if index == count:
            score = (int(covered >= wanted), -clashes, raises, plyos)
            if best_score[0] is None or score > best_score[0]:
                best[0], best_score[0] = tuple(chosen), score
            return
        day = offsets[index]
        for parts in options[index]:
            has_plyo = PL in parts
            if has_plyo:
                seen = last[PL]
                if plyos >= max_plyo_sessions or (seen is not None and day - seen < min_gap_plyo):
                    continue
            new_clashes = clashes
            for v in parts:
                seen = last[v]
                if v != PL and seen is not None and day - seen < min_gap_raise:
                    new_clashes += 1
            chosen.append(parts)
            after = last.copy()
            for v in parts:
                after[v] = day
            search(
                index + 1,
                after,
                covered | parts,
                new_clashes,
                raises + len(parts) - has_plyo,
                plyos + has_plyo,
            )
            chosen.pop()

    search(0, dict(zip((SL, BK, PL), carry, strict=True)), frozenset(), 0, 0, 0)
    return best[0]
