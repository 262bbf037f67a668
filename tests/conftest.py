"""Shared fixtures: the shipped norms and catalog, sample profiles, and the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from calfcoach.core.catalog import Catalog
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import Profile
from calfcoach.data import default_catalog, default_norms

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)  # a Tuesday; the next Monday is 2026-11-30
START = date(2026, 11, 30)
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"


@pytest.fixture(scope="session")
def norms() -> Norms:
    return default_norms()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


def base_profile(**sections: dict[str, Any]) -> dict[str, Any]:
    """A valid profile dict (the sample runner), with sections updated by ``sections``."""
    data: dict[str, Any] = {
        "athlete": {
            "name": "Sam",
            "body_mass_kg": 68,
            "strength_experience": "novice",
            "equipment": ["dumbbells", "kettlebell", "step", "bench"],
        },
        "running": {
            "monday": "rest",
            "tuesday": "workout",
            "wednesday": "easy",
            "thursday": "workout",
            "friday": "rest",
            "saturday": "easy",
            "sunday": "long",
        },
        "strength": {"sessions_per_week": 2, "preferred_days": ["tuesday", "friday"]},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return data


def make_profile(**sections: dict[str, Any]) -> Profile:
    return Profile.model_validate(base_profile(**sections), context={"today": TODAY})


@pytest.fixture
def plan_for(catalog: Catalog, norms: Norms) -> Callable[..., tuple[Plan, Profile]]:
    """Build a plan from profile section overrides: ``plan_for(goal={...}, weeks=20)``."""

    def build(weeks: int | None = None, start: date = START, **sections: dict[str, Any]):
        profile = make_profile(**sections)
        return build_plan(profile, start, weeks, catalog, norms), profile

    return build


def cli_path() -> str:
    """The installed console script next to this interpreter."""
    script = Path(sys.executable).parent / "calfcoach"
    return str(script)


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``calfcoach`` console script with a fixed "today"."""

    def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "COLUMNS": "120"}
        return subprocess.run(
            [cli_path(), *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )

    return run
