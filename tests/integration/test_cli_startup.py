"""`calfcoach plan --profile … --format json` imports nothing it does not use (issue 13 item
7): no database, no web app, no Rich, no other command's module, no re-planning. Checked on
the real console script, with Python's own import log (-X importtime)."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import ROOT, TODAY, cli_path

SAMPLE = ROOT / "examples" / "profile.toml"

# Module name prefixes a fresh plan must not import.
NOT_FOR_A_PLAN = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "rich",
    "calfcoach.store",
    "calfcoach.web",
    "calfcoach.charts",
    "calfcoach.exporters",
    "calfcoach.importers",
    "calfcoach.cli.assess",
    "calfcoach.cli.club",
    "calfcoach.cli.diary",
    "calfcoach.cli.exports",
    "calfcoach.cli.imports",
    "calfcoach.cli.log",
    "calfcoach.cli.presenters",
    "calfcoach.cli.serve",
    "calfcoach.cli.users",
    "calfcoach.core.replanning",
    "calfcoach.core.rules",
)
# The services a plan from a profile file needs; any other would be a new cost to justify.
SERVICES_FOR_A_PLAN = {
    "calfcoach.services",
    "calfcoach.services.files",
    "calfcoach.services.inputs",
    "calfcoach.services.planning",
}


def imported_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [cli_path(), *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "self [us]" not in line
    }
    return done, modules


def test_a_plan_as_json_imports_no_database_web_rich_or_other_command() -> None:
    done, modules = imported_by(
        "plan", "--profile", str(SAMPLE), "--weeks", "52", "--format", "json"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(json.loads(done.stdout)["weeks"]) == 52
    assert "calfcoach.services.planning" in modules  # the log is read: the check can fail
    unwanted = sorted(
        m for m in modules if any(m == p or m.startswith(p + ".") for p in NOT_FOR_A_PLAN)
    )
    assert unwanted == []
    services = {m for m in modules if m.startswith("calfcoach.services")}
    assert services <= SERVICES_FOR_A_PLAN


def test_the_help_lists_every_command_and_imports_no_service() -> None:
    from calfcoach.cli.app import COMMANDS

    done, modules = imported_by("--help")
    assert done.returncode == 0, done.stderr[-2000:]
    listed = [line.split()[0] for line in done.stdout.split("Commands:", 1)[1].splitlines() if line]
    assert listed == list(COMMANDS)
    assert not any(
        m.startswith(("calfcoach.services", "calfcoach.core", "pydantic")) for m in modules
    )
