"""DOMAIN.md §6, the Achilles protocol (Beyer et al. 2015) through the real diary services on a
SQLite file and a PostgreSQL server, with a fixed "today" for each step: amber or red check-ins
repeat a protocol week once, then amber may advance; the protocol resumes after the race's
recovery weeks and the plan extends until its 12 weeks are done; ``explain`` names why."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from calfcoach.data import default_norms
from calfcoach.services import athletes, checkins, context, diary, explain
from calfcoach.services.unit_of_work import SqlUnitOfWork
from tests.conftest import ROOT, TODAY

# The sample runner with Achilles tendinopathy and a marathon on Sunday of week 10: weeks 1–7
# build, 8–9 taper, 10 the race, 11–12 recovery; the protocol's weeks 8–12 come after.
RACE = date(2027, 2, 7)
PROFILE = (ROOT / "examples" / "profile.toml").read_text(encoding="utf-8").replace(
    'condition = "none"', 'condition = "achilles_tendinopathy"'
) + f'\n[goal]\nrace_date = {RACE.isoformat()}\nrace_distance = "marathon"\n'


def monday(week: int) -> date:
    return date(2026, 11, 30) + timedelta(weeks=week - 1)


def sunday(week: int) -> date:
    return monday(week) + timedelta(days=6)


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> context.Database:
    path = tmp_path / "achilles.toml"
    path.write_text(PROFILE, encoding="utf-8")
    database = context.open_database(database_url)
    athletes.init_athlete(database, path, None, TODAY)
    return database


def plan_document(db: context.Database) -> dict[str, Any]:
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        return context.current_plan(uow, 1, "Sam")


def raises(document: dict[str, Any], week: int) -> list[dict[str, Any]]:
    """The week's loaded protocol raises (straight-leg and bent-knee, not holds)."""
    return [
        ex
        for day in document["weeks"][week - 1]["days"]
        for session in day["sessions"]
        if session["kind"] == "strength"
        for ex in session["exercises"]
        if ex["variation"] != "plyometric" and ex.get("hold_s") is None
    ]


def dose(document: dict[str, Any], week: int) -> set[tuple[int, int]]:
    """The week's sets × reps of its protocol raises."""
    return {(ex["sets"], ex["reps"]) for ex in raises(document, week)}


def table(week: int) -> tuple[int, int]:
    block = default_norms().achilles.block(week)
    return block.sets, block.reps


def log_weeks(db: context.Database, through: date) -> None:
    """Every planned session up to ``through`` done as prescribed (nothing missed: a missed
    week holds its dose, §2.2, which would hide what the check-ins do)."""
    for week in plan_document(db)["weeks"]:
        for day in week["days"]:
            when = date.fromisoformat(day["date"])
            if when <= through and any(s["kind"] == "strength" for s in day["sessions"]):
                diary.log_as_prescribed(db, None, when, today=when)


def checkin(db: context.Database, day: date, during: int, **fields: Any) -> checkins.CheckInResult:
    morning = fields.pop("next_morning", None)
    return checkins.record_checkin(
        db, None, day, during, morning, fields.pop("today", day), **fields
    )


def test_the_plan_runs_the_protocols_12_weeks_past_the_race(db) -> None:
    document = plan_document(db)
    phases = [w["phase"] for w in document["weeks"]]
    assert phases[:12] == ["foundation"] * 2 + ["strength"] * 2 + ["power"] * 3 + [
        "taper",
        "taper",
        "race",
        "recovery",
        "recovery",
    ]
    # Protocol weeks 1–7 before the taper, 8–12 after recovery: 17 weeks, the last at 4 × 6RM.
    assert len(document["weeks"]) == 17 and phases[12:] == ["maintenance"] * 5
    plan_weeks = [*range(1, 8), *range(13, 18)]
    for week, protocol_week in zip(plan_weeks, range(1, 13), strict=True):
        assert dose(document, week) == {table(protocol_week)}, week
    assert any(
        w["week"] is None and "runs its 12 weeks whatever the race" in w["message"]
        for w in document["warnings"]
    )


def test_amber_repeats_the_protocol_week_once_and_the_plan_grows_a_week(db) -> None:
    assert dose(plan_document(db), 4) == {table(4)}  # 4 × 10RM as planned
    log_weeks(db, monday(3) + timedelta(days=2))
    assert checkin(db, monday(3) + timedelta(days=2), 4).zone == "amber"
    document = plan_document(db)
    # Week 4 repeats protocol week 3 (3 × 12RM), week 5 runs protocol week 4 (4 × 10RM)…
    assert dose(document, 4) == {table(3)}
    assert dose(document, 5) == {table(4)}
    # …and the plan runs one week longer to hold all 12 protocol weeks.
    assert len(document["weeks"]) == 18
    assert dose(document, 18) == {table(12)}
    assert any(
        w["week"] == 4 and "week 3 of the heavy slow resistance protocol" in w["message"]
        for w in document["warnings"]
    )
    # explain names the repeat, its rule and sources.
    day = next(
        date.fromisoformat(d["date"])
        for d in document["weeks"][3]["days"]
        if any(s["kind"] == "strength" for s in d["sessions"])
    )
    reasons = [r for e in explain.explain_day(db, None, day).exercises for r in e["reasons"]]
    repeat = [r for r in reasons if "repeats once" in r["text"]]
    assert repeat and all(r["rule"] == "R11" and r["section"] == "§6" for r in repeat)
    assert {r["source"] for r in repeat} == {"Beyer et al. 2015; Silbernagel et al. 2007"}


def test_after_a_repeat_amber_without_a_next_morning_rise_advances(db) -> None:
    log_weeks(db, monday(3) + timedelta(days=2))
    checkin(db, monday(3) + timedelta(days=2), 4, next_morning=2, today=monday(3) + timedelta(3))
    assert dose(plan_document(db), 4) == {table(3)}
    # Amber again in the repeated week, next-morning pain no higher: the protocol advances
    # (not held at last week's dose as amber otherwise is).
    log_weeks(db, monday(4) + timedelta(days=2))
    result = checkin(
        db, monday(4) + timedelta(days=2), 4, next_morning=2, today=monday(4) + timedelta(3)
    )
    assert result.zone == "amber"
    document = plan_document(db)
    assert dose(document, 5) == {table(4)}
    assert any(
        w["week"] == 5 and "the protocol advances" in w["message"] for w in document["warnings"]
    )


def test_red_repeats_the_protocol_week_at_half_the_sets(db) -> None:
    log_weeks(db, monday(3) + timedelta(days=2))
    assert checkin(db, monday(3) + timedelta(days=2), 7).zone == "red"
    sets, reps = table(3)
    assert dose(plan_document(db), 4) == {(math.ceil(sets / 2), reps)}
    # A green check-in: halfway back to the pre-flare dose (§6, return after red: not new
    # progression), and the protocol still holds all its weeks: one more for the repeat.
    log_weeks(db, monday(4) + timedelta(days=2))
    checkin(db, monday(4) + timedelta(days=2), 1)
    document = plan_document(db)
    assert dose(document, 5) == {(math.ceil((math.ceil(sets / 2) + sets) / 2), reps)}
    assert len(document["weeks"]) == 18
    assert dose(document, 18) == {table(12)}


def test_check_ins_in_recovery_move_the_week_the_protocol_resumes_with(db) -> None:
    # Amber in the last recovery week: amber holds that week's (lighter) dose, and that week
    # counts as the repeat of protocol week 7, so the protocol resumes with its week 8 after
    # it and the plan grows a week to hold all 12.
    log_weeks(db, sunday(12) - timedelta(days=2))
    checkin(db, sunday(12) - timedelta(days=2), 3)
    document = plan_document(db)
    assert dose(document, 13) == dose(document, 12)
    assert dose(document, 14) == {table(8)}
    assert len(document["weeks"]) == 18
    assert dose(document, 18) == {table(12)}
