"""The exercise catalog: parsed, validated once, and queried by variation and equipment."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from calfcoach.core.norms import EXPERIENCES, Norms

Variation = Literal["straight_leg", "bent_knee", "plyometric"]
Level = Literal["novice", "intermediate", "advanced"]
Intensity = Literal["low", "moderate", "high"]
VARIATIONS: tuple[Variation, ...] = ("straight_leg", "bent_knee", "plyometric")
RAISES: tuple[Variation, ...] = ("straight_leg", "bent_knee")
# The seven exercise ids of the method (DOMAIN.md §1): a contract.
METHOD_IDS = frozenset(
    {
        "barbell-single-leg-calf-raise",
        "kettlebell-single-leg-calf-raise",
        "seated-smith-calf-raise",
        "lunge-calf-raise",
        "rear-foot-elevated-pogo",
        "pogo-hops",
        "alternating-hops",
    }
)
KNOWN_TAGS = frozenset({"method", "rehab", "double_leg", "seated", "towel"})


# DOMAIN.md §6, insertional Achilles pain: the heel never drops below the forefoot. These cues
# replace a raise's set-up cues that put the forefoot on a step or plate or take the heel into
# a stretch.
INSERTIONAL_CUES = (
    "Feet flat on the floor: no step or plate under the forefoot (insertional Achilles pain).",
    "Lower only until the heel meets the floor, never below the level of the forefoot.",
)
# Set-up phrases that put the forefoot on a step or plate: taken out of a cue, the rest stays
# ("Ball of the foot on a step, kettlebell in the same-side hand" keeps its kettlebell).
_RAISED_SETUP = re.compile(
    r"\s*(?:on|onto)\s+(?:the edge of\s+)?(?:a|another|the)\s+(?:stacked\s+)?"
    r"(?:step|plate|book|stack of plates)(?:\s+or\s+(?:a\s+)?(?:step|book|stack of plates|plate|"
    r"the floor))*",
    re.IGNORECASE,
)
# Cues that take the heel below the forefoot or into a stretch: dropped whole.
_HEEL_DROP = ("below", "stretch")
# A machine's platform edge lets the heels sink below it: the whole foot on the platform
# instead (a review: "balls of the feet on the platform" still let them drop).
_PLATFORM_EDGE = re.compile(
    r"balls?\s+of\s+the\s+feet\s+on\s+the\s+(?:(?:bottom\s+)?edge of the platform|platform edge)",
    re.I,
)
_WHOLE_FOOT = "the whole foot on the platform, the heels never below the forefoot"
# Clauses that still raise the forefoot once the set-up above is out ("or the edge of a
# stair", "if you have one" of a step taken out, heels hanging free), and the set-up's words
# left bare ("Balls of the feet"): dropped, the rest of the cue stays. A physio's review read
# "Balls of both feet if you have one."
_RAISED_CLAUSE = re.compile(r"\b(?:stair|edge|if you have one|heels free)\b", re.I)
_BARE_SETUP = re.compile(
    r"^(?:balls?\s+of\s+(?:the|both)\s+f(?:oo|ee)t|the front foot's toes)$", re.I
)


# A raise held with a weight in hand (or on the back) prescribed at body weight: its first cue
# says so, and the clauses that hand the athlete the weight are left out ("Ball of the foot on
# the edge of a step, one dumbbell in the same-side hand" keeps its step). A trial's runner
# was told "body weight" beside "one dumbbell in the same-side hand".
BODY_WEIGHT_CUE = "Body weight only this time: nothing in your hands or on your back."
_IN_HAND = re.compile(
    r"dumbbell|kettlebell|backpack|plate held|in each hand|same-side hand|weight in one hand",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"(\s*[,;]\s*)")  # (kept: a cue keeps its own commas and semicolons)
# The load sources held in the hand or worn: a raise loaded by them can go without (a bar's
# and a machine's cannot, DOMAIN.md §2.1).
_HELD_SOURCES = frozenset({"dumbbell", "dumbbell_pair", "kettlebell", "plates", "backpack"})


def _without_weight_in_hand(cues: tuple[str, ...]) -> tuple[str, ...]:
    kept = []
    for cue in cues:
        if not _IN_HAND.search(cue):
            kept.append(cue)
            continue
        parts = _CLAUSE.split(cue.rstrip("."))
        # parts: clause, separator, clause, ...: each kept clause with the separator before it.
        text = ""
        for n in range(0, len(parts), 2):
            if not _IN_HAND.search(parts[n]):
                text += (parts[n - 1] if text else "") + parts[n]
        if len(text.split()) > 2:  # "straps tight" alone, of the backpack's packing, goes too
            kept.append(text[0].upper() + text[1:] + ".")
    return (BODY_WEIGHT_CUE, *kept)


def cues_for(
    exercise: Exercise, insertional: bool, load_kg: float | None = None
) -> tuple[str, ...]:
    """The exercise's cues, with the flat-floor cues first and no raised-forefoot set-up or
    heel drop when the athlete has insertional Achilles pain (DOMAIN.md §6); and, for a raise
    loaded in the hand or on the back but prescribed at body weight (``load_kg`` 0), without
    the weight in hand."""
    cues = _flat_floor(exercise) if insertional else exercise.cues
    if (
        load_kg == 0
        and exercise.bodyweight_share > 0
        and exercise.load_via
        and _HELD_SOURCES.issuperset(exercise.load_via)
    ):
        return _without_weight_in_hand(cues)
    return cues


def _flat_floor(exercise: Exercise) -> tuple[str, ...]:
    if exercise.variation == "plyometric":
        return exercise.cues
    kept = []
    for cue in exercise.cues:
        if any(word in cue.lower() for word in _HEEL_DROP):
            continue
        flat = _RAISED_SETUP.sub("", _PLATFORM_EDGE.sub(_WHOLE_FOOT, cue.rstrip(".")))
        parts = _CLAUSE.split(flat)
        # parts: clause, separator, clause, ...: each kept clause with the separator before it.
        text = ""
        for n in range(0, len(parts), 2):
            clause = parts[n].strip()
            if not clause or _RAISED_CLAUSE.search(clause) or _BARE_SETUP.match(clause):
                continue
            text += (parts[n - 1].strip() + " " if text else "") + clause
        if len(text) > 3:
            kept.append(text[0].upper() + text[1:] + ".")
    return INSERTIONAL_CUES + tuple(kept)


def name_for(exercise: Exercise, insertional: bool) -> str:
    """The exercise's name, without a raised-forefoot set-up for insertional Achilles pain
    (DOMAIN.md §6): "Single-leg dumbbell calf raise on a step" beside "Feet flat on the
    floor: no step or plate" read as two orders (issue 13, physio review W3)."""
    if not insertional or exercise.variation == "plyometric":
        return exercise.name
    flat = _RAISED_SETUP.sub("", exercise.name).strip()
    return exercise.name if flat == exercise.name else f"{flat} from the flat floor"


def is_insertional(condition: str, achilles_type: str) -> bool:
    """Insertional Achilles tendinopathy (a profile's ``health.condition`` and type)."""
    return condition == "achilles_tendinopathy" and achilles_type == "insertional"


_EMPTY_IS_NONE = frozenset({"regression", "progression", "load_class"})


class CatalogError(ValueError):
    """The shipped catalog is inconsistent (a repeated id, a link to nowhere, ...)."""


class Exercise(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One catalog entry (DESIGN.md "Catalog entry"), plus the planner's dosing fields.
    msgspec, as the profile (core.profile says why): the catalog is read on every start."""

    id: Annotated[str, Meta(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    name: Annotated[str, Meta(min_length=1)]
    variation: Variation
    equipment: tuple[tuple[str, ...], ...]
    per_side: bool
    loadable: bool
    level: Level
    isometric: bool
    # DOMAIN.md §2.1: the share of body mass the working calf (or calves) lifts besides the
    # external load; system load = bodyweight_share × body mass + load_kg.
    bodyweight_share: Annotated[float, Meta(ge=0, le=1)]
    cues: Annotated[tuple[str, ...], Meta(min_length=2, max_length=4)]
    regression: str | None
    progression: str | None
    load_class: str | None = None
    load_via: tuple[str, ...] = ()
    intensity: Intensity | None = None
    tags: frozenset[str] = frozenset()

    def needs_met_by(self, equipment: frozenset[str]) -> bool:
        """True when every need has at least one alternative in ``equipment``."""
        return all(not equipment.isdisjoint(need) for need in self.equipment)

    @property
    def legs(self) -> int:
        """Legs working: one for a per-side exercise, both otherwise (the per-calf divisor)."""
        return 1 if self.per_side else 2

    def level_fits(self, experience: str) -> bool:
        return EXPERIENCES.index(self.level) <= EXPERIENCES.index(experience)

    def contract_dict(self) -> dict[str, Any]:
        """The catalog contract's fields, then the added planner fields."""
        return {
            "id": self.id,
            "name": self.name,
            "variation": self.variation,
            "equipment": [list(need) for need in self.equipment],
            "per_side": self.per_side,
            "loadable": self.loadable,
            "level": self.level,
            "isometric": self.isometric,
            "cues": list(self.cues),
            "regression": self.regression,
            "progression": self.progression,
            "bodyweight_share": self.bodyweight_share,
            "load_class": self.load_class,
            "load_via": list(self.load_via),
            "intensity": self.intensity,
            "tags": sorted(self.tags),
        }


class Catalog(msgspec.Struct, frozen=True):
    """All exercises in file order (file order is the planner's preference)."""

    exercises: tuple[Exercise, ...]
    by_id: dict[str, Exercise]

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.by_id

    def get(self, exercise_id: str) -> Exercise | None:
        return self.by_id.get(exercise_id)

    def filter(
        self,
        variation: str | None = None,
        equipment: Iterable[str] | None = None,
    ) -> list[Exercise]:
        """Entries of ``variation`` doable with ``equipment`` (``none`` means no equipment)."""
        have = None if equipment is None else usable_equipment(equipment)
        return [
            ex
            for ex in self.exercises
            if (variation is None or ex.variation == variation)
            and (have is None or ex.needs_met_by(have))
        ]


def usable_equipment(equipment: Iterable[str]) -> frozenset[str]:
    """The profile's equipment as a set, with ``none`` meaning nothing at all."""
    return frozenset(item for item in equipment if item != "none")


def parse_catalog(text: str, norms: Norms, equipment_vocabulary: Iterable[str]) -> Catalog:
    """Parse and validate the catalog TOML text.

    :raises CatalogError: malformed entry, repeated id, unknown equipment or load source,
        a regression/progression that points nowhere, or a method id missing.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"exercises.toml: {exc}") from exc
    entries: list[Exercise] = []
    for position, item in enumerate(raw.get("exercise", []), start=1):
        # An empty text is no link (and no load class).
        entry = {
            key: None if value == "" and key in _EMPTY_IS_NONE else value
            for key, value in item.items()
        }
        try:
            entries.append(msgspec.convert(entry, Exercise, strict=True))
        except msgspec.ValidationError as exc:
            name = item.get("id", f"entry {position}")
            raise CatalogError(f"exercises.toml: {name}: {exc}") from exc
    by_id: dict[str, Exercise] = {}
    vocabulary = set(equipment_vocabulary) - {"none"}
    for ex in entries:
        if ex.id in by_id:
            raise CatalogError(f"exercises.toml: id {ex.id!r} appears twice")
        by_id[ex.id] = ex
        _check_entry(ex, norms, vocabulary)
    for ex in entries:
        for link in ("regression", "progression"):
            target = getattr(ex, link)
            if target is not None and target not in by_id:
                raise CatalogError(
                    f"exercises.toml: {ex.id}: {link} {target!r} points to no exercise"
                )
    missing = METHOD_IDS - by_id.keys()
    if missing:
        raise CatalogError(f"exercises.toml: the method's exercises are missing: {sorted(missing)}")
    return Catalog(exercises=tuple(entries), by_id=by_id)


def _check_entry(ex: Exercise, norms: Norms, vocabulary: set[str]) -> None:
    unknown = {item for need in ex.equipment for item in need} - vocabulary
    if unknown:
        raise CatalogError(f"exercises.toml: {ex.id}: unknown equipment {sorted(unknown)}")
    if ex.tags - KNOWN_TAGS:
        raise CatalogError(f"exercises.toml: {ex.id}: unknown tags {sorted(ex.tags - KNOWN_TAGS)}")
    if ex.loadable:
        if ex.load_class not in norms.start_load_fraction:
            raise CatalogError(f"exercises.toml: {ex.id}: loadable needs a known load_class")
        bad = [source for source in ex.load_via if source not in norms.load_sources]
        if not ex.load_via or bad:
            raise CatalogError(f"exercises.toml: {ex.id}: load_via needs known load sources")
    elif ex.load_via or ex.load_class:
        raise CatalogError(f"exercises.toml: {ex.id}: only loadable entries take load_via")
    if (ex.variation == "plyometric") != (ex.intensity is not None):
        raise CatalogError(f"exercises.toml: {ex.id}: intensity is for plyometrics only")
    if ex.variation == "plyometric" and (ex.loadable or ex.isometric):
        raise CatalogError(f"exercises.toml: {ex.id}: plyometrics are neither loaded nor held")
