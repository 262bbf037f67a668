"""Start-up of a command: whole-process times beside a bare interpreter, and where they go.

Used by plan_speed.py for `calfcoach plan --weeks 52 --format json` (issue 13 item 7: at most
10× `python -c pass`); `python bench/startup.py` prints these rows alone. Each figure is the
median of runs taking turns, so the machine's noise falls on all of them alike. Where the time
goes comes from runs of the same command with -X importtime: the imports' own times summed by
library, and what is left after the interpreter start and the imports (building the command,
reading the profile and data, planning, writing JSON, exiting). A module's own time holds what
runs when it is imported: calfcoach's includes creating its classes (the dataclasses compile
their methods then); the standard library's is mostly what typer and msgspec import (typing,
inspect, re, decimal).

The floors are what a command parsing its options with Typer and validating its input with a
library cannot go under: Typer with msgspec (which the profile and catalog use), and, beside
it, Typer with pydantic, the alternative weighed (issue 13: pydantic alone put the command
over the aim; it still validates the API's bodies and the diary's inputs).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# Module name prefixes → the library they count for; the rest is Python's standard library
# (typing_extensions, the typing backports typer and msgspec both import, counts there).
LIBRARIES = {
    "typer": ("typer", "click", "shellingham"),
    "msgspec": ("msgspec",),
    "pydantic": (
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "typing_inspection",
    ),
    "calfcoach": ("calfcoach",),
}
# pydantic is not on this command's path: its row shows it if it comes back.
IMPORT_GROUPS = ("typer", "msgspec", "pydantic", "calfcoach", "standard library")
AIM_RATIO = 10

# The floors: importing Typer and the validation library, and that and validating one small
# model (which, for pydantic, imports the rest of pydantic and its plugin loader).
FLOOR_IMPORT = "import typer.main, msgspec"
FLOOR_MODEL = (
    "import typer.main, msgspec\n"
    "from typing import Annotated\n"
    "class Runner(msgspec.Struct, frozen=True):\n"
    "    body_mass_kg: Annotated[float, msgspec.Meta(ge=30, le=250)]\n"
    "msgspec.convert({'body_mass_kg': 68}, Runner, strict=True)\n"
)
PYDANTIC_MODEL = (
    "import typer.main\n"
    "from pydantic import BaseModel, Field\n"
    "class Runner(BaseModel):\n"
    "    body_mass_kg: float = Field(ge=30, le=250)\n"
    "Runner(body_mass_kg=68)\n"
)


def compile_bytecode(src: Path) -> None:
    """Write calfcoach's bytecode cache, as `pip install` does: with PYTHONDONTWRITEBYTECODE
    set (as on the CI machines) an editable install would compile every module on every start,
    which no installed copy does."""
    compileall.compile_dir(str(src), quiet=1)


def median_ms(commands: dict[str, Sequence[str]], runs: int, cwd: Path) -> dict[str, float]:
    """Median wall time of each command in ms, the commands taking turns ``runs`` times."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            t0 = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=cwd)
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(found) * 1000 for name, found in times.items()}


def _library(module: str) -> str:
    for library, prefixes in LIBRARIES.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return library
    return "standard library"


def import_breakdown(command: Sequence[str], runs: int, cwd: Path) -> dict[str, float]:
    """Medians in ms over ``runs`` runs of ``command`` with -X importtime: each library's
    import time (its modules' own times, summed), and ``total`` (the whole process)."""
    found: dict[str, list[float]] = {}
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}  # as -X importtime, for a script
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=cwd, env=env)
        found.setdefault("total", []).append((time.perf_counter() - t0) * 1000)
        sums: dict[str, float] = {}
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own_us, _, module = line.removeprefix("import time:").split("|")
            library = _library(module.strip())
            sums[library] = sums.get(library, 0.0) + int(own_us) / 1000
        for library, ms in sums.items():
            found.setdefault(library, []).append(ms)
    return {name: statistics.median(values) for name, values in found.items()}


def startup_rows(script: str, cwd: Path, runs: int) -> list[tuple[str, str, str, str, str]]:
    """The table rows: (measure, value, baseline, ratio, aim) for plan_speed.py's table."""
    python = sys.executable
    plan = [script, "plan", "--profile", "examples/profile.toml", "--weeks", "52"]
    times = median_ms(
        {
            "bare": [python, "-c", "pass"],
            "floor": [python, "-c", FLOOR_IMPORT],
            "floor_model": [python, "-c", FLOOR_MODEL],
            "pydantic_model": [python, "-c", PYDANTIC_MODEL],
            "json": [*plan, "--format", "json"],
            "table": plan,
        },
        runs,
        cwd,
    )
    parts = import_breakdown([*plan, "--format", "json"], runs, cwd)
    bare, total = times["bare"], parts.pop("total")

    def against_bare(label: str, ms: float, aim: str = "") -> tuple[str, str, str, str, str]:
        return (label, f"{ms:.0f} ms", f"{bare:.0f} ms", f"{ms / bare:.1f}×", aim)

    def share(label: str, ms: float) -> tuple[str, str, str, str, str]:
        return (label, f"{ms:.0f} ms", "", f"{ms / total:.0%}", "")

    rest = total - bare - sum(parts.values())
    return [
        against_bare("python -c pass", bare),
        against_bare("import typer+msgspec (floor)", times["floor"]),
        against_bare("  and validate one struct (floor)", times["floor_model"]),
        against_bare("typer+pydantic, one model (weighed)", times["pydantic_model"]),
        against_bare("plan --weeks 52 --format json", times["json"], f"≤ {AIM_RATIO}×"),
        against_bare("plan --weeks 52 (Rich table)", times["table"]),
        ("  where its time goes (-X importtime)", f"{total:.0f} ms", "", "100%", ""),
        share("    interpreter start", bare),
        *(share(f"    imports: {name}", parts.get(name, 0.0)) for name in IMPORT_GROUPS),
        share("    the rest (plan, JSON, exit)", rest),
    ]


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    root = Path(__file__).resolve().parents[1]
    script = str(Path(sys.executable).parent / "calfcoach")
    compile_bytecode(root / "src" / "calfcoach")
    table = Table(title="calfcoach start-up: wall time, medians of 15 runs taking turns")
    for column in ("measure", "value", "baseline", "ratio", "aim"):
        table.add_column(column, justify="left" if column in ("measure", "aim") else "right")
    for row in startup_rows(script, root, 15):
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    main()
