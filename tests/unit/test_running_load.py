"""The running week from history, and what it changes in the plan (issue #5 §8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from calfcoach.core.activity import Activity
from calfcoach.core.periodization import PlanInputError
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import profile_from_data
from calfcoach.core.rules import check_plan
from calfcoach.core.running_load import apply_history, disagreements, summarize
from tests.conftest import START, TODAY, base_profile

MONDAY = date(2026, 10, 12)  # six complete weeks before the week of TODAY (2026-11-24)


def run(day: date, km: float, hr: float = 140, sport: str = "running") -> Activity:
    start = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
    return Activity(start, sport, None, km * 1000, km * 330, km * 320, None, hr, 170.0)


def typical_weeks(weeks: int = 6, last_week_km: float | None = None) -> list[Activity]:
    """Tuesday intervals (high HR), Thursday and Friday easy, Saturday long."""
    out = []
    for n in range(weeks):
        monday = MONDAY + timedelta(weeks=n)
        out += [
            run(monday + timedelta(days=1), 8, hr=165),
            run(monday + timedelta(days=3), 6),
            run(monday + timedelta(days=4), 6),
            run(monday + timedelta(days=5), 18, hr=142),
            run(monday + timedelta(days=6), 40, hr=120, sport="cycling"),  # never counts
        ]
    if last_week_km is not None:
        out.append(run(MONDAY + timedelta(weeks=weeks - 1, days=2), last_week_km))
    return out


def test_summary_of_six_weeks() -> None:
    history = summarize(typical_weeks(), TODAY)
    assert history is not None
    assert history.weeks == 6 and history.weekly_km == 38.0
    assert history.long_run_weekday == "saturday"
    assert history.hard_weekdays == ("tuesday",)
    assert history.pattern() == ("rest", "workout", "rest", "easy", "easy", "long", "rest")
    # 170 steps/min × moving minutes, over the six weeks
    assert history.contacts_per_week == pytest.approx(170 * 38 * 320 / 60, rel=0.01)
    assert not history.load_jump


def test_a_30_percent_jump_is_flagged() -> None:
    history = summarize(typical_weeks(last_week_km=20), TODAY)
    assert history is not None and history.load_jump
    assert history.last_week_km == 58.0 and history.baseline_km == 38.0


def test_no_runs_no_history() -> None:
    assert summarize([run(MONDAY, 10, sport="cycling")], TODAY) is None


def test_auto_takes_the_week_from_history() -> None:
    profile = profile_from_data({**base_profile(), "running": "auto"}, TODAY)
    assert profile.running.auto
    updated, notes = apply_history(profile, summarize(typical_weeks(), TODAY))
    assert updated.running.week() == ("rest", "workout", "rest", "easy", "easy", "long", "rest")
    assert notes and "Running week from your last 6 weeks" in notes[0].message
    with pytest.raises(PlanInputError, match="needs imported runs"):
        apply_history(profile, None)


def test_typed_days_stay_and_disagreements_are_told() -> None:
    profile = profile_from_data(base_profile(), TODAY)  # long on sunday
    history = summarize(typical_weeks(), TODAY)
    assert history is not None
    updated, notes = apply_history(profile, history)
    assert updated.running.week() == profile.running.week()
    assert any("long run on saturday" in n.message for n in notes)
    assert disagreements(profile.running.week(), history)


def test_plans_from_history_pass_every_rule(catalog, norms) -> None:
    profile = profile_from_data({**base_profile(), "running": "auto"}, TODAY)
    history = summarize(typical_weeks(), TODAY)
    plan = build_plan(profile, START, None, catalog, norms, history)
    runs = [d.run for d in plan.weeks[0].days]
    assert runs == ["rest", "workout", "rest", "easy", "easy", "long", "rest"]
    # The checker reads the untyped days from the plan itself.
    assert check_plan(plan, profile, catalog, norms) == []
    with pytest.raises(PlanInputError):
        build_plan(profile, START, None, catalog, norms, None)


def test_a_running_jump_holds_next_weeks_plyometric_contacts(catalog, norms) -> None:
    from calfcoach.core.planner import replan
    from calfcoach.core.replanning import adjustments_from_history

    profile = profile_from_data(base_profile(), TODAY)
    plan = build_plan(profile, START, None, catalog, norms)
    today = START + timedelta(days=9)  # week 2: week 3 is re-planned
    jump = summarize(typical_weeks(last_week_km=20), today - timedelta(weeks=6) + timedelta(days=1))
    assert jump is not None and jump.load_jump

    def contacts(p, week: int) -> int:
        return sum(
            e.contacts or 0 for d in p.weeks[week - 1].days for s in d.sessions for e in s.exercises
        )

    from calfcoach.core.log import SetEntry

    done = [  # every session of weeks 1–2 done as planned
        SetEntry(None, d.date, e.exercise, n + 1, e.reps, e.load_kg or 0.0, e.rpe)
        for w in plan.weeks[:2]
        for d in w.days
        for s in d.sessions
        for e in s.exercises
        for n in range(e.sets * (2 if e.per_side else 1))
    ]
    adjust = adjustments_from_history(plan, profile, done, [], today, catalog, norms, jump)
    assert adjust is not None and adjust.held_contacts == contacts(plan, 2)
    assert any("Running jumped" in n.message for n in adjust.notes)
    again = replan(plan, profile, adjust, catalog, norms)
    assert contacts(plan, 3) > contacts(plan, 2)  # the plan would have progressed
    assert contacts(again, 3) <= contacts(plan, 2)
    assert [v for v in check_plan(again, profile, catalog, norms) if (v.week or 0) >= 3] == []


def test_a_jump_seen_in_a_deload_week_holds_the_base_not_the_deloads_contacts(
    catalog, norms
) -> None:
    """A coach's trial: a running jump noticed in a deload week held the deload's 0.6× contacts
    (27 a session became 16) and the weeks after grew back from there, six weeks behind. The
    hold keeps the base the next weeks grow from: the last week that was not a deload
    (DOMAIN.md §2.2: a deload never lowers it)."""
    from calfcoach.core.planner import replan
    from calfcoach.core.replanning import adjustments_from_history

    profile = profile_from_data(base_profile(), TODAY)
    plan = build_plan(profile, START, None, catalog, norms)
    deload = next(w.index for w in plan.weeks if w.deload)
    today = plan.weeks[deload - 1].start + timedelta(days=1)
    jump = summarize(typical_weeks(last_week_km=20), today - timedelta(weeks=6) + timedelta(days=1))
    assert jump is not None and jump.load_jump

    def contacts(p, week: int) -> int:
        return sum(
            e.contacts or 0 for d in p.weeks[week - 1].days for s in d.sessions for e in s.exercises
        )

    from calfcoach.core.log import SetEntry

    assert contacts(plan, deload) < contacts(plan, deload - 1)  # the premise
    done = [  # every session up to today done as planned: nothing missed
        SetEntry(None, d.date, e.exercise, n + 1, e.reps, e.load_kg or 0.0, e.rpe)
        for w in plan.weeks[:deload]
        for d in w.days
        if d.date <= today
        for s in d.sessions
        for e in s.exercises
        for n in range(e.sets * (2 if e.per_side else 1))
    ]
    adjust = adjustments_from_history(plan, profile, done, [], today, catalog, norms, jump)
    assert adjust is not None and adjust.held_contacts == contacts(plan, deload - 1)
    again = replan(plan, profile, adjust, catalog, norms)
    held = contacts(again, deload + 1)
    assert held == contacts(plan, deload - 1)  # held: no progression, and no cut
    assert contacts(again, deload + 2) > held  # then on from the base
    assert [v for v in check_plan(again, profile, catalog, norms) if (v.week or 0) > deload] == []


def test_interval_laps_make_a_run_hard() -> None:
    from msgspec.structs import replace

    from calfcoach.core.activity import has_intervals

    assert has_intervals(["interval", "rest", "interval"])
    assert has_intervals(["active", "rest", "active", "rest", "active"])
    assert not has_intervals(["active", "active", "active"])
    assert not has_intervals([None, None])
    weeks = typical_weeks()
    # Thursday's easy-paced runs become structured sessions: Thursday turns into a hard day.
    marked = [
        replace(a, intervals=True) if a.start.weekday() == 3 and a.is_running else a for a in weeks
    ]
    history = summarize(marked, TODAY)
    assert history is not None and "thursday" in history.hard_weekdays


def test_tcx_resting_laps_mark_intervals() -> None:
    from calfcoach.importers.tcx import read_tcx

    ns = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
    laps = "".join(
        f'<Lap StartTime="2026-11-0{n + 1}T07:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>'
        f"<DistanceMeters>300</DistanceMeters><Intensity>{kind}</Intensity></Lap>"
        for n, kind in enumerate(["Active", "Resting", "Active"])
    )
    text = (
        f'<TrainingCenterDatabase xmlns="{ns}"><Activities><Activity Sport="Running">'
        f"<Id>2026-11-01T07:00:00Z</Id>{laps}</Activity></Activities></TrainingCenterDatabase>"
    )
    activity = read_tcx(text.encode())
    assert activity.intervals and activity.sport == "running"
    assert activity.distance_m == 900.0
