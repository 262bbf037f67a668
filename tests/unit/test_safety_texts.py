"""What the runner reads about safety (issue 13, a physio's review): an uncleared red flag
suggests no running (DOMAIN.md §6 red flags, R11), Achilles pain above 5/10 asks to see a
clinician on `today` too (§6), and the seated test set lands on a seated both-leg raise
(§2.2). Each rule held and broken."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from calfcoach.core.catalog import INSERTIONAL_CUES, cues_for
from calfcoach.core.log import CheckIn
from calfcoach.core.pain import achilles_clinician_notice, pain_status
from calfcoach.core.return_to_run import RUN_DAY_PREFIX, return_checklist, warn_run_days
from calfcoach.data import default_norms
from tests.conftest import START

NORMS = default_norms()
RUNS_SUGGESTED = ("easy and short", "in place of the workout", "shorter", "fast running waits")


def day(n: int) -> date:
    return START + timedelta(days=n)


def run_day_texts(plan: Any) -> dict[date, str]:
    return {w.date: w.message for w in plan.warnings if w.message.startswith(RUN_DAY_PREFIX)}


# --- S4: a red flag not cleared (DOMAIN.md §6 red flags, R11) --------------------------------


def test_red_flag_r11_run_days_say_see_a_clinician_before_running(plan_for) -> None:
    plan, profile = plan_for(health={"condition": "calf_strain"})
    flagged = [CheckIn(None, day(7), 2, None, red_flag="sudden_pop")]
    status = pain_status(flagged, day(8), NORMS)
    assert status.before_running == (
        f"see a clinician before running (a sudden pop reported on {day(7)})"
    )
    checklist = return_checklist(profile, [], NORMS, status.before_running)
    assert checklist is not None and not checklist.met
    assert checklist.to_json()["before_running"] == status.before_running
    warn_run_days(plan, checklist, day(8))
    texts = run_day_texts(plan)
    assert texts, "the run days still carry a warning"
    for text in texts.values():
        assert "see a clinician before running" in text
        assert not any(words in text for words in RUNS_SUGGESTED), text


def test_red_flag_r11_hold_without_a_flag_or_after_clearance_runs_stay_easy(plan_for) -> None:
    plan, profile = plan_for(health={"condition": "calf_strain"})
    cleared = [
        CheckIn(None, day(7), 2, None, red_flag="sudden_pop"),
        CheckIn(None, day(9), 1, None, cleared_by_clinician=True),
    ]
    status = pain_status(cleared, day(10), NORMS)
    assert status.before_running is None
    checklist = return_checklist(profile, [], NORMS, status.before_running)
    assert checklist is not None and "before_running" not in checklist.to_json()
    warn_run_days(plan, checklist, day(10))
    workout = next(
        d.date for w in plan.weeks for d in w.days if d.run == "workout" and d.date >= day(10)
    )
    assert "run easy and short in place of the workout" in run_day_texts(plan)[workout]


# --- S5: Achilles pain above 5/10, profile or check-in alike (DOMAIN.md §6) ------------------


def achilles(pain_now: int, checkins: list[CheckIn]) -> str | None:
    return achilles_clinician_notice("achilles_tendinopathy", pain_now, checkins, day(20), NORMS)


def test_achilles_pain_above_5_in_the_profile_asks_to_see_a_clinician() -> None:
    notice = achilles(6, [])
    assert notice is not None and "see a physiotherapist or doctor" in notice
    assert "6/10 in your profile" in notice
    # An amber check-in keeps it (the conservative reading: until a green one).
    assert achilles(6, [CheckIn(None, day(2), 4, None)]) is not None


def test_achilles_pain_above_5_at_a_check_in_asks_to_see_a_clinician() -> None:
    high = [CheckIn(None, day(1), 1, None), CheckIn(None, day(3), 7, None)]
    notice = achilles(0, high)
    assert notice is not None and f"7/10 at the check-in of {day(3)}" in notice
    assert achilles(0, [*high, CheckIn(None, day(5), 3, None)]) is not None


def test_achilles_hold_pain_5_or_a_green_after_it_or_another_condition_asks_nothing() -> None:
    assert achilles(5, []) is None
    assert achilles(6, [CheckIn(None, day(2), 1, None)]) is None
    assert achilles(0, [CheckIn(None, day(3), 7, None), CheckIn(None, day(5), 2, None)]) is None
    # A check-in dated after the day asked about does not count yet.
    assert achilles(0, [CheckIn(None, day(30), 7, None)]) is None
    assert achilles_clinician_notice("calf_strain", 7, [], day(20), NORMS) is None


# --- B7: the seated test set (DOMAIN.md §2.2 re-tests) ---------------------------------------

HEAVY_BEGINNER: dict[str, dict[str, Any]] = {
    "athlete": {
        "name": "Hank",
        "body_mass_kg": 110,
        "strength_experience": "novice",
        "equipment": ["dumbbells", "bench", "step"],
    },
    "running": {
        "monday": "easy",
        "tuesday": "rest",
        "wednesday": "easy",
        "thursday": "rest",
        "friday": "easy",
        "saturday": "rest",
        "sunday": "long",
    },
    "strength": {
        "sessions_per_week": 3,
        "preferred_days": ["monday", "wednesday", "friday"],
    },
    "goal": {"race_date": START + timedelta(weeks=15), "race_distance": "5k"},
}


def seated_tests(plan: Any) -> list[tuple[int, str]]:
    return [
        (week.index, t.exercise or "")
        for week in plan.weeks
        for d in week.days
        for s in d.sessions
        for t in s.tests
        if t.test == "seated_test_set"
    ]


def test_seated_test_set_2_2_lands_only_on_a_seated_both_leg_raise(plan_for, catalog) -> None:
    plan, _ = plan_for(**HEAVY_BEGINNER)
    found = seated_tests(plan)
    # Held: the re-test week with a seated dumbbell raise in its first session keeps its test.
    assert (4, "seated-dumbbell-calf-raise") in found
    # Broken before: weeks 8 and 12 put it on the lunge calf raise, which `assess seated-1rm`
    # cannot read.
    for _, exercise in found:
        assert catalog.by_id[exercise].load_class == NORMS.assessed_load_class, exercise
    # Where no seated raise is in the first session, that exercise keeps all its sets.
    week8 = plan.weeks[7]
    first = next(s for d in week8.days for s in d.sessions if s.kind == "strength")
    assert [t.test for t in first.tests] == ["heel_raise"]


# --- Wording: the heel-raise test (§2.2), insertional names (§6), R5's moved day -----------


def test_heel_raise_test_2_2_is_on_the_flat_only_with_insertional_pain(catalog) -> None:
    from calfcoach.cli.presenters import retest_text

    test = {"test": "heel_raise"}
    usual = retest_text(test, catalog)
    assert "flat floor" not in usual and "insertional" not in usual  # said to everyone before
    assert "10° incline where possible" in usual
    for words in ("every 2 s", "60 bpm", "full height", "fingertips on a wall", "to fatigue"):
        assert words in usual
    flat = retest_text(test, catalog, insertional=True)
    assert "on the flat floor" in flat and "incline where possible" not in flat


def test_insertional_6_names_match_the_flat_floor_cues(catalog) -> None:
    from calfcoach.core.catalog import cues_for, name_for

    step = catalog.by_id["dumbbell-single-leg-calf-raise"]
    assert "on a step" in step.name
    flat = name_for(step, insertional=True)
    assert "step" not in flat and flat.endswith("from the flat floor")
    assert cues_for(step, True)[0].startswith("Feet flat on the floor")
    # Held: other runners keep the name, and a name with no raised set-up stays as it is.
    assert name_for(step, insertional=False) == step.name
    seated = catalog.by_id["seated-dumbbell-calf-raise"]
    assert name_for(seated, insertional=True) == seated.name


def test_r5_moved_session_names_the_day_before_the_long_run(plan_for) -> None:
    plan, _ = plan_for(strength={"preferred_days": ["saturday", "tuesday"]})
    moved = [w.message for w in plan.warnings if w.rule == "R5" and w.week == 1]
    assert any("Saturday is the day before Sunday's long run" in m for m in moved), moved
    assert not any("Sunday is a long day" in m for m in moved)


# --- B8: explanations that said the wrong thing (DOMAIN.md §7: each reason names its rule) ---


def provenance_plan(catalog, **sections: dict[str, Any]) -> Any:
    from calfcoach.core.planner import build_plan
    from tests.conftest import make_profile

    return build_plan(make_profile(**sections), START, None, catalog, NORMS, provenance=True)


def reasons_of(plan: Any, phase: str | None = None, variation: str | None = None) -> list[Any]:
    return [
        r
        for w in plan.weeks
        if phase is None or w.phase == phase
        for d in w.days
        for s in d.sessions
        for p in s.exercises
        if p.why is not None and (variation is None or p.variation == variation)
        for r in p.why.reasons
    ]


RACE_IN_14_WEEKS = {"race_date": START + timedelta(weeks=14), "race_distance": "10k"}


def test_rounding_2_1_cites_r10_only_where_the_one_step_rule_held_the_load(catalog) -> None:
    plan = provenance_plan(catalog, goal=RACE_IN_14_WEEKS)
    rounding = [r for r in reasons_of(plan) if r.text.startswith("Rounded down")]
    assert rounding and all(r.section == "§2.1" for r in rounding)
    # Broken before: every rounding was tagged R10.
    assert any(r.rule is None for r in rounding)
    for r in rounding:
        assert (r.rule == "R10") == ("R10" in r.text), r


def test_recovery_2_reps_are_not_a_range_of_one(catalog) -> None:
    plan = provenance_plan(catalog, goal=RACE_IN_14_WEEKS)
    recovery = [r.text for r in reasons_of(plan, "recovery") if r.about == "volume"]
    assert any("the recovery phase (15 reps)" in t for t in recovery), recovery
    assert not any("15–15" in t for t in recovery)
    # Held: a phase with a range still starts at its top.
    foundation = [r.text for r in reasons_of(plan, "foundation") if r.about == "volume"]
    assert any("(15–12 reps, top of the range first)" in t for t in foundation)


def test_taper_r6_plyometrics_cite_the_taper_rule_not_a_phase_cap(catalog) -> None:
    plan = provenance_plan(catalog, goal=RACE_IN_14_WEEKS)
    taper = [r.text for r in reasons_of(plan, "taper", "plyometric") if r.about == "volume"]
    assert taper, "the taper holds plyometrics"
    for text in taper:
        assert "a taper week holds at most 50 % of the last ordinary week's contacts" in text
        assert "cap of" not in text
    # Held: the other weeks name their phase's cap.
    built = [r.text for r in reasons_of(plan, "foundation", "plyometric") if r.about == "volume"]
    assert built and all("within the foundation cap of" in t for t in built)


def test_a_change_to_a_hold_shows_its_seconds() -> None:
    from calfcoach.cli.presenters import _change_dose
    from calfcoach.core.plan import Prescription, change_dose

    hold = Prescription(
        "isometric-calf-hold", "straight_leg", 3, 1, False, None, None, 7, None, 60, None, 45
    )
    raise_ = Prescription(
        "smith-standing-calf-raise", "straight_leg", 3, 15, False, 25.0, 0.37, 7, None, 60, None
    )
    assert change_dose(hold)["hold_s"] == 45
    assert "hold_s" not in change_dose(raise_)  # other changes keep their JSON as it was
    assert _change_dose(change_dose(hold), "metric") == "3 × 45 s hold"
    assert _change_dose(change_dose(raise_), "metric") == "3×15 @ 25 kg"
    # A change to another exercise names the one before (its load reads by its own kit);
    # a change that keeps the exercise keeps its JSON as it was.
    assert change_dose(raise_, hold)["exercise"] == "smith-standing-calf-raise"
    assert "exercise" not in change_dose(raise_, raise_)


def test_insertional_6_calendar_and_printed_lines_say_the_flat_floor(catalog) -> None:
    from calfcoach.exporters.sessions import exercise_line, test_line

    heel = {"test": "heel_raise"}
    assert "on the flat floor" in test_line(heel, catalog, insertional=True)
    assert "flat" not in test_line(heel, catalog)  # held: others test as §2.2 says
    step = {"exercise": "dumbbell-single-leg-calf-raise", "sets": 3, "reps": 15, "load_kg": 4.0}
    assert "from the flat floor" in exercise_line(step, "metric", catalog, insertional=True)
    assert "on a step" in exercise_line(step, "metric", catalog)


def test_insertional_6_cues_leave_no_step_stair_or_platform_edge(catalog) -> None:
    """§6: raises from the flat floor "and cues that say so". Taking the step out of a cue
    must not leave another raised set-up ("or the edge of a stair", "on the platform edge",
    heels hanging free) nor a cue that no longer reads ("Balls of both feet if you have one",
    a physio's review)."""
    raised = re.compile(
        r"\b(?:step|stair|edge|heels free|if you have one)\b|^balls? of (?:the|both) f\w+\.$",
        re.IGNORECASE,
    )
    for ex in catalog.exercises:
        if ex.variation == "plyometric":
            continue
        own = cues_for(ex, True)[len(INSERTIONAL_CUES) :]
        assert not [c for c in own if raised.search(c)], (ex.id, own)
        assert all(c[0].isupper() and c.endswith(".") for c in own), (ex.id, own)
    backpack = catalog.by_id["backpack-single-leg-calf-raise"]
    assert "Hand on the wall." in cues_for(backpack, True)  # the rest of a cue stays
    # A machine's platform: the whole foot on it, not the balls of the feet (heels free).
    for machine in ("standing-calf-machine-raise", "seated-calf-machine-raise"):
        cues = " ".join(cues_for(catalog.by_id[machine], True))
        assert "whole foot on the platform" in cues and "balls of the feet" not in cues
