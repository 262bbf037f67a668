"""/api/v1/sets: logged sets: list, log, log under a client-made id (idempotent), log a day
as prescribed, correct and delete."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response

from calfcoach.core.inputs import Day
from calfcoach.errors import InputError
from calfcoach.services import change_notes, diary, diary_views
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, DatabaseDep, SameAccount, SetId, TodayDep
from calfcoach.web.schemas import (
    AsPrescribed,
    ClientSetOut,
    ClientSetPut,
    ErrorOut,
    SetCreate,
    SetOut,
    SetUpdate,
    SetValues,
)

router = APIRouter()


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
    request: Request,
    body: SetCreate,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> list[SetOut]:
    """Log sets of one exercise and re-plan the weeks after today."""
    if body.both_sides and body.side is not None:
        raise InputError("side: give side or both_sides, not both", "side")
    wanted = diary.LogRequest(
        body.exercise,
        body.sets,
        body.reps,
        f"{body.load_kg}kg",
        body.rpe,
        body.side,
        body.both_sides,
        body.hold_s,
    )
    entries = diary.log_sets(db, athlete, body.date, wanted, today)
    note_change(request, change_notes.sets_added(entries))
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
        409: {"model": ErrorOut, "description": "`X-Calfcoach-Account` is not who is signed in."},
    },
    dependencies=[SameAccount],
)
def put_set(
    request: Request,
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
        note_change(request, change_notes.sets_added([result.entry]))
    elif result.outcome == "updated" and result.other is not None:
        note_change(request, change_notes.set_changed(result.other, result.entry))
    else:
        note_change(request, None)  # sent again, or an older edit: nothing stored
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


@router.post(
    "/sets/as-prescribed",
    response_model=list[SetOut],
    status_code=201,
    responses={
        200: {
            "model": list[SetOut],
            "description": "The day's prescribed sets were all logged already: nothing "
            "stored, an empty list.",
        },
        201: {"model": list[SetOut], "description": "The sets stored now."},
    },
)
def log_day_as_prescribed(
    request: Request,
    body: AsPrescribed,
    response: Response,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> list[SetOut]:
    """Log the day's prescribed sets that are not logged yet, as prescribed (sets logged
    already count toward their exercise)."""
    added = diary.log_day_as_prescribed(db, athlete, body.date, today).added
    note_change(request, change_notes.sets_added(added))
    if not added:
        response.status_code = 200
    return [SetOut.of(e) for e in added]


@router.patch("/sets/{set_id}", response_model=SetOut)
def edit_set(
    request: Request,
    set_id: SetId,
    body: SetUpdate,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> SetOut:
    """Correct a logged set's reps, load or RPE."""
    load = None if body.load_kg is None else f"{body.load_kg}kg"
    correction = diary.correct_set(db, athlete, set_id, body.reps, load, body.rpe, today)
    note_change(request, change_notes.set_changed(correction.before, correction.after))
    return SetOut.of(correction.after)


@router.delete("/sets/{set_id}", status_code=204)
def delete_set(
    request: Request, set_id: SetId, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> Response:
    """Delete a logged set."""
    note_change(request, change_notes.set_removed(diary.delete_set(db, athlete, set_id, today)))
    return Response(status_code=204)
