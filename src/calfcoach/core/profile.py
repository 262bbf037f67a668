"""The runner's profile (DESIGN.md "Profile file"), validated with pydantic.

:func:`parse_profile` turns TOML text into a :class:`Profile` or raises :class:`ProfileError`
carrying the file, the field, the TOML line where it can be found and the allowed values, so
the shells can print one clear line.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

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


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Athlete(_Section):
    name: str = Field(default="Runner", min_length=1, max_length=100)
    # Strict types: a TOML string "68" is not a body mass (pydantic's lax mode would take it).
    body_mass_kg: StrictFloat = Field(ge=30, le=250, allow_inf_nan=False)
    sex: Literal["female", "male"] | None = None
    birth_year: StrictInt | None = None
    strength_experience: Experience = "novice"
    equipment: tuple[Equipment, ...] = ("none",)
    units: Literal["metric", "imperial"] = "metric"

    @field_validator("name")
    @classmethod
    def _printable_name(cls, value: str, info: ValidationInfo) -> str:
        # A name reaches coaches' terminals and pages: escape sequences in it could drive the
        # terminal (issue 16). A name stored before this check is still read (its diary must
        # not lock); the shells strip control characters from whatever they print.
        stored = bool((info.context or {}).get("stored"))
        if not stored and any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            raise ValueError("control characters are not allowed")
        if not stored and not value.strip():
            # Spaces alone name nobody a coach can tell apart (issue 13).
            raise ValueError("a name of spaces only is not allowed")
        return value

    @field_validator("birth_year")
    @classmethod
    def _birth_year_in_range(cls, value: int | None, info: ValidationInfo) -> int | None:
        today = _today(info)
        if value is not None and not 1900 <= value <= today.year:
            raise ValueError(f"birth year {value} is not between 1900 and {today.year}")
        return value

    @field_validator("equipment")
    @classmethod
    def _none_is_alone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if "none" in value and len(set(value)) > 1:
            raise ValueError('"none" means no equipment at all and cannot be listed with others')
        if len(set(value)) != len(value):
            raise ValueError("an item is listed twice")
        return value


class Running(_Section):
    monday: RunType = "rest"
    tuesday: RunType = "rest"
    wednesday: RunType = "rest"
    thursday: RunType = "rest"
    friday: RunType = "rest"
    saturday: RunType = "rest"
    sunday: RunType = "rest"
    weekly_km: StrictFloat | None = Field(default=None, ge=0, le=1000, allow_inf_nan=False)
    # `running = "auto"` in the profile: take the whole week from imported runs.
    auto: StrictBool = False

    def typed_days(self) -> frozenset[str]:
        """The weekdays the profile itself sets (the others may come from history)."""
        if self.auto:
            return frozenset()
        return frozenset(self.model_fields_set) & frozenset(WEEKDAYS)

    def on(self, weekday: str) -> RunType:
        run: RunType = getattr(self, weekday)
        return run

    @cached_property
    def pattern(self) -> tuple[RunType, ...]:
        """The week's runs, Monday first (index = ``date.weekday()``)."""
        return tuple(self.on(day) for day in WEEKDAYS)

    def week(self) -> tuple[RunType, ...]:
        return self.pattern


class Strength(_Section):
    sessions_per_week: StrictInt = Field(default=2, ge=1, le=4)
    preferred_days: tuple[Weekday, ...] = ()
    calf_in_every_session: Literal["strength", "all"] = "strength"

    @field_validator("preferred_days")
    @classmethod
    def _unique(cls, value: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a day is listed twice")
        # Keep them in week order so every later step is deterministic.
        return tuple(day for day in WEEKDAYS if day in value)


class Goal(_Section):
    race_date: date | None = None
    race_distance: RaceDistance | None = None

    @field_validator("race_date")
    @classmethod
    def _not_past(cls, value: date | None, info: ValidationInfo) -> date | None:
        today = _today(info)
        context = info.context or {}
        stored = bool(context.get("stored"))
        if value is not None and value < today and not stored:
            raise ValueError(f"race date {value} is in the past (today is {today})")
        # A plan runs at most norms.toml's max_plan_weeks; a race further off cannot be
        # planned to (and 9999-12-31 would overflow the date arithmetic after it).
        weeks = context.get("max_plan_weeks")
        if value is not None and isinstance(weeks, int) and (value - today).days > weeks * 7:
            raise ValueError(f"race date {value} is more than {weeks} weeks ahead")
        return value

    @model_validator(mode="after")
    def _both_or_neither(self) -> Goal:
        if (self.race_date is None) != (self.race_distance is None):
            missing = "race_distance" if self.race_distance is None else "race_date"
            raise ValueError(f"{missing} is required when the other race field is set")
        return self


class Health(_Section):
    condition: Condition = "none"
    pain_now: StrictInt = Field(default=0, ge=0, le=10)
    previous_calf_strain: StrictBool = False
    painful_side: Literal["left", "right", "both"] = "both"
    achilles_type: Literal["midportion", "insertional"] = "midportion"


class HeelRaiseReps(_Section):
    left: StrictInt = Field(ge=0, le=300)
    right: StrictInt = Field(ge=0, le=300)


class Assessments(_Section):
    single_leg_heel_raise_reps: HeelRaiseReps | None = None
    seated_calf_raise_1rm_kg: StrictFloat | None = Field(
        default=None, gt=0, le=1000, allow_inf_nan=False
    )


# One owned load, in the profile's units: finite, positive and within what a gym holds.
OwnedLoad = Annotated[StrictFloat, Field(gt=0, le=500, allow_inf_nan=False)]


class EquipmentLoads(_Section):
    """What the athlete really owns (DOMAIN.md §2.1), in the profile's units; it replaces the
    default load steps: one step is the gap to the next owned load."""

    dumbbells: tuple[OwnedLoad, ...] | None = Field(default=None, max_length=40)
    kettlebells: tuple[OwnedLoad, ...] | None = Field(default=None, max_length=40)
    plates: tuple[OwnedLoad, ...] | None = Field(default=None, max_length=12)
    backpack_max: OwnedLoad | None = None
    barbell: OwnedLoad | None = None
    smith_bar: OwnedLoad | None = None

    @field_validator("dumbbells", "kettlebells", "plates")
    @classmethod
    def _sorted_unique(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("list at least one load, or leave the key out")
        return tuple(sorted(set(value)))

    def owned(self, key: str) -> tuple[float, ...] | None:
        """The owned loads under ``key`` (a list, or a single maximum or bar weight)."""
        value = getattr(self, key, None)
        if value is None:
            return None
        return value if isinstance(value, tuple) else (float(value),)


class Profile(_Section):
    """A runner's profile (DESIGN.md). ``running = "auto"`` takes the week from history."""

    athlete: Athlete
    running: Running = Running()
    strength: Strength = Strength()
    goal: Goal = Goal()
    health: Health = Health()
    assessments: Assessments = Assessments()
    equipment_loads: EquipmentLoads = EquipmentLoads()

    @cached_property
    def equipment(self) -> frozenset[str]:
        """Equipment at hand; ``none`` means the empty set."""
        return frozenset(item for item in self.athlete.equipment if item != "none")

    @model_validator(mode="before")
    @classmethod
    def _running_auto(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("running") == "auto":
            return {**data, "running": {"auto": True}}
        return data

    @property
    def experience(self) -> Experience:
        return self.athlete.strength_experience

    def age_in(self, year: int) -> int | None:
        birth = self.athlete.birth_year
        return None if birth is None else year - birth


def _today(info: ValidationInfo) -> date:
    context = info.context or {}
    today = context.get("today")
    return today if isinstance(today, date) else date.today()


# How the [equipment_loads] limits name their unit: a profile's own (the club's defaults,
# which are kg, say "in kg" instead: services.club).
IN_PROFILE_UNITS = "in the profile's units"

NAME_ALLOWED = "a name of 1 to 100 characters, not only spaces, no control characters"

# Allowed values, by field, for the error line.
_ALLOWED: dict[str, str] = {
    "athlete.name": NAME_ALLOWED,
    "athlete.body_mass_kg": "a number from 30 to 250 (kg)",
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


def _allowed(key: str, max_plan_weeks: int) -> str | None:
    """What is allowed in the field ``key``, with the longest plan's weeks (norms.toml)."""
    text = _ALLOWED.get(key)
    return None if text is None else text.replace("MAX_PLAN_WEEKS", str(max_plan_weeks))


_SECTION_FIELDS: dict[str, type[BaseModel]] = {
    "athlete": Athlete,
    "running": Running,
    "strength": Strength,
    "goal": Goal,
    "health": Health,
    "assessments": Assessments,
    "equipment_loads": EquipmentLoads,
}


def parse_profile(
    text: str, source: str, today: date, *, max_plan_weeks: int, stored: bool = False
) -> Profile:
    """Validate profile TOML text.

    :param source: the file name shown in errors.
    :param today: the date "in the past" is measured against.
    :param max_plan_weeks: the longest plan (norms.toml): a race further ahead is refused.
    :param stored: a profile read back from the database: its race may have gone by since.
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
    except RecursionError:
        # tomllib recurses per bracket: text that never went through the file reader's
        # nesting check (the web's profile form, the API) must not reach the user as a 500.
        raise ProfileError(
            source, "not valid TOML: brackets nested too deep", allowed="TOML, see examples/"
        ) from None
    try:
        return Profile.model_validate(
            data, context={"today": today, "stored": stored, "max_plan_weeks": max_plan_weeks}
        )
    except ValidationError as exc:
        raise _profile_error(exc, data, text, source, max_plan_weeks) from exc


def _profile_error(
    exc: ValidationError, data: dict[str, Any], text: str, source: str, max_plan_weeks: int
) -> ProfileError:
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    kind = error["type"]
    field = ".".join(loc)
    key_path = [part for part in loc if not part.isdigit()]
    generic = ".".join(key_path)
    line = _line_of(text, key_path)
    value = error.get("input")
    if kind == "missing":
        if len(loc) == 1 and loc[0] == "athlete":
            return ProfileError(
                source,
                "the [athlete] section is missing",
                field="athlete",
                allowed="a section with at least body_mass_kg",
            )
        return ProfileError(
            source,
            "a required value is missing",
            field=field,
            line=line,
            allowed=_allowed(generic, max_plan_weeks),
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
        model = _SECTION_FIELDS.get(section or "")
        names = list(model.model_fields) if model else list(Profile.model_fields)
        return ProfileError(
            source, f"unknown field {loc[-1]!r}", field=field, line=line, allowed=", ".join(names)
        )
    problem = _problem(kind, value, str(error["msg"]))
    if not field and kind == "value_error":
        field = "goal"
    return ProfileError(
        source,
        problem,
        field=field or None,
        line=line,
        allowed=_allowed(generic, max_plan_weeks) or _allowed(field, max_plan_weeks),
    )


def _problem(kind: str, value: Any, message: str) -> str:
    """A short description of what is wrong with ``value``."""
    shown = repr(value)
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
