"""The pain rules of DOMAIN.md §6 as a physio's review found them broken (issue 13): red twice
in a row, withheld plyometrics, profile pain and the Achilles protocol, one red."""

from __future__ import annotations

from datetime import date, timedelta

from calfcoach.core.catalog import Catalog
from calfcoach.core.log import CheckIn
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, Prescription
from calfcoach.core.planner import build_plan, replan
from calfcoach.core.replanning import adjustments_from_history
from calfcoach.core.rules import check_plan
from tests.conftest import START, make_profile

STRAIN = {
    "athlete": {"equipment": ["dumbbells", "step", "bench"], "birth_year": 1981},
    "health": {"condition": "calf_strain", "pain_now": 2, "previous_calf_strain": True},
}


def strength(plan: Plan, week: int) -> list[tuple[date, Prescription]]:
    return [
        (d.date, p)
        for d in plan.weeks[week - 1].days
        for s in d.sessions
        if s.kind == "strength"
        for p in s.exercises
    ]


def _replanned(profile, plan, checkins, today, catalog, norms, tests=()):
    adjust = adjustments_from_history(
        plan, profile, [], checkins, today, catalog, norms, None, tests
    )
    assert adjust is not None
    return adjust, replan(plan, profile, adjust, catalog, norms)


def test_red_twice_in_a_calf_strain_gives_holds_only_until_a_green(
    catalog: Catalog, norms: Norms
) -> None:
    """§6 "Red twice in a row: the next sessions are isometric holds and seated raises only"
    (R11): in a calf strain's body-weight step too (review S3: two-legged and wall-sit raises
    stayed), every re-planned week until a green check-in."""
    profile = make_profile(**STRAIN)
    plan = build_plan(profile, START, 12, catalog, norms)
    assert any(not catalog.by_id[p.exercise].isometric for _, p in strength(plan, 4)), (
        "the step's raises before the reds"
    )
    reds = [
        CheckIn(None, START + timedelta(days=14), 6, None),
        CheckIn(None, START + timedelta(days=17), 6, None),
    ]
    today = START + timedelta(days=17)
    adjust, again = _replanned(profile, plan, reds, today, catalog, norms)
    assert adjust.isometric_only
    for week in (adjust.from_week, adjust.from_week + 1, adjust.from_week + 3):
        doses = strength(again, week)
        assert doses
        for _, p in doses:
            ex = catalog.by_id[p.exercise]
            assert ex.isometric or "seated" in ex.tags, (week, p.exercise)
            assert p.variation != "plyometric"
    violations = [v for v in check_plan(again, profile, catalog, norms) if (v.week or 0) >= 4]
    assert violations == [], [v.line() for v in violations]
    # A green check-in ends it: the step's raises come back.
    green = [*reds, CheckIn(None, START + timedelta(days=21), 1, 1)]
    adjust, back = _replanned(profile, plan, green, START + timedelta(days=21), catalog, norms)
    assert not adjust.isometric_only
    assert any(not catalog.by_id[p.exercise].isometric for _, p in strength(back, adjust.from_week))
