"""Plan, check and browse: the use cases behind ``plan``, ``check`` and ``exercises``.

These read files (the core never does) and translate the core's errors into
:class:`~calfcoach.errors.InputError` lines naming the file, field, line and allowed values.
Nothing here writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from calfcoach.core.catalog import Exercise
from calfcoach.core.limits import IMPERIAL_BODY_MASS_NOTE_KG
from calfcoach.core.periodization import PlanInputError, monday_of, next_monday
from calfcoach.core.plan import Plan, PlanFormatError, plan_from_dict
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import Profile, ProfileError, parse_profile
from calfcoach.core.units import kg_to_lb
from calfcoach.data import default_catalog, default_norms
from calfcoach.errors import FieldError, InputError
from calfcoach.services.files import read_json, read_text
from calfcoach.services.inputs import check_day, checked

if TYPE_CHECKING:
    from calfcoach.core.rules import Violation
    from calfcoach.core.running_load import RunningHistory

# The planner's inputs that are a command's parameters, not fields of the profile file: their
# errors are worded by each shell (``--weeks`` on the command line).
PLAN_PARAMETERS = ("weeks", "start")


def load_profile(path: Path, today: date) -> Profile:
    """Read and validate a profile TOML file.

    :raises InputError: unreadable file or invalid profile (one line, exit code 2).
    """
    return profile_from_text(read_text(path, "profile"), str(path), today)


def profile_from_text(text: str, source: str, today: date) -> Profile:
    """Validate a profile's TOML text; ``source`` names it in errors (a file, "form").

    :raises InputError: invalid profile, with the field (``athlete.body_mass_kg``) attached.
    """
    try:
        norms = default_norms()
        return parse_profile(
            text,
            source,
            today,
            max_plan_weeks=norms.max_plan_weeks,
            max_seated_1rm_x_bodyweight=norms.seated_1rm_max_x_bodyweight,
        )
    except ProfileError as exc:
        raise InputError(exc.one_line(), exc.field) from None


@dataclass(frozen=True, slots=True)
class PlanResult:
    plan: Plan
    profile: Profile
    notes: tuple[str, ...]  # things to tell the user that are not plan warnings


def make_plan(
    profile_path: Path,
    start: date | None,
    weeks: int | None,
    today: date,
    history: RunningHistory | None = None,
) -> PlanResult:
    """Build a plan for the profile at ``profile_path``.

    :param history: imported running (the diary's), filling the untyped running days.
    :param start: the plan's first day; None means the next Monday. Another weekday moves to
        the Monday of its week, with a note.
    :raises InputError: unreadable or invalid profile, or options that cannot make a plan.
    """
    return plan_for_profile(
        load_profile(profile_path, today), str(profile_path), start, weeks, today, history
    )


def plan_for_profile(
    profile: Profile,
    source: str,
    start: date | None,
    weeks: int | None,
    today: date,
    history: RunningHistory | None = None,
    provenance: bool = False,
    in_diary: bool | None = None,
) -> PlanResult:
    """:func:`make_plan` for a validated profile; ``source`` names it in errors.
    ``provenance``: record each dose's reasons, for ``explain`` (the diary keeps them).
    ``in_diary``: whether the athlete is in the diary already (None: no diary, as for
    ``calfcoach plan``): what a ``running = "auto"`` without runs is told to do next."""
    notes: list[str] = []
    athlete = profile.athlete
    if (
        athlete.units == "imperial"
        and athlete.body_mass_lb is None
        and athlete.body_mass_kg > IMPERIAL_BODY_MASS_NOTE_KG
    ):
        pounds = kg_to_lb(athlete.body_mass_kg)
        notes.append(
            f"body_mass_kg = {athlete.body_mass_kg:g} is {pounds:.0f} lb: if you meant pounds, "
            f"write body_mass_lb = {athlete.body_mass_kg:g} in its place."
        )
    if start is not None:
        check_day(start, "start")
    if start is None:
        first = next_monday(today)
    else:
        first = monday_of(start)
        if first != start:
            notes.append(
                f"--start {start} is a {start.strftime('%A')}; the plan starts on Monday {first}."
            )
    try:
        plan = build_plan(
            profile, first, weeks, default_catalog(), default_norms(), history, provenance
        )
    except PlanInputError as exc:
        if exc.field == "start" and start is None:
            # Too long a plan from the default start: the race date is what was given.
            exc.field = "goal.race_date"
        if exc.field in PLAN_PARAMETERS:
            raise FieldError(exc.field, exc.problem, exc.allowed) from None
        if exc.field == "running" and profile.running.auto:
            exc.allowed = _AUTO_WITHOUT_RUNS[in_diary]
        raise InputError(
            f"{source}: field {exc.field}: {exc.problem}; allowed: {exc.allowed}", exc.field
        ) from None
    # A calf strain warns on every run day until the return criteria are met (DOMAIN.md §6);
    # a profile alone has no pain-free test yet, so they are not met.
    from calfcoach.core.return_to_run import return_checklist, warn_run_days

    plan = warn_run_days(plan, return_checklist(profile, [], default_norms()), plan.start)
    return PlanResult(plan, profile, tuple(notes))


# What `running = "auto"` without imported runs is told to do next, by where the athlete is:
# import needs an athlete to store runs for, so a new one is added with the days typed first
# (a trial found "import them first" refused by import, which asked for init first).
_AUTO_WITHOUT_RUNS: dict[bool | None, str] = {
    None: "calfcoach plan reads no imported runs: type the days, or add the athlete to the "
    "diary (calfcoach init with the days typed), calfcoach import PATH, then calfcoach init "
    "with this profile",
    False: "import needs the athlete first: calfcoach init with the days typed, then "
    "calfcoach import PATH, then calfcoach init with this profile",
    True: "runs from the last six weeks: calfcoach import PATH, then calfcoach init again; "
    "or type the days",
}


def load_plan(path: Path) -> Plan:
    """Read a plan JSON file. :raises InputError: unreadable, not JSON, or not a plan."""
    data = read_json(path, "plan", "calfcoach plan --format json")
    try:
        return plan_from_dict(data, strict=True)
    except PlanFormatError as exc:
        raise InputError(f"{path}: {exc}") from None


def check_plan_file(plan_path: Path, profile_path: Path, today: date) -> list[Violation]:
    """Every rule's violations for the plan file against the profile (none: an empty list).

    :raises InputError: either file is unreadable or invalid.
    """
    from calfcoach.core.rules import check_plan

    plan = load_plan(plan_path)
    profile = load_profile(profile_path, today)
    try:
        return check_plan(plan, profile, default_catalog(), default_norms())
    except PlanInputError as exc:
        # The plan's weeks laid out for the profile (R9 reads the phases the profile gives
        # them): no weeks, more than a plan may hold, or a plan starting after the race.
        raise InputError(
            f"{plan_path} with {profile_path}: field {exc.field}: {exc.problem}; "
            f"allowed: {exc.allowed}",
            exc.field,
        ) from None


def find_exercises(variation: str | None, equipment: list[str] | None) -> list[Exercise]:
    """Catalog entries of ``variation`` doable with ``equipment`` (None: no filter).

    :raises FieldError: an unknown variation or piece of equipment."""
    from calfcoach.core.inputs import CatalogFilter

    wanted = checked(CatalogFilter, variation=variation, equipment=equipment)
    kit = None if wanted.equipment is None else list(wanted.equipment)
    return default_catalog().filter(variation=wanted.variation, equipment=kit)
