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
) -> list[int]:
    """Pick up to ``wanted`` session days (0 = Monday) among ``clean`` ones: preferred days
    first, then days with a day between sessions (also across the week boundary)."""
    for count in range(min(wanted, len(clean)), 0, -1):
        best: tuple[int, ...] | None = None
        best_score: tuple[int, ...] | None = None
        for combo in itertools.combinations(clean, count):
            points = ([prev_offset] if prev_offset is not None else []) + list(combo)
            gaps = [b - a for a, b in itertools.pairwise(points)]
            if spaced and any(g < 2 for g in gaps):
                continue
            # Gap to the same days next week (the pattern repeats).
            wrap = combo[0] + 7 - combo[-1]
            score = (
                sum(1 for d in combo if d in preferred),
                sum(1 for g in [*gaps, wrap] if g >= 2),
                min([*gaps, wrap]),
            )
            if best_score is None or score > best_score:
                best, best_score = combo, score
        if best is not None:
            return list(best)
    return []


@lru_cache(maxsize=4096)
def assign_variations(
    offsets: tuple[int, ...],
    carry: tuple[int | None, ...],
    plyo_ok: tuple[bool, ...],
    max_plyo_sessions: int,
    min_gap_raise: int,
    min_gap_plyo: int,
) -> tuple[frozenset[str], ...]:
    """Which variations each session holds.

    Hard: plyometrics never on consecutive days (R6) and in at most ``max_plyo_sessions``.
    Preferred, in order: every session non-empty (R1), all variations in the week (R2), the
    same raise ≥ 48 h apart (§5), then as many raises and plyometric sessions as fit.
    """
    options: list[list[frozenset[str]]] = []
    for ok in plyo_ok:
        subsets = [frozenset(c) for r in (1, 2, 3) for c in itertools.combinations((SL, BK, PL), r)]
        options.append([s for s in subsets if ok or PL not in s])
    wanted = {SL, BK} | ({PL} if any(plyo_ok) else set())
    best: tuple[frozenset[str], ...] = tuple(frozenset() for _ in offsets)
    best_score: tuple[int, ...] | None = None
    for combo in itertools.product(*options):
        last = dict(zip((SL, BK, PL), carry, strict=True))
        raise_clash = 0
        ok = True
        plyo_count = 0
        for day, parts in zip(offsets, combo, strict=True):
            for v in parts:
                seen = last[v]
                if seen is not None:
                    gap = day - seen
                    if v == PL and gap < min_gap_plyo:
                        ok = False
                        break
                    if v != PL and gap < min_gap_raise:
                        raise_clash += 1
                last[v] = day
            if not ok:
                break
            plyo_count += PL in parts
        if not ok or plyo_count > max_plyo_sessions:
            continue
        covered = set().union(*combo) >= wanted
        raises = sum(len(parts - {PL}) for parts in combo)
        score = (int(covered), -raise_clash, raises, plyo_count)
        if best_score is None or score > best_score:
            best, best_score = combo, score
    return best
