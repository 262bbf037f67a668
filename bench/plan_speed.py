"""Planner speed: checked plans per second, and the start-up cost of `calfcoach plan`.

Run: python bench/plan_speed.py  (or `make bench`)

Prints one table. Absolute times on shared machines are noisy, so each figure stands beside a
baseline measured in the same run:
  - plans per second: 1,000 seeded random profiles, 20 weeks each, planned and checked against
    every rule, beside the aim of 500 checked plans per second;
  - whole-process time of `calfcoach plan --weeks 52 --format json` beside `python -c pass`
    (aim: at most 10×), with the bare imports of typer and pydantic as the floor we cannot go
    under.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from calfcoach.core.planner import build_plan
from calfcoach.core.profile import EQUIPMENT, WEEKDAYS, Profile
from calfcoach.core.rules import check_plan
from calfcoach.data import default_catalog, default_norms

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)
START = date(2026, 11, 30)
PROFILES = 1000
WEEKS = 20
PROCESS_RUNS = 15
AIM_PLANS_PER_S = 500
AIM_START_RATIO = 10


def random_profile(rng: random.Random) -> dict[str, Any]:
    """A valid profile drawn from the whole input space (equipment, experience, running week,
    sessions, race distance and date, condition, pain)."""
    kit = [item for item in EQUIPMENT if item != "none"]
    equipment = rng.sample(kit, rng.randint(0, len(kit))) or ["none"]
    profile: dict[str, Any] = {
        "athlete": {
            "name": "Bench",
            "body_mass_kg": rng.uniform(40, 120),
            "strength_experience": rng.choice(["novice", "intermediate", "advanced"]),
            "equipment": equipment,
            "birth_year": rng.randint(1950, 2008),
        },
        "running": {day: rng.choice(["rest", "easy", "long", "workout"]) for day in WEEKDAYS},
        "strength": {
            "sessions_per_week": rng.randint(1, 4),
            "preferred_days": rng.sample(list(WEEKDAYS), rng.randint(0, 3)),
            "calf_in_every_session": rng.choice(["strength", "all"]),
        },
        "health": {
            "condition": rng.choice(
                [
                    "none",
                    "none",
                    "none",
                    "achilles_tendinopathy",
                    "calf_strain",
                    "plantar_heel_pain",
                ]
            ),
            "pain_now": rng.choice([0, 0, 0, 1, 2, 3, 4, 6, 8]),
        },
    }
    if rng.random() < 0.6:
        profile["goal"] = {
            "race_date": START + timedelta(days=rng.randint(0, 40 * 7)),
            "race_distance": rng.choice(["5k", "10k", "half", "marathon", "ultra"]),
        }
    return profile


def checked_plans_per_second() -> tuple[float, float, float, int]:
    catalog, norms = default_catalog(), default_norms()
    rng = random.Random(20261124)
    profiles = [
        Profile.model_validate(random_profile(rng), context={"today": TODAY})
        for _ in range(PROFILES)
    ]
    build_plan(profiles[0], START, WEEKS, catalog, norms)  # warm caches once
    t0 = time.perf_counter()
    plans = [build_plan(p, START, WEEKS, catalog, norms) for p in profiles]
    t1 = time.perf_counter()
    violations = sum(
        len(check_plan(plan, p, catalog, norms)) for plan, p in zip(plans, profiles, strict=True)
    )
    t2 = time.perf_counter()
    total = t2 - t0
    return PROFILES / total, PROFILES / (t1 - t0), PROFILES / (t2 - t1), violations


def median_ms(command: list[str]) -> float:
    times = []
    for _ in range(PROCESS_RUNS):
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    console = Console()
    with console.status("planning and checking 1,000 profiles…"):
        rate, plan_rate, check_rate, violations = checked_plans_per_second()
    script = shutil.which("calfcoach") or str(Path(sys.executable).parent / "calfcoach")
    with console.status("timing whole processes…"):
        bare = median_ms([sys.executable, "-c", "pass"])
        floor = median_ms([sys.executable, "-c", "import typer.main, pydantic.main"])
        plan_cmd = median_ms(
            [
                script,
                "plan",
                "--profile",
                "examples/profile.toml",
                "--weeks",
                "52",
                "--format",
                "json",
            ]
        )
        table_cmd = median_ms(
            [script, "plan", "--profile", "examples/profile.toml", "--weeks", "52"]
        )

    table = Table(title="calfcoach plan speed")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("baseline", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("aim")
    table.add_row(
        f"checked plans/s ({PROFILES} profiles × {WEEKS} weeks)",
        f"{rate:,.0f}",
        f"{AIM_PLANS_PER_S} (aim)",
        f"{rate / AIM_PLANS_PER_S:.2f}×",
        "≥ 1.00×",
    )
    table.add_row("  of which planning only, plans/s", f"{plan_rate:,.0f}", "", "", "")
    table.add_row("  of which checking only, plans/s", f"{check_rate:,.0f}", "", "", "")
    table.add_row("  rule violations found", str(violations), "", "", "0")
    table.add_row("python -c pass", f"{bare:.0f} ms", f"{bare:.0f} ms", "1.0×", "")
    table.add_row(
        "import typer + pydantic (floor)",
        f"{floor:.0f} ms",
        f"{bare:.0f} ms",
        f"{floor / bare:.1f}×",
        "",
    )
    table.add_row(
        "calfcoach plan --weeks 52 --format json",
        f"{plan_cmd:.0f} ms",
        f"{bare:.0f} ms",
        f"{plan_cmd / bare:.1f}×",
        f"≤ {AIM_START_RATIO}×",
    )
    table.add_row(
        "calfcoach plan --weeks 52 (Rich table)",
        f"{table_cmd:.0f} ms",
        f"{bare:.0f} ms",
        f"{table_cmd / bare:.1f}×",
        "",
    )
    console.print(table)


if __name__ == "__main__":
    main()
