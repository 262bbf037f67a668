"""The JSON API under /api/v1: everything the pages do, for other programs. Each route
validates its input with a pydantic model and calls one service; errors are
``{"error": {"code", "message", "field"}}`` (see web.app)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from calfcoach.core.inputs import Day
from calfcoach.core.limits import HISTORY_WEEKS
from calfcoach.errors import InputError
from calfcoach.services import access, checkins, diary, diary_views, progress
from calfcoach.web.deps import AthleteQuery, DatabaseDep, IdentityDep, SetId, TodayDep
from calfcoach.web.schemas import (
    AsPrescribed,
    AssessmentOut,
    AthleteCreate,
    AthleteCreated,
    AthleteListItem,
    AthleteOut,
    CheckInCreate,
    CheckInOut,
    ClientSetOut,
    ClientSetPut,
    ErrorOut,
    ExerciseOut,
    HeelRaiseCreate,
    HopCreate,
    SeatedCreate,
    SetCreate,
    SetOut,
    SetUpdate,
    SetValues,
)

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such athlete or logged set."},
    413: {"model": ErrorOut, "description": "Request body too large."},
    422: {"model": ErrorOut, "description": "Invalid input; `field` names it."},
    503: {"model": ErrorOut, "description": "The database is busy; try again."},
}
router = APIRouter(prefix="/api/v1", tags=["calfcoach"], responses=_ERRORS)

DateQuery = Annotated[Day | None, Query(alias="date", description="YYYY-MM-DD; default today.")]


@router.get("/athletes", response_model=list[AthleteListItem])
def list_athletes(db: DatabaseDep, identity: IdentityDep) -> list[AthleteListItem]:
    """The athletes you may see (every one in the database for its local owner)."""
    return [AthleteListItem(name=name) for name in access.visible_names(db, identity)]


@router.post("/athletes", response_model=AthleteCreated, status_code=201)
def create_athlete(
    body: AthleteCreate, db: DatabaseDep, today: TodayDep, identity: IdentityDep
) -> AthleteCreated:
    """Store the profile's athlete (or update the one with that name: that needs edit access)
    and a fresh plan."""
    result = access.init_athlete_as(
        db, identity, body.profile_toml, "profile_toml", body.start, today
    )
    return AthleteCreated(
        name=result.name,
        created=result.created,
        weeks=result.weeks,
        start=result.start,
        notes=list(result.notes),
    )


@router.get("/athlete", response_model=AthleteOut)
def get_athlete(db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None) -> AthleteOut:
    """The athlete's stored profile."""
    view = diary_views.athlete_view(db, athlete, today)
    return AthleteOut(
        name=view.name,
        units=view.profile.athlete.units,
        profile=view.profile.model_dump(mode="json"),
        profile_toml=view.profile_toml,
    )


@router.get("/plan")
def get_plan(db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None) -> dict[str, Any]:
    """The current plan (DESIGN.md's plan JSON), re-planned after every log and check-in."""
    return diary_views.plan_view(db, athlete, today).document


@router.get("/today")
def get_day(
    db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None, day: DateQuery = None
) -> dict[str, Any]:
    """A day of the plan with each exercise's logged sets (`calfcoach today --format json`)."""
    return diary_views.day_view(db, athlete, day or today).to_json()


@router.get("/sets", response_model=list[SetOut])
def list_sets(
    db: DatabaseDep,
    athlete: AthleteQuery = None,
    first: Annotated[Day | None, Query(alias="from")] = None,
    last: Annotated[Day | None, Query(alias="to")] = None,
) -> list[SetOut]:
    """Logged sets from `from` to `to` (inclusive), oldest first."""
    return [SetOut.of(e) for e in diary_views.logged_sets(db, athlete, first, last)]


@router.post("/sets", response_model=list[SetOut], status_code=201)
def log_sets(
    body: SetCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> list[SetOut]:
    """Log sets of one exercise and re-plan the weeks after today."""
    if body.both_sides and body.side is not None:
        raise InputError("side: give side or both_sides, not both", "side")
    request = diary.LogRequest(
        body.exercise,
        body.sets,
        body.reps,
        f"{body.load_kg}kg",
        body.rpe,
        body.side,
        body.both_sides,
        body.hold_s,
    )
    entries = diary.log_sets(db, athlete, body.date, request, today)
    return [SetOut.of(e) for e in entries]


ClientSetId = Annotated[
    UUID,
    Path(description="The id the client made for this set when it was tapped (a UUID)."),
]


@router.put(
    "/sets/{client_id}",
    response_model=ClientSetOut,
    responses={
        200: {
            "description": "Known id: sent again (unchanged), or an edit (updated or "
            "kept_newer); `outcome` says which."
        },
        201: {"model": ClientSetOut, "description": "Stored now (`outcome`: created)."},
    },
)
def put_set(
    client_id: ClientSetId,
    body: ClientSetPut,
    response: Response,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> ClientSetOut:
    """Log one set under an id the client made (idempotent): the same body sent twice is
    stored once (201, then 200 `unchanged`). A set changed on two devices: the edit with the
    later `client_updated_at` is kept, and the response names the version that lost
    (`updated` or `kept_newer`, with `other`). One side of a per-side set: send `side`; the
    other side sent next shares its set number. Re-plans the weeks after today."""
    result = diary.put_client_set(
        db,
        athlete,
        str(client_id),
        diary.ClientSet(
            body.date,
            body.exercise,
            body.reps,
            body.load_kg,
            body.rpe,
            body.side,
            body.hold_s,
            body.client_updated_at,
        ),
        today,
    )
    if result.outcome == "created":
        response.status_code = 201
    other = None
    if result.other is not None:
        other = SetValues(
            reps=result.other.reps,
            load_kg=result.other.load_kg,
            rpe=result.other.rpe,
            side=result.other.side,
            hold_s=result.other.hold_s,
        )
    return ClientSetOut(set=SetOut.of(result.entry), outcome=result.outcome, other=other)  # type: ignore[arg-type]


@router.post("/sets/as-prescribed", response_model=list[SetOut], status_code=201)
def log_day_as_prescribed(
    body: AsPrescribed, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> list[SetOut]:
    """Log every set of the day's plan as prescribed."""
    return [SetOut.of(e) for e in diary.log_as_prescribed(db, athlete, body.date, today)]


@router.patch("/sets/{set_id}", response_model=SetOut)
def edit_set(
    set_id: SetId, body: SetUpdate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> SetOut:
    """Correct a logged set's reps, load or RPE."""
    load = None if body.load_kg is None else f"{body.load_kg}kg"
    return SetOut.of(diary.edit_set(db, athlete, set_id, body.reps, load, body.rpe, today))


@router.delete("/sets/{set_id}", status_code=204)
def delete_set(
    set_id: SetId, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> Response:
    """Delete a logged set."""
    diary.delete_set(db, athlete, set_id, today)
    return Response(status_code=204)


@router.get("/checkins", response_model=list[CheckInOut])
def list_checkins(db: DatabaseDep, athlete: AthleteQuery = None) -> list[CheckInOut]:
    """Every pain check-in, oldest first."""
    return [
        CheckInOut.model_validate(checkins.checkin_dict(c))
        for c in diary_views.checkins(db, athlete)
    ]


@router.post("/checkins", response_model=CheckInOut, status_code=201)
def create_checkin(
    body: CheckInCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> dict[str, Any]:
    """Record a training day's pain (during, the next morning, before) or a red flag; says
    the zone and how the next session changes (DOMAIN.md §6). A second check-in for a day
    updates the first; a date after today is refused (422)."""
    result = checkins.record_checkin(
        db,
        athlete,
        body.date,
        body.pain_during,
        body.pain_next_morning,
        today,
        pain_before=body.pain_before,
        red_flag=body.red_flag,
        cleared_by_clinician=body.cleared_by_clinician,
    )
    return result.to_json()


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
    body: HeelRaiseCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> AssessmentOut:
    """Store a single-leg heel-raise test (reps to failure, each side)."""
    report = progress.assess_heel_raise(
        db, athlete, body.date, body.left, body.right, today, pain=body.pain
    )
    return AssessmentOut.model_validate(
        progress.AssessmentResult.of_heel_raise(body.date, body.pain, report).to_json()
    )


@router.post("/assessments/hop", response_model=AssessmentOut, status_code=201)
def create_hop(
    body: HopCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> AssessmentOut:
    """Store a hop test: the pain while hopping on the injured leg (0: pain-free hopping)."""
    progress.assess_hop(db, athlete, body.date, body.pain, today)
    result = progress.AssessmentResult.of_hop(body.date, body.pain)
    return AssessmentOut.model_validate({**result.to_json(), "lines": list(result.lines)})


@router.post("/assessments/seated-1rm", response_model=AssessmentOut, status_code=201)
def create_seated_1rm(
    body: SeatedCreate, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> AssessmentOut:
    """Store a seated calf-raise 1RM, measured or estimated from the log (Epley)."""
    result = progress.assess_seated_1rm(db, athlete, body.date, body.value_kg, today)
    return AssessmentOut.model_validate(
        progress.AssessmentResult.of_seated(body.date, result).to_json()
    )


@router.get("/history")
def get_history(
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    exercise: Annotated[str | None, Query(max_length=100)] = None,
    weeks: Annotated[int | None, Query(ge=HISTORY_WEEKS.low, le=HISTORY_WEEKS.high)] = None,
) -> dict[str, Any]:
    """Per exercise and session: top set, estimated 1RM and volume; tests and check-ins
    (`calfcoach history --format json`)."""
    return progress.history(db, athlete, exercise, weeks, today).to_json()


@router.get("/exercises", response_model=list[ExerciseOut])
def list_exercises(
    variation: Annotated[
        str | None, Query(max_length=20, description="straight_leg, bent_knee or plyometric.")
    ] = None,
    equipment: Annotated[
        list[str] | None, Query(description="Equipment at hand; repeat the parameter.")
    ] = None,
) -> list[dict[str, Any]]:
    """The catalog, filtered by variation and by the equipment at hand."""
    from calfcoach.services.planning import find_exercises

    return [ex.contract_dict() for ex in find_exercises(variation, equipment)]
