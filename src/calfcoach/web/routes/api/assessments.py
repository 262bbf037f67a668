"""/api/v1/assessments: the tests (heel raise, hop, seated 1RM)."""

from __future__ import annotations

from fastapi import APIRouter

from calfcoach.services import diary_views, progress
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep
from calfcoach.web.schemas import AssessmentOut, HeelRaiseCreate, HopCreate, SeatedCreate

router = APIRouter()


@router.get("/assessments", response_model=list[AssessmentOut])
def list_assessments(
    db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> list[AssessmentOut]:
    """Every test; heel-raise tests with their limb symmetry and the age/sex median."""
    out = []
    for view in diary_views.assessments(db, athlete, today):
        a, report = view.assessment, view.heel_raise
        out.append(
            AssessmentOut(
                date=a.day,
                kind=a.kind,
                left_reps=a.left_reps,
                right_reps=a.right_reps,
                value_kg=a.value_kg,
                pain=a.pain,
                lsi=None if report is None else report.lsi,
                median_reps=None if report is None else report.median,
                lines=[] if report is None else list(report.lines),
            )
        )
    return out


@router.post("/assessments/heel-raise", response_model=AssessmentOut, status_code=201)
def create_heel_raise(
    body: HeelRaiseCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> AssessmentOut:
    """Store a single-leg heel-raise test (reps to failure, each side)."""
    report = progress.assess_heel_raise(
        db, athlete, body.date, body.left, body.right, today, pain=body.pain
    )
    return AssessmentOut(
        date=body.date,
        kind="heel_raise",
        left_reps=body.left,
        right_reps=body.right,
        value_kg=None,
        pain=body.pain,
        lsi=report.lsi,
        median_reps=report.median,
        lines=list(report.lines),
    )


@router.post("/assessments/hop", response_model=AssessmentOut, status_code=201)
def create_hop(
    body: HopCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> AssessmentOut:
    """Store a hop test: the pain while hopping on the injured leg (0: pain-free hopping)."""
    progress.assess_hop(db, athlete, body.date, body.pain, today)
    free = "pain-free" if body.pain == 0 else "not pain-free (pain-free means 0/10)"
    return AssessmentOut(
        date=body.date,
        kind="hop",
        left_reps=None,
        right_reps=None,
        value_kg=None,
        pain=body.pain,
        lines=[f"Pain while hopping: {body.pain}/10: {free}."],
    )


@router.post("/assessments/seated-1rm", response_model=AssessmentOut, status_code=201)
def create_seated_1rm(
    body: SeatedCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> AssessmentOut:
    """Store a seated calf-raise 1RM, measured or estimated from the log (Epley)."""
    result = progress.assess_seated_1rm(db, athlete, body.date, body.value_kg, today)
    return AssessmentOut(
        date=body.date,
        kind="seated_1rm",
        left_reps=None,
        right_reps=None,
        value_kg=result.report.value_kg,
        lines=list(result.report.lines),
    )
