"""What the planner prescribes, scenario by scenario (DOMAIN.md §2–§6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from calfcoach.core.plan import Plan, Prescription
from calfcoach.core.profile import Profile
from calfcoach.data import default_catalog
from tests.conftest import START

PlanFor = Callable[..., tuple[Plan, Profile]]


def strength(plan: Plan, week: int) -> list[Prescription]:
    return [
        p
        for d in plan.weeks[week - 1].days
        for s in d.sessions
        if s.kind == "strength"
        for p in s.exercises
    ]


def session_days(plan: Plan, week: int) -> list[str]:
    return [
        d.weekday
        for d in plan.weeks[week - 1].days
        if any(s.kind == "strength" for s in d.sessions)
    ]


def test_sessions_go_on_the_preferred_days(plan_for: PlanFor) -> None:
    plan, _ = plan_for()
    assert session_days(plan, 1) == ["tuesday", "friday"]
    assert plan.warnings == []


def test_one_session_a_week_holds_all_three_variations(plan_for: PlanFor) -> None:
    plan, _ = plan_for(strength={"sessions_per_week": 1, "preferred_days": []})
    for week in range(1, 13):
        assert {p.variation for p in strength(plan, week)} == {
            "straight_leg",
            "bent_knee",
            "plyometric",
        }


def test_raises_carry_external_load(plan_for: PlanFor) -> None:
    plan, _ = plan_for()
    raises = [p for p in strength(plan, 1) if p.variation != "plyometric"]
    assert raises and all((p.load_kg or 0) > 0 for p in raises)
    for p in raises:
        assert p.load_x_bodyweight == round((p.load_kg or 0) / 68, 2)


def test_advanced_lifter_gets_heavy_seated_loads(plan_for: PlanFor) -> None:
    plan, _ = plan_for(
        athlete={
            "strength_experience": "advanced",
            "body_mass_kg": 70,
            "equipment": ["smith_machine", "bench", "plates", "barbell", "rack"],
        }
    )
    seated = [p for p in strength(plan, 1) if p.exercise == "seated-smith-calf-raise"]
    # Advanced: seated 10–12RM ≈ 1.0 × BW, so e1RM ≈ 97 kg; foundation starts at 60 %.
    assert seated and seated[0].load_kg == 57.5
    # The single-leg barbell raise's foundation target leaves less than the 20 kg bar in
    # hand (DOMAIN.md §2.1): another loadable raise stands in until the target passes it.
    assert "barbell-single-leg-calf-raise" not in {p.exercise for p in strength(plan, 1)}
    later = {p.exercise: p for p in strength(plan, 10)}
    assert later["barbell-single-leg-calf-raise"].load_kg >= 20


def test_preferred_day_before_a_workout_moves_with_an_r5_warning(plan_for: PlanFor) -> None:
    plan, _ = plan_for(strength={"preferred_days": ["monday", "friday"]})
    assert "monday" not in session_days(plan, 1)
    moved = [w for w in plan.warnings if w.rule == "R5" and w.week == 1]
    assert moved and moved[0].date == START
    # A plain sentence naming the days (DOMAIN.md §7).
    assert moved[0].message.startswith("Monday's session moved to ")
    # R5's reason is the day before the workout, not the workout day (physio review W4).
    assert ": Monday is the day before Tuesday's workout." in moved[0].message


def test_no_day_fits_bends_r5_with_a_warning(plan_for: PlanFor) -> None:
    everything_hard = {
        day: "workout"
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
    plan, _ = plan_for(running=everything_hard)
    assert len(session_days(plan, 1)) == 1
    rules = {(w.rule, w.week) for w in plan.warnings}
    assert ("R5", 1) in rules and ("R8", 1) in rules


def test_marathon_taper_halves_sets_and_keeps_load(plan_for: PlanFor) -> None:
    race = START + timedelta(weeks=19, days=6)
    plan, _ = plan_for(goal={"race_date": race, "race_distance": "marathon"})
    phases = [w.phase for w in plan.weeks]
    last_power = max(i for i, phase in enumerate(phases, 1) if phase == "power")
    taper = last_power + 1
    before = {p.exercise: p for p in strength(plan, last_power) if p.variation != "plyometric"}
    for p in strength(plan, taper):
        if p.variation == "plyometric":
            continue
        assert p.load_kg == before[p.exercise].load_kg
        assert p.sets == -(-before[p.exercise].sets // 2)
        assert p.tempo == "2-0-1-0"


def test_race_week_has_no_strength_and_last_session_is_early(plan_for: PlanFor) -> None:
    race = START + timedelta(weeks=19, days=6)
    plan, _ = plan_for(goal={"race_date": race, "race_distance": "marathon"})
    race_week = next(w for w in plan.weeks if w.phase == "race")
    assert strength(plan, race_week.index) == []
    last = max(
        d.date
        for w in plan.weeks
        for d in w.days
        if d.date < race and any(s.kind == "strength" for s in d.sessions)
    )
    assert (race - last).days >= 5


def test_primers_when_calf_work_in_every_session(plan_for: PlanFor) -> None:
    plan, _ = plan_for(strength={"calf_in_every_session": "all"})
    week = plan.weeks[0]
    for day in week.days:
        kinds = [s.kind for s in day.sessions]
        if day.run != "rest" and "strength" not in kinds:
            assert kinds == ["primer"]
            assert all(
                p.variation != "plyometric" and p.sets <= 2 for p in day.sessions[0].exercises
            )
        if day.run == "rest":
            assert "primer" not in kinds


def test_no_equipment_still_gets_three_variations_at_body_weight(plan_for: PlanFor) -> None:
    plan, _ = plan_for(athlete={"equipment": ["none"]})
    prescriptions = strength(plan, 1)
    assert {p.variation for p in prescriptions} == {"straight_leg", "bent_knee", "plyometric"}
    assert all(not p.load_kg for p in prescriptions)
    assert not any(w.rule == "R3" for w in plan.warnings)


def test_loadable_kit_that_cannot_load_a_variation_warns_r3(plan_for: PlanFor) -> None:
    plan, _ = plan_for(athlete={"equipment": ["barbell"]})  # no rack or bench
    assert any(w.rule == "R3" and w.week == 3 for w in plan.warnings)


def test_achilles_runs_heavy_slow_resistance(plan_for: PlanFor) -> None:
    plan, _ = plan_for(
        athlete={"equipment": ["seated_calf_machine", "standing_calf_machine"]},
        health={"condition": "achilles_tendinopathy"},
        strength={"preferred_days": []},
        running={"tuesday": "easy", "thursday": "easy"},
    )
    assert len(session_days(plan, 1)) == 3
    week1 = strength(plan, 1)
    assert {p.exercise for p in week1} == {
        "seated-calf-machine-raise",
        "standing-calf-machine-raise",
    }
    assert all(p.tempo == "3-0-3-0" and (p.sets, p.reps) == (3, 15) for p in week1)
    week4 = strength(plan, 4)
    assert all((p.sets, p.reps) == (4, 10) for p in week4)
    assert any(w.rule == "R8" for w in plan.warnings)
    assert any(w.rule == "R2" and "Achilles" in w.message for w in plan.warnings)


def test_achilles_with_high_pain_holds_and_sees_a_clinician(plan_for: PlanFor) -> None:
    plan, _ = plan_for(health={"condition": "achilles_tendinopathy", "pain_now": 7})
    for week in (1, 2):
        for p in strength(plan, week):
            assert p.hold_s is not None or p.exercise.startswith("seated")
    assert any("physiotherapist" in w.message for w in plan.warnings)


def test_calf_strain_steps_from_holds_to_loaded(plan_for: PlanFor) -> None:
    # A heel-raise test of 25 (§2.1: "may start loaded"): single-leg raises at body weight are
    # within the step's sets (a weaker calf takes their regression: test_bodyweight_fit).
    plan, _ = plan_for(
        health={"condition": "calf_strain"},
        assessments={"single_leg_heel_raise_reps": {"left": 25, "right": 25}},
    )
    step1 = {p.exercise for p in strength(plan, 1)}
    assert "isometric-calf-hold" in step1 and "double-leg-calf-raise" in step1
    step2 = {p.exercise for p in strength(plan, 3)}
    assert step2 == {"single-leg-calf-raise", "single-leg-bent-knee-calf-raise"}
    loaded = [p for p in strength(plan, 5) if p.variation != "plyometric"]
    assert loaded and all((p.load_kg or 0) > 0 for p in loaded)


def test_calf_strain_is_slower_after_an_earlier_strain(plan_for: PlanFor) -> None:
    plan, _ = plan_for(health={"condition": "calf_strain", "previous_calf_strain": True})
    assert "isometric-calf-hold" in {p.exercise for p in strength(plan, 3)}


def test_plantar_heel_pain_uses_the_towel_raise(plan_for: PlanFor) -> None:
    plan, _ = plan_for(health={"condition": "plantar_heel_pain"})
    week = strength(plan, 1)
    towel = [p for p in week if p.exercise == "towel-single-leg-calf-raise"]
    assert towel and all((p.sets, p.reps) == (3, 12) for p in towel)
    assert all((p.sets, p.reps) == (5, 8) for p in strength(plan, 6) if p.variation != "plyometric")


def test_red_pain_halves_and_removes_plyometrics(plan_for: PlanFor) -> None:
    calm, _ = plan_for()
    sore, _ = plan_for(health={"pain_now": 8})
    by_id = default_catalog().by_id

    def per_calf(p: Prescription) -> float:
        return (p.system_load_kg or 0) / by_id[p.exercise].legs

    for variation in ("straight_leg", "bent_knee"):
        was = [p for p in strength(calm, 1) if p.variation == variation]
        now = [p for p in strength(sore, 1) if p.variation == variation]
        assert now
        # Red halves the per-calf system load and the sets (DOMAIN.md §6); holds are the
        # low-load escape, with their own (halved) dose.
        for p in now:
            if not by_id[p.exercise].isometric:
                assert p.sets <= -(-max(w.sets for w in was) // 2)
                assert per_calf(p) <= max(per_calf(w) for w in was) / 2 + 0.01
    assert all(p.variation != "plyometric" for p in strength(sore, 1))


def test_amber_pain_holds_week_one_through_week_two(plan_for: PlanFor) -> None:
    plan, _ = plan_for(health={"pain_now": 4})

    def dose(week: int) -> list[tuple]:
        return sorted(
            (p.exercise, p.sets, p.reps, p.load_kg)
            for p in strength(plan, week)
            if p.variation != "plyometric"
        )

    assert dose(1) == dose(2)
    assert any(w.rule == "R11" and "amber" in w.message for w in plan.warnings)


def test_plans_are_deterministic(plan_for: PlanFor) -> None:
    assert plan_for()[0] == plan_for()[0]


def test_insertional_achilles_cues_keep_the_heel_off_the_step() -> None:
    """DOMAIN.md §6: insertional pain raises from the flat floor, and the cues say so."""
    from calfcoach.core.catalog import INSERTIONAL_CUES, cues_for

    catalog = default_catalog()
    kettlebell = catalog.by_id["kettlebell-single-leg-calf-raise"]
    assert any("below the step" in cue for cue in kettlebell.cues)
    flat = cues_for(kettlebell, insertional=True)
    assert flat[: len(INSERTIONAL_CUES)] == INSERTIONAL_CUES
    assert not any("below the step" in cue or "on a step" in cue for cue in flat)
    assert cues_for(kettlebell, insertional=False) == kettlebell.cues


def test_a_cloned_prescription_keeps_every_field() -> None:
    """The planner's fast copy (a second session's dose, a recurring primer) must not drop a
    field the contract gains later: every field set to a distinct value survives."""
    from calfcoach.core.plan import Prescription, Reason, Why
    from calfcoach.core.planner import _clone

    values: dict[str, object] = {}
    for n, name in enumerate(Prescription.__struct_fields__):
        values[name] = Why([Reason("load", "x")]) if name == "why" else f"v{n}"
    original = Prescription(**values)  # type: ignore[arg-type]
    copy = _clone(original, original.why)
    for name in Prescription.__struct_fields__:
        assert getattr(copy, name) is getattr(original, name), name
    assert copy is not original


def test_race_days_longer_than_the_planners_away_window_fail_loudly() -> None:
    """The planner plans weeks far from the race alike (their session days once a plan), so
    §3's days around a race must fit in the weeks it treats as near it; norms.toml saying
    otherwise is refused when it is read, not planned wrongly."""
    from importlib.resources import files

    import pytest

    from calfcoach.core.norms import NormsError, parse_norms

    text = (files("calfcoach.data") / "norms.toml").read_text()
    assert parse_norms(text).recovery_days_after == 3
    too_far = text.replace("marathon = 5,", "marathon = 9,", 1)
    assert too_far != text
    with pytest.raises(NormsError, match="at most 8"):
        parse_norms(too_far)
    late = text.replace("recovery_days_after = 3", "recovery_days_after = 15", 1)
    with pytest.raises(NormsError, match="recovery_days_after"):
        parse_norms(late)


def test_a_deload_keeps_the_reason_a_raise_is_at_body_weight(plan_for: PlanFor) -> None:
    """R3's warning for a raise at body weight until a rep count (§2.1) covers the deload
    week that copies it. A runner owning dumbbells, a step and a bench was told for week 8
    that no exercise could be loaded with their kit, and to get a bench, a step or dumbbells."""
    start = START + timedelta(weeks=1)
    plan, _ = plan_for(
        start=start,
        athlete={
            "body_mass_kg": 80.0,
            "sex": "male",
            "birth_year": 1985,
            "strength_experience": "intermediate",
            "equipment": ["dumbbells", "step", "bench", "backpack"],
        },
        running={
            "monday": "rest",
            "tuesday": "easy",
            "wednesday": "workout",
            "thursday": "rest",
            "friday": "rest",
            "saturday": "long",
            "sunday": "rest",
        },
        strength={"sessions_per_week": 2, "preferred_days": ["monday", "thursday"]},
        goal={"race_date": start + timedelta(days=132), "race_distance": "half"},
    )
    r3 = {w.week: w.message for w in plan.warnings if w.rule == "R3"}
    assert plan.weeks[7].deload and 8 in r3, r3
    assert "stays at body weight until you can do 15 reps" in r3[8]
    assert not any("can be loaded with your equipment" in m for m in r3.values()), r3


def test_r3_advice_names_only_kit_the_athlete_lacks(plan_for: PlanFor) -> None:
    for kit in (["barbell"], ["dumbbells"], ["kettlebell"], ["dumbbells", "step"]):
        plan, _ = plan_for(athlete={"equipment": kit, "body_mass_kg": 45.0})
        every_r3 = [w.message for w in plan.warnings if w.rule == "R3"]
        assert every_r3, kit
        # A raise whose loaded form the kit has (a lunge raise with dumbbells and a step) but
        # whose target body weight alone is above takes its regression, and R3 says that
        # (§2.1; test_bodyweight_fit), not that nothing can be loaded.
        r3 = [m for m in every_r3 if "is more than this week's target" not in m]
        for message in r3:
            owned = f"with your equipment ({', '.join(sorted(kit))})"
            assert owned in message, message
            advice = message.split(owned)[1]
            assert advice.startswith(". Adding "), message
            assert not any(item in advice for item in kit), message


@pytest.mark.parametrize("preferred", [["monday", "wednesday"], ["monday", "thursday"]])
def test_a_session_moved_among_several_days_is_not_said_to_move_to_all_of_them(
    plan_for: PlanFor, preferred: list[str]
) -> None:
    """A physio's review read "Monday's session moved to Tuesday, Thursday and Sunday": one
    session does not move to three days. Where the week's sessions land on several days, the
    note says why the preferred day has none and where the week's sessions are."""
    plan, _ = plan_for(
        strength={"preferred_days": preferred},
        running={
            "monday": "rest",
            "tuesday": "workout",
            "wednesday": "easy",
            "thursday": "easy",
            "friday": "rest",
            "saturday": "workout",
            "sunday": "long",
        },
        health={"condition": "achilles_tendinopathy", "pain_now": 2},
    )
    notes = [w for w in plan.warnings if w.rule == "R5" and "session moved" in w.message]
    assert notes
    for note in notes:
        assert not re.search(r"moved to \w+, \w+", note.message), note.message
        if "the week's sessions are on" in note.message:
            # Every day of the week's sessions, a preferred day's included (a trial's nit).
            days = {d.weekday.title() for d, _ in _strength_days(plan, note.week)}
            listed = set(re.findall(r"[A-Z][a-z]+day", note.message.split("are on")[1]))
            assert listed == days, (note.message, days)


def test_a_plan_cut_short_of_the_achilles_protocol_says_so() -> None:
    """§6: the protocol runs its 12 weeks whatever the race, and the plan extends until they
    are done. A plan asked shorter (--weeks) does not finish it: its note said "the plan runs
    to week 16 to finish it" of a plan whose protocol needed week 17 (a physio's review)."""
    from calfcoach.core.planner import build_plan
    from calfcoach.data import default_norms
    from tests.conftest import make_profile

    catalog, norms = default_catalog(), default_norms()
    profile = make_profile(
        health={"condition": "achilles_tendinopathy", "pain_now": 6},
        goal={
            "race_date": (START + timedelta(weeks=11, days=6)).isoformat(),
            "race_distance": "half",
        },
    )
    full = build_plan(profile, START, None, catalog, norms)
    needed = len(full.weeks)
    note = "whatever the race"
    assert any(
        note in w.message and f"runs to week {needed} to finish it" in w.message
        for w in full.warnings
    )
    cut = build_plan(profile, START, needed - 1, catalog, norms)
    said = [w.message for w in cut.warnings if note in w.message]
    assert said and f"ends in week {needed - 1}, 1 protocol week short of it" in said[0], said
    assert f"(plan {needed} weeks to finish it)" in said[0]


def test_a_session_after_the_long_run_in_a_recovery_week_is_not_said_the_protocols() -> None:
    """§6: the taper, race and recovery weeks reduce the Achilles protocol as their own rules
    say. A recovery week's session after the long run was said to be there because "the
    protocol needs 2 sessions" (a physio's review); the protocol's own weeks still say so."""
    from calfcoach.core.planner import build_plan
    from calfcoach.data import default_norms
    from tests.conftest import make_profile

    profile = make_profile(
        strength={"preferred_days": ["monday", "wednesday"]},
        running={"thursday": "workout", "sunday": "long"},
        health={"condition": "achilles_tendinopathy", "pain_now": 2},
        goal={
            "race_date": (START + timedelta(weeks=9, days=6)).isoformat(),
            "race_distance": "half",
        },
    )
    plan = build_plan(profile, START, None, default_catalog(), default_norms())
    phase = {w.index: w.phase for w in plan.weeks}
    after = [w for w in plan.warnings if "goes after the long run" in w.message]
    assert any(phase[w.week] in ("taper", "recovery") for w in after)  # the premise
    for w in after:
        if phase[w.week] in ("taper", "recovery"):
            assert (
                "protocol needs" not in w.message
                and f"this {phase[w.week]} week keeps" in w.message
            )
        else:
            assert "the protocol needs 3 sessions a week" in w.message


def _strength_days(plan: Plan, week: int) -> list[tuple[object, object]]:
    return [(d, s) for d in plan.weeks[week - 1].days for s in d.sessions if s.kind == "strength"]
