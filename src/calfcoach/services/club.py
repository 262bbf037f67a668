"""The club's defaults (issue 16): the club gym's equipment, its loads and the preferred
strength days, set once by an admin or coach (``calfcoach club set``, the coach dashboard's
form) and offered when a coach adds an athlete (the first-run form pre-filled; ``calfcoach
init`` fills what the profile file leaves out).

They are validated by the profile's own model (core.profile): the defaults are written as the
fields of a profile and parsed as one, so a default is valid exactly when it would be valid in
a profile file, and is refused with the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from calfcoach.errors import FieldError, NotFoundError
from calfcoach.services.access import Identity, strip_controls
from calfcoach.services.context import Database
from calfcoach.services.unit_of_work import SqlUnitOfWork
from calfcoach.store.club import ClubRepository

# [equipment_loads] keys: lists of owned loads, and single weights.
LOAD_LISTS = ("dumbbells", "kettlebells", "plates")
LOAD_SINGLES = ("backpack_max", "barbell", "smith_bar")
LOAD_KEYS = LOAD_LISTS + LOAD_SINGLES
# Who may set them: whoever adds athletes (services.access.init_athlete_as).
SETTERS = ("owner", "admin", "coach")
# A placeholder body mass, only so the defaults parse as a profile's fields.
_PLACEHOLDER_MASS_KG = 70.0


@dataclass(frozen=True, slots=True)
class ClubDefaults:
    """What a new athlete is offered. Loads are kilograms (the club gym's weights): they are
    offered to a new profile in metric units only (conservative reading: DESIGN.md says
    nothing of a club's units, and a kilogram plate is not a pound plate)."""

    equipment: tuple[str, ...] = ()
    equipment_loads: Mapping[str, Any] | None = None
    preferred_days: tuple[str, ...] = ()
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def loads(self) -> dict[str, Any]:
        return dict(self.equipment_loads or {})

    @property
    def is_empty(self) -> bool:
        return not (self.equipment or self.loads or self.preferred_days)


def club_defaults(db: Database) -> ClubDefaults | None:
    """The club's defaults; None when none were set."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        row = ClubRepository(uow.connection).get()
    if row is None:
        return None
    return ClubDefaults(
        tuple(row.equipment),
        row.equipment_loads,
        tuple(row.preferred_days),
        row.updated_at,
        row.updated_by,
    )


def parse_loads(key: str, raw: str) -> Any:
    """One ``[equipment_loads]`` value from what a person typed: "2, 4, 6.5" for a list, "20"
    for a single weight. What is not a number stays text, for the profile's validation to
    name.

    :raises FieldError: ``key`` is not a kind of equipment with loads.
    """
    if key not in LOAD_KEYS:
        raise FieldError(
            "equipment_loads", f"{strip_controls(key)!r} has no loads", ", ".join(LOAD_KEYS)
        )
    items = [item.strip() for item in raw.replace(";", ",").split(",") if item.strip()]
    numbers = [_number(item) for item in items]
    if key in LOAD_LISTS:
        return numbers
    return numbers[0] if len(numbers) == 1 else raw


def validated(
    equipment: Sequence[str], loads: Mapping[str, Any], days: Sequence[str], today: date
) -> ClubDefaults:
    """The defaults, checked as a profile's ``athlete.equipment``, ``[equipment_loads]`` and
    ``strength.preferred_days``.

    :raises FieldError: a value a profile would refuse; ``field`` is the profile's name of it
        (``athlete.equipment``, ``equipment_loads.plates``, ``strength.preferred_days``).
    """
    import tomlkit

    from calfcoach.core.profile import IN_PROFILE_UNITS, ProfileError, parse_profile
    from calfcoach.data import default_norms

    document = {
        "athlete": {"body_mass_kg": _PLACEHOLDER_MASS_KG, "equipment": list(equipment) or ["none"]},
        "strength": {"preferred_days": list(days)},
        "equipment_loads": dict(loads),
    }
    try:
        profile = parse_profile(
            tomlkit.dumps(document),
            "club defaults",
            today,
            max_plan_weeks=default_norms().max_plan_weeks,
        )
    except ProfileError as exc:
        field = exc.field or "equipment_loads"
        # The club gym's loads are kg (ClubDefaults), not "the profile's units" the profile's
        # own words for these limits say (a new-user trial with an imperial profile).
        allowed = (exc.allowed or "see calfcoach club set --help").replace(
            IN_PROFILE_UNITS, "in kg"
        )
        raise FieldError(field, exc.problem, allowed) from None
    return ClubDefaults(
        tuple(item for item in profile.athlete.equipment if item != "none"),
        profile.equipment_loads.to_json(),
        tuple(profile.strength.preferred_days),
    )


def set_club_defaults(db: Database, identity: Identity, defaults: ClubDefaults) -> None:
    """Store the club's defaults (already :func:`validated`), replacing the old ones. One
    transaction, audited.

    :raises NotFoundError: ``identity`` is an athlete (only those who add athletes set them).
    """
    if identity.role not in SETTERS:
        raise NotFoundError("no such page")
    with SqlUnitOfWork(db.engine) as uow:
        ClubRepository(uow.connection).put(
            list(defaults.equipment),
            defaults.loads,
            list(defaults.preferred_days),
            identity.name,
        )
        uow.access.record(identity.name, "club_defaults", None, describe(defaults))
        uow.commit()


def describe(defaults: ClubDefaults) -> str:
    """One line: what the defaults are."""
    loads = "; ".join(
        f"{key} {', '.join(f'{v:g}' for v in value) if isinstance(value, list) else f'{value:g}'}"
        for key, value in sorted(defaults.loads.items())
    )
    return (
        f"equipment: {', '.join(defaults.equipment) or 'none'}; "
        f"loads (kg): {loads or 'none'}; "
        f"preferred days: {', '.join(defaults.preferred_days) or 'none'}"
    )


def profile_with_defaults(text: str, defaults: ClubDefaults | None) -> tuple[str, list[str]]:
    """The profile TOML with the club's defaults where the file says nothing, and the names
    of the fields filled. The file's own values always win; its comments and order are kept.
    Text that is not TOML comes back as it was, for the profile's validation to report."""
    if defaults is None or defaults.is_empty:
        return text, []
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
    except (TOMLKitError, RecursionError):
        return text, []
    athlete = document.get("athlete")
    if not isinstance(athlete, dict):
        return text, []  # no [athlete] table: the profile's validation says what is missing
    filled: list[str] = []
    if defaults.equipment and "equipment" not in athlete:
        athlete["equipment"] = list(defaults.equipment)
        filled.append("athlete.equipment")
    metric = athlete.get("units", "metric") == "metric"
    if defaults.loads and metric and "equipment_loads" not in document:
        document["equipment_loads"] = defaults.loads
        filled.append("equipment_loads")
    strength = document.get("strength")
    if defaults.preferred_days and (strength is None or isinstance(strength, dict)):
        if strength is None:
            document["strength"] = {"preferred_days": list(defaults.preferred_days)}
            filled.append("strength.preferred_days")
        elif "preferred_days" not in strength:
            strength["preferred_days"] = list(defaults.preferred_days)
            filled.append("strength.preferred_days")
    return (tomlkit.dumps(document) if filled else text), filled


def profile_for_new_athlete(db: Database, text: str, today: date) -> tuple[str, list[str]]:
    """``calfcoach init``'s profile text: with the club's defaults where it says nothing, when
    it adds a new athlete. An athlete already stored keeps exactly what their file says
    (conservative reading: the defaults are offered "when adding an athlete", not on every
    update of one)."""
    from calfcoach.core.profile import ProfileError, parse_profile
    from calfcoach.data import default_norms

    defaults = club_defaults(db)
    if defaults is None:
        return text, []
    try:
        weeks = default_norms().max_plan_weeks
        name = parse_profile(text, "profile", today, max_plan_weeks=weeks).athlete.name
    except ProfileError:
        # Reported by init as it is, with the line numbers of the file the person wrote.
        return text, []
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        known = uow.athletes.id_of(name) is not None
    return (text, []) if known else profile_with_defaults(text, defaults)


def _number(item: str) -> float | str:
    try:
        return float(item)
    except ValueError:
        return item
