"""The diary, check-in and re-plan services against in-memory repositories (tests/unit/fakes):
the same service code the CLI and the web app run, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from calfcoach.errors import InputError
from calfcoach.services import athletes, checkins, diary, diary_views
from tests.unit.fakes import FakeDatabase

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "examples" / "profile.toml").read_text()
TODAY = date(2026, 11, 30)


def new_database() -> FakeDatabase:
    db = FakeDatabase()
    athletes.init_athlete_from_text(db, SAMPLE, "examples/profile.toml", None, TODAY)
    return db


def training_days(db: FakeDatabase) -> list[tuple[date, list[dict[str, Any]]]]:
    """The plan's days with calf work, and their exercises, first first."""
    athlete_id = db.stores.athletes.id_of("Sam")
    assert athlete_id is not None
    document = db.stores.plans.current(athlete_id)
    assert document is not None
    return [
        (date.fromisoformat(day["date"]), [ex for s in day["sessions"] for ex in s["exercises"]])
        for week in document["weeks"]
        for day in week["days"]
        if day["sessions"]
    ]


def one_set(exercise: dict[str, Any]) -> diary.LogRequest:
    return diary.LogRequest(
        exercise["exercise"],
        1,
        exercise["reps"],
        str(exercise["load_kg"] or 0),
        exercise["rpe"],
        None,
        both_sides=exercise["per_side"],
        hold_s=exercise.get("hold_s"),
    )


def athlete_id(db: FakeDatabase) -> int:
    found = db.stores.athletes.id_of("Sam")
    assert found is not None
    return found


def test_log_sets_stores_numbered_sets_in_one_committed_transaction() -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    before = len(db.writes)
    first = diary.log_sets(db, None, day, one_set(exercises[0]), day)
    again = diary.log_sets(db, None, day, one_set(exercises[0]), day)
    assert len(db.writes) == before + 2
    assert [e.set_number for e in first] == [1] * len(first)
    assert [e.set_number for e in again] == [2] * len(again)
    assert db.stores.sets.on_day(athlete_id(db), day) == first + again


def test_a_partly_logged_session_lets_the_replan_wait_and_the_last_set_runs_it() -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    plan_before = db.stores.plans.current(athlete_id(db))
    diary.log_sets(db, None, day, one_set(exercises[0]), day)
    assert db.stores.plans.stale_since(athlete_id(db)) == day
    assert db.stores.plans.current(athlete_id(db)) == plan_before  # not re-planned yet
    # Log the rest of the day as prescribed, one set at a time: the mark goes with the last.
    for ex in exercises:
        logged = [
            e for e in db.stores.sets.on_day(athlete_id(db), day) if e.exercise == ex["exercise"]
        ]
        done = len({e.set_number for e in logged})
        for _ in range(ex["sets"] - done):
            assert db.stores.plans.stale_since(athlete_id(db)) == day
            diary.log_sets(db, None, day, one_set(ex), day)
    assert db.stores.plans.stale_since(athlete_id(db)) is None


def test_a_read_of_a_later_day_runs_the_waiting_replan_and_one_of_the_same_day_does_not() -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    diary.log_sets(db, None, day, one_set(exercises[0]), day)
    diary_views.day_view(db, None, day)
    assert db.stores.plans.stale_since(athlete_id(db)) == day
    diary_views.day_view(db, None, day + timedelta(days=1))
    assert db.stores.plans.stale_since(athlete_id(db)) is None


def test_a_checkin_runs_the_waiting_replan_first_and_stores_one_checkin_a_day() -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    diary.log_sets(db, None, day, one_set(exercises[0]), day)
    first = checkins.record_checkin(db, None, day, 2, None, day, red_flag="swelling")
    assert db.stores.plans.stale_since(athlete_id(db)) is None
    second = checkins.record_checkin(db, None, day, 1, 3, day)
    assert second.checkin.id == first.checkin.id
    stored = db.stores.checkins.all(athlete_id(db))
    assert len(stored) == 1
    assert (stored[0].pain_during, stored[0].pain_next_morning, stored[0].red_flag) == (
        1,
        3,
        "swelling",  # left out the second time: kept
    )


def test_edit_and_delete_change_the_set_and_replan_at_once() -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    [entry, *_] = diary.log_sets(db, None, day, one_set(exercises[0]), day)
    assert entry.id is not None
    changed = diary.edit_set(db, None, entry.id, entry.reps + 2, None, None, day)
    assert db.stores.sets.get(athlete_id(db), entry.id) == changed
    assert changed.reps == entry.reps + 2
    assert db.stores.plans.stale_since(athlete_id(db)) is None
    diary.delete_set(db, None, entry.id, day)
    assert db.stores.sets.get(athlete_id(db), entry.id) is None


@pytest.mark.parametrize(
    "command",
    [
        lambda db, day, ex: diary.edit_set(db, None, 999, 5, None, None, day),
        lambda db, day, ex: diary.delete_set(db, None, 999, day),
        lambda db, day, ex: diary.log_sets(db, None, day + timedelta(days=1), one_set(ex), day),
        lambda db, day, ex: diary.log_sets(db, "Kim", day, one_set(ex), day),
        lambda db, day, ex: checkins.record_checkin(db, None, day, 11, None, day),
    ],
    ids=["edit-unknown", "delete-unknown", "future-day", "unknown-athlete", "pain-11"],
)
def test_a_refused_command_commits_nothing(command: Any) -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    stores_before = db.stores
    writes_before = len(db.writes)
    with pytest.raises(InputError):
        command(db, day, exercises[0])
    assert len(db.writes) == writes_before
    assert db.stores is stores_before


def test_a_client_set_sent_twice_is_stored_once() -> None:
    from datetime import UTC, datetime

    db = new_database()
    day, exercises = training_days(db)[0]
    ex = exercises[0]
    item = diary.ClientSet(
        day,
        ex["exercise"],
        ex["reps"],
        float(ex["load_kg"] or 0),
        ex["rpe"],
        "left" if ex["per_side"] else None,
        ex.get("hold_s"),
        datetime(2026, 12, 1, 7, 0, tzinfo=UTC),
    )
    assert diary.put_client_set(db, None, "c-1", item, day).outcome == "created"
    assert diary.put_client_set(db, None, "c-1", item, day).outcome == "unchanged"
    assert len(db.stores.sets.on_day(athlete_id(db), day)) == 1


def test_sets_after_the_session_is_complete_and_on_a_rest_day_let_the_replan_wait() -> None:
    db = new_database()
    day, exercises = training_days(db)[0]
    diary.log_as_prescribed(db, None, day, day)
    assert db.stores.plans.stale_since(athlete_id(db)) is None
    diary.log_sets(db, None, day, one_set(exercises[0]), day)  # one more: the session was over
    assert db.stores.plans.stale_since(athlete_id(db)) == day
    rest_day = next(
        day + timedelta(days=n)
        for n in range(1, 7)
        if day + timedelta(days=n) not in dict(training_days(db))
    )
    diary.log_sets(db, None, rest_day, one_set(exercises[0]), rest_day)
    # The re-plan waiting from the day before ran first, on what it would have read then.
    assert db.stores.plans.stale_since(athlete_id(db)) == rest_day


def test_a_red_flag_after_a_logged_session_keeps_it_and_a_clearance_brings_the_week_back() -> None:
    """Issue 13, the new user's sequence: the session logged before the red flag's check-in
    stays planned (its sets are not "also logged"), the next one stops; the clinician's
    clearance, added to the same day's check-in, brings that next one back at red's dose
    (the flag's check-in was red: §6 halves the sessions left this week, no plyometrics)."""
    db = new_database()
    (tuesday, planned), (friday, before) = training_days(db)[:2]
    assert friday - tuesday < timedelta(days=7) and friday.weekday() == 4  # the same week
    diary.log_as_prescribed(db, None, tuesday, tuesday)
    flagged = checkins.record_checkin(
        db, None, tuesday, 4, None, tuesday, red_flag="calf_swelling_redness"
    )
    assert flagged.notices
    view = diary_views.day_view(db, None, tuesday).to_json()
    assert "unplanned" not in view
    shown = [ex for s in view["sessions"] for ex in s["exercises"]]
    assert [ex["exercise"] for ex in shown] == [ex["exercise"] for ex in planned]
    assert all(len(ex["logged"]) == ex["sets"] for ex in shown)
    assert diary_views.day_view(db, None, friday).to_json()["sessions"] == []
    cleared = checkins.record_checkin(
        db, None, tuesday, 0, None, tuesday, cleared_by_clinician=True
    )
    assert cleared.notices == () and cleared.next_session_date == friday
    back = [
        ex
        for s in diary_views.day_view(db, None, friday).to_json()["sessions"]
        for ex in s["exercises"]
    ]
    assert back and not any(ex["variation"] == "plyometric" for ex in back)
    assert any(ex["variation"] == "plyometric" for ex in before)
    was = {ex["variation"]: ex for ex in before}
    for ex in back:
        if ex.get("hold_s") is None:  # a raise that cannot be halved standing holds (§6)
            old = was[ex["variation"]]
            assert ex["sets"] == -(-old["sets"] // 2), ex
            assert (ex["load_kg"] or 0) <= (old["load_kg"] or 0) / 2, (ex, old)
    document = db.stores.plans.current(athlete_id(db))
    assert document is not None
    assert not any(w["message"].startswith("Calf sessions stopped:") for w in document["warnings"])


def test_the_day_as_prescribed_twice_logs_its_sets_once_and_writes_nothing_more() -> None:
    """Issue 13: each `log --as-prescribed` logged the whole day again (sets 9 of a 3-set
    exercise); the second call now finds every prescribed set logged and stores nothing."""
    db = new_database()
    day, exercises = training_days(db)[0]
    first = diary.log_day_as_prescribed(db, None, day, day)
    prescribed = sum(ex["sets"] for ex in exercises)
    assert (len(first.added), first.prescribed, first.already) == (
        sum(ex["sets"] * (2 if ex["per_side"] else 1) for ex in exercises),
        prescribed,
        0,
    )
    writes = len(db.writes)
    again = diary.log_day_as_prescribed(db, None, day, day)
    assert (again.added, again.prescribed, again.already) == ([], prescribed, prescribed)
    assert diary.log_as_prescribed(db, None, day, day) == []
    assert len(db.writes) == writes
    assert db.stores.sets.on_day(athlete_id(db), day) == first.added


def test_the_day_as_prescribed_after_some_sets_logs_only_the_rest_side_by_side() -> None:
    """Sets logged before count toward their exercise (whatever their load); on a per-side
    exercise each side counts on its own, and the side still missing takes the number of
    its other side."""
    db = new_database()
    day, exercises = next(
        (day, exercises)
        for day, exercises in training_days(db)
        if any(ex["per_side"] for ex in exercises) and any(not ex["per_side"] for ex in exercises)
    )
    one_sided = next(ex for ex in exercises if ex["per_side"])
    both = next(ex for ex in exercises if not ex["per_side"])
    left = diary.LogRequest(one_sided["exercise"], 2, one_sided["reps"], "0", None, "left")
    diary.log_sets(db, None, day, left, day)
    diary.log_sets(db, None, day, replace(one_set(both), load="1"), day)
    done = diary.log_day_as_prescribed(db, None, day, day)
    added = {(e.exercise, e.side, e.set_number) for e in done.added}
    assert (one_sided["exercise"], "left", 3) in added
    assert {n for ex, side, n in added if (ex, side) == (one_sided["exercise"], "left")} == {3}
    assert {n for ex, side, n in added if (ex, side) == (one_sided["exercise"], "right")} == {
        1,
        2,
        3,
    }
    assert {n for ex, _, n in added if ex == both["exercise"]} == set(range(2, both["sets"] + 1))
    assert done.already == 1  # the one set of `both`; the per-side one lacks its right side
    assert done.one_sided == 2
    numbers: dict[tuple[str, str | None], list[int]] = {}
    for entry in db.stores.sets.on_day(athlete_id(db), day):
        numbers.setdefault((entry.exercise, entry.side), []).append(entry.set_number)
    for ex in exercises:
        for side in ("left", "right") if ex["per_side"] else (None,):
            assert sorted(numbers[(ex["exercise"], side)]) == list(range(1, ex["sets"] + 1))


def _a_day_with_both_kinds(db: FakeDatabase) -> tuple[date, dict[str, Any], dict[str, Any]]:
    """A training day with a per-side exercise and a two-legged one that carries load."""
    day, exercises = next(
        (day, exercises)
        for day, exercises in training_days(db)
        if any(ex["per_side"] for ex in exercises)
        and any(not ex["per_side"] and ex["variation"] != "plyometric" for ex in exercises)
    )
    one_sided = next(ex for ex in exercises if ex["per_side"])
    both = next(ex for ex in exercises if not ex["per_side"] and ex["variation"] != "plyometric")
    return day, one_sided, both


def test_a_per_side_set_logged_a_side_at_a_time_is_one_set_and_the_day_lines_up_after_it() -> None:
    """Issue 13: `log X --side left` then `log X --side right` numbered the right side set 2,
    so the pages counted the pair as two sets, and the day as prescribed added left 2 with
    right 3 and left 3 with right 4 (a "set 4" of a 3-set exercise)."""
    db = new_database()
    day, one_sided, _ = _a_day_with_both_kinds(db)
    for side in ("left", "right"):
        request = diary.LogRequest(one_sided["exercise"], 1, one_sided["reps"], "0", None, side)
        assert [e.set_number for e in diary.log_sets(db, None, day, request, day)] == [1]
    view = diary_views.day_view(db, None, day).to_json()
    shown = next(
        ex
        for s in view["sessions"]
        for ex in s["exercises"]
        if ex["exercise"] == one_sided["exercise"]
    )
    assert len({s["set"] for s in shown["logged"]}) == 1
    done = diary.log_day_as_prescribed(db, None, day, day)
    added = [(e.side, e.set_number) for e in done.added if e.exercise == one_sided["exercise"]]
    sets = range(2, one_sided["sets"] + 1)
    assert sorted(added) == sorted((side, n) for side in ("left", "right") for n in sets)


def test_a_set_on_both_sides_after_one_side_alone_numbers_each_side_after_its_own() -> None:
    """A trial: `log X --side left`, then `log X` (both sides), then the day as prescribed:
    the right side's sets ran 2, 3, 4 of a 3-set exercise (the pair took the next number of
    the exercise, not of each side)."""
    db = new_database()
    day, one_sided, _ = _a_day_with_both_kinds(db)
    exercise, reps = one_sided["exercise"], one_sided["reps"]
    left = diary.LogRequest(exercise, 1, reps, "0", None, "left")
    diary.log_sets(db, None, day, left, day)
    both = diary.LogRequest(exercise, 1, reps, "0", None, None, both_sides=True)
    logged = diary.log_sets(db, None, day, both, day)
    assert sorted((e.side, e.set_number) for e in logged) == [("left", 2), ("right", 1)]
    done = diary.log_day_as_prescribed(db, None, day, day)
    right = sorted(
        e.set_number for e in [*logged, *done.added] if e.exercise == exercise and e.side == "right"
    )
    assert right == list(range(1, one_sided["sets"] + 1))


def test_a_two_legged_set_sent_a_side_at_a_time_counts_once_toward_the_day() -> None:
    """Issue 13: a two-legged exercise whose set came as its left and right side under one
    number (PUT /sets/{id} pairs them) counted as two logged sets, and the day as prescribed
    left one of its prescribed sets unlogged."""
    db = new_database()
    day, _, both = _a_day_with_both_kinds(db)
    moment = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for n, side in enumerate(("left", "right")):
        sent = diary.ClientSet(
            day, both["exercise"], both["reps"], float(both["load_kg"]), None, side, None, moment
        )
        stored = diary.put_client_set(
            db, None, f"00000000-0000-4000-8000-00000000000{n}", sent, day
        )
        assert stored.entry.set_number == 1
    done = diary.log_day_as_prescribed(db, None, day, day)
    added = [e.set_number for e in done.added if e.exercise == both["exercise"]]
    assert added == list(range(2, both["sets"] + 1))
    numbers = {
        e.set_number
        for e in db.stores.sets.on_day(athlete_id(db), day)
        if e.exercise == both["exercise"]
    }
    assert numbers == set(range(1, both["sets"] + 1))


def test_a_red_flag_after_the_same_days_clearance_stops_the_sessions() -> None:
    """A clearance covers the red flags reported before it. The same day's entry updated with
    a new red flag (night pain) and no clearance of its own was cleared at once: no "stop and
    see a clinician", the sessions not stopped (issue 13's trial). The flag now stands; a
    later update leaving the flag out keeps it, and only a clearance clears it."""
    db = new_database()
    day, _ = training_days(db)[0]
    checkins.record_checkin(db, None, day, 1, None, day, cleared_by_clinician=True)
    flagged = checkins.record_checkin(db, None, day, 6, None, day, red_flag="night_pain")
    assert flagged.checkin.cleared_by_clinician is False
    assert any("clinician" in notice for notice in flagged.notices), flagged.notices
    again = checkins.record_checkin(db, None, day, 6, 5, day)
    assert again.checkin.red_flag == "night_pain" and not again.checkin.cleared_by_clinician
    cleared = checkins.record_checkin(db, None, day, 2, None, day, cleared_by_clinician=True)
    assert cleared.checkin.cleared_by_clinician and cleared.notices == ()
