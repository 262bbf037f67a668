"""The reasons and changes ``explain`` reads back (DOMAIN.md §7, DESIGN.md "Explanations"): each
names this prescription's own day, dose and causes — never another day's or a cause that no
longer holds. The doses themselves are the planner's business and are not asserted here."""

from __future__ import annotations

from datetime import date, timedelta

from calfcoach.core.catalog import Catalog
from calfcoach.core.log import CheckIn, SetEntry
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Change, Plan, Prescription, change_dose
from calfcoach.core.planner import build_plan, replan
from calfcoach.core.profile import Profile
from calfcoach.core.replanning import (
    adjustments_from_history,
    first_replanned_week,
    red_rest_of_week,
)
from tests.conftest import START, make_profile

# The physio's insertional Achilles runner (review 13, p3): three protocol sessions a week,
# the third after Sunday's long run (DOMAIN.md §6), the same raises in each.
ACHILLES = {
    "athlete": {
        "name": "Walt",
        "body_mass_kg": 72,
        "birth_year": 1958,
        "strength_experience": "intermediate",
        "equipment": ["dumbbells", "step", "bench", "plates"],
    },
    "running": {
        "monday": "rest",
        "tuesday": "easy",
        "wednesday": "rest",
        "thursday": "workout",
        "friday": "rest",
        "saturday": "easy",
        "sunday": "long",
    },
    "strength": {"sessions_per_week": 2, "preferred_days": ["monday", "wednesday"]},
    "health": {
        "condition": "achilles_tendinopathy",
        "achilles_type": "insertional",
        "painful_side": "right",
        "pain_now": 3,
    },
}


def _exercises(plan: Plan, kind: str = "strength"):
    for week in plan.weeks:
        for day in week.days:
            for session in day.sessions:
                if session.kind == kind:
                    for p in session.exercises:
                        yield week, day, p


def _day_reasons(p: Prescription) -> list[str]:
    return [r.text for r in (p.why.reasons if p.why else []) if r.about == "day"]


def test_each_exercise_gives_its_own_days_reason_only(catalog: Catalog, norms: Norms) -> None:
    """A raise dosed once a week and copied into the week's later sessions kept the first
    session's "day" reason: Sunday's read "Tuesday: an easy run day…" and "Sunday: …"."""
    plan = build_plan(make_profile(**ACHILLES), START, None, catalog, norms, provenance=True)
    seen = 0
    for week, day, p in _exercises(plan):
        reasons = _day_reasons(p)
        assert len(reasons) == 1, (week.index, day.date, p.exercise, reasons)
        assert reasons[0].startswith(day.weekday.title()), (day.date, reasons)
        seen += 1
    assert seen


def test_a_session_after_the_long_run_says_so(catalog: Catalog, norms: Norms) -> None:
    """The protocol's session after the long run (DOMAIN.md §6, R5's exception) is not a day
    on which "strength never goes on the day before a workout, long run or race"."""
    plan = build_plan(make_profile(**ACHILLES), START, None, catalog, norms, provenance=True)
    sundays = [(week, p) for week, day, p in _exercises(plan) if day.run == "long"]
    assert sundays
    for week, p in sundays:
        (text,) = _day_reasons(p)
        reason = next(r for r in p.why.reasons if r.about == "day")  # type: ignore[union-attr]
        assert "after the long run" in text, (week.index, text)
        assert "never goes on" not in text, text
        assert reason.rule == "R5" and reason.section == "§6"


def test_a_session_on_a_day_no_rule_allows_says_why(catalog: Catalog, norms: Norms) -> None:
    """A running week with no day that fits §3 puts one session on the least bad day with an
    R5 warning: its day reason says that day bends the rule, not that the rule holds."""
    profile: Profile = make_profile(
        running={
            "monday": "workout",
            "tuesday": "long",
            "wednesday": "workout",
            "thursday": "long",
            "friday": "workout",
            "saturday": "long",
            "sunday": "workout",
        },
        strength={"sessions_per_week": 2, "preferred_days": []},
    )
    plan = build_plan(profile, START, 4, catalog, norms, provenance=True)
    found = list(_exercises(plan))
    assert found
    for _, day, p in found:
        (text,) = _day_reasons(p)
        assert text.startswith(day.weekday.title()), text
        assert "never goes on" not in text and "no day of this week fits" in text, text


def _strength_days(plan: Plan, before: date) -> list[date]:
    return [
        day.date
        for week in plan.weeks
        for day in week.days
        if day.date < before and any(s.kind == "strength" for s in day.sessions)
    ]


def _logged(plan: Plan, day: date) -> list[SetEntry]:
    """The day's prescribed sets, done as prescribed (``log --as-prescribed``)."""
    out = []
    for week in plan.weeks:
        for d in week.days:
            if d.date != day:
                continue
            for session in d.sessions:
                for p in session.exercises:
                    for side in ("left", "right") if p.per_side else (None,):
                        out += [
                            SetEntry(
                                None, day, p.exercise, n, p.reps, p.load_kg or 0.0, p.rpe, side
                            )
                            for n in range(1, p.sets + 1)
                        ]
    return out


def _as_the_diary_does(
    plan: Plan,
    profile: Profile,
    sets: list[SetEntry],
    checkins: list[CheckIn],
    today: date,
    catalog: Catalog,
    norms: Norms,
) -> Plan:
    plan = red_rest_of_week(plan, profile, checkins, today, catalog, norms) or plan
    adjust = adjustments_from_history(plan, profile, sets, checkins, today, catalog, norms)
    assert adjust is not None
    return replan(plan, profile, adjust, catalog, norms)


def _dose(d: dict[str, object]) -> tuple[object, ...]:
    return (d["sets"], d["reps"], d["load_kg"], d.get("hold_s"))


def test_missed_changes_go_once_the_sessions_are_logged(catalog: Catalog, norms: Norms) -> None:
    """A plan started three weeks back, its past sessions logged one day at a time, then a
    check-in (review 13): the re-plans in between found weeks without a session and recorded
    "missed" changes (4×8 → 2×10, then 2×10 → 3×9); once every session is logged those causes
    no longer hold, yet explain still listed them beside a prescription of 4×8. Each chain of
    changes ends at the dose it explains, and no "missed" change stays."""
    profile = make_profile()
    today = START + timedelta(days=24)  # Thursday of week 4
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    sets: list[SetEntry] = []
    missed_seen = False
    for day in _strength_days(plan, today):
        sets += _logged(plan, day)
        plan = _as_the_diary_does(plan, profile, sets, [], today, catalog, norms)
        for _, _, p in _exercises(plan):
            for change in p.why.changes if p.why else []:
                if change.cause == "missed":
                    missed_seen = True
                    assert change.rule == "R10", change  # §2.2, R10 in DOMAIN §8's table
    assert missed_seen, "the re-plans before the last logged day found weeks missed"
    checkins = [CheckIn(None, today, 1, None)]
    plan = _as_the_diary_does(plan, profile, sets, checkins, today, catalog, norms)
    from_week = first_replanned_week(plan, today)
    assert from_week is not None
    checked = 0
    for week, _, p in _exercises(plan):
        if week.index < from_week or p.why is None:
            continue
        assert not [c for c in p.why.changes if c.cause == "missed"], (week.index, p)
        if p.why.changes:
            assert _dose(p.why.changes[-1].after) == _dose(change_dose(p)), (week.index, p)
        checked += 1
    assert checked


def test_a_missed_change_that_still_holds_stays(catalog: Catalog, norms: Norms) -> None:
    """The other side: weeks 2–3 really without a session keep their "missed" change (R10)
    through a later re-plan."""
    profile = make_profile()
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    sets = _logged(plan, _strength_days(plan, START + timedelta(days=7))[0])
    first = START + timedelta(days=24)
    plan = _as_the_diary_does(plan, profile, sets, [], first, catalog, norms)
    later = first + timedelta(days=1)
    plan = _as_the_diary_does(
        plan, profile, sets, [CheckIn(None, later, 1, None)], later, catalog, norms
    )
    changes = [
        c
        for week, _, p in _exercises(plan)
        if week.index >= 5 and p.why is not None
        for c in p.why.changes
        if c.cause == "missed"
    ]
    assert changes and all(c.rule == "R10" for c in changes)
    assert any("weeks 2–3" in c.text for c in changes)


def test_a_missed_change_goes_when_its_weeks_are_logged_late(
    catalog: Catalog, norms: Norms
) -> None:
    """Weeks 2–3 without a session step week 5 back (a "missed" change); week 2's sessions
    logged late leave only week 3 missed. The "weeks 2–3" change no longer holds and goes;
    the one for week 3 stays."""
    profile = make_profile()
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    today = START + timedelta(days=24)
    days = _strength_days(plan, today)
    sets = _logged(plan, days[0]) + _logged(plan, days[1])
    plan = _as_the_diary_does(plan, profile, sets, [], today, catalog, norms)
    texts = {c.text for _, _, p in _exercises(plan) if p.why for c in p.why.changes}
    assert any("weeks 2–3" in t for t in texts), texts
    sets += _logged(plan, days[2]) + _logged(plan, days[3])  # week 2, logged late
    plan = _as_the_diary_does(plan, profile, sets, [], today, catalog, norms)
    texts = {c.text for _, _, p in _exercises(plan) if p.why for c in p.why.changes}
    assert not any("weeks 2–3" in t for t in texts), texts
    assert any("of week 3's sessions not logged" in t for t in texts), texts


def test_a_check_in_corrected_to_green_takes_its_change_away(
    catalog: Catalog, norms: Norms
) -> None:
    """An amber check-in holds next week's dose (a "checkin" change); the same day's check-in
    corrected to green brings the planned dose back. The amber change no longer explains
    anything: the chain ends at the dose it explains."""
    profile = make_profile()
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    today = START + timedelta(days=11)  # Friday of week 2
    sets = [
        e for day in _strength_days(plan, today + timedelta(days=1)) for e in _logged(plan, day)
    ]
    amber = [CheckIn(None, today, 4, None)]
    plan = _as_the_diary_does(plan, profile, sets, amber, today, catalog, norms)
    held = [p for week, _, p in _exercises(plan) if week.index == 3 and p.why and p.why.changes]
    assert held, "amber held week 3's dose"
    green = [CheckIn(None, today, 1, None)]
    adjust = adjustments_from_history(plan, profile, sets, green, today, catalog, norms)
    assert adjust is not None
    amber_changes = {(c.cause, c.date, c.text) for p in held if p.why for c in p.why.changes}
    assert amber_changes and amber_changes <= adjust.withdrawn
    plan = _as_the_diary_does(plan, profile, sets, green, today, catalog, norms)
    for week, _, p in _exercises(plan):
        if week.index >= 3 and p.why is not None and p.why.changes:
            assert _dose(p.why.changes[-1].after) == _dose(change_dose(p)), (week.index, p)
            assert not any(c.cause == "checkin" for c in p.why.changes), p.why.changes


def test_a_dose_left_by_its_changes_gains_the_change_that_lets_it_go(
    catalog: Catalog, norms: Norms
) -> None:
    """A dose an earlier change held, now neither held nor back where that change found it
    (a held dose let go, the plan grown on from the weeks done): the chain gains the change
    that says so, dated by the newest log or check-in, and ends at the dose."""
    profile = make_profile()
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    today = START + timedelta(days=17)  # Thursday of week 3: weeks 4 on are re-planned
    sets = [
        e for day in _strength_days(plan, today + timedelta(days=1)) for e in _logged(plan, day)
    ]
    p = next(p for week, _, p in _exercises(plan) if week.index == 5 and p.load_kg)
    assert p.why is not None
    held = {"sets": p.sets, "reps": p.reps + 3, "load_kg": (p.load_kg or 0) / 2}
    # An amber check-in of week 2 held this dose once (its check-in is a past week's).
    p.why.changes = [
        Change(
            START + timedelta(days=8), "checkin", "R11", "Pain was amber", {**held, "sets": 9}, held
        )
    ]
    adjust = adjustments_from_history(plan, profile, sets, [], today, catalog, norms)
    assert adjust is not None and not adjust.causes
    again = replan(plan, profile, adjust, catalog, norms)
    same = next(
        q for week, d, q in _exercises(again) if week.index == 5 and q.exercise == p.exercise
    )
    assert same.why is not None
    changes = same.why.changes
    assert [c.cause for c in changes] == ["checkin", "log"], changes
    assert changes[-1].date == max(e.day for e in sets) and changes[-1].rule == "R10"
    assert changes[-1].before == held
    assert _dose(changes[-1].after) == _dose(change_dose(same))


def _taper_volume(plan: Plan) -> list[tuple[Prescription, str]]:
    return [
        (p, r.text)
        for week, _, p in _exercises(plan)
        if week.phase == "taper" and p.why is not None
        for r in p.why.reasons
        if r.about == "volume"
    ]


def test_a_taper_with_no_ordinary_week_before_it_says_what_it_halves(
    catalog: Catalog, norms: Norms
) -> None:
    """A marathon three weeks from the start: two taper weeks and no ordinary week before
    them (DOMAIN.md §2: "halves what a maintenance week would hold"). Their reasons said
    "half the sets of the last ordinary week", a week the plan does not have."""
    profile = make_profile(
        goal={"race_date": START + timedelta(days=20), "race_distance": "marathon"}
    )
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    assert [w.phase for w in plan.weeks[:3]] == ["taper", "taper", "race"]
    found = _taper_volume(plan)
    assert {p.variation for p, _ in found} == {"straight_leg", "bent_knee", "plyometric"}
    for p, text in found:
        assert "last ordinary week" not in text, text
        assert "maintenance week" in text and "no ordinary week" in text.lower(), text
        if p.variation != "plyometric":
            assert f"to {p.sets} set" in text, text


def test_a_taper_after_ordinary_weeks_still_halves_the_last_one(
    catalog: Catalog, norms: Norms
) -> None:
    profile = make_profile(
        goal={"race_date": START + timedelta(days=34), "race_distance": "marathon"}
    )
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    found = _taper_volume(plan)
    assert found and all("last ordinary week" in text for _, text in found)


def test_each_primer_exercise_says_why(catalog: Catalog, norms: Norms) -> None:
    """DOMAIN.md §7 holds for every prescription: primers (``calf_in_every_session = "all"``)
    had no reasons at all. Each primer exercise now says why this exercise, its sets × reps
    and RPE, its tempo and rest, and why on its own day, with R12 and §3."""
    profile = make_profile(
        strength={"calf_in_every_session": "all"},
        goal={"race_date": START + timedelta(days=7 * 8 + 5), "race_distance": "10k"},
    )
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    primers = list(_exercises(plan, "primer"))
    assert {w.phase for w, _, _ in primers} >= {"foundation", "race"}
    for week, day, p in primers:
        assert p.why is not None, (week.index, day.date, p.exercise)
        about = {r.about: r for r in p.why.reasons}
        assert {"choice", "volume", "tempo", "day"} <= set(about), p.why.reasons
        assert all(r.rule == "R12" and r.section == "§3" for r in about.values())
        assert f"{p.sets} × {p.reps} at RPE {p.rpe:g}" in about["volume"].text
        (text,) = _day_reasons(p)
        assert text.startswith(day.weekday.title()), text
        if week.phase == "race":
            assert "Race week" in text, text


def test_a_primer_of_holds_says_pain_chose_them(catalog: Catalog, norms: Norms) -> None:
    """An Achilles runner with pain above 5/10: holds only, the primers too (§6)."""
    profile = make_profile(
        strength={"calf_in_every_session": "all"},
        health={"condition": "achilles_tendinopathy", "pain_now": 7},
    )
    plan = build_plan(profile, START, 2, catalog, norms, provenance=True)
    holds = [p for _, _, p in _exercises(plan, "primer") if p.hold_s is not None]
    assert holds
    for p in holds:
        assert p.why is not None
        texts = [r.text for r in p.why.reasons]
        assert any("the primer is a hold too" in t for t in texts), texts
        assert any(f"{p.sets} × {p.hold_s} s holds" in t for t in texts), texts


def test_a_primer_on_a_day_red_emptied_gives_that_days_reasons(
    catalog: Catalog, norms: Norms
) -> None:
    """Red takes out a session that held only plyometrics; the day gets the week's primer
    (R12) at red's sets. Its reasons were the copied primer's: another day's "day" reason
    and the unhalved sets."""
    profile = make_profile(
        athlete={
            "body_mass_kg": 56.8,
            "strength_experience": "novice",
            "equipment": ["barbell", "backpack"],
            "birth_year": 1960,
        },
        running={
            "monday": "easy",
            "tuesday": "long",
            "wednesday": "long",
            "thursday": "easy",
            "friday": "easy",
            "saturday": "easy",
            "sunday": "easy",
        },
        strength={
            "sessions_per_week": 4,
            "preferred_days": ["monday", "wednesday"],
            "calf_in_every_session": "all",
        },
    )
    plan = build_plan(profile, START, 6, catalog, norms, provenance=True)
    friday = plan.weeks[0].days[4]
    assert [p.variation for s in friday.sessions for p in s.exercises] == ["plyometric"]
    red = START + timedelta(days=3)
    plan = red_rest_of_week(plan, profile, [CheckIn(None, red, 7, 7)], red, catalog, norms) or plan
    primers = [p for s in plan.weeks[0].days[4].sessions if s.kind == "primer" for p in s.exercises]
    assert primers
    for p in primers:
        assert p.why is not None
        (text,) = _day_reasons(p)
        assert text.startswith("Friday") and "red left out" in text, text
        volume = [r.text for r in p.why.reasons if r.about == "volume"]
        assert volume == [
            f"{p.sets} × {p.reps}, body weight: the week's primer at half its sets, as a red "
            f"week's primers are (pain was red at the check-in of {red})."
        ]


def test_plyometrics_back_after_red_name_the_check_ins_and_the_way_back(
    catalog: Catalog, norms: Norms
) -> None:
    """After a red check-in and a green one, plyometrics come back at half the pre-flare
    weekly contacts, then +20 % a week (DOMAIN.md §6). Explain said only "12 foot contacts:
    within the strength cap" where the week before the flare held 27 a session, with no
    change naming the check-ins."""
    profile = make_profile()
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    red, green = START + timedelta(days=15), START + timedelta(days=18)  # week 3
    sets = [e for day in _strength_days(plan, red + timedelta(days=1)) for e in _logged(plan, day)]
    checkins = [CheckIn(None, red, 7, 7)]
    plan = _as_the_diary_does(plan, profile, sets, checkins, red, catalog, norms)
    assert not [p for w, _, p in _exercises(plan) if w.index == 4 and p.variation == "plyometric"]
    checkins.append(CheckIn(None, green, 1, 1))
    plan = _as_the_diary_does(plan, profile, sets, checkins, green, catalog, norms)
    back = [(w, p) for w, _, p in _exercises(plan) if w.index >= 4 and p.variation == "plyometric"]
    assert back
    for week, p in back:
        assert p.why is not None
        changes = [c for c in p.why.changes if c.cause == "checkin"]
        assert changes, (week.index, p.why.changes)
        assert changes[-1].date == green and changes[-1].rule == "R11"
        assert "half the pre-flare weekly contacts" in changes[-1].text
        assert changes[-1].before["sets"] == 0
        assert _dose(changes[-1].after) == _dose(change_dose(p))
    first = back[0][1]
    assert first.why is not None
    way_back = [r for r in first.why.reasons if r.rule == "R11" and r.section == "§6"]
    assert way_back and f"red at the check-in of {red}" in way_back[0].text, first.why.reasons
    assert not any("from none: half the cap" in r.text for r in first.why.reasons)
