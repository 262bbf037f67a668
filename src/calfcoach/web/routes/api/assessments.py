"""/api/v1/assessments: the tests (heel raise, hop, seated 1RM)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from calfcoach.services import change_notes, diary_views, progress
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep
from calfcoach.web.schemas import AssessmentOut, HeelRaiseCreate, HopCreate, SeatedCreate

router = APIRouter()


@router.get("/assessments", response_model=list[AssessmentOut])
def list_assessments(
    db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> list[AssessmentOut]:
    """Every test; heel-raise tests with their limb symmetry and the age/sex median."""
    return [
        AssessmentOut.model_validate(
            progress.AssessmentResult.of_stored(view.assessment, view.heel_raise).to_json()
        )
        for view in diary_views.assessments(db, athlete, today)
    ]


@router.post("/assessments/heel-raise", response_model=AssessmentOut, status_code=201)
def create_heel_raise(
    request: Request,
    body: HeelRaiseCreate,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> AssessmentOut:
    """Store a single-leg heel-raise test (reps to failure, each side)."""
    report = progress.assess_heel_raise(
        db, athlete, body.date, body.left, body.right, today, pain=body.pain
    )
    note_change(request, change_notes.heel_raise_test(body.date, body.left, body.right, body.pain))
    return AssessmentOut.model_validate(
        progress.AssessmentResult.of_heel_raise(body.date, body.pain, report).to_json()
    )


@router.post("/assessments/hop", response_model=AssessmentOut, status_code=201)
def create_hop(
    request: Request,
    body: HopCreate,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> AssessmentOut:
    """Store a hop test: the pain while hopping on the injured leg (0: pain-free hopping)."""
    caution = progress.assess_hop(db, athlete, body.date, body.pain, today)
    note_change(request, change_notes.hop_test(body.date, body.pain))
    result = progress.AssessmentResult.of_hop(body.date, body.pain, caution)
    return AssessmentOut.model_validate({**result.to_json(), "lines": list(result.lines)})


@router.post("/assessments/seated-1rm", response_model=AssessmentOut, status_code=201)
def create_seated_1rm(
    request: Request,
    body: SeatedCreate,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> AssessmentOut:
    """Store a seated calf-raise 1RM, measured or estimated from the log (Epley)."""
    result = progress.assess_seated_1rm(db, athlete, body.date, body.value_kg, today)
    note_change(
        request,
        change_notes.seated_test(body.date, result.report.value_kg, result.estimated_from),
    )
    return AssessmentOut.model_validate(
        progress.AssessmentResult.of_seated(body.date, result).to_json()
    )
