"""An imperial athlete on the web (a new-user trial): the "Why?" page and the API's seated-1RM
answer show pounds in their text, as the command line does; the API's fields stay kg."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import athletes, context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

TODAY = date(2026, 11, 30)
TUESDAY = "2026-12-01"


@pytest.fixture
def client(tmp_path: Path):
    profile = tmp_path / "imperial.toml"
    profile.write_text(
        (ROOT / "examples" / "profile.toml")
        .read_text()
        .replace('units = "metric"', 'units = "imperial"')
        .replace("body_mass_kg = 68", "body_mass_kg = 80")
    )
    database = context.open_database(f"sqlite:///{tmp_path / 'imperial.sqlite'}")
    athletes.init_athlete(database, profile, TODAY, TODAY)
    with TestClient(create_app(WebSettings(database, lambda: TODAY))) as test_client:
        yield test_client


def test_the_why_page_shows_pounds_throughout(client: TestClient) -> None:
    page = client.get("/explain", params={"date": TUESDAY})
    assert page.status_code == 200, page.text
    reasons = " ".join(
        html.unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li>(.*?)</li>", page.text, flags=re.S)
    )
    assert "body weight alone (176 lb) is more than this week's target for it (154 lb)" in reasons
    assert "of which 176.4 lb is body weight" in reasons
    assert not re.search(r"\d kg\b", reasons), reasons


def test_the_apis_seated_1rm_lines_are_in_pounds_and_its_fields_in_kg(client: TestClient) -> None:
    posted = client.post(
        "/api/v1/assessments/seated-1rm", json={"date": "2026-11-30", "value_kg": 90.72}
    )
    assert posted.status_code == 201, posted.text
    body = posted.json()
    assert body["value_kg"] == 90.72 and body["target_kg"] == pytest.approx(120.0)
    assert body["lines"][:2] == [
        "seated calf raise 1RM 200 lb = 1.13 × body weight",
        "76% of the 1.5 × body weight target (265 lb)",
    ]
    progress = client.get("/progress")
    assert "Seated calf-raise 1RM: 2026-11-30 200 lb" in progress.text


def test_the_log_forms_limits_are_the_servers_in_the_athletes_units(client: TestClient) -> None:
    """The load field's max is the server's 1000 kg in pounds (it said 1000, in lb), and
    every number field's bounds come from core.limits, not the template."""
    page = client.get("/today", params={"date": TUESDAY}).text
    # The load box is text (it takes a decimal comma: a number box read "22,5" as 225); the
    # page script refuses a load above its data-max.
    loads = re.findall(r'name="load" type="text"[^>]*\bdata-max="([^"]+)"', page)
    assert loads and set(loads) == {"2204.6"}
    reps = re.findall(r'name="reps" type="number"[^>]*\bmax="([^"]+)"', page)
    assert reps and set(reps) == {"500"}


def test_no_template_writes_a_limit_of_its_own() -> None:
    templates = ROOT / "src" / "calfcoach" / "web" / "templates"
    for template in templates.glob("*.html"):
        for tag in re.findall(r'<input[^>]*type="number"[^>]*>', template.read_text()):
            assert not re.search(r'\b(min|max)="\d', tag), f"{template.name}: {tag}"
