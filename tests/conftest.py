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
from calfcoach.core.profile import Profile, profile_from_data
from calfcoach.data import default_catalog, default_norms

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)  # a Tuesday; the next Monday is 2026-11-30
START = date(2026, 11, 30)
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
# The longest plan (norms.toml), which core.profile.parse_profile takes for a race's reach.
MAX_PLAN_WEEKS = default_norms().max_plan_weeks


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI the shared fixtures must be there: without them the import tests would collect
    nothing and pass in silence (issue 13), so the run fails instead."""
    if os.environ.get("CI") == "true" and not SHARED_FIXTURES.is_dir():
        raise pytest.UsageError(
            f"{SHARED_FIXTURES} is missing: CI runs with ../shared beside the checkout"
        )


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
    return profile_from_data(base_profile(**sections), TODAY)


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
    """Run the real ``calfcoach`` console script with a fixed "today" (``today``: another
    one, to log a day once it has come: days after today are refused)."""

    def run(*args: str, cwd: Path = ROOT, today: date = TODAY) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CALFCOACH_TODAY": today.isoformat(), "COLUMNS": "120"}
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


POSTGRES_ENV = "CALFCOACH_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database: a SQLite file, and a new database on the test PostgreSQL
    server that scripts/with-postgres.sh starts (skipped only outside CI without one)."""
    if request.param == "sqlite":
        # An empty file, as the server's new database is an empty one: the commands that
        # read a diary refuse a SQLite file that is not there (cli.options.open_database).
        path = tmp_path / "calfcoach.sqlite"
        path.touch()
        yield f"sqlite:///{path}"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_ENV} is not set in CI: run the tests through make test")
        pytest.skip(f"no PostgreSQL server ({POSTGRES_ENV} unset): run make test")
    import uuid

    import sqlalchemy as sa

    name = f"calfcoach_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
