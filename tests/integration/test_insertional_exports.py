"""Insertional Achilles pain in the exports: the calendar and the printed plan cue the same
flat-floor raises as ``today`` (DOMAIN.md §6), never a step under the forefoot."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from calfcoach.core.catalog import INSERTIONAL_CUES
from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "profile.toml"
ACHILLES = '[health]\ncondition = "achilles_tendinopathy"\npain_now = 2\n'


def _diary(run_cli, tmp_path: Path, achilles_type: str) -> Path:
    profile = tmp_path / f"{achilles_type}.toml"
    text = SAMPLE.read_text().split("[health]")[0]
    profile.write_text(text + ACHILLES + f'achilles_type = "{achilles_type}"\n')
    path = tmp_path / f"{achilles_type}.sqlite"
    result = run_cli("init", "--profile", str(profile), "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def _descriptions(ics: bytes) -> list[str]:
    return [str(e["DESCRIPTION"]) for e in Calendar.from_ical(ics).walk("VEVENT")]


@pytest.mark.parametrize("achilles_type", ["insertional", "midportion"])
def test_calendar_cues_follow_the_achilles_type(run_cli, tmp_path: Path, achilles_type) -> None:
    path = _diary(run_cli, tmp_path, achilles_type)
    out = tmp_path / "plan.ics"
    result = run_cli(
        "export", "--format", "ics", "--weeks", "4", "--out", str(out), "--db", str(path)
    )
    assert result.returncode == 0, result.stderr
    descriptions = _descriptions(out.read_bytes())
    assert descriptions
    flat_cue = f"Cue: {INSERTIONAL_CUES[0]}"
    raise_events = [d for d in descriptions if "raise" in d.lower()]
    assert raise_events
    if achilles_type == "insertional":
        assert all(flat_cue in d for d in raise_events)
        assert not any(
            "step" in line.lower()
            for d in descriptions
            for line in d.splitlines()
            if line.strip().startswith("Cue:") and "no step" not in line.lower()
        )
    else:
        assert not any(flat_cue in d for d in descriptions)


def test_printed_plan_cues_flat_floor_raises_for_insertional_pain(run_cli, tmp_path) -> None:
    insertional = run_cli(
        "export",
        "--format",
        "html",
        "--weeks",
        "4",
        "--db",
        str(_diary(run_cli, tmp_path, "insertional")),
    )
    midportion = run_cli(
        "export",
        "--format",
        "html",
        "--weeks",
        "4",
        "--db",
        str(_diary(run_cli, tmp_path, "midportion")),
    )
    assert insertional.returncode == 0 and midportion.returncode == 0
    flat = INSERTIONAL_CUES[0].replace("'", "&#39;")
    assert flat in insertional.stdout
    assert flat not in midportion.stdout
    assert "heel below the step" not in insertional.stdout.lower()
