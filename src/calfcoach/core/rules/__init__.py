"""The coaching rules R1–R13 of DOMAIN.md §7, each a named, registered check.

A rule takes a :class:`PlanContext` (plan, profile, catalog, norms) and yields
:class:`Violation` values. :func:`check_plan` runs them all and drops the violations a plan
warning excuses. The planner never repeats these checks inline: it builds, and the tests run
these rules over what it builds.

Excuses. DOMAIN.md: "A warning excuses a rule only where it says so". We read that in the more
conservative way: only the rules whose text allows a warning (R2, R3, R5, R8) can be excused, and
only by a warning naming that rule and the week (and, for R5, the date) of the violation. R1, R4,
R6, R7 and R9–R13 cannot be excused by any warning. (Those four ask ``PlanContext.excuses``
before they word a violation, so what a warning excuses is never made; :func:`check_plan`'s
own filter stays the one that decides.)
"""

from __future__ import annotations

from calfcoach.core.catalog import Catalog
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan
from calfcoach.core.profile import Profile

# Importing the rule modules registers their rules.
from calfcoach.core.rules import health, load, plyometrics, primers, schedule, structure
from calfcoach.core.rules.base import RULES, PlanContext, Rule, Violation, excused

# The registry in rule-id order (R1 … R13), whatever order the modules registered in.
_ordered = sorted(RULES.items(), key=lambda item: int(item[0][1:]))
RULES.clear()
RULES.update(_ordered)


def check_plan(
    plan: Plan,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
    only: tuple[str, ...] | None = None,
) -> list[Violation]:
    """Run every rule (or ``only`` those) and return the violations no warning excuses,
    in rule order."""
    ctx = PlanContext(plan, profile, catalog, norms)
    found: list[Violation] = []
    for rule_id, spec in RULES.items():
        if only is not None and rule_id not in only:
            continue
        for violation in spec.evaluate(ctx):
            if not excused(violation, ctx):
                found.append(violation)
    return found


__all__ = [
    "RULES",
    "PlanContext",
    "Rule",
    "Violation",
    "check_plan",
    "health",
    "load",
    "plyometrics",
    "primers",
    "schedule",
    "structure",
]
