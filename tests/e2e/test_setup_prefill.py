"""Club defaults in Debian's Chromium (issue 16): set on the coach dashboard's form, then
offered on the first-run form, where the new athlete changes one and makes a plan."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import cli_path
from tests.e2e.conftest import E2E_TODAY, screenshot


def stored_profile_toml(db: Path, name: str) -> str:
    env = {**os.environ, "CALFCOACH_TODAY": E2E_TODAY}
    run = subprocess.run(
        [cli_path(), "export", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    athletes = json.loads(run.stdout)["athletes"]
    return next(str(a["profile_toml"]) for a in athletes if a["name"] == name)


def test_club_defaults_prefill_the_first_run_form(phone: Page, server: str, tmp_path: Path) -> None:
    phone.goto(server + "/coach/club")
    for item in ("dumbbells", "step", "plates"):
        phone.get_by_label(item, exact=True).check()
    phone.get_by_label("Dumbbells (kg)").fill("2, 4, 6, 8")
    phone.get_by_label("Plates (kg)").fill("1.25, 2.5, 5")
    for day in ("Tue", "Fri"):
        phone.get_by_label(day, exact=True).check()
    phone.get_by_role("button", name="Save club defaults").click()
    expect(phone.get_by_role("status")).to_have_text("Saved.")

    phone.goto(server + "/setup")
    screenshot(phone, "club-defaults-setup")
    expect(phone.locator("#club-note")).to_be_visible()
    for item in ("dumbbells", "step", "plates"):
        expect(phone.get_by_label(item, exact=True)).to_be_checked()
    expect(phone.get_by_label("bench", exact=True)).not_to_be_checked()
    expect(phone.get_by_label("Tue", exact=True)).to_be_checked()
    expect(phone.get_by_label("Fri", exact=True)).to_be_checked()
    expect(phone.locator('input[name="equipment_loads.dumbbells"]')).to_have_value("2, 4, 6, 8")

    # The athlete's own answers replace the offered ones.
    phone.get_by_label("Name").fill("Kim")
    phone.get_by_label("Body mass").fill("61")
    phone.get_by_label("step", exact=True).uncheck()
    phone.get_by_label("Fri", exact=True).uncheck()
    phone.get_by_label("Thu", exact=True).check()
    phone.get_by_role("button", name="Make my plan").click()
    expect(phone).to_have_url(re.compile(r"/week\?athlete=Kim"))

    stored = tomllib.loads(stored_profile_toml(tmp_path / "e2e.sqlite", "Kim"))
    assert sorted(stored["athlete"]["equipment"]) == ["dumbbells", "plates"]
    assert stored["strength"]["preferred_days"] == ["tuesday", "thursday"]
    assert stored["equipment_loads"]["dumbbells"] == [2.0, 4.0, 6.0, 8.0]
