"""Each protocol table week by week against DOMAIN.md §6's numbers (issue 12)."""

from __future__ import annotations

import pytest

from calfcoach.core.norms import Norms

# DOMAIN.md §6, Beyer et al. 2015: 3 × 15RM in week 1, 3 × 12RM weeks 2–3, 4 × 10RM weeks
# 4–5, 4 × 8RM weeks 6–8, 4 × 6RM weeks 9–12.
BEYER = {1: (3, 15), 2: (3, 12), 3: (3, 12), 4: (4, 10), 5: (4, 10), 6: (4, 8), 7: (4, 8)}
BEYER |= {8: (4, 8), 9: (4, 6), 10: (4, 6), 11: (4, 6), 12: (4, 6)}


@pytest.mark.parametrize(("week", "dose"), sorted(BEYER.items()))
def test_achilles_heavy_slow_resistance_week_by_week(
    norms: Norms, week: int, dose: tuple[int, int]
) -> None:
    block = norms.achilles.block(week)
    assert (block.sets, block.reps) == dose
    assert norms.achilles.sessions_per_week == 3
    assert norms.achilles.tempo == "3-0-3-0"
    assert 120 <= norms.achilles.rest_s <= 180  # 2–3 min


def test_plantar_heel_pain_rathleff(norms: Norms) -> None:
    doses = [(norms.plantar.block(w).sets, norms.plantar.block(w).reps) for w in range(1, 9)]
    # 3 × 12RM, progressing to 4 × 10RM and 5 × 8RM; never back down.
    assert doses[0] == (3, 12) and (4, 10) in doses and doses[-1] == (5, 8)
    assert doses == sorted(doses, key=lambda d: (d[0], -d[1]))
    # The 2 s hold is at the top: the last figure of ecc-pause-con-pause.
    assert norms.plantar.tempo == "3-0-3-2"
