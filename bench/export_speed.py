"""Export speed: whole-process time of each export of a 52-week plan, beside
`calfcoach plan --format json` for the same plan (the baseline, measured in the same run).

Run: python bench/export_speed.py  (or `make bench`)

A SQLite diary holds the sample runner with a 52-week plan and every strength session of the
first half year logged as prescribed. Each command runs as a whole process several times; the
table gives medians and the ratio to the baseline. Aims: ICS, FIT and CSV within 1.5× of
`plan --format json`; the PDF (54 pages) under 3 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from calfcoach.services import athletes, context, diary, diary_views

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)
RUNS = 7
WEEKS = 52


def median_s(command: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def prepare(path: Path) -> int:
    """The diary: a 52-week plan, and half a year of its sessions logged as prescribed."""
    db = context.open_database(str(path))
    result = athletes.init_athlete(db, ROOT / "examples" / "profile.toml", None, TODAY, WEEKS)
    logged = 0
    day = result.start
    while day < result.start + timedelta(weeks=26):
        view = diary_views.day_view(db, None, day)
        if view.plan_day and view.plan_day["sessions"]:
            logged += len(diary.log_as_prescribed(db, None, day, TODAY))
        day += timedelta(days=1)
    return logged


def main() -> None:
    console = Console()
    script = shutil.which("calfcoach") or str(Path(sys.executable).parent / "calfcoach")
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = folder / "diary.sqlite"
        with console.status("logging half a year…"):
            sets = prepare(database)
        db = ["--db", str(database)]
        profile = str(ROOT / "examples" / "profile.toml")
        baseline = [script, "plan", "--profile", profile, "--weeks", str(WEEKS), "--format", "json"]
        exports = {
            "ics (52 weeks)": [
                script,
                "export",
                "--format",
                "ics",
                *db,
                "--out",
                str(folder / "plan.ics"),
            ],
            "ics --time 18:30": [
                script,
                "export",
                "--format",
                "ics",
                "--time",
                "18:30",
                "--tz",
                "Europe/Berlin",
                *db,
                "--out",
                str(folder / "timed.ics"),
            ],
            "fit (a week)": [
                script,
                "export",
                "--format",
                "fit",
                "--week",
                "10",
                *db,
                "--out",
                str(folder / "fit"),
            ],
            "csv sets": [script, "export", "--format", "csv", "--what", "sets", *db],
            "html (52 weeks)": [script, "export", "--format", "html", *db],
            "pdf (52 weeks)": [
                script,
                "export",
                "--format",
                "pdf",
                *db,
                "--out",
                str(folder / "plan.pdf"),
            ],
        }
        aims = {"ics": 1.5, "fit": 1.5, "csv": 1.5}
        with console.status("timing whole processes…"):
            base = median_s(baseline, env)
            results = {
                name: median_s(command, env, 3 if "pdf" in name else RUNS)
                for name, command in exports.items()
            }
        pages = "?"
        if shutil.which("pdfinfo") and (folder / "plan.pdf").exists():
            info = subprocess.run(
                ["pdfinfo", str(folder / "plan.pdf")], capture_output=True, text=True
            ).stdout
            pages = next(
                (line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?"
            )
    table = Table(title=f"calfcoach export speed: {WEEKS}-week plan, {sets:,} sets logged")
    for column in ("command", "median", "× plan --format json", "aim"):
        table.add_column(column, justify="left" if column == "command" else "right")
    table.add_row("plan --format json (baseline)", f"{base * 1000:.0f} ms", "1.00", "")
    for name, seconds in results.items():
        kind = name.split()[0]
        ratio = seconds / base
        if kind in aims:
            aim = f"≤ {aims[kind]}× {'met' if ratio <= aims[kind] else 'NOT met'}"
        elif kind == "pdf":
            aim = f"< 3 s {'met' if seconds < 3 else 'NOT met'} ({pages} pages)"
        else:
            aim = ""
        table.add_row(name, f"{seconds * 1000:.0f} ms", f"{ratio:.2f}", aim)
    console.print(table)


if __name__ == "__main__":
    main()
