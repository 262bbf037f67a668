"""Lazy re-planning gives the plan eager re-planning gives (services.replan): after any
sequence of logged sets, check-ins and reads, a read shows the same days, a check-in the same
result, and once the waiting re-plan has run the stored plans prescribe the same.

Only the prescriptions are compared, not their ``why`` (the reasons explain shows): re-planning
after every set keeps the reason of the first re-plan that set a dose (a load held after the
first set of a session stays "held by your logged sets" when a later re-plan would say "sessions
missed"), so the eager reasons depend on how the sets were sent: three sets logged one by one
give other reasons than the same three logged at once. The lazy re-plan gives the reasons of
the sets logged at once (test_lazy_reasons_are_those_of_the_sets_logged_at_once).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcoach.services import checkins, diary, diary_views, replan
from tests.unit.fakes import FakeDatabase
from tests.unit.test_diary_services import TODAY, athlete_id, new_database, one_set, training_days

# ("log", days back from now, exercise index, sets) | ("checkin", pain) | ("read", days ahead)
# | ("wait", days): the clock moves on.
operations = st.lists(
    st.one_of(
        st.tuples(st.just("log"), st.integers(0, 1), st.integers(0, 5), st.integers(1, 3)),
        st.tuples(st.just("checkin"), st.integers(0, 7)),
        st.tuples(st.just("read"), st.integers(0, 9)),
        st.tuples(st.just("wait"), st.integers(1, 3)),
    ),
    max_size=8,
)


def _eagerly(db: FakeDatabase) -> None:
    """What re-planning after every write did: run the re-plan the write left waiting."""
    with db.unit_of_work() as uow:
        replan.run_waiting_replan(uow, athlete_id(db), "Sam")
        uow.commit()


def _without_why(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_why(v) for k, v in value.items() if k != "why"}
    if isinstance(value, list):
        return [_without_why(v) for v in value]
    return value


def _plan_of(db: FakeDatabase) -> Any:
    return db.stores.plans.current(athlete_id(db))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations, st.integers(0, 3))
def test_lazy_and_eager_replanning_give_the_same_plan(ops: list[Any], first_day: int) -> None:
    lazy, eager = new_database(), new_database()
    days = dict(training_days(lazy))
    now = sorted(days)[first_day]
    for op in ops:
        if op[0] == "wait":
            now += timedelta(days=op[1])
            continue
        if op[0] == "read":
            shown = now + timedelta(days=op[1])
            assert (
                diary_views.day_view(lazy, None, shown).to_json()
                == diary_views.day_view(eager, None, shown).to_json()
            )
            continue
        if op[0] == "checkin":
            results = [
                checkins.record_checkin(db, None, now, op[1], None, now) for db in (lazy, eager)
            ]
            assert _without_why(results[0].to_json()) == _without_why(results[1].to_json())
            continue
        _, back, index, count = op
        day = now - timedelta(days=back)
        exercises = days.get(day) or days[min(days)]
        request = one_set(exercises[index % len(exercises)])
        for _ in range(count):
            for db in (lazy, eager):
                diary.log_sets(db, None, day, request, now)
            _eagerly(eager)
            assert eager.stores.plans.stale_since(athlete_id(eager)) is None
    _eagerly(lazy)
    assert _without_why(_plan_of(lazy)) == _without_why(_plan_of(eager))


def test_the_first_training_day_is_in_the_plan() -> None:
    # The operations above start on the plan's training days: the sample plan has some.
    assert len(training_days(new_database())) >= 4
    assert min(d for d, _ in training_days(new_database())) >= TODAY


def test_lazy_reasons_are_those_of_the_sets_logged_at_once() -> None:
    one_by_one, at_once = new_database(), new_database()
    days = dict(training_days(one_by_one))
    day = sorted(days)[3]
    request = one_set(days[day][-1])
    for _ in range(3):
        diary.log_sets(one_by_one, None, day, request, day)
    _eagerly(one_by_one)
    diary.log_sets(at_once, None, day, replace(request, sets=3), day)
    _eagerly(at_once)
    assert _plan_of(one_by_one) == _plan_of(at_once)
