"""The real command line after a physio's review (issue 13): while a red flag is not cleared
no run-day text suggests running (DOMAIN.md §6 red flags, R11); Achilles pain above 5/10 asks
to see a clinician on `today` and `explain` (§6); the seated test set's follow-up command
works (§2.2)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "profile.toml"
START = "2026-11-30"
FLAG_DAY = date(2026, 12, 7)  # Monday of week 2
WORKOUT = date(2026, 12, 10)  # a Thursday workout after it
RUNS_SUGGESTED = ("easy and short", "in place of the workout", "fast running waits")


def init(run_cli, tmp_path: Path, profile_text: str) -> str:
    profile = tmp_path / "profile.toml"
    profile.write_text(profile_text)
    path = str(tmp_path / "diary.sqlite")
    result = run_cli("init", "--profile", str(profile), "--db", path, "--start", START)
    assert result.returncode == 0, result.stderr
    return path


def flat(text: str) -> str:
    return " ".join(text.split())


def test_red_flag_r11_today_and_explain_say_see_a_clinician_before_running(
    run_cli, tmp_path: Path
) -> None:
    db = init(
        run_cli,
        tmp_path,
        SAMPLE.read_text().replace('condition = "none"', 'condition = "calf_strain"'),
    )
    # Held before the flag: the workout day says to run easy and short.
    before = run_cli("explain", WORKOUT.isoformat(), "--db", db, today=FLAG_DAY)
    assert "run easy and short in place of the workout" in flat(before.stdout)
    flagged = run_cli(
        "checkin", "--pain-during", "2", "--red-flag", "sudden_pop", "--db", db, today=FLAG_DAY
    )
    assert flagged.returncode == 0, flagged.stderr
    today = run_cli("today", "--db", db, today=WORKOUT)
    explain = run_cli("explain", WORKOUT.isoformat(), "--db", db, today=WORKOUT)
    for shown in (today, explain):
        assert shown.returncode == 0, shown.stderr
        text = flat(shown.stdout)
        assert f"see a clinician before running (a sudden pop reported on {FLAG_DAY})" in text
        assert not any(words in text for words in RUNS_SUGGESTED), text
    as_json = run_cli("today", "--format", "json", "--db", db, today=WORKOUT)
    checklist = json.loads(as_json.stdout)["return_to_running"]
    assert checklist["met"] is False and "see a clinician" in checklist["before_running"]
    # A clinician's clearance lifts it: the runs stay easy and short again.
    cleared = run_cli(
        "checkin", "--pain-during", "1", "--cleared-by-clinician", "--db", db, today=WORKOUT
    )
    assert cleared.returncode == 0, cleared.stderr
    after = run_cli("today", "--db", db, today=WORKOUT)
    assert "runs stay easy and short" in flat(after.stdout)
    assert "before running" not in after.stdout


def test_achilles_pain_above_5_reaches_today_and_explain(run_cli, tmp_path: Path) -> None:
    db = init(
        run_cli,
        tmp_path,
        SAMPLE.read_text()
        .replace('condition = "none"', 'condition = "achilles_tendinopathy"')
        .replace("pain_now = 0", "pain_now = 6"),
    )
    monday = date(2026, 11, 30)
    for command in (("today",), ("explain", monday.isoformat())):
        shown = run_cli(*command, "--db", db, today=monday)
        assert shown.returncode == 0, shown.stderr
        text = flat(shown.stdout)
        assert "Pain above 5/10 with Achilles tendinopathy (6/10 in your profile)" in text
        assert "see a physiotherapist or doctor" in text
    as_json = run_cli("explain", monday.isoformat(), "--format", "json", "--db", db, today=monday)
    assert any("physiotherapist" in n for n in json.loads(as_json.stdout)["notices"])
    # Held: a green check-in ends it.
    green = run_cli("checkin", "--pain-during", "1", "--db", db, today=date(2026, 12, 1))
    assert green.returncode == 0, green.stderr
    later = run_cli("today", "--db", db, today=date(2026, 12, 2))
    assert "physiotherapist" not in later.stdout
    # A check-in above 5/10 brings it back, on the check-in's own answer too.
    high = run_cli("checkin", "--pain-during", "7", "--db", db, today=date(2026, 12, 3))
    assert high.returncode == 0, high.stderr
    said = "Pain above 5/10 with Achilles tendinopathy (7/10 at the check-in of 2026-12-03)"
    assert said in flat(high.stdout)
    assert said in flat(run_cli("today", "--db", db, today=date(2026, 12, 4)).stdout)


HEAVY_BEGINNER = """
[athlete]
name = "Hank"
body_mass_kg = 110
strength_experience = "novice"
equipment = ["dumbbells", "bench", "step"]

[running]
monday = "easy"
tuesday = "rest"
wednesday = "easy"
thursday = "rest"
friday = "easy"
saturday = "rest"
sunday = "long"

[strength]
sessions_per_week = 3
preferred_days = ["monday", "wednesday", "friday"]

[goal]
race_date = 2027-03-14
race_distance = "5k"
"""


def test_seated_test_set_2_2_follow_up_command_works(run_cli, tmp_path: Path) -> None:
    db = init(run_cli, tmp_path, HEAVY_BEGINNER)
    made = run_cli(
        "plan", "--profile", str(tmp_path / "profile.toml"), "--start", START, "--format", "json"
    )
    plan = json.loads(made.stdout)
    tests = [
        (d["date"], t)
        for w in plan["weeks"]
        for d in w["days"]
        for s in d["sessions"]
        for t in s.get("tests") or []
        if t["test"] == "seated_test_set"
    ]
    assert tests, "a seated test set is planned"
    assert all(t["exercise"].startswith("seated-") for _, t in tests), tests
    day = date.fromisoformat(tests[0][0])
    shown = run_cli("today", "--db", db, today=day)
    assert "calfcoach assess seated-1rm" in flat(shown.stdout)
    logged = run_cli("log", "--as-prescribed", "--db", db, today=day)
    assert logged.returncode == 0, logged.stderr
    assessed = run_cli("assess", "seated-1rm", "--db", db, today=day)
    assert assessed.returncode == 0, assessed.stderr


MASTERS_ACHILLES = """
[athlete]
name = "Martin"
body_mass_kg = 74
birth_year = 1972
strength_experience = "intermediate"
equipment = ["smith_machine", "bench", "plates", "dumbbells", "step"]

[running]
monday = "rest"
tuesday = "workout"
wednesday = "easy"
thursday = "easy"
friday = "rest"
saturday = "workout"
sunday = "long"

[strength]
sessions_per_week = 2
preferred_days = ["monday", "thursday"]

[health]
condition = "achilles_tendinopathy"
pain_now = 0
"""


def test_explain_r11_tells_the_way_back_after_red_and_a_hold_in_seconds(
    run_cli, tmp_path: Path
) -> None:
    """DOMAIN.md §6 "Return after red": a green check-in brings the dose halfway back, "not
    as new progression" — it read "Your logged sets showed a stronger calf … [R10]"; and a
    raise that red made a hold read "3×15 @ 25 kg → 3×1 @ body weight"."""
    db = init(run_cli, tmp_path, MASTERS_ACHILLES)
    tuesday, thursday, sunday = date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 6)

    def done(day: date, *pain: str) -> None:
        logged = run_cli("log", "--as-prescribed", "--db", db, today=day)
        assert logged.returncode == 0, logged.stderr
        checked = run_cli("checkin", *pain, "--db", db, today=day)
        assert checked.returncode == 0, checked.stderr

    # Red above 5/10 after Tuesday's session (holds and seated raises only with Achilles
    # tendinopathy, §6; a red from a next-morning rise at 3/10 halves without holds), then
    # two greens.
    done(tuesday, "--pain-during", "6", "--pain-next-morning", "6")
    done(thursday, "--pain-during", "1", "--pain-next-morning", "1")
    done(sunday, "--pain-during", "0", "--pain-next-morning", "0")
    shown = run_cli("explain", "2026-12-08", "--db", db, today=sunday)
    assert shown.returncode == 0, shown.stderr
    text = flat(shown.stdout)
    assert "s hold. Pain was red" in text  # the hold shown in seconds
    assert "× 1 @ body weight" not in text and "×1 @ body weight" not in text
    assert f"{thursday} checkin:" in text
    assert "Green check-in after red pain: the way back after pain (§6) brings load" in text
    assert "Second green check-in after red pain" in text
    assert "stronger calf" not in text
