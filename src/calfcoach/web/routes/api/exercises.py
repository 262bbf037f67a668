"""/api/v1/exercises: the catalog."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from calfcoach.web.schemas import ExerciseOut

router = APIRouter()


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
