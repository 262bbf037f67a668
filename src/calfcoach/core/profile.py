"""The runner's profile (DESIGN.md "Profile file"), validated with msgspec.

:func:`parse_profile` turns TOML text into a :class:`Profile` or raises :class:`ProfileError`
carrying the file, the field, the TOML line where it can be found and the allowed values, so
the shells can print one clear line.

Why msgspec and not pydantic here (issue 13, item 7): the profile is read on every command's
start, and importing pydantic and building its models was the floor under the start-up aim
(``plan --format json`` at most 10× a bare interpreter start): typer + pydantic alone measured
10–13×, typer + msgspec 6.2–6.6× (figures in bench/startup.py's table). DESIGN.md's stack names
pydantic v2 "for validating profiles and API bodies"; the issue leaves the validation library
ours to weigh, so the profile (and the shipped catalog) moved, and pydantic keeps the API bodies
and the diary's input models (core.inputs), which FastAPI documents in OpenAPI. The rules a
profile meets are unchanged: strict types (a TOML string "68" is not a body mass), the same
ranges, and the checks that need today's date run in :func:`profile_from_data`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import Meta

from calfcoach.core.msgspec_errors import split_error
from calfcoach.core.units import KG_PER_LB, format_weight

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
RunType = Literal["rest", "easy", "long", "workout"]
Equipment = Literal[
    "barbell",
    "rack",
    "smith_machine",
    "bench",
    "step",
    "plates",
    "dumbbells",
    "kettlebell",
    "seated_calf_machine",
    "standing_calf_machine",
    "leg_press",
    "backpack",
    "none",
]
EQUIPMENT: tuple[str, ...] = get_args(Equipment)
Experience = Literal["novice", "intermediate", "advanced"]
Condition = Literal["none", "achilles_tendinopathy", "calf_strain", "plantar_heel_pain"]
RaceDistance = Literal["5k", "10k", "half", "marathon", "ultra"]


class ProfileError(ValueError):
    """A profile that cannot be used, with where and what is allowed."""

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        field: str | None = None,
        line: int | None = None,
        allowed: str | None = None,
    ) -> None:
        self.source = source
        self.problem = problem
        self.field = field
        self.line = line
        self.allowed = allowed
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.source
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field {self.field}"
        text = f"{where}: {self.problem}"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        return text


class _Section(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A profile table: frozen, no unknown keys. Types are checked by :func:`profile_from_data`
    (``msgspec.convert`` in strict mode); building a section directly checks nothing."""


# body_mass_kg's 30 to 250 kg in pounds, within it (defined once: the field, its reader and
# its error words read it).
BODY_MASS_LB = (66.2, 551.1)
_LB_RANGE = f"{BODY_MASS_LB[0]:g} to {BODY_MASS_LB[1]:g}"


class Athlete(_Section, frozen=True, kw_only=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)] = "Runner"
    # Strict types: a TOML string "68" is not a body mass. A number's bounds also refuse
    # inf and nan (nan meets no bound).
    body_mass_kg: Annotated[float, Meta(ge=30, le=250)]
    # Or in pounds, in place of body_mass_kg (profile_from_data makes the kg from it): an
    # imperial runner typed pounds into body_mass_kg and was planned at 364 lb (a trial).
    body_mass_lb: Annotated[float, Meta(ge=BODY_MASS_LB[0], le=BODY_MASS_LB[1])] | None = None
    sex: Literal["female", "male"] | None = None
    birth_year: int | None = None
    strength_experience: Experience = "novice"
    equipment: tuple[Equipment, ...] = ("none",)
    units: Literal["metric", "imperial"] = "metric"


class Running(_Section, frozen=True, dict=True, kw_only=True):
    # A day the profile leaves out is None (read as rest): history may fill it (running_load).
    monday: RunType | None = None
    tuesday: RunType | None = None
    wednesday: RunType | None = None
    thursday: RunType | None = None
    friday: RunType | None = None
    saturday: RunType | None = None
    sunday: RunType | None = None
    weekly_km: Annotated[float, Meta(ge=0, le=1000)] | None = None
    # `running = "auto"` in the profile: take the whole week from imported runs.
    auto: bool = False

    @classmethod
    def from_days(cls, days: Mapping[Weekday, str], weekly_km: float | None) -> Running:
        """A week with every day typed, each checked to be a run type."""
        data: dict[str, Any] = dict(days.items())
        data["weekly_km"] = weekly_km
        week: Running = msgspec.convert(data, cls)
        return week

    def typed_days(self) -> frozenset[str]:
        """The weekdays the profile itself sets (the others may come from history)."""
        if self.auto:
            return frozenset()
        return frozenset(day for day in WEEKDAYS if getattr(self, day) is not None)

    def on(self, weekday: str) -> RunType:
        run: RunType | None = getattr(self, weekday)
        return "rest" if run is None else run

    @cached_property
    def pattern(self) -> tuple[RunType, ...]:
        """The week's runs, Monday first (index = ``date.weekday()``)."""
        return tuple(self.on(day) for day in WEEKDAYS)

    def week(self) -> tuple[RunType, ...]:
        return self.pattern


class Strength(_Section, frozen=True, kw_only=True):
    sessions_per_week: Annotated[int, Meta(ge=1, le=4)] = 2
    preferred_days: tuple[Weekday, ...] = ()
    calf_in_every_session: Literal["strength", "all"] = "strength"


class Goal(_Section, frozen=True, kw_only=True):
    race_date: date | None = None
    race_distance: RaceDistance | None = None


class Health(_Section, frozen=True, kw_only=True):
    condition: Condition = "none"
    pain_now: Annotated[int, Meta(ge=0, le=10)] = 0
    previous_calf_strain: bool = False
    painful_side: Literal["left", "right", "both"] = "both"
    achilles_type: Literal["midportion", "insertional"] = "midportion"


class HeelRaiseReps(_Section, frozen=True, kw_only=True):
    left: Annotated[int, Meta(ge=0, le=300)]
    right: Annotated[int, Meta(ge=0, le=300)]


class Assessments(_Section, frozen=True, kw_only=True):
    single_leg_heel_raise_reps: HeelRaiseReps | None = None
    seated_calf_raise_1rm_kg: Annotated[float, Meta(gt=0, le=1000)] | None = None


# One owned load, in the profile's units: finite, positive and within what a gym holds.
OwnedLoad = Annotated[float, Meta(gt=0, le=500)]


class EquipmentLoads(_Section, frozen=True, kw_only=True):
    """What the athlete really owns (DOMAIN.md §2.1), in the profile's units; it replaces the
    default load steps: one step is the gap to the next owned load. Lists come sorted and
    without repeats from :func:`profile_from_data`."""

    dumbbells: Annotated[tuple[OwnedLoad, ...], Meta(max_length=40)] | None = None
    kettlebells: Annotated[tuple[OwnedLoad, ...], Meta(max_length=40)] | None = None
    plates: Annotated[tuple[OwnedLoad, ...], Meta(max_length=12)] | None = None
    backpack_max: OwnedLoad | None = None
    barbell: OwnedLoad | None = None
    smith_bar: OwnedLoad | None = None

    def owned(self, key: str) -> tuple[float, ...] | None:
        """The owned loads under ``key`` (a list, or a single maximum or bar weight)."""
        value = getattr(self, key, None)
        if value is None:
            return None
        return value if isinstance(value, tuple) else (float(value),)

    def to_json(self) -> dict[str, Any]:
        """The loads given (lists as lists), for JSON."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name in self.__struct_fields__
            if (value := getattr(self, name)) is not None
        }


class Profile(_Section, frozen=True, dict=True, kw_only=True):
    """A runner's profile (DESIGN.md). ``running = "auto"`` takes the week from history."""

    athlete: Athlete
    running: Running = msgspec.field(default_factory=Running)
    strength: Strength = msgspec.field(default_factory=Strength)
    goal: Goal = msgspec.field(default_factory=Goal)
    health: Health = msgspec.field(default_factory=Health)
    assessments: Assessments = msgspec.field(default_factory=Assessments)
    equipment_loads: EquipmentLoads = msgspec.field(default_factory=EquipmentLoads)

    @cached_property
    def equipment(self) -> frozenset[str]:
        """Equipment at hand; ``none`` means the empty set."""
        return frozenset(item for item in self.athlete.equipment if item != "none")

    @property
    def experience(self) -> Experience:
        return self.athlete.strength_experience

    def age_in(self, year: int) -> int | None:
        birth = self.athlete.birth_year
        return None if birth is None else year - birth

    def replace(self, **sections: Any) -> Profile:
        """The profile with whole sections replaced (``running=Running(...)``)."""
        return msgspec.structs.replace(self, **sections)

    def to_json(self) -> dict[str, Any]:
        """Section by section, every field, as the API shows a stored profile: dates as
        ISO text, lists as lists, a running day the profile leaves out as rest."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        data["running"].update({day: self.running.on(day) for day in WEEKDAYS})
        return data


# How the [equipment_loads] limits name their unit: a profile's own (the club's defaults,
# which are kg, say "in kg" instead: services.club).
IN_PROFILE_UNITS = "in the profile's units"

NAME_ALLOWED = "a name of 1 to 100 characters, not only spaces, no control characters"
# A name a diary stores anew: one a coach can tell apart in a list (services.athletes).
NEW_NAME_ALLOWED = f"{NAME_ALLOWED}, no spaces before or after it"


def name_key(name: str) -> str:
    """What athletes' names are told apart by: two names with the same key are one name.
    Letter case (casefold: "Straße" is "STRASSE"), spaces around the name and runs of spaces
    inside it make no new name, nor does one letter written as one or two code points ("é",
    "e" + accent): a coach cannot tell "Sam" from "SAM " in a list (a club's trial)."""
    return unicodedata.normalize("NFC", " ".join(name.split()).casefold())


# Allowed values, by field, for the error line.
_ALLOWED: dict[str, str] = {
    "athlete.name": NAME_ALLOWED,
    "athlete.body_mass_kg": "a number from 30 to 250 (kg)",
    "athlete.body_mass_lb": f"a number from {_LB_RANGE} (lb), in place of body_mass_kg",
    "athlete.sex": "female, male",
    "athlete.birth_year": "a year from 1900 to this year",
    "athlete.strength_experience": ", ".join(get_args(Experience)),
    "athlete.equipment": ", ".join(EQUIPMENT),
    "athlete.units": "metric, imperial",
    "running.weekly_km": "a number from 0 to 1000",
    "running": '"auto", or a [running] table of weekdays',
    "strength.sessions_per_week": "1, 2, 3, 4",
    "strength.preferred_days": ", ".join(WEEKDAYS),
    "strength.calf_in_every_session": "strength, all",
    "goal.race_date": "a date (YYYY-MM-DD) from today to MAX_PLAN_WEEKS weeks ahead",
    "goal.race_distance": ", ".join(get_args(RaceDistance)),
    "health.condition": ", ".join(get_args(Condition)),
    "health.pain_now": "a whole number from 0 to 10",
    "health.previous_calf_strain": "true, false",
    "health.painful_side": "left, right, both",
    "health.achilles_type": "midportion, insertional",
    "assessments.single_leg_heel_raise_reps": "{ left = N, right = N } with N from 0 to 300",
    "assessments.seated_calf_raise_1rm_kg": "a number above 0 and up to 1000 (kg)",
    "equipment_loads.dumbbells": "a list of loads above 0 and up to 500, " + IN_PROFILE_UNITS,
    "equipment_loads.kettlebells": "a list of loads above 0 and up to 500, " + IN_PROFILE_UNITS,
    "equipment_loads.plates": "a list of up to 12 plate loads above 0, " + IN_PROFILE_UNITS,
    "equipment_loads.backpack_max": "a number above 0 and up to 500, " + IN_PROFILE_UNITS,
    "equipment_loads.barbell": "the bar's weight, above 0 and up to 500, " + IN_PROFILE_UNITS,
    "equipment_loads.smith_bar": "the bar's weight, above 0 and up to 500, " + IN_PROFILE_UNITS,
}
for _day in WEEKDAYS:
    _ALLOWED[f"running.{_day}"] = ", ".join(get_args(RunType))


def _allowed(key: str, max_plan_weeks: int | None) -> str | None:
    """What is allowed in the field ``key``, with the longest plan's weeks (norms.toml; None:
    a caller that set no limit, which says so)."""
    text = _ALLOWED.get(key)
    weeks = "any number of" if max_plan_weeks is None else str(max_plan_weeks)
    return None if text is None else text.replace("MAX_PLAN_WEEKS", weeks)


_SECTION_FIELDS: dict[str, type[_Section]] = {
    "athlete": Athlete,
    "running": Running,
    "strength": Strength,
    "goal": Goal,
    "health": Health,
    "assessments": Assessments,
    "equipment_loads": EquipmentLoads,
}


class _Invalid(Exception):
    """One thing wrong with the profile's data: its kind (the words of :func:`_problem`), where
    (keys and list positions) and the value found there."""

    def __init__(
        self,
        kind: str,
        loc: list[str],
        message: str = "",
        value: Any = None,
        allowed: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.loc = loc
        self.message = message
        self.value = value
        self.allowed = allowed  # (None: the field's own words in _ALLOWED)


def parse_profile(
    text: str,
    source: str,
    today: date,
    *,
    max_plan_weeks: int,
    stored: bool = False,
    max_seated_1rm_x_bodyweight: float | None = None,
) -> Profile:
    """Validate profile TOML text.

    :param source: the file name shown in errors.
    :param today: the date "in the past" is measured against.
    :param max_plan_weeks: the longest plan (norms.toml): a race further ahead is refused.
    :param stored: a profile read back from the database: its race may have gone by since.
    :param max_seated_1rm_x_bodyweight: the heaviest seated 1RM taken, in body weights
        (norms.toml; None: no such check, as for a stored profile).
    :raises ProfileError: malformed TOML or any invalid value.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        not_a_date = _not_a_date(text, line, source, max_plan_weeks)
        if not_a_date is not None:
            raise not_a_date from exc
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ProfileError(
            source, f"not valid TOML: {problem}", line=line, allowed="TOML, see examples/"
        ) from exc
    except ValueError:
        # tomllib reads a whole number with int(), which refuses more than 4,300 digits with
        # a ValueError of its own (the user saw an internal error, issue 13's trial).
        raise ProfileError(
            source,
            "not valid TOML: a whole number with thousands of digits",
            allowed="TOML, see examples/",
        ) from None
    except RecursionError:
        # tomllib recurses per bracket: text that never went through the file reader's
        # nesting check (the web's profile form, the API) must not reach the user as a 500.
        raise ProfileError(
            source, "not valid TOML: brackets nested too deep", allowed="TOML, see examples/"
        ) from None
    return profile_from_data(
        data,
        today,
        max_plan_weeks=max_plan_weeks,
        stored=stored,
        source=source,
        text=text,
        max_seated_1rm_x_bodyweight=max_seated_1rm_x_bodyweight,
    )


def names_the_athlete(text: str) -> bool:
    """Whether valid profile TOML text gives ``athlete.name`` itself (the default "Runner" is
    for a runner's own file, not for one athlete among a club's)."""
    athlete = tomllib.loads(text).get("athlete")
    return isinstance(athlete, dict) and "name" in athlete


def profile_from_data(
    data: dict[str, Any],
    today: date,
    *,
    max_plan_weeks: int | None = None,
    stored: bool = False,
    source: str = "profile",
    text: str = "",
    max_seated_1rm_x_bodyweight: float | None = None,
) -> Profile:
    """Validate a profile's data (parsed TOML): types and ranges, then the checks that need
    today's date or the profile's origin. ``max_plan_weeks`` None: no limit on how far ahead
    the race is (tests). ``text``, when given, is searched for the line of a wrong value.

    :raises ProfileError: the first thing wrong, with its field and the allowed values.
    """
    if not isinstance(today, date):
        # The caller's day, always: the core does not read the clock (the shells and services
        # know the runner's "today", DOMAIN.md §6).
        raise TypeError(f"profile_from_data needs today's date, got {today!r}")
    if isinstance(data, dict) and data.get("running") == "auto":
        data = {**data, "running": {"auto": True}}
    try:
        data = _body_mass_from_pounds(data)
        profile = msgspec.convert(data, Profile, strict=True)
        return _checked(profile, today, stored, max_plan_weeks, max_seated_1rm_x_bodyweight)
    except msgspec.ValidationError as exc:
        invalid = _from_msgspec(str(exc), data)
    except _Invalid as exc:
        invalid = exc
    raise _profile_error(invalid, text, source, max_plan_weeks) from None


def _body_mass_from_pounds(data: Any) -> Any:
    """The data with ``athlete.body_mass_kg`` made from ``body_mass_lb`` where that is given
    instead (a number in its range; anything else is left for msgspec to name, as the
    field's own error). :raises _Invalid: both are given."""
    athlete = data.get("athlete") if isinstance(data, dict) else None
    if not isinstance(athlete, dict) or "body_mass_lb" not in athlete:
        return data
    pounds = athlete["body_mass_lb"]
    if "body_mass_kg" in athlete:
        kilograms = athlete["body_mass_kg"]
        numbers = all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in (pounds, kilograms)
        )
        if numbers and abs(kilograms - round(pounds * KG_PER_LB, 2)) <= 0.01:
            return data  # the same mass twice, as the API's profile JSON gives it back
        raise _Invalid(
            "value_error",
            ["athlete", "body_mass_lb"],
            "body_mass_kg is given too",
            None,
            "body_mass_kg or body_mass_lb, not both (or both the same mass)",
        )
    if isinstance(pounds, bool) or not isinstance(pounds, int | float):
        return data
    if not BODY_MASS_LB[0] <= pounds <= BODY_MASS_LB[1]:  # (nan meets none; msgspec says so)
        return data
    return {**data, "athlete": {**athlete, "body_mass_kg": round(pounds * KG_PER_LB, 2)}}


def seated_1rm_beyond_belief(
    value_kg: float, body_mass_kg: float, max_x_bodyweight: float, units: str = "metric"
) -> tuple[str, str] | None:
    """What is wrong with a seated calf-raise 1RM no calf could lift (a typo: 900 for 90), and
    what is allowed; None for a 1RM within ``max_x_bodyweight`` body weights (norms.toml).
    Taken as typed, it would set every seated raise's load (DOMAIN.md §2.1: an assessed 1RM
    is used directly), and a rehab protocol's reps would follow the kit's heaviest load
    instead (a trial's 5 × 17 at 100 kg where the protocol said 5 × 8RM)."""
    times = value_kg / body_mass_kg
    if times <= max_x_bodyweight + 1e-9:
        return None
    most = max_x_bodyweight * body_mass_kg
    places = 1
    while places < 4 and round(times, places) <= max_x_bodyweight:
        places += 1  # (just over: "5.0 × body weight; at most 5 ×" read as no excess)
    return (
        f"a seated 1RM of {format_weight(value_kg, units)} is {times:.{places}f} × body weight "
        f"({format_weight(body_mass_kg, units)}): check the number",
        f"at most {max_x_bodyweight:g} × body weight ({format_weight(most, units, 0)})",
    )


def _checked(
    profile: Profile,
    today: date,
    stored: bool,
    max_plan_weeks: int | None,
    max_seated_1rm_x_bodyweight: float | None = None,
) -> Profile:
    """The checks no type states, in the order of the fields; lists put in order.

    :raises _Invalid: the first check that fails.
    """
    athlete = profile.athlete
    # A name reaches coaches' terminals and pages: escape sequences in it could drive the
    # terminal (issue 16). A name stored before this check is still read (its diary must not
    # lock); the shells strip control characters from whatever they print.
    if not stored and any(ord(c) < 32 or 127 <= ord(c) < 160 for c in athlete.name):
        raise _Invalid("value_error", ["athlete", "name"], "control characters are not allowed")
    if not stored and not athlete.name.strip():
        # Spaces alone name nobody a coach can tell apart (issue 13).
        raise _Invalid("value_error", ["athlete", "name"], "a name of spaces only is not allowed")
    if athlete.birth_year is not None and not 1900 <= athlete.birth_year <= today.year:
        raise _Invalid(
            "value_error",
            ["athlete", "birth_year"],
            f"birth year {athlete.birth_year} is not between 1900 and {today.year}",
        )
    equipment = athlete.equipment
    if "none" in equipment and len(set(equipment)) > 1:
        raise _Invalid(
            "value_error",
            ["athlete", "equipment"],
            '"none" means no equipment at all and cannot be listed with others',
        )
    if len(set(equipment)) != len(equipment):
        raise _Invalid("value_error", ["athlete", "equipment"], "an item is listed twice")
    days = profile.strength.preferred_days
    if len(set(days)) != len(days):
        raise _Invalid("value_error", ["strength", "preferred_days"], "a day is listed twice")
    goal = profile.goal
    if goal.race_date is not None:
        if goal.race_date < today and not stored:
            raise _Invalid(
                "value_error",
                ["goal", "race_date"],
                f"race date {goal.race_date} is in the past (today is {today})",
            )
        # A plan runs at most norms.toml's max_plan_weeks; a race further off cannot be
        # planned to (and 9999-12-31 would overflow the date arithmetic after it).
        if max_plan_weeks is not None and (goal.race_date - today).days > max_plan_weeks * 7:
            raise _Invalid(
                "value_error",
                ["goal", "race_date"],
                f"race date {goal.race_date} is more than {max_plan_weeks} weeks ahead",
            )
    if (goal.race_date is None) != (goal.race_distance is None):
        missing = "race_distance" if goal.race_distance is None else "race_date"
        raise _Invalid(
            "value_error", ["goal"], f"{missing} is required when the other race field is set"
        )
    seated = profile.assessments.seated_calf_raise_1rm_kg
    if seated is not None and max_seated_1rm_x_bodyweight is not None and not stored:
        # (In kg whatever the units: the field is seated_calf_raise_1rm_kg.)
        found = seated_1rm_beyond_belief(seated, athlete.body_mass_kg, max_seated_1rm_x_bodyweight)
        if found is not None:
            problem, allowed = found
            raise _Invalid(
                "value_error", ["assessments", "seated_calf_raise_1rm_kg"], problem, None, allowed
            )
    loads = profile.equipment_loads
    lists: dict[str, tuple[float, ...]] = {}
    for key in ("dumbbells", "kettlebells", "plates"):
        value: tuple[float, ...] | None = getattr(loads, key)
        if value is None:
            continue
        if not value:
            raise _Invalid(
                "value_error",
                ["equipment_loads", key],
                "list at least one load, or leave the key out",
            )
        lists[key] = tuple(sorted(set(value)))
    # Keep preferred days in week order and owned loads sorted, so every later step is
    # deterministic.
    ordered_days = tuple(day for day in WEEKDAYS if day in days)
    if ordered_days == days and all(getattr(loads, k) == v for k, v in lists.items()):
        return profile
    return profile.replace(
        strength=msgspec.structs.replace(profile.strength, preferred_days=ordered_days),
        equipment_loads=msgspec.structs.replace(loads, **lists),
    )


# msgspec's words for what is wrong ("Expected `int` <= 10 - at `$.health.pain_now`") → the
# kinds :func:`_problem` words, and the keys of where.
_EXPECTED_TYPE = re.compile(r"^Expected `(?P<type>[a-z]+)[^`]*`, got `")
_TYPE_KINDS = {
    "int": "int_type",
    "float": "float_type",
    "bool": "bool_type",
    "date": "date_type",
    # Every text field but the name is one of a few words: a number there is "not allowed".
    "str": "literal_error",
    "array": "tuple_type",
    "object": "model_type",
}


def _from_msgspec(message: str, data: Any) -> _Invalid:
    what, where = split_error(message)
    loc = [a or b for a, b in where]
    named = re.match(r"^Object (missing required|contains unknown) field `([^`]+)`$", what)
    if named:
        kind = "missing" if named.group(1) == "missing required" else "extra_forbidden"
        return _Invalid(kind, [*loc, named.group(2)], what)
    value = _value_at(data, loc)
    if what.startswith("Invalid enum value"):
        return _Invalid("literal_error", loc, what, value)
    typed = _EXPECTED_TYPE.match(what)
    if typed:
        return _Invalid(_TYPE_KINDS.get(typed.group("type"), "value_error"), loc, what, value)
    if re.match(r"^Expected `[^`]+` of length [<>]", what):
        return _Invalid("too_short" if "of length >" in what else "too_long", loc, what, value)
    if re.match(r"^Expected `[^`]+` [<>]", what):
        return _Invalid("greater_than" if ">" in what else "less_than", loc, what, value)
    return _Invalid("value_error", loc, what, value)


def _value_at(data: Any, loc: list[str]) -> Any:
    """The value at ``loc`` in the parsed data (None where there is none)."""
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _profile_error(
    invalid: _Invalid, text: str, source: str, max_plan_weeks: int | None
) -> ProfileError:
    loc = invalid.loc
    kind = invalid.kind
    field = ".".join(loc)
    key_path = [part for part in loc if not part.isdigit()]
    generic = ".".join(key_path)
    line = _line_of(text, key_path)
    if kind == "missing":
        if len(loc) == 1 and loc[0] == "athlete":
            return ProfileError(
                source,
                "the [athlete] section is missing",
                field="athlete",
                allowed="a section with at least body_mass_kg (or body_mass_lb)",
            )
        allowed = _allowed(generic, max_plan_weeks)
        if generic == "athlete.body_mass_kg":
            allowed = f"{allowed}; or body_mass_lb in pounds ({_LB_RANGE})"
        return ProfileError(
            source, "a required value is missing", field=field, line=line, allowed=allowed
        )
    if kind == "extra_forbidden" and loc[-1] == "running" and len(loc) == 2:
        return ProfileError(
            source,
            'running = "auto" is read as part of the table above it',
            field=field,
            line=line,
            allowed='running = "auto" at the top of the file, before [athlete]',
        )
    if kind == "extra_forbidden":
        section = loc[0] if len(loc) > 1 else None
        model = _SECTION_FIELDS.get(section or "", Profile)
        return ProfileError(
            source,
            f"unknown field {loc[-1]!r}",
            field=field,
            line=line,
            allowed=", ".join(model.__struct_fields__),
        )
    return ProfileError(
        source,
        _problem(kind, invalid.value, invalid.message),
        field=field or None,
        line=line,
        allowed=invalid.allowed
        or _allowed(generic, max_plan_weeks)
        or _allowed(field, max_plan_weeks),
    )


def _problem(kind: str, value: Any, message: str) -> str:
    """A short description of what is wrong with ``value``."""
    # A TOML date or date-time as written in the file, not as Python spells it.
    shown = value.isoformat() if isinstance(value, date) else repr(value)
    if kind == "literal_error":
        return f"{shown} is not allowed"
    if kind.startswith(("greater_than", "less_than")):
        return f"{shown} is out of range"
    if kind.startswith("int_"):
        return f"{shown} is not a whole number"
    if kind.startswith("float_"):
        return f"{shown} is not a number"
    if kind.startswith("bool_"):
        return f"{shown} is not true or false"
    if kind.startswith("date_"):
        return f"{shown} is not a date"
    if kind in ("string_too_short", "too_short"):
        return "is empty"
    if kind in ("string_too_long", "too_long"):
        return "is too long"
    if kind in ("tuple_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        return f"{shown} has the wrong shape"
    return message.removeprefix("Value error, ")


# A value that is written as a date (2027-02-30, 2027-13-01, 2027-2-3): TOML refuses one that
# is no real day with its own words ("Invalid date or datetime"), or, when the month or day
# does not even look like one, as a number followed by junk. Either way the field is named.
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ][0-9:.+\-Zz]*)?$")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=\s*(.*?)\s*(?:#.*)?$")


def _not_a_date(
    text: str, line: int | None, source: str, max_plan_weeks: int
) -> ProfileError | None:
    """The error for a TOML error on a ``key = value`` line whose value is written as a date
    but is none (``race_date = 2027-02-30``): naming the field, where TOML's own message
    ("Invalid date or datetime") does not. None for any other TOML error."""
    lines = text.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return None
    found = _KEY_LINE.match(lines[line - 1])
    if found is None or not _DATE_LIKE.match(found.group(2)):
        return None
    key, value = found.groups()
    section = None
    for raw in reversed(lines[: line - 1]):
        header = re.match(r"^\s*\[\s*([A-Za-z0-9_\-]+)\s*\]", raw)
        if header:
            section = header.group(1)
            break
    field = f"{section}.{key}" if section else key
    return ProfileError(
        source,
        f"{value} is not a real date",
        field=field,
        line=line,
        allowed=_allowed(field, max_plan_weeks) or "a date (YYYY-MM-DD)",
    )


def _toml_error_line(message: str) -> int | None:
    found = re.search(r"at line (\d+)", message)
    return int(found.group(1)) if found else None


def _line_of(text: str, key_path: list[str]) -> int | None:
    """The TOML line of ``key_path`` (``[section]`` then ``key``), or None if not found.

    Good enough for hand-written profiles: sections as ``[name]`` headers, keys at the start of
    a line; a key inside an inline table is reported at its table's line.
    """
    if not key_path:
        return None
    section, keys = key_path[0], key_path[1:]
    in_section = False
    section_line = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_\-]+)\s*\]", stripped)
        if header:
            in_section = header.group(1) == section
            if in_section:
                section_line = number
            continue
        if in_section and keys and re.match(rf"^{re.escape(keys[0])}\s*=", stripped):
            return number
    return section_line
