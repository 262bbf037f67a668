"""Output identity for speed work: plan and check seeded random profiles, write it all down.

Run: python bench/plan_identity.py OUT.jsonl [--profiles N]

Not a benchmark and not a test: a local check that a speed change leaves every plan and every
check exactly as it was. Run it before a change and after, then ``cmp`` (or ``diff``) the two
files. Each line holds one profile's plan JSON (with provenance, as the diary keeps it) and the
violations of three checks:

  - the plan against its own profile (no violations expected: every rule passes);
  - the plan with its warnings taken away (the excusable rules R2, R3, R5, R8 then speak);
  - the plan against the next profile drawn (another kit, experience, condition and pain:
    most rules find something to say, so their messages and order are compared too).

The profiles come from bench/plan_speed.py's ``random_profile``, with its own seed.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from pathlib import Path

from calfcoach.core.plan import plan_to_dict
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import Profile
from calfcoach.core.rules import check_plan
from calfcoach.data import default_catalog, default_norms
from plan_speed import START, TODAY, random_profile

SEED = 13_007
PROFILES = 300
WEEKS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--profiles", type=int, default=PROFILES)
    args = parser.parse_args()
    catalog, norms = default_catalog(), default_norms()
    rng = random.Random(SEED)
    profiles = [
        Profile.model_validate(random_profile(rng), context={"today": TODAY})
        for _ in range(args.profiles + 1)
    ]
    violations = 0
    with args.out.open("w", encoding="utf-8") as out:
        for i in range(args.profiles):
            profile, other = profiles[i], profiles[i + 1]
            weeks = WEEKS if i % 3 else rng.randint(1, 52)
            plan = build_plan(profile, START, weeks, catalog, norms)
            document = plan_to_dict(plan, provenance=True)
            unwarned = copy.deepcopy(plan)
            unwarned.warnings.clear()
            checks = {
                "own": check_plan(plan, profile, catalog, norms),
                "unwarned": check_plan(unwarned, profile, catalog, norms),
                "other": check_plan(plan, other, catalog, norms),
            }
            violations += sum(len(found) for found in checks.values())
            line = {
                "profile": i,
                "weeks": weeks,
                "plan": document,
                "checks": {k: [v.to_dict() for v in found] for k, found in checks.items()},
            }
            out.write(json.dumps(line, sort_keys=True) + "\n")
    print(f"{args.profiles} plans, {violations} violations -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
