"""The coaching numbers of DOMAIN.md, parsed from ``data/norms.toml`` into typed values.

The core never reads files: :func:`parse_norms` takes the already-read TOML text.
``calfcoach.data.default_norms()`` is the cached loader the shells use.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Iterator
from typing import Any

import msgspec

EXPERIENCES = ("novice", "intermediate", "advanced")
BUILD_PHASES = ("foundation", "strength", "power")
# Weeks that must hold `sessions_per_week` sessions and all three variations (R2, R8).
ORDINARY_PHASES = ("foundation", "strength", "power", "maintenance")
DOSED_PHASES = ("foundation", "strength", "power", "maintenance", "recovery")
RACE_DISTANCES = ("5k", "10k", "half", "marathon", "ultra")
CONDITIONS = ("achilles_tendinopathy", "calf_strain", "plantar_heel_pain")


# The norms' typed values are msgspec structs, not dataclasses: built once a process, read
# everywhere, and a dataclass of Norms' hundred fields took ~9 ms to create on each start
# (its generated methods are compiled at import); a struct class is made in microseconds.


class NormsError(ValueError):
    """The shipped norms file is missing a value or holds a wrong one."""


class LoadSource(msgspec.Struct, frozen=True):
    """What loads an exercise (DOMAIN.md §2.1): its default steps, floor and maximum in both
    unit systems, and the ``[equipment_loads]`` key that lists what the athlete owns."""

    name: str
    provided_by: str
    step_kg: float
    kind: str = "single"  # single | pair | bar | stack | held_plates | backpack
    owned: str | None = None
    bar_key: str | None = None
    step_lb: float = 5.0
    floor_kg: float = 0.0
    floor_lb: float = 0.0
    max_kg: float = 500.0
    max_lb: float = 1100.0

    def step(self, units: str) -> float:
        return self.step_lb if units == "imperial" else self.step_kg

    def floor(self, units: str) -> float:
        return self.floor_lb if units == "imperial" else self.floor_kg

    def maximum(self, units: str) -> float:
        return self.max_lb if units == "imperial" else self.max_kg


class PhaseDose(msgspec.Struct, frozen=True):
    sets: dict[str, int]
    rep_steps: tuple[int, ...]  # reps per set, top of the range first (DOMAIN.md §2.2)
    bodyweight_reps: int
    rpe: float
    tempo: str
    rest_s: int
    plyo_cap: dict[str, int]
    plyo_intensity: tuple[str, ...]


class ProtocolBlock(msgspec.Struct, frozen=True):
    until_week: int
    sets: int
    reps: int


class Protocol(msgspec.Struct, frozen=True):
    sessions_per_week: int
    tempo: str
    rest_s: int
    rpe: float
    weeks: tuple[ProtocolBlock, ...]
    # The protocol's length in weeks where its source fixes one (Beyer 2015: 12); the plan
    # extends until they are done (DOMAIN.md §6). None: the protocol runs while the plan does.
    length_weeks: int | None = None

    def block(self, protocol_week: int) -> ProtocolBlock:
        for block in self.weeks:
            if protocol_week <= block.until_week:
                return block
        return self.weeks[-1]


class Norms(msgspec.Struct, frozen=True):
    loadable_equipment: frozenset[str]
    load_sources: dict[str, LoadSource]
    start_load_share_of_1rm: float
    assessment_ratio_min: float
    assessment_ratio_max: float
    assessed_load_class: str
    start_load_fraction: dict[str, dict[str, float]]
    start_load_basis: dict[str, str]  # "system" or "external" (DOMAIN.md §2.1)
    heel_raise_bodyweight_below: int
    heel_raise_loaded_from: int
    # The starting-load row that estimates a body-weight raise's 1RM, by legs (1 or 2).
    bodyweight_raise_class: dict[int, str]
    percent_1rm_by_reps: dict[int, float]
    phases: dict[str, PhaseDose]
    taper_set_share: float
    taper_contact_share: float
    taper_rpe: float
    taper_tempo: str
    taper_rest_s: int
    plyo_reps_per_set: int
    plyo_reps_per_set_per_side: int
    plyo_sets_max: int
    plyo_rest_s: int
    plyo_start_share_of_cap: float
    plyo_weekly_growth_max: float
    plyo_max_sessions_per_week: int
    plyo_min_days_between: int
    max_weekly_step_kg: float
    max_weekly_step_share: float
    missed_reps_limit: int
    failed_rpe: float
    lower_share: float
    fewer_reps: int
    e1rm_rise_min_share: float
    retest_every_weeks: int
    seated_test_reps: int
    seated_test_rpe: float
    deload_every: dict[str, int]
    deload_set_share: float
    default_weeks_without_race: int
    foundation_weeks_without_race: int
    strength_until_week_without_race: int
    recovery_weeks: int
    taper_weeks: dict[str, int]
    build_min_weeks: int
    build_fill: tuple[tuple[str, int], ...]
    build_rest_to: str
    max_plan_weeks: int
    last_strength_days_before: dict[str, int]
    no_plyo_days_before: int
    race_primer_days_before_min: int
    recovery_days_after: int
    min_days_between_same_variation: int
    primer_max_exercises: int
    primer_max_sets: int
    primer_seconds_per_set: int
    primer_max_seconds: int
    primer_rest_s: int
    primer_reps: int
    primer_tempo: str
    primer_rpe: float
    primer_max_load_x_bodyweight: float
    pain_green_max: int
    pain_amber_max: int
    pain_profile_weeks: int
    pain_red_share: float
    pain_reentry_weeks: int
    isometric_sets: int
    isometric_hold_s: int
    isometric_rest_s: int
    isometric_rpe: float
    achilles: Protocol
    plantar: Protocol
    achilles_plyo_heel_raise_min: int
    achilles_plyo_lsi_min: float
    strain_step_weeks: int
    strain_step_weeks_slow: int
    strain_step_weeks_both: int
    strain_greens_to_advance: int
    strain_greens_to_advance_slow: int
    strain_greens_to_advance_both: int
    strain_pain_free_max: int
    strain_older_age: int
    strain_plyo_heel_raise_min: int
    strain_return_heel_raise_min: int
    strain_return_lsi_min: float
    heel_raise_clinical_floor: int
    heel_raise_return_to_run: int
    lsi_goal: float
    test_noise_reps: int
    seated_1rm_goal_x_bodyweight: float
    seated_1rm_max_x_bodyweight: float
    heel_raise_median: dict[str, dict[int, int]]
    # ``percent_1rm_by_reps`` as (reps, share) rows, reps ascending: made once from the table
    # (reps_at_share reads it for every load the planner rounds; sorting it each time cost 2 %
    # of planning).
    percent_1rm_rows: tuple[tuple[int, float], ...] = ()

    def __post_init__(self) -> None:
        rows = tuple(sorted(self.percent_1rm_by_reps.items()))
        msgspec.structs.force_setattr(self, "percent_1rm_rows", rows)

    def pct_for_reps(self, reps: int) -> float:
        """Share of 1RM for an nRM load (DOMAIN.md §2), interpolated between table rows."""
        table = self.percent_1rm_by_reps
        if reps in table:
            return table[reps]
        keys = sorted(table)
        if reps <= keys[0]:
            return table[keys[0]]
        if reps >= keys[-1]:
            return table[keys[-1]]
        for low, high in itertools.pairwise(keys):
            if low < reps < high:
                share = (reps - low) / (high - low)
                return table[low] + share * (table[high] - table[low])
        raise NormsError(f"no %1RM for {reps} reps")  # unreachable: keys cover the range

    def working_share(self, reps: int, rpe: float) -> float:
        """Share of 1RM for ``reps`` at ``rpe``: the (reps + 10 − rpe)RM load (DOMAIN.md §2)."""
        return self.pct_for_reps_float(reps + 10 - rpe)

    def pct_for_reps_float(self, reps: float) -> float:
        """:meth:`pct_for_reps` for a fractional rep count (an RPE of 8.5 leaves 1.5 in hand)."""
        low = int(reps)
        if low == reps:
            return self.pct_for_reps(low)
        a, b = self.pct_for_reps(low), self.pct_for_reps(low + 1)
        return a + (reps - low) * (b - a)

    def reps_at_share(self, share: float) -> float:
        """The inverse of the %1RM table: how many reps (to failure) a load of ``share`` × 1RM
        allows, interpolated; outside the table, its end rows."""
        table = self.percent_1rm_rows  # reps ascending, share descending
        if share >= table[0][1]:
            return float(table[0][0])
        if share <= table[-1][1]:
            return float(table[-1][0])
        for (r1, s1), (r2, s2) in itertools.pairwise(table):
            if s2 <= share <= s1:
                return r1 + (s1 - share) / (s1 - s2) * (r2 - r1)
        raise NormsError(f"no reps for {share:.0%} of 1RM")  # unreachable


class _Reader:
    """Reads a nested TOML table and names the missing key on failure."""

    def __init__(self, data: dict[str, Any], path: str = "") -> None:
        self._data = data
        self._path = path

    def sub(self, key: str) -> _Reader:
        value = self.get(key)
        if not isinstance(value, dict):
            raise NormsError(f"norms.toml: {self._path}{key} must be a table")
        return _Reader(value, f"{self._path}{key}.")

    def get(self, key: str) -> Any:
        if key not in self._data:
            raise NormsError(f"norms.toml: {self._path}{key} is missing")
        return self._data[key]

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise NormsError(f"norms.toml: {self._path}{key} must be a number")
        return float(value)

    def integer(self, key: str) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise NormsError(f"norms.toml: {self._path}{key} must be an integer")
        return value

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise NormsError(f"norms.toml: {self._path}{key} must be a string")
        return value

    def by_experience_int(self, key: str) -> dict[str, int]:
        table = self.sub(key)
        return {level: table.integer(level) for level in EXPERIENCES}

    def by_experience_num(self, key: str) -> dict[str, float]:
        table = self.sub(key)
        return {level: table.number(level) for level in EXPERIENCES}

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __contains__(self, key: str) -> bool:
        return key in self._data


def _phase(r: _Reader) -> PhaseDose:
    return PhaseDose(
        sets=r.by_experience_int("sets"),
        rep_steps=_rep_steps(r),
        bodyweight_reps=r.integer("bodyweight_reps"),
        rpe=r.number("rpe"),
        tempo=r.text("tempo"),
        rest_s=r.integer("rest_s"),
        plyo_cap=r.by_experience_int("plyo_cap"),
        plyo_intensity=tuple(r.get("plyo_intensity")),
    )


def _rep_steps(r: _Reader) -> tuple[int, ...]:
    steps = r.get("rep_steps")
    if (
        not isinstance(steps, list)
        or not steps
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in steps)
        or steps != sorted(steps, reverse=True)
    ):
        raise NormsError("norms.toml: rep_steps must be whole numbers, the top of the range first")
    return tuple(steps)


def _load_source(name: str, r: _Reader) -> LoadSource:
    def optional_text(key: str) -> str | None:
        return r.text(key) if key in r else None

    def optional_number(key: str, default: float) -> float:
        return r.number(key) if key in r else default

    return LoadSource(
        name=name,
        provided_by=r.text("provided_by"),
        step_kg=r.number("step_kg"),
        kind=r.text("kind"),
        owned=optional_text("owned"),
        bar_key=optional_text("bar_key"),
        step_lb=r.number("step_lb"),
        floor_kg=optional_number("floor_kg", 0.0),
        floor_lb=optional_number("floor_lb", 0.0),
        max_kg=r.number("max_kg"),
        max_lb=r.number("max_lb"),
    )


def _protocol(r: _Reader) -> Protocol:
    blocks = tuple(
        ProtocolBlock(until_week=int(b["until"]), sets=int(b["sets"]), reps=int(b["reps"]))
        for b in r.get("weeks")
    )
    if not blocks or [b.until_week for b in blocks] != sorted(b.until_week for b in blocks):
        raise NormsError("norms.toml: protocol weeks must be a non-empty list in week order")
    return Protocol(
        sessions_per_week=r.integer("sessions_per_week"),
        tempo=r.text("tempo"),
        rest_s=r.integer("rest_s"),
        rpe=r.number("rpe"),
        weeks=blocks,
        length_weeks=r.integer("length_weeks") if "length_weeks" in r else None,
    )


def parse_norms(text: str) -> Norms:
    """Parse and check the norms TOML text.

    :raises NormsError: a value is missing or has the wrong type.
    """
    try:
        root = _Reader(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise NormsError(f"norms.toml: {exc}") from exc
    equipment = root.sub("equipment")
    sources = root.sub("load_sources")
    dosing = root.sub("dosing")
    fractions = dosing.sub("start_load_fraction")
    pct = dosing.sub("percent_1rm_by_reps")
    phases = root.sub("phases")
    taper = root.sub("taper")
    plyo = root.sub("plyometrics")
    progression = root.sub("progression")
    deload = root.sub("deload")
    period = root.sub("periodization")
    race = root.sub("race")
    placement = root.sub("placement")
    primer = root.sub("primer")
    pain = root.sub("pain")
    iso = root.sub("isometric")
    protocols = root.sub("protocols")
    achilles = protocols.sub("achilles_tendinopathy")
    strain = protocols.sub("calf_strain")
    assess = root.sub("assessments")
    medians = assess.sub("heel_raise_median")

    phase_doses = {name: _phase(phases.sub(name)) for name in DOSED_PHASES}
    fill = tuple((str(name), int(cap)) for name, cap in period.get("build_fill"))
    if {name for name, _ in fill} | {period.text("build_rest_to")} != set(BUILD_PHASES):
        raise NormsError("norms.toml: periodization.build_fill must name the three build phases")
    norms = Norms(
        loadable_equipment=frozenset(equipment.get("loadable")),
        load_sources={name: _load_source(name, sources.sub(name)) for name in sources},
        start_load_share_of_1rm=dosing.number("start_load_share_of_1rm"),
        assessment_ratio_min=dosing.number("assessment_ratio_min"),
        assessment_ratio_max=dosing.number("assessment_ratio_max"),
        assessed_load_class=dosing.text("assessed_load_class"),
        start_load_fraction={k: fractions.by_experience_num(k) for k in fractions},
        start_load_basis={k: fractions.sub(k).text("basis") for k in fractions},
        heel_raise_bodyweight_below=dosing.integer("heel_raise_bodyweight_below"),
        heel_raise_loaded_from=dosing.integer("heel_raise_loaded_from"),
        bodyweight_raise_class={
            1: dosing.sub("bodyweight_raise_class").text("one_leg"),
            2: dosing.sub("bodyweight_raise_class").text("two_legs"),
        },
        percent_1rm_by_reps={int(k): pct.number(k) for k in pct},
        phases=phase_doses,
        taper_set_share=taper.number("set_share"),
        taper_contact_share=taper.number("contact_share"),
        taper_rpe=taper.number("rpe"),
        taper_tempo=taper.text("tempo"),
        taper_rest_s=taper.integer("rest_s"),
        plyo_reps_per_set=plyo.integer("reps_per_set"),
        plyo_reps_per_set_per_side=plyo.integer("reps_per_set_per_side"),
        plyo_sets_max=plyo.integer("sets_max"),
        plyo_rest_s=plyo.integer("rest_s"),
        plyo_start_share_of_cap=plyo.number("start_share_of_cap"),
        plyo_weekly_growth_max=plyo.number("weekly_growth_max"),
        plyo_max_sessions_per_week=plyo.integer("max_sessions_per_week"),
        plyo_min_days_between=plyo.integer("min_days_between"),
        max_weekly_step_kg=progression.number("max_weekly_step_kg"),
        max_weekly_step_share=progression.number("max_weekly_step_share"),
        missed_reps_limit=progression.integer("missed_reps_limit"),
        failed_rpe=progression.number("failed_rpe"),
        lower_share=progression.number("lower_share"),
        fewer_reps=progression.integer("fewer_reps"),
        e1rm_rise_min_share=progression.number("e1rm_rise_min_share"),
        retest_every_weeks=progression.integer("retest_every_weeks"),
        seated_test_reps=progression.integer("seated_test_reps"),
        seated_test_rpe=progression.number("seated_test_rpe"),
        deload_every=deload.by_experience_int("every_nth_build_week"),
        deload_set_share=deload.number("set_share"),
        default_weeks_without_race=period.integer("default_weeks_without_race"),
        foundation_weeks_without_race=period.integer("foundation_weeks_without_race"),
        strength_until_week_without_race=period.integer("strength_until_week_without_race"),
        recovery_weeks=period.integer("recovery_weeks"),
        taper_weeks={d: period.sub("taper_weeks").integer(d) for d in RACE_DISTANCES},
        build_min_weeks=period.integer("build_min_weeks"),
        build_fill=fill,
        build_rest_to=period.text("build_rest_to"),
        max_plan_weeks=period.integer("max_plan_weeks"),
        last_strength_days_before={
            d: race.sub("last_strength_days_before").integer(d) for d in RACE_DISTANCES
        },
        no_plyo_days_before=race.integer("no_plyo_days_before"),
        race_primer_days_before_min=race.integer("primer_days_before_min"),
        recovery_days_after=race.integer("recovery_days_after"),
        min_days_between_same_variation=placement.integer("min_days_between_same_variation"),
        primer_max_exercises=primer.integer("max_exercises"),
        primer_max_sets=primer.integer("max_sets"),
        primer_seconds_per_set=primer.integer("seconds_per_set"),
        primer_max_seconds=primer.integer("max_seconds"),
        primer_rest_s=primer.integer("rest_s"),
        primer_reps=primer.integer("reps"),
        primer_tempo=primer.text("tempo"),
        primer_rpe=primer.number("rpe"),
        primer_max_load_x_bodyweight=primer.number("max_load_x_bodyweight"),
        pain_green_max=pain.integer("green_max"),
        pain_amber_max=pain.integer("amber_max"),
        pain_profile_weeks=pain.integer("profile_weeks"),
        pain_red_share=pain.number("red_share"),
        pain_reentry_weeks=pain.integer("reentry_weeks"),
        isometric_sets=iso.integer("sets"),
        isometric_hold_s=iso.integer("hold_s"),
        isometric_rest_s=iso.integer("rest_s"),
        isometric_rpe=iso.number("rpe"),
        achilles=_protocol(achilles),
        plantar=_protocol(protocols.sub("plantar_heel_pain")),
        achilles_plyo_heel_raise_min=achilles.integer("plyo_heel_raise_min"),
        achilles_plyo_lsi_min=achilles.number("plyo_lsi_min"),
        strain_step_weeks=strain.integer("step_weeks"),
        strain_step_weeks_slow=strain.integer("step_weeks_slow"),
        strain_step_weeks_both=strain.integer("step_weeks_both"),
        strain_greens_to_advance=strain.integer("greens_to_advance"),
        strain_greens_to_advance_slow=strain.integer("greens_to_advance_slow"),
        strain_greens_to_advance_both=strain.integer("greens_to_advance_both"),
        strain_pain_free_max=strain.integer("pain_free_max"),
        strain_older_age=strain.integer("older_age"),
        strain_plyo_heel_raise_min=strain.integer("plyo_heel_raise_min"),
        strain_return_heel_raise_min=strain.integer("return_to_run_heel_raise_min"),
        strain_return_lsi_min=strain.number("return_to_run_lsi_min"),
        heel_raise_clinical_floor=assess.integer("heel_raise_clinical_floor"),
        heel_raise_return_to_run=assess.integer("heel_raise_return_to_run"),
        lsi_goal=assess.number("lsi_goal"),
        test_noise_reps=assess.integer("test_noise_reps"),
        seated_1rm_goal_x_bodyweight=assess.number("seated_1rm_goal_x_bodyweight"),
        seated_1rm_max_x_bodyweight=assess.number("seated_1rm_max_x_bodyweight"),
        heel_raise_median={
            sex: {int(k): int(v) for k, v in medians.get(sex).items()} for sex in ("male", "female")
        },
    )
    _check_race_days(norms)
    for row in norms.bodyweight_raise_class.values():
        if norms.start_load_basis.get(row) != "system":
            raise NormsError(
                f"norms.toml: dosing.bodyweight_raise_class names {row!r}: it must be a "
                "system-load row of dosing.start_load_fraction"
            )
    return norms


# Weeks that start more than this many days from the race are planned as if there were none
# (core.planner keeps their session days once a plan): none of their days may fall within
# §3's days before or after it.
AWAY_FROM_RACE_DAYS = 14


def _check_race_days(norms: Norms) -> None:
    """§3's days around a race must fit inside the weeks the planner treats as near it: a
    week starting 15 or more days before the race ends 9 or more days before it, and one
    starting 15 or more days after it has no day nearer."""
    before = max(
        *norms.last_strength_days_before.values(),
        norms.no_plyo_days_before,
        norms.race_primer_days_before_min,
    )
    if before > AWAY_FROM_RACE_DAYS - 6:
        raise NormsError(
            f"norms.toml: race days before a race go up to {before}; allowed: at most "
            f"{AWAY_FROM_RACE_DAYS - 6} (the planner plans weeks further away alike)"
        )
    if norms.recovery_days_after > AWAY_FROM_RACE_DAYS:
        raise NormsError(
            f"norms.toml: race.recovery_days_after is {norms.recovery_days_after}; allowed: "
            f"at most {AWAY_FROM_RACE_DAYS} (the planner plans weeks further away alike)"
        )
