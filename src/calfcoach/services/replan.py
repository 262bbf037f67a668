"""Re-planning: the weeks ahead follow what the athlete logged, reported and tested.

A re-plan may wait: logging a set marks the plan stale from the day the re-plan would use
(``plans.stale_since``), and the re-plan runs once for the session: when a log completes the
day's prescribed sets (services.diary), on a check-in or any other write that re-plans, or
before anything reads plan days after that day. A re-plan waiting
from another day runs first, on the data it would have seen then, so the plan is the one
re-planning after every write would give (tests/property/test_lazy_replanning.py).
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

from calfcoach.errors import InputError
from calfcoach.services.context import running_history, stored_profile
from calfcoach.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

# Re-planning reads this much of the log: the last two weeks decide double progression and
# missed sessions.
REPLAN_WINDOW_DAYS = 28


def _replan(uow: UnitOfWork, athlete_id: int, name: str, today: date) -> bool:
    """Re-plan the athlete's weeks after ``today`` from their log, check-ins and tests, inside
    the caller's transaction. Returns True when the plan changed.

    The weeks up to and including today's stay as they are (core.replanning).
    """
    from calfcoach.core.plan import plan_from_dict
    from calfcoach.core.planner import replan
    from calfcoach.core.replanning import (
        adjustments_from_history,
        profile_with_assessments,
        red_rest_of_week,
        resume_sessions,
        stop_sessions,
    )

    document = uow.plans.current(athlete_id)
    if document is None:
        return False
    plan = plan_from_dict(document)
    from calfcoach.data import default_norms

    tests = uow.assessments.all(athlete_id)
    profile = profile_with_assessments(
        stored_profile(uow, athlete_id, name, today),
        tests,
        default_norms().seated_1rm_max_x_bodyweight,
    )
    # Sets from before the plan started match none of its sessions: leave them unread.
    since = max(today - timedelta(days=REPLAN_WINDOW_DAYS), plan.start)
    sets = uow.sets.between(athlete_id, since, today)
    checkins = uow.checkins.all(athlete_id)
    from calfcoach.core.periodization import PlanInputError
    from calfcoach.core.plan import plan_to_dict
    from calfcoach.data import default_catalog

    catalog, norms = default_catalog(), default_norms()
    running = running_history(uow, athlete_id, today)
    # A clearance brings back the rest of this week a red flag stopped (next Monday on is
    # re-planned below); first, so the weeks after grow from it.
    plan = (
        resume_sessions(plan, profile, sets, checkins, today, catalog, norms, running, tests, since)
        or plan
    )
    # Red pain changes the sessions left in this week too (core.replanning); first, so the
    # weeks re-planned after it grow back from the halved loads one step a week (R10).
    plan = red_rest_of_week(plan, profile, checkins, today, catalog, norms) or plan
    adjustments = adjustments_from_history(
        plan, profile, sets, checkins, today, catalog, norms, running, tests, since
    )
    if adjustments is not None:
        # PlanInputError: e.g. running = "auto" with no runs left; keep the weeks ahead.
        with contextlib.suppress(PlanInputError):
            plan = replan(plan, profile, adjustments, catalog, norms, running)
    # An uncleared red flag stops the calf sessions from today on, a session begun today
    # excepted (DOMAIN.md §6).
    plan = stop_sessions(plan, checkins, today, norms, sets) or plan
    # A calf strain's run days warn until the return criteria are met (DOMAIN.md §6), and
    # say to see a clinician before running while a red flag is not cleared.
    from calfcoach.core.pain import pain_status
    from calfcoach.core.return_to_run import return_checklist, warn_run_days

    status = pain_status(checkins, today, norms)
    checklist = return_checklist(profile, tests, norms, status.before_running, status.last_red)
    plan = warn_run_days(plan, checklist, today)
    again = plan_to_dict(plan, provenance=True)
    if again == document:
        return False
    uow.plans.replace_current(athlete_id, again)
    return True


def replan_from_history(uow: UnitOfWork, athlete_id: int, name: str, today: date) -> bool:
    """Re-plan the athlete's weeks after ``today`` from their log, check-ins and tests, inside
    the caller's transaction, after any re-plan still waiting from another day. Returns True
    when the plan changed.

    The weeks up to and including today's stay as they are (core.replanning).
    """
    pending = uow.plans.stale_since(athlete_id)
    changed = False
    if pending is not None:
        uow.plans.clear_stale(athlete_id)
        if pending != today:
            changed = _replan(uow, athlete_id, name, pending)
    return _replan(uow, athlete_id, name, today) or changed


def settle_before_write(uow: UnitOfWork, athlete_id: int, name: str, today: date) -> None:
    """Before a write that re-plans from ``today``: a re-plan waiting from another day runs
    now, on the data it would have seen then (one waiting from ``today`` itself runs with the
    write's own re-plan)."""
    pending = uow.plans.stale_since(athlete_id)
    if pending is not None and pending != today:
        replan_from_history(uow, athlete_id, name, pending)


def defer_replan(uow: UnitOfWork, athlete_id: int, name: str, today: date) -> None:
    """After a write whose re-plan may wait (and :func:`settle_before_write` before it): mark
    the plan's weeks after ``today`` as waiting for a re-plan."""
    if uow.plans.stale_since(athlete_id) != today:
        uow.plans.mark_stale(athlete_id, today)


def run_waiting_replan(uow: UnitOfWork, athlete_id: int, name: str) -> bool:
    """Run the re-plan the plan waits for, if any (inside the caller's transaction)."""
    pending = uow.plans.stale_since(athlete_id)
    if pending is None:
        return False
    return replan_from_history(uow, athlete_id, name, pending)


def fresh_plan(
    db: UnitOfWorkFactory,
    uow: UnitOfWork,
    athlete_id: int,
    name: str,
    last_day_shown: date | None = None,
) -> dict[str, Any] | None:
    """The athlete's current plan document for a reader in ``uow``: never a stale future.

    When a re-plan waits from before a day the reader shows (``last_day_shown``, None for the
    whole plan), it runs first in its own short write transaction, and the re-planned document
    is returned (the reader's transaction may keep an older snapshot); a reader inside a write
    transaction re-plans in it. Days up to the stale day are the same before and after the
    re-plan (it changes the days after it; logged sets alone, the only writes that leave a
    re-plan waiting, change nothing the stop and run-day rules read), so a reader of those does
    not wait for it: the Today page during a session stays a pure read.
    """
    pending = uow.plans.stale_since(athlete_id)
    if pending is None or (last_day_shown is not None and last_day_shown <= pending):
        return uow.plans.current(athlete_id)
    if not uow.read_only:
        # The reader writes already: a second writer would wait for it (SQLite's lock).
        run_waiting_replan(uow, athlete_id, name)
        return uow.plans.current(athlete_id)
    with db.unit_of_work() as writer:
        run_waiting_replan(writer, athlete_id, name)
        document = writer.plans.current(athlete_id)
        writer.commit()
    return document


def fresh_current_plan(
    db: UnitOfWorkFactory,
    uow: UnitOfWork,
    athlete_id: int,
    name: str,
    last_day_shown: date | None = None,
) -> dict[str, Any]:
    """:func:`fresh_plan`, for readers that need one. :raises InputError: none stored yet."""
    document = fresh_plan(db, uow, athlete_id, name, last_day_shown)
    if document is None:
        raise InputError(f"{name} has no plan yet; run: calfcoach init --profile YOUR.toml")
    return document
