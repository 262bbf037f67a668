"""`calfcoach check` of the plan a diary re-planned from check-ins (R11, DOMAIN.md §6), on the
real command line: amber `pain_now` in the profile, green check-ins on the first sessions.

`check` sees no check-ins: it reads the R11 note the re-plan writes ("Your check-ins replace
the pain of your profile … from week N"), so the weeks from N are judged green and may
progress. The diary's plan comes out of `export --format json` (the CLI has no other way to
write it as a plan file; the web app's Plan page offers the same document as a download).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from calfcoach.core.conditions import CHECKINS_REPLACE_PROFILE_PAIN
from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "profile.toml"
# init on the conftest's TODAY (Tuesday 2026-11-24): the plan starts Monday 2026-11-30.
TUESDAY_1, FRIDAY_1, SUNDAY_1 = "2026-12-01", "2026-12-04", "2026-12-06"
GREENS = ((TUESDAY_1, 1), (FRIDAY_1, 0))


def profile_file(tmp_path: Path, name: str, condition: str, pain_now: int) -> Path:
    text = SAMPLE.read_text().replace('condition = "none"', f'condition = "{condition}"')
    if condition == "achilles_tendinopathy":
        text += 'achilles_type = "midportion"\n'
    path = tmp_path / name
    path.write_text(text.replace("pain_now = 0", f"pain_now = {pain_now}"))
    return path


def diary_plan(
    run_cli: Any, tmp_path: Path, profile: Path, checkins: tuple[tuple[str, int], ...] = GREENS
) -> Path:
    """init, a check-in on each of ``checkins``' days (each typed on its own day: green by
    default, after each of week 1's first two sessions), and the diary's current plan
    written as a plan file."""
    db = str(tmp_path / "diary.sqlite")
    done = run_cli("init", "--profile", str(profile), "--db", db)
    assert done.returncode == 0, done.stderr
    for day, pain in checkins:
        done = run_cli("checkin", "--pain-during", str(pain), "--db", db, today=_date(day))
        assert done.returncode == 0, done.stderr
    assert "pain green" in done.stdout, done.stdout  # the last one
    last = _date(checkins[-1][0])
    backup = run_cli("export", "--format", "json", "--db", db, today=last)
    assert backup.returncode == 0, backup.stderr
    (athlete,) = json.loads(backup.stdout)["athletes"]
    (current,) = [p for p in athlete["plans"] if p["current"]]
    document = current["document"]
    path = tmp_path / "plan.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def check(run_cli: Any, plan: Path, profile: Path) -> Any:
    return run_cli("check", str(plan), "--profile", str(profile), today=_date(SUNDAY_1))


def without_replace_notes(plan: Path) -> Path:
    """The same plan file without the re-plan's R11 note (a plan file without the record)."""
    document = json.loads(plan.read_text())
    document["warnings"] = [w for w in document["warnings"] if w not in replace_notes(plan)]
    unnoted = plan.with_name("unnoted.json")
    unnoted.write_text(json.dumps(document))
    return unnoted


def replace_notes(plan: Path) -> list[dict[str, Any]]:
    return [
        w
        for w in json.loads(plan.read_text())["warnings"]
        if w["rule"] == "R11" and w["message"].startswith(CHECKINS_REPLACE_PROFILE_PAIN)
    ]


def week_contacts(plan: Path, week: int) -> int:
    days = json.loads(plan.read_text())["weeks"][week - 1]["days"]
    return sum(
        ex["contacts"] or 0
        for day in days
        for session in day["sessions"]
        for ex in session["exercises"]
        if ex["variation"] == "plyometric"
    )


def r11_lines(result: Any) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("R11 ")]


def test_achilles_amber_profile_pain_turned_green_by_check_ins_checks_clean_r11(
    run_cli, tmp_path: Path
) -> None:
    """R11: the note's week 2 on, the check-ins' green; the plan holds every rule against its
    own profile (pain_now 3, amber), and fails R11 against one it does not fit (pain_now 7:
    week 1's loaded standing raise is no hold or seated raise)."""
    amber = profile_file(tmp_path, "amber.toml", "achilles_tendinopathy", 3)
    plan = diary_plan(run_cli, tmp_path, amber)
    assert [w["week"] for w in replace_notes(plan)] == [2]

    clean = check(run_cli, plan, amber)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "every rule (R1–R13) holds" in clean.stdout

    red = profile_file(tmp_path, "red.toml", "achilles_tendinopathy", 7)
    unfit = check(run_cli, plan, red)
    assert unfit.returncode == 1, unfit.stdout + unfit.stderr
    found = r11_lines(unfit)
    assert found and all(line.startswith("R11 week 1 ") for line in found), unfit.stdout


def test_amber_profile_pain_turned_green_lets_week_2_progress_and_checks_clean_r11(
    run_cli, tmp_path: Path
) -> None:
    """R11: without a protocol the green check-ins let week 2 progress (its plyometric
    contacts rise); the plan's note is what tells `check` so. The same plan without the note
    is judged by the profile's amber as before (week 1's dose held: R11 fails in week 2), and
    against a red profile (pain_now 7) R11 fails in week 1."""
    amber = profile_file(tmp_path, "amber.toml", "none", 3)
    plan = diary_plan(run_cli, tmp_path, amber)
    assert [w["week"] for w in replace_notes(plan)] == [2]
    assert week_contacts(plan, 2) > week_contacts(plan, 1)

    clean = check(run_cli, plan, amber)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    held = check(run_cli, without_replace_notes(plan), amber)
    assert held.returncode == 1, held.stdout + held.stderr
    assert "R11 week 2: plyometric contacts progressed while pain is amber" in r11_lines(held)

    red = profile_file(tmp_path, "red.toml", "none", 7)
    unfit = check(run_cli, plan, red)
    assert unfit.returncode == 1, unfit.stdout + unfit.stderr
    assert any(line.startswith("R11 week 1 ") for line in r11_lines(unfit)), unfit.stdout


def test_calf_strain_amber_then_red_twice_then_green_checks_clean_r11(
    run_cli, tmp_path: Path
) -> None:
    """R11, the case that failed before 467a50b: amber pain_now 3, red at two check-ins in a
    row (the rest of week 1 halved: 3 holds), then green. Week 2 goes back to week 1's first
    session (5 holds); check read that against the halved Friday as "progressed while pain is
    amber". The plan's note says the check-ins replaced the profile's pain from week 2; the
    same plan without it is judged by the profile's amber as before and fails."""
    amber = profile_file(tmp_path, "amber.toml", "calf_strain", 3)
    plan = diary_plan(run_cli, tmp_path, amber, ((TUESDAY_1, 7), (FRIDAY_1, 7), (SUNDAY_1, 0)))

    clean = check(run_cli, plan, amber)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert [w["week"] for w in replace_notes(plan)] == [2]

    held = check(run_cli, without_replace_notes(plan), amber)
    assert held.returncode == 1, held.stdout + held.stderr
    found = r11_lines(held)
    assert found and all(
        line.startswith("R11 week 2 ") and "progressed while pain is amber" in line
        for line in found
    ), held.stdout


@pytest.mark.parametrize("pain_now", [3, 4])
def test_the_profile_plan_checks_clean_and_its_amber_weeks_hold_r11(
    run_cli, tmp_path: Path, pain_now: int
) -> None:
    """R11, the plan straight from the profile (no check-ins) as before: clean, no note, and
    week 2 holds week 1's contacts."""
    amber = profile_file(tmp_path, "amber.toml", "none", pain_now)
    plan = tmp_path / "plan.json"
    made = run_cli("plan", "--profile", str(amber), "--format", "json")
    assert made.returncode == 0, made.stderr
    plan.write_text(made.stdout)
    assert replace_notes(plan) == []
    assert week_contacts(plan, 2) == week_contacts(plan, 1)
    clean = check(run_cli, plan, amber)
    assert clean.returncode == 0, clean.stdout + clean.stderr
