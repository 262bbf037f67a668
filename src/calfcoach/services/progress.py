"""Tests and progress over time: `assess` and `history`. One transaction each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from calfcoach.core.assessments import (
    HeelRaiseReport,
    SeatedReport,
    heel_raise_report,
    seated_1rm_report,
)
from calfcoach.core.catalog import is_insertional
from calfcoach.core.limits import HISTORY_WEEKS, ONE_RM_KG
from calfcoach.core.log import Assessment
from calfcoach.core.profile import seated_1rm_beyond_belief
from calfcoach.core.units import format_weight
from calfcoach.data import default_catalog, default_norms
from calfcoach.errors import FieldError, InputError
from calfcoach.services.context import Database, find_athlete, stored_profile
from calfcoach.services.inputs import checked, refuse_future
from calfcoach.services.replan import replan_from_history, run_waiting_replan
from calfcoach.services.unit_of_work import UnitOfWork

# How far back `assess seated-1rm` looks for a logged set to estimate from.
ESTIMATE_WINDOW_DAYS = 56
# The newest changes the history shows (page and JSON); older ones stay in the backup.
CHANGES_SHOWN = 1000


def assess_heel_raise(
    db: Database,
    athlete: str | None,
    day: date,
    left: int,
    right: int,
    today: date | None = None,
    pain: int | None = None,
) -> HeelRaiseReport:
    """Store a single-leg heel-raise test and compare it with the norms and the last test
    (one transaction, with the re-plan it causes).

    :param pain: 0–10 during the test, None when not recorded; "pain-free" raises are the
        ones tested with pain 0 (DOMAIN.md §6, calf strain).
    :raises FieldError: reps, pain or the date not allowed (core.inputs).
    :raises InputError: no such athlete.
    """
    from calfcoach.core.inputs import HeelRaiseInput

    checked(HeelRaiseInput, date=day, left=left, right=right, pain=pain)
    # A test is done, not planned: like a set or a check-in, not after today (conservative
    # reading of DOMAIN.md §6, which says so for sets and check-ins).
    refuse_future(day, today or day)
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        run_waiting_replan(uow, athlete_id, name)  # before the write, as it would have run
        profile = stored_profile(uow, athlete_id, name, day)
        earlier = [
            a for a in uow.assessments.all(athlete_id) if a.kind == "heel_raise" and a.day <= day
        ]
        previous = None
        if earlier and earlier[-1].left_reps is not None and earlier[-1].right_reps is not None:
            previous = (earlier[-1].left_reps, earlier[-1].right_reps)
        uow.assessments.add(athlete_id, Assessment(None, day, "heel_raise", left, right, pain=pain))
        replan_from_history(uow, athlete_id, name, today or day)
        uow.commit()
    return heel_raise_report(
        left, right, profile.age_in(day.year), profile.athlete.sex, previous, default_norms()
    )


def assess_hop(
    db: Database, athlete: str | None, day: date, pain: int, today: date | None = None
) -> str | None:
    """Store a hop test: the pain (0–10) while hopping on the injured leg; hopping with pain 0
    is the "pain-free hopping" of a calf strain's return to running (DOMAIN.md §6). One
    transaction, with the re-plan it causes.

    :returns: why the test came too soon (core.return_to_run.hop_test_caution), or None.
    :raises FieldError: pain or the date not allowed (core.inputs).
    :raises InputError: no such athlete.
    """
    from calfcoach.core.inputs import HopInput

    checked(HopInput, date=day, pain=pain)
    refuse_future(day, today or day)
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        run_waiting_replan(uow, athlete_id, name)  # before the write, as it would have run
        caution = _hop_caution(uow, athlete_id, name, day)
        uow.assessments.add(athlete_id, Assessment(None, day, "hop", pain=pain))
        replan_from_history(uow, athlete_id, name, today or day)
        uow.commit()
    return caution


@dataclass(frozen=True, slots=True)
class HopTestOffer:
    """Whether the Progress page offers the hop test (a calf strain's return criterion, so
    only with a calf strain: a trial's runner without one was offered it), and why a test on
    the day would come too soon (None: it would not)."""

    offered: bool
    caution: str | None


def hop_test_offer(db: Database, athlete: str | None, day: date) -> HopTestOffer:
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        strain = stored_profile(uow, athlete_id, name, day).health.condition == "calf_strain"
        return HopTestOffer(strain, _hop_caution(uow, athlete_id, name, day) if strain else None)


def _hop_caution(uow: UnitOfWork, athlete_id: int, name: str, day: date) -> str | None:
    from calfcoach.core.pain import pain_status
    from calfcoach.core.return_to_run import hop_test_caution

    norms = default_norms()
    profile = stored_profile(uow, athlete_id, name, day)
    tests = [t for t in uow.assessments.all(athlete_id) if t.day <= day]
    checkins = uow.checkins.all(athlete_id)
    last_red = pain_status(checkins, day, norms).last_red if checkins else None
    return hop_test_caution(profile, tests, norms, last_red)


@dataclass(frozen=True, slots=True)
class SeatedResult:
    report: SeatedReport
    estimated_from: str | None  # "42.5 kg × 10 on 2026-12-01 (seated-smith-calf-raise)"


def assess_seated_1rm(
    db: Database,
    athlete: str | None,
    day: date,
    value_kg: float | None,
    today: date | None = None,
    *,
    typed: str | None = None,
) -> SeatedResult:
    """Store a seated-raise 1RM, measured or estimated (Epley) from the best logged set of a
    both-leg seated raise in the last eight weeks. One transaction, with the re-plan it causes.

    :param value_kg: the measured 1RM in kg (the API's ``value_kg``); None: estimated.
    :param typed: instead, the 1RM as a person typed it ("95", "95kg", "200lb"): read as
        ``log --load`` reads a load, a bare number in the profile's units (issue 13).
    :raises FieldError: the 1RM or the date not allowed (core.limits, core.inputs).
    :raises InputError: no such athlete; nothing logged to estimate from.
    """
    from calfcoach.core.inputs import SeatedInput
    from calfcoach.services.diary import parse_one_rm

    checked(SeatedInput, date=day, value_kg=value_kg)
    refuse_future(day, today or day)  # as assess_heel_raise
    catalog = default_catalog()
    seated = {ex.id for ex in catalog if ex.load_class == "seated_both"}
    source = None
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        run_waiting_replan(uow, athlete_id, name)  # before the write, as it would have run
        profile = stored_profile(uow, athlete_id, name, day)
        units = profile.athlete.units
        if typed is not None:
            value_kg = parse_one_rm(typed, units)
            checked(SeatedInput, date=day, value_kg=value_kg)
        if value_kg is None:
            since = day - timedelta(days=ESTIMATE_WINDOW_DAYS)
            tops = [
                row
                for row in uow.sets.daily_tops(athlete_id, since, body_kg=body_kg(profile))
                if row["exercise"] in seated and row["day"] <= day and row["load_kg"] > 0
            ]
            if not tops:
                raise InputError(
                    "no seated both-leg raise logged in the last 8 weeks to estimate from; "
                    "give the 1RM: calfcoach assess seated-1rm 95"
                )
            best = max(tops, key=lambda row: float(row["e1rm"]))
            # Seated raises carry no body weight: the system load is the load (§2.1).
            value_kg = round(float(best["e1rm"]), 1)
            source = (
                f"{format_weight(float(best['load_kg']), units)} × {best['reps']} on "
                f"{best['day']} ({best['exercise']})"
            )
            if not ONE_RM_KG.contains(value_kg):
                # A typo'd set (999 kg for 99) gives an estimate no 1RM may be: it would not
                # even validate as the profile's assessment. Capped, it would still plan
                # loads from the typo, so the set is named to be corrected (issue 13).
                raise InputError(
                    f"seated 1RM: the estimate from {source} is "
                    f"{format_weight(value_kg, units)}; allowed: a 1RM {ONE_RM_KG.allowed()}: "
                    "correct that set's load (calfcoach log edit), or give the 1RM measured: "
                    "calfcoach assess seated-1rm 95",
                    "value_kg",
                )
        beyond = seated_1rm_beyond_belief(
            value_kg,
            profile.athlete.body_mass_kg,
            default_norms().seated_1rm_max_x_bodyweight,
            units,
        )
        if beyond is not None:
            problem, allowed = beyond
            if source is not None:
                problem = f"the estimate from {source}: {problem} (calfcoach log edit corrects it)"
            raise InputError(f"{problem}; allowed: {allowed}", "value_kg")
        uow.assessments.add(athlete_id, Assessment(None, day, "seated_1rm", value_kg=value_kg))
        replan_from_history(uow, athlete_id, name, today or day)
        uow.commit()
    report = seated_1rm_report(value_kg, profile.athlete.body_mass_kg, default_norms(), units)
    return SeatedResult(report, source)


def body_kg(profile: Any) -> dict[str, float]:
    """The body weight each raise's calf lifts besides its load (DOMAIN.md §2.1), for the
    e1RM and volume of the system load; holds and plyometrics have no e1RM."""
    mass = profile.athlete.body_mass_kg
    return {
        ex.id: round(ex.bodyweight_share * mass, 2)
        for ex in default_catalog()
        if ex.bodyweight_share > 0 and not ex.isometric and ex.variation != "plyometric"
    }


@dataclass(frozen=True, slots=True)
class History:
    athlete: str
    units: str
    exercises: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    checkins: list[dict[str, Any]]
    # Who changed the diary and when (the audit trail, issue 16), newest first.
    changes: list[dict[str, Any]] = field(default_factory=list)
    # The body weight each exercise's e1RM and volume count besides the load (standing raises:
    # the system load, DOMAIN.md §2.1), so a table can say so (issue 13); not in the JSON.
    body_kg: dict[str, float] = field(default_factory=dict)
    insertional: bool = False  # insertional Achilles pain: flat-floor names (catalog.name_for)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's `history` JSON, and (added for issue 16) the diary's changes."""
        return {
            "exercises": self.exercises,
            "assessments": self.assessments,
            "checkins": self.checkins,
            "changes": self.changes,
        }


def history(
    db: Database, athlete: str | None, exercise: str | None, weeks: int | None, today: date
) -> History:
    """Per exercise and session: top set, its Epley 1RM and the day's volume; with tests and
    check-ins. ``weeks`` limits it to the last weeks."""
    if weeks is not None and not HISTORY_WEEKS.low <= weeks <= HISTORY_WEEKS.high:
        raise FieldError("weeks", f"{weeks} is out of range", HISTORY_WEEKS.allowed())
    if exercise is not None:
        from calfcoach.services.diary import check_exercise

        check_exercise(exercise)
    since = None if weeks is None else today - timedelta(weeks=weeks)
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, today)
        # Rows, not dicts: ten years are 11,000 of them (bench/log_speed.py).
        tops = uow.sets.daily_top_rows(athlete_id, since, exercise, body_kg(profile))
        tests = [a for a in uow.assessments.all(athlete_id) if since is None or a.day >= since]
        pains = [c for c in uow.checkins.all(athlete_id) if since is None or c.day >= since]
        # Every change, whatever --weeks says: who touched the diary is not a training record.
        changes = uow.access.history(athlete_id, limit=CHANGES_SHOWN)
    bodies = body_kg(profile)
    by_exercise: dict[str, list[dict[str, Any]]] = {}
    for name, day, load_kg, reps, e1rm, volume in tops:
        by_exercise.setdefault(name, []).append(
            {
                "date": day.isoformat(),
                "top_set_kg": float(load_kg),
                "reps": int(reps),
                # Added to the contract: the top set's system load (DOMAIN.md §2.1).
                "top_set_system_kg": round(float(load_kg) + bodies.get(name, 0), 1),
                "e1rm_kg": round(float(e1rm), 1),
                "volume_kg": round(float(volume), 1),
            }
        )
    return History(
        name,
        profile.athlete.units,
        [{"exercise": ex, "sessions": sessions} for ex, sessions in by_exercise.items()],
        [
            {
                "date": a.day.isoformat(),
                "kind": a.kind,
                "left_reps": a.left_reps,
                "right_reps": a.right_reps,
                "value_kg": a.value_kg,
                "pain": a.pain,
            }
            for a in tests
        ],
        [
            {
                "date": c.day.isoformat(),
                "pain_during": c.pain_during,
                "pain_next_morning": c.pain_next_morning,
            }
            for c in pains
        ],
        [
            {
                "at": row.at.isoformat(),
                "who": row.actor,
                "action": row.action,
                "detail": row.detail,
            }
            for row in changes
        ],
        bodies,
        is_insertional(profile.health.condition, profile.health.achilles_type),
    )


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """A calf test as both shells return it: ``calfcoach assess … --format json`` and the
    API's /api/assessments use this one ``to_json`` (issue 13).

    Where the CLI and the API named a field differently, both names are kept (contracts only
    grow): ``left``/``right`` (CLI) and ``left_reps``/``right_reps`` (API); ``median`` (CLI)
    and ``median_reps`` (API). ``lsi`` is rounded to 2 decimals, as the CLI gave it (the API
    gave it unrounded; the test lines show 2 decimals too).
    """

    day: date
    kind: str  # heel_raise | hop | seated_1rm
    left_reps: int | None = None
    right_reps: int | None = None
    value_kg: float | None = None
    pain: int | None = None
    heel_raise: HeelRaiseReport | None = None
    seated: SeatedReport | None = None
    estimated_from: str | None = None
    lines: tuple[str, ...] = ()

    @classmethod
    def of_heel_raise(
        cls, day: date, pain: int | None, report: HeelRaiseReport
    ) -> AssessmentResult:
        return cls(
            day,
            "heel_raise",
            report.left,
            report.right,
            pain=pain,
            heel_raise=report,
            lines=report.lines,
        )

    @classmethod
    def of_hop(cls, day: date, pain: int, caution: str | None = None) -> AssessmentResult:
        free = "pain-free" if pain == 0 else "not pain-free (pain-free means 0/10)"
        lines = (f"Pain while hopping: {pain}/10: {free}.",)
        return cls(day, "hop", pain=pain, lines=lines + ((caution,) if caution else ()))

    @classmethod
    def of_seated(cls, day: date, result: SeatedResult) -> AssessmentResult:
        report = result.report
        return cls(
            day,
            "seated_1rm",
            value_kg=report.value_kg,
            seated=report,
            estimated_from=result.estimated_from,
            lines=report.lines,
        )

    @classmethod
    def of_stored(cls, test: Assessment, report: HeelRaiseReport | None) -> AssessmentResult:
        """A stored test (its lines: a heel-raise test's comparison, else none)."""
        return cls(
            test.day,
            test.kind,
            test.left_reps,
            test.right_reps,
            test.value_kg,
            test.pain,
            heel_raise=report,
            lines=() if report is None else report.lines,
        )

    def to_json(self) -> dict[str, Any]:
        if self.kind == "hop":
            # `assess hop --format json` is pinned to these four fields (a test holds it to
            # them exactly); the API adds its `lines` to them.
            return {
                "date": self.day.isoformat(),
                "kind": "hop",
                "pain": self.pain,
                "pain_free": self.pain == 0,
            }
        out: dict[str, Any] = {
            "date": self.day.isoformat(),
            "kind": self.kind,
            "left_reps": self.left_reps,
            "right_reps": self.right_reps,
            "value_kg": self.value_kg,
            "pain": self.pain,
            "lsi": None,
            "median": None,
            "median_reps": None,
            "lines": list(self.lines),
        }
        report = self.heel_raise
        if report is not None:
            out.update(
                left=report.left,
                right=report.right,
                # No raise on either side: no symmetry to measure (the lines say so; 1.0 read
                # as perfect symmetry, a trial's finding).
                lsi=round(report.lsi, 2) if max(report.left, report.right) else None,
                median=report.median,
                median_reps=report.median,
                percent_of_median=None
                if report.percent_of_median is None
                else round(report.percent_of_median, 1),
                meets_clinical_floor=report.meets_floor,
                meets_return_to_run=report.meets_return_to_run,
                change=report.change,
                within_test_noise=report.change_is_noise,
            )
        if self.seated is not None:
            out.update(
                target_kg=round(self.seated.target_kg, 1),
                percent_of_target=round(self.seated.percent_of_target, 1),
                x_bodyweight=round(self.seated.x_bodyweight, 2),
                estimated_from=self.estimated_from,
            )
        return out
