"""The pain check-in: store it, say its zone and advice, re-plan, and show how the next
session changed. One transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace

from calfcoach.core.catalog import is_insertional
from calfcoach.core.log import CheckIn
from calfcoach.core.units import dose_text
from calfcoach.services.context import dumbbell_pairs, find_athlete, stored_profile
from calfcoach.services.inputs import checked, refuse_future
from calfcoach.services.replan import replan_from_history, run_waiting_replan
from calfcoach.services.unit_of_work import UnitOfWorkFactory

if TYPE_CHECKING:
    from calfcoach.core.conditions import PainZone


@dataclass(frozen=True, slots=True)
class LoadChange:
    """One exercise of the next calf session, before and after a re-plan."""

    exercise: str
    before: dict[str, Any] | None  # the plan's exercise object, None when newly added
    after: dict[str, Any] | None  # None when the re-plan removed it

    def describe(self, units: str, pairs: frozenset[str] = frozenset()) -> str:
        """``"seated-smith-calf-raise: 3 × 10 @ 40 kg → 2 × 10 @ 20 kg"``; ``pairs``: the
        exercises loaded with a pair of dumbbells ("2 × 8 kg", context.dumbbell_pairs)."""
        was = "—" if self.before is None else dose_text(self.before, units, pairs)
        now = "left out" if self.after is None else dose_text(self.after, units, pairs)
        if self.before is not None and was == now:
            return f"{self.exercise}: {now} (unchanged)"
        return f"{self.exercise}: {was} → {now}"


@dataclass(frozen=True, slots=True)
class CheckInResult:
    checkin: CheckIn
    zone: PainZone
    advice: str
    next_session_date: date | None = None
    next_session: tuple[LoadChange, ...] = ()
    units: str = "metric"  # the athlete's display units
    reasons: tuple[str, ...] = ()  # why the zone, beyond the pain numbers (core.pain)
    notices: tuple[str, ...] = ()  # the clinician notices now standing
    # The day's check-in before this one updated it (None: a new one), for the audit trail.
    previous: CheckIn | None = None
    pairs: frozenset[str] = frozenset()  # loaded with a pair of dumbbells (context.dumbbell_pairs)
    insertional: bool = False  # insertional Achilles pain: flat-floor names (catalog.name_for)

    def to_json(self) -> dict[str, Any]:
        return {
            **checkin_dict(self.checkin),
            "zone": self.zone,
            "advice": self.advice,
            "reasons": list(self.reasons),
            "notices": list(self.notices),
            "next_session": None
            if self.next_session_date is None
            else {
                "date": self.next_session_date.isoformat(),
                "changes": [
                    {"exercise": c.exercise, "before": c.before, "after": c.after}
                    for c in self.next_session
                ],
            },
        }


def checkin_dict(c: CheckIn) -> dict[str, Any]:
    """A check-in's stored fields, as the API and ``--format json`` give them."""
    return {
        "id": c.id,
        "date": c.day.isoformat(),
        "pain_during": c.pain_during,
        "pain_next_morning": c.pain_next_morning,
        "pain_before": c.pain_before,
        "red_flag": c.red_flag,
        "cleared_by_clinician": c.cleared_by_clinician,
    }


def next_session_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, today: date
) -> tuple[date | None, tuple[LoadChange, ...]]:
    """The first strength session after ``today`` in ``after``, each exercise beside the same
    day's prescription in ``before`` (plan documents)."""

    def strength_days(document: dict[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
        days: dict[str, list[dict[str, Any]]] = {}
        for week in (document or {}).get("weeks", []):
            for day in week["days"]:
                for session in day["sessions"]:
                    if session["kind"] == "strength" and day["date"] > today.isoformat():
                        days.setdefault(day["date"], []).extend(session["exercises"])
        return days

    new, old = strength_days(after), strength_days(before)
    if not new:
        return None, ()
    first = min(new)
    was = {ex["exercise"]: ex for ex in old.get(first, [])}
    now = {ex["exercise"]: ex for ex in new[first]}
    changes = [LoadChange(name, was.get(name), ex) for name, ex in now.items()]
    changes += [LoadChange(name, ex, None) for name, ex in was.items() if name not in now]
    return date.fromisoformat(first), tuple(changes)


def record_checkin(
    db: UnitOfWorkFactory,
    athlete: str | None,
    day: date,
    during: int,
    next_morning: int | None = None,
    today: date | None = None,
    *,
    pain_before: int | None = None,
    red_flag: str | None = None,
    cleared_by_clinician: bool = False,
) -> CheckInResult:
    """Store the training ``day``'s pain check-in, say its zone, and re-plan the weeks after
    ``today`` (default: ``day``).

    A second check-in for the same day updates the first: what it reports replaces, what it
    leaves out (next-morning pain, pain before, a red flag) stays; a clearance stays given,
    unless this one reports a red flag without clearing it (a clearance covers the flags
    reported before it: DOMAIN.md §6's "stop and see a clinician" for a flag after it).
    One transaction. :raises InputError: a value out of range, or a day after ``today``.
    """
    from calfcoach.core.inputs import CheckInInput

    checked(
        CheckInInput,
        date=day,
        pain_during=during,
        pain_next_morning=next_morning,
        pain_before=pain_before,
        red_flag=red_flag,
        cleared_by_clinician=cleared_by_clinician,
    )
    today = today or day
    refuse_future(day, today)
    from calfcoach.core.pain import ADVICE, achilles_clinician_notice, pain_status
    from calfcoach.data import default_norms

    norms = default_norms()
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        # A re-plan the logged sets left waiting runs first: "before" is the plan they made.
        run_waiting_replan(uow, athlete_id, name)
        profile = stored_profile(uow, athlete_id, name, day)
        units = profile.athlete.units
        stored = {c.day: c for c in uow.checkins.all(athlete_id)}
        first = stored.get(day)
        checkin = CheckIn(
            None,
            day,
            during,
            _kept(next_morning, first and first.pain_next_morning),
            _kept(pain_before, first and first.pain_before),
            _kept(red_flag, first and first.red_flag),
            # (A day's clearance then a red flag the same day was cleared at once: the trial's
            # night pain reported after a "cleared" entry stopped nothing, issue 13.)
            cleared_by_clinician or bool(first and first.cleared_by_clinician and red_flag is None),
        )
        checkin_id = uow.checkins.save(athlete_id, checkin)
        checkin = replace(checkin, id=checkin_id)
        stored[day] = checkin
        before = uow.plans.current(athlete_id)
        replan_from_history(uow, athlete_id, name, today)
        after = uow.plans.current(athlete_id)
        uow.commit()
    next_date, changes = next_session_changes(before, after, today)
    status = pain_status(stored.values(), today, norms)
    judged = next(j for j in status.judged if j.checkin.day == day)
    # The advice is about where the athlete stands now; for a back-dated check-in with later
    # ones after it, the zone shown is its own.
    advice = status.advice if status.last is judged else ADVICE[judged.zone]
    notices = status.notices()
    # Achilles pain above 5/10 at this check-in: the see-a-clinician warning of DOMAIN.md §6
    # here too, as on `today` (issue 13, physio review S5).
    health = profile.health
    achilles = achilles_clinician_notice(
        health.condition, health.pain_now, stored.values(), today, norms
    )
    if achilles is not None:
        notices = (*notices, achilles)
    return CheckInResult(
        checkin,
        judged.zone,
        advice,
        next_date,
        changes,
        units,
        judged.reasons,
        notices,
        first,
        dumbbell_pairs(profile),
        is_insertional(profile.health.condition, profile.health.achilles_type),
    )


def _kept(new: Any, old: Any) -> Any:
    return old if new is None else new
