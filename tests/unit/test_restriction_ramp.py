"""DOMAIN.md §6: an exercise that enters the plan after a pain restriction (pain > 5 in the
Achilles protocol: holds and seated raises only) starts at half its target and closes half the
remaining gap each week — never a jump from isometrics to a full 12RM."""

from __future__ import annotations

from calfcoach.core.catalog import RAISES, Catalog
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, Prescription
from calfcoach.core.planner import build_plan
from calfcoach.core.rules import check_plan
from tests.conftest import START, make_profile

SMITH = {"equipment": ["smith_machine", "plates", "bench", "step"]}


def raises(plan: Plan, week: int) -> dict[str, Prescription]:
    return {
        p.exercise: p
        for d in plan.weeks[week - 1].days
        for s in d.sessions
        if s.kind == "strength"
        for p in s.exercises
        if p.variation in RAISES
    }


def achilles(pain: int):
    return make_profile(
        athlete=SMITH, health={"condition": "achilles_tendinopathy", "pain_now": pain}
    )


def test_after_the_isometric_weeks_new_raises_start_at_half_and_close_the_gap(
    catalog: Catalog, norms: Norms
) -> None:
    profile = achilles(7)
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    calm = build_plan(achilles(0), START, None, catalog, norms)
    # Weeks 1–2: holds only (pain > 5 in the Achilles protocol).
    restricted = set(raises(plan, 1)) | set(raises(plan, 2))
    assert all(p.hold_s is not None for w in (1, 2) for p in raises(plan, w).values())
    new = {name: p for name, p in raises(plan, 3).items() if name not in restricted}
    assert new
    shares = {}
    for name, p in new.items():
        reasons = [r.text for r in p.why.reasons] if p.why else []
        ramp = [t for t in reasons if t.startswith("New after a pain restriction")]
        assert ramp and "50%" in ramp[0], reasons
        shares[name] = ramp
        # Below the dose the same week has without the restriction.
        same = raises(calm, 3).get(name)
        if same is not None:
            assert (p.load_kg or 0) <= (same.load_kg or 0)
    for name in new:
        week4 = raises(plan, 4)[name]
        assert week4.why is not None
        assert any("75%" in r.text for r in week4.why.reasons if r.text.startswith("New after"))
        assert (week4.load_kg or 0) <= (raises(calm, 4)[name].load_kg or 0)
    assert check_plan(plan, profile, catalog, norms) == []


def test_without_a_restriction_nothing_ramps(catalog: Catalog, norms: Norms) -> None:
    plan = build_plan(achilles(0), START, None, catalog, norms, provenance=True)
    texts = [
        r.text
        for w in range(1, len(plan.weeks) + 1)
        for p in raises(plan, w).values()
        if p.why is not None
        for r in p.why.reasons
    ]
    assert not any(t.startswith("New after a pain restriction") for t in texts)
