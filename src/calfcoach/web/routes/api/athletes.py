"""/api/v1/athletes and /api/v1/athlete: the athletes you may see, a new athlete from a
profile, and an athlete's stored profile."""

from __future__ import annotations

from fastapi import APIRouter

from calfcoach.services import access, diary_views
from calfcoach.services.athletes import InitResult
from calfcoach.web.deps import AthleteQuery, DatabaseDep, IdentityDep, TodayDep
from calfcoach.web.schemas import AthleteCreate, AthleteCreated, AthleteListItem, AthleteOut

router = APIRouter()


@router.get("/athletes", response_model=list[AthleteListItem])
def list_athletes(db: DatabaseDep, identity: IdentityDep) -> list[AthleteListItem]:
    """The athletes you may see (every one in the database for its local owner)."""
    return [AthleteListItem(name=name) for name in access.visible_names(db, identity)]


@router.post("/athletes", response_model=AthleteCreated, status_code=201)
def create_athlete(
    body: AthleteCreate, db: DatabaseDep, today: TodayDep, identity: IdentityDep
) -> AthleteCreated:
    """Add the profile's athlete and their first plan. What the profile leaves out is taken
    from the club's defaults, as `calfcoach init` does (the first note says which fields). A
    name taken already (in any letter case or spacing) is refused with 422 and the same words
    whoever has it, an athlete you may see or not: change an athlete's profile with
    `PUT /api/v1/athlete`."""
    result = access.init_athlete_as(
        db, identity, body.profile_toml, "profile_toml", body.start, today, club_defaults=True
    )
    return _created(result)


@router.get("/athlete", response_model=AthleteOut)
def get_athlete(db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None) -> AthleteOut:
    """The athlete's stored profile."""
    view = diary_views.athlete_view(db, athlete, today)
    return AthleteOut(
        name=view.name,
        units=view.profile.athlete.units,
        profile=view.profile.to_json(),
        profile_toml=view.profile_toml,
    )


@router.put("/athlete", response_model=AthleteCreated)
def replace_athlete(
    body: AthleteCreate,
    db: DatabaseDep,
    today: TodayDep,
    identity: IdentityDep,
    athlete: AthleteQuery = None,
) -> AthleteCreated:
    """Replace the athlete's profile (it must keep the athlete's name) and make a fresh plan
    from `start` (default next Monday), as `calfcoach init` again does. Needs edit access."""
    result = access.update_athlete_as(
        db, identity, athlete, body.profile_toml, "profile_toml", body.start, today
    )
    return _created(result)


def _created(result: InitResult) -> AthleteCreated:
    """The answer to adding or replacing a profile: the service's result, as JSON."""
    return AthleteCreated(
        name=result.name,
        created=result.created,
        weeks=result.weeks,
        start=result.start,
        notes=list(result.notes),
    )
