"""Progression from the log (DOMAIN.md §2.2; double progression, ACSM 2009), decided once a week
per exercise at the re-plan.

- Logged sets re-estimate the 1RM: Epley on the system load, counting the reps the logged RPE
  left in reserve. Where that is above the plan's 1RM, the targets rise (the planner reaches
  them one step a week, R10).
- Reps missed by more than ``missed_reps_limit`` in a set, or an RPE of ``failed_rpe`` or more,
  hold the load; the second week in a row lowers the system load by ``lower_share`` — never
  below body weight for a standing raise, which then takes ``fewer_reps`` fewer reps instead.
- Anything short of every prescribed set at its reps, load and RPE holds the load.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from calfcoach.core.catalog import Catalog, Exercise
from calfcoach.core.dosing import (
    body_part_kg,
    epley_with_reserve,
    estimated_1rm,
    load_source,
)
from calfcoach.core.loads import ladder_for
from calfcoach.core.log import SetEntry
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Prescription, Week
from calfcoach.core.profile import Profile


class LoggedOneRm(msgspec.Struct, frozen=True):
    """A 1RM (system load) the log raised, with the set that showed it."""

    kg: float
    day: date
    reps: int
    load_kg: float
    rpe: float | None


class LogDecision(msgspec.Struct, frozen=True):
    caps: dict[str, float] = msgspec.field(default_factory=dict)  # loads not to exceed next week
    fewer_reps: dict[str, int] = msgspec.field(default_factory=dict)  # reps to take off next week
    one_rms: dict[str, LoggedOneRm] = msgspec.field(default_factory=dict)  # raised 1RMs


def decide(
    past: list[Week],
    sets: list[SetEntry],
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
) -> LogDecision:
    """What the logged sets of ``past`` weeks change from the next week on."""
    prescribed: dict[tuple[date, str], Prescription] = {}
    week_of: dict[date, date] = {}
    for week in past:
        for day in week.days:
            week_of[day.date] = week.start
            for s in day.sessions:
                if s.kind != "strength":
                    continue
                for p in s.exercises:
                    prescribed[(day.date, p.exercise)] = p
    by_exercise: dict[str, dict[date, list[SetEntry]]] = {}
    for entry in sets:
        if (entry.day, entry.exercise) in prescribed:
            by_exercise.setdefault(entry.exercise, {}).setdefault(entry.day, []).append(entry)
    decision = LogDecision()
    mass = profile.athlete.body_mass_kg
    for exercise_id, sessions in by_exercise.items():
        ex = catalog.get(exercise_id)
        if ex is None:
            continue
        # One verdict a week: the worst of its sessions (failed < hold < progress).
        weekly: dict[date, str] = {}
        for when in sorted(sessions):
            verdict = _verdict(prescribed[(when, exercise_id)], sessions[when], norms)
            start = week_of[when]
            weekly[start] = _worse(weekly.get(start, "progress"), verdict)
        weeks = sorted(weekly)
        last_week, last = weeks[-1], weekly[weeks[-1]]
        if ex.loadable:
            _raise_one_rm(decision, ex, sessions, profile, norms)
        if last == "progress":
            continue
        last_day = max(d for d in sessions if week_of[d] == last_week)
        target = prescribed[(last_day, exercise_id)]
        lifted = max(e.load_kg for e in sessions[last_day])
        held = min(lifted, target.load_kg or 0.0)
        previous_failed = (
            len(weeks) >= 2
            and weekly[weeks[-2]] == "failed"
            and weeks[-1] - weeks[-2] == timedelta(weeks=1)
        )
        if last == "failed" and previous_failed:
            body = body_part_kg(ex, mass)
            lowered = (body + held) * (1 - norms.lower_share) - body
            source = load_source(ex, profile.equipment, norms)
            if lowered <= 0 and ex.bodyweight_share > 0:
                # Never below body weight for a standing raise: fewer reps instead (§2.2).
                held = 0.0
                decision.fewer_reps[exercise_id] = norms.fewer_reps
            elif source is not None:
                ladder = ladder_for(source, profile)
                found = ladder.at_most(max(0.0, lowered))
                if found is None:
                    # Below the bar's own weight: the bar, and fewer reps (never a load the
                    # kit cannot make, §2.1).
                    found = ladder.floor_kg
                    decision.fewer_reps[exercise_id] = norms.fewer_reps
                held = found
            else:
                held = 0.0
        decision.caps[exercise_id] = held
    return decision


def _raise_one_rm(
    decision: LogDecision,
    ex: Exercise,
    sessions: dict[date, list[SetEntry]],
    profile: Profile,
    norms: Norms,
) -> None:
    estimate = estimated_1rm(ex, profile, norms)
    if estimate is None:
        return
    body = body_part_kg(ex, profile.athlete.body_mass_kg)
    best: LoggedOneRm | None = None
    for when, entries in sessions.items():
        for e in entries:
            if e.hold_s is not None or e.reps < 1:
                continue
            kg = epley_with_reserve(body + e.load_kg, e.reps, e.rpe)
            if best is None or kg > best.kg:
                best = LoggedOneRm(kg, when, e.reps, e.load_kg, e.rpe)
    if best is not None and best.kg > estimate.kg * (1 + norms.e1rm_rise_min_share):
        decision.one_rms[ex.id] = best


_RANK = {"failed": 0, "hold": 1, "progress": 2}


def _worse(a: str, b: str) -> str:
    return a if _RANK[a] <= _RANK[b] else b


def _verdict(target: Prescription, done: list[SetEntry], norms: Norms) -> str:
    """progress | hold | failed, for one logged session of one exercise."""
    if target.variation == "plyometric" or target.hold_s is not None:
        return "progress"  # contacts and holds follow the plan, not double progression
    wanted_sets = target.sets * (2 if target.per_side else 1)
    failed = any(
        e.reps < target.reps - norms.missed_reps_limit
        or (e.rpe is not None and e.rpe >= norms.failed_rpe)
        for e in done
    )
    if failed:
        return "failed"
    complete = (
        len(done) >= wanted_sets
        and all(e.reps >= target.reps for e in done)
        and all(e.load_kg >= (target.load_kg or 0.0) for e in done)
        and all(e.rpe is None or target.rpe is None or e.rpe <= target.rpe for e in done)
    )
    return "progress" if complete else "hold"
