"""Output identity for speed work: plan and check seeded random profiles, write it all down.

Run: python bench/plan_identity.py OUT.jsonl [--profiles N]

Not a benchmark and not a test: a local check that a speed change leaves every plan and every
check exactly as it was. Run it before a change and after, then ``cmp`` (or ``diff``) the two
files (``PYTHONPATH=<other checkout>/src`` runs it on another revision's code). Each line holds
one profile's plan JSON, the same plan made with provenance (as the diary keeps it, ``why`` and
all), the plan re-planned from a seeded random history of sets and check-ins (core.replanning:
held doses, caps, red and amber weeks), and the violations of four checks:

  - the plan against its own profile (no violations expected: every rule passes);
  - the plan with its warnings taken away (the excusable rules R2, R3, R5, R8 then speak);
  - the plan against the next profile drawn (another kit, experience, condition and pain:
    most rules find something to say, so their messages and order are compared too);
  - the re-planned plan against its profile.

The profiles come from bench/plan_speed.py's ``random_profile``, with its own seed.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from calfcoach.core.log import CheckIn, SetEntry
from calfcoach.core.plan import Plan, plan_to_dict
from calfcoach.core.planner import build_plan, replan
from calfcoach.core.replanning import adjustments_from_history
from calfcoach.core.rules import check_plan
from calfcoach.data import default_catalog, default_norms
from plan_speed import START, random_profile, validated_profile

SEED = 13_007
PROFILES = 300
WEEKS = 20


def history(plan: Plan, today: date, rng: random.Random) -> tuple[list[SetEntry], list[CheckIn]]:
    """Sets and check-ins up to ``today``: sessions skipped, done as planned, short, failed or
    heavy, with pain during and the morning after (as tests/property/test_replanning.py)."""
    behaviour = [
        (
            rng.choice(["skip", "as_planned", "short", "failed", "heavy"]),
            rng.randint(0, 10),
            rng.randint(0, 10),
        )
        for _ in range(rng.randint(1, 40))
    ]
    with_checkins = rng.random() < 0.5
    sets: list[SetEntry] = []
    checkins: dict[date, CheckIn] = {}  # one a day, as the store keeps them
    n = 0
    for week in plan.weeks:
        for day in week.days:
            if day.date > today:
                break
            for session in day.sessions:
                if session.kind != "strength":
                    continue
                action, during, morning = behaviour[n % len(behaviour)]
                n += 1
                if with_checkins:
                    checkins[day.date] = CheckIn(None, day.date, during, morning)
                if action == "skip":
                    continue
                short_by = {"short": 1, "failed": 4}.get(action, 0)
                rpe = 9.5 if action == "heavy" else 7.0
                for p in session.exercises:
                    reps = max(0, p.reps - short_by)
                    for number in range(1, p.sets + 1):
                        sets.append(
                            SetEntry(
                                None, day.date, p.exercise, number, reps, p.load_kg or 0.0, rpe
                            )
                        )
    return sets, list(checkins.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--profiles", type=int, default=PROFILES)
    args = parser.parse_args()
    catalog, norms = default_catalog(), default_norms()
    rng = random.Random(SEED)
    profiles = [validated_profile(random_profile(rng)) for _ in range(args.profiles + 1)]
    violations = 0
    with args.out.open("w", encoding="utf-8") as out:
        for i in range(args.profiles):
            profile, other = profiles[i], profiles[i + 1]
            weeks = WEEKS if i % 3 else rng.randint(1, 52)
            plan = build_plan(profile, START, weeks, catalog, norms)
            explained = build_plan(profile, START, weeks, catalog, norms, provenance=True)
            unwarned = copy.deepcopy(plan)
            unwarned.warnings.clear()
            today = START + timedelta(days=rng.randint(0, 16 * 7))
            sets, checkins = history(explained, today, rng)
            adjustments = adjustments_from_history(
                explained, profile, sets, checkins, today, catalog, norms
            )
            again = None
            if adjustments is not None:
                again = replan(explained, profile, adjustments, catalog, norms)
            checks = {
                "own": check_plan(plan, profile, catalog, norms),
                "unwarned": check_plan(unwarned, profile, catalog, norms),
                "other": check_plan(plan, other, catalog, norms),
                "replanned": [] if again is None else check_plan(again, profile, catalog, norms),
            }
            violations += sum(len(found) for found in checks.values())
            line = {
                "profile": i,
                "weeks": weeks,
                "plan": plan_to_dict(plan),
                "explained": plan_to_dict(explained, provenance=True),
                "replanned": None if again is None else plan_to_dict(again, provenance=True),
                "checks": {k: [v.to_dict() for v in found] for k, found in checks.items()},
            }
            out.write(json.dumps(line, sort_keys=True) + "\n")
    print(f"{args.profiles} plans, {violations} violations -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
