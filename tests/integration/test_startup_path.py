"""What `calfcoach plan --format json` imports (issue 13, item 7: import nothing a command does
not use). Not a timing: the libraries that put the start-up over its aim must stay off the
path, whatever the machine's speed. bench/startup.py measures the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

# Libraries the command does not use: pydantic (the profile and catalog are msgspec structs;
# pydantic validates the API's bodies and the diary's inputs), the Rich tables (JSON is
# asked for), the database and the web app.
NOT_ON_THE_PATH = ("pydantic", "pydantic_core", "rich", "sqlalchemy", "fastapi", "starlette")


def imported_by(*args: str) -> tuple[set[str], str]:
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "calfcoach", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "self [us]" not in line
    }
    return modules, done.stdout


def test_plan_as_json_imports_no_validation_library_but_msgspec() -> None:
    modules, out = imported_by(
        "plan", "--profile", "examples/profile.toml", "--weeks", "52", "--format", "json"
    )
    assert len(json.loads(out)["weeks"]) == 52
    assert "msgspec" in modules and "calfcoach.core.profile" in modules
    found = sorted(m for m in modules if m.split(".")[0] in NOT_ON_THE_PATH)
    assert found == [], found


def test_the_check_of_the_import_list_sees_a_library_that_is_imported() -> None:
    # The Rich table path imports rich: the list above is read from the real import log.
    modules, _ = imported_by("plan", "--profile", "examples/profile.toml", "--weeks", "4")
    assert "rich" in modules
