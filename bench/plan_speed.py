"""Planner speed: checked plans per second, and the start-up cost of `calfcoach plan`.

Run: python bench/plan_speed.py [--baseline REV]  (or `make bench`)

Prints one table. Absolute times on shared machines are noisy, so each figure stands beside a
baseline measured in the same run:
  - plans per second: 1,000 seeded random profiles, 20 weeks each, planned and checked against
    every rule (all 1,000 plans alive at once, as a coach's club would hold them), measured in
    CPU time, in fresh processes taking turns: with CPython's default collector settings and
    with the settings every calfcoach process uses (`calfcoach.runtime.tune_collector`); each
    beside the aim of 500 checked plans per second and, with ``--baseline REV``, beside the
    same measurement of that git revision (checked out to a temporary worktree) in the same run;
  - where the time goes: planning, checking and the cyclic collector (timed by gc.callbacks);
  - whole-process time of `calfcoach plan --weeks 52 --format json` beside `python -c pass`
    (aim: at most 10×), with the floors we cannot go under (importing typer and msgspec, and
    validating one struct; and typer with one pydantic model, the alternative weighed), and
    where its time goes: each library's imports and the rest (bench/startup.py; `python
    bench/startup.py` prints those rows alone).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from calfcoach.core.profile import EQUIPMENT, WEEKDAYS
from startup import compile_bytecode, startup_rows

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)
START = date(2026, 11, 30)
PROFILES = 1000
WEEKS = 20
PROCESS_RUNS = 15
ROUNDS = 3
COLLECTORS = ("default", "calfcoach")
AIM_PLANS_PER_S = 500


def validated_profile(data: dict[str, Any]) -> Any:
    """A profile from its data, with this revision's validation or a baseline's (before
    issue 13's msgspec profile, a pydantic model)."""
    from calfcoach.core import profile

    if hasattr(profile, "profile_from_data"):
        return profile.profile_from_data(data, TODAY)
    return profile.Profile.model_validate(data, context={"today": TODAY})


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


def measure(collector: str) -> dict[str, float]:
    """One measurement in this process: CPU seconds planning, checking and collecting."""
    import gc

    from calfcoach.core.planner import build_plan
    from calfcoach.core.rules import check_plan
    from calfcoach.data import default_catalog, default_norms

    if collector == "calfcoach":
        # What calfcoach.runtime.tune_collector does (spelled out: a baseline revision may
        # predate that module).
        gc.freeze()
        gc.set_threshold(100_000, 50, 1_000)
    collecting = {"s": 0.0, "started": 0.0, "n": 0.0}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting["started"] = time.process_time()
        else:
            collecting["s"] += time.process_time() - collecting["started"]
            collecting["n"] += info["generation"] == 2

    catalog, norms = default_catalog(), default_norms()
    rng = random.Random(20261124)
    profiles = [validated_profile(random_profile(rng)) for _ in range(PROFILES)]
    build_plan(profiles[0], START, WEEKS, catalog, norms)  # warm caches once
    gc.callbacks.append(on_gc)
    t0 = time.process_time()
    plans = [build_plan(p, START, WEEKS, catalog, norms) for p in profiles]
    t1 = time.process_time()
    violations = sum(
        len(check_plan(plan, p, catalog, norms)) for plan, p in zip(plans, profiles, strict=True)
    )
    t2 = time.process_time()
    gc.callbacks.remove(on_gc)
    return {
        "planning_s": t1 - t0,
        "checking_s": t2 - t1,
        "collector_s": collecting["s"],
        "full_collections": collecting["n"],
        "violations": violations,
    }


def measure_in_subprocess(collector: str, src: Path | None) -> dict[str, float]:
    """``measure`` in a fresh process, importing calfcoach from ``src`` (a baseline's)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)  # ahead of the editable install's path
    out = subprocess.run(
        [sys.executable, __file__, "--measure", collector],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def baseline_worktree(rev: str, into: Path) -> Path:
    """A detached checkout of ``rev`` (its ``src``) for the same-run comparison."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(into), rev],
        check=True,
    )
    return into / "src"


def checked_rates(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Medians over rounds: plans/s overall, planning only, checking only; collector share."""
    total = [r["planning_s"] + r["checking_s"] for r in rounds]
    return {
        "rate": PROFILES / statistics.median(total),
        "plan_rate": PROFILES / statistics.median(r["planning_s"] for r in rounds),
        "check_rate": PROFILES / statistics.median(r["checking_s"] for r in rounds),
        "collector_share": statistics.median(
            r["collector_s"] / t for r, t in zip(rounds, total, strict=True)
        ),
        "full_collections": statistics.median(r["full_collections"] for r in rounds),
        "violations": max(r["violations"] for r in rounds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", help="git revision to compare against")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--measure", choices=COLLECTORS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        base_src = None if args.baseline is None else baseline_worktree(args.baseline, Path(tmp))
        try:
            versions: dict[str, Path | None] = {"this checkout": None}
            if base_src is not None:
                versions[f"baseline {args.baseline}"] = base_src
            # The collector each version's own processes run with: calfcoach's settings from
            # the revision that has calfcoach/runtime.py, CPython's defaults before it.
            shipped = {
                name: "calfcoach"
                if ((src or ROOT / "src") / "calfcoach" / "runtime.py").is_file()
                else "default"
                for name, src in versions.items()
            }
            rounds: dict[tuple[str, str], list[dict[str, float]]] = {}
            with console.status("planning and checking 1,000 profiles, in turns…"):
                for _ in range(args.rounds):  # taking turns spreads the machine's noise
                    for name, src in versions.items():
                        for collector in COLLECTORS:
                            found = measure_in_subprocess(collector, src)
                            rounds.setdefault((name, collector), []).append(found)
        finally:
            if base_src is not None:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", tmp], check=False
                )
    script = shutil.which("calfcoach") or str(Path(sys.executable).parent / "calfcoach")
    compile_bytecode(ROOT / "src" / "calfcoach")
    with console.status("timing whole processes…"):
        startup = startup_rows(script, ROOT, PROCESS_RUNS)

    table = Table(
        title=f"calfcoach plan speed: {PROFILES} plans × {WEEKS} weeks, CPU time, "
        f"medians of {args.rounds} rounds"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("baseline", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("aim")
    results = {key: checked_rates(found) for key, found in rounds.items()}
    for collector in COLLECTORS:
        ours = results[("this checkout", collector)]
        label = f"checked plans/s, {collector} gc"
        table.add_row(
            label,
            f"{ours['rate']:,.0f}",
            f"{AIM_PLANS_PER_S} (aim)",
            f"{ours['rate'] / AIM_PLANS_PER_S:.2f}×",
            "≥ 1.00×",
        )
        for name in versions:
            if name == "this checkout":
                continue
            theirs = results[(name, collector)]
            table.add_row(
                f"  vs {name.removeprefix('baseline ')[:12]}",
                f"{ours['rate']:,.0f}",
                f"{theirs['rate']:,.0f}",
                f"{ours['rate'] / theirs['rate']:.2f}×",
                "≥ 1.00×",
            )
            table.add_row(
                "  plan only / check only, /s",
                f"{ours['plan_rate']:,.0f} / {ours['check_rate']:,.0f}",
                f"{theirs['plan_rate']:,.0f} / {theirs['check_rate']:,.0f}",
                "",
                "",
            )
        table.add_row(
            "  per plan: plan / check / gc",
            f"{1 / ours['plan_rate'] * 1000:.1f} / {1 / ours['check_rate'] * 1000:.1f} ms"
            f" / {ours['collector_share']:.0%}",
            "",
            "",
            "",
        )
        table.add_row(
            "  full gcs, rule violations",
            f"{ours['full_collections']:.0f}, {ours['violations']:.0f}",
            "",
            "",
            "–, 0",
        )
    for name in versions:
        if name == "this checkout":
            continue
        ours = results[("this checkout", shipped["this checkout"])]
        theirs = results[(name, shipped[name])]
        table.add_row(
            f"as each ships ({shipped['this checkout']} gc vs {shipped[name]})",
            f"{ours['rate']:,.0f}",
            f"{theirs['rate']:,.0f}",
            f"{ours['rate'] / theirs['rate']:.2f}×",
            "≥ 1.00×",
        )
    for row in startup:
        table.add_row(*row)
    console.print(table)


if __name__ == "__main__":
    main()
