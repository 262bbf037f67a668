"""The reasons and changes ``explain`` reads back (DOMAIN.md §7, DESIGN.md "Explanations"): each
names this prescription's own day, dose and causes — never another day's or a cause that no
longer holds. The doses themselves are the planner's business and are not asserted here."""

from __future__ import annotations

from calfcoach.core.catalog import Catalog
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, Prescription
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import Profile
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
