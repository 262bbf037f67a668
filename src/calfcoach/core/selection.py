"""Which exercise fills each slot: the athlete's equipment and level, the phase's plyometric
intensity, loadable exercises first, and the fixed choices of the condition protocols (§6).

One :class:`ExerciseChooser` per plan caches its answers: the same slot gets the same answer
all plan long. What depends only on the kit and the level (candidates, regressions, load
sources, the raises of each slot) is kept in a :class:`KitChoices` that every plan with the same
catalog, norms, equipment and level shares: a club's plans recompute none of it.
"""

from __future__ import annotations

from typing import TypeVar

from calfcoach.core.catalog import Catalog, Exercise
from calfcoach.core.dosing import OneRepMax, bodyweight_1rm, estimated_1rm, load_source
from calfcoach.core.loads import LoadLadder, ladder_for
from calfcoach.core.norms import LoadSource, Norms
from calfcoach.core.profile import Profile

SL, BK, PL = "straight_leg", "bent_knee", "plyometric"


class KitChoices:
    """The choices one kit and level make from a catalog under some norms: pure functions of
    those four, computed on first use and kept (shared by plans through :func:`kit_choices`,
    so they hand out tuples, never lists a caller could change)."""

    def __init__(
        self, catalog: Catalog, norms: Norms, equipment: frozenset[str], experience: str
    ) -> None:
        self.catalog = catalog
        self.norms = norms
        self.equipment = equipment
        self.experience = experience
        self._candidates: dict[tuple[str, str], tuple[Exercise, ...]] = {}
        self._regressions: dict[str, tuple[Exercise, ...]] = {}
        self._regression_ids: dict[str, frozenset[str]] = {}
        self._families: dict[str, frozenset[str]] = {}
        self._sources: dict[str, LoadSource | None] = {}
        self._pools: dict[tuple[str, str, str], tuple[Exercise, ...]] = {}
        self._raises: dict[tuple[str, int, str, str], tuple[Exercise, ...]] = {}

    def candidates(self, variation: str, phase: str) -> tuple[Exercise, ...]:
        """Exercises of ``variation`` the athlete can do, best first (rehab and holds aside).

        Raises: loadable with the athlete's kit first, then catalog order. Plyometrics: the
        phase's intensities in its order, then catalog order.
        """
        # Only plyometrics depend on the phase: the raises of every phase share one answer.
        key = (variation, phase if variation == PL else "")
        cached = self._candidates.get(key)
        if cached is not None:
            return cached
        if variation == PL:
            # Plyometrics are chosen by their needs, level and intensity alone: kits alike in
            # the items those needs name share them (most kits differ only in loading kit).
            found = self._candidates[key] = _plyometric_candidates(
                self.catalog, self.norms, self.equipment, self.experience, phase
            )
            return found
        fits = [
            ex
            for ex in _slot_entries(self.catalog, variation)
            if ex.needs_met_by(self.equipment) and ex.level_fits(self.experience)
        ]
        fits.sort(key=lambda ex: self.source(ex) is None)
        found = self._candidates[key] = tuple(fits)
        return found

    def source(self, ex: Exercise) -> LoadSource | None:
        """What loads ``ex`` for this athlete, or None (body weight)."""
        ex_id = ex.id  # (read once: this runs for every candidate)
        if ex_id not in self._sources:
            self._sources[ex_id] = load_source(ex, self.equipment, self.norms)
        return self._sources[ex_id]

    def regressions(self, ex: Exercise) -> tuple[Exercise, ...]:
        """``ex``'s regression chain, each entry doable with the athlete's kit and of the same
        variation (DOMAIN.md §2.1: two-legged, or seated)."""
        cached = self._regressions.get(ex.id)
        if cached is not None:
            return cached
        out: list[Exercise] = []
        seen = {ex.id}
        current = ex
        while current.regression is not None and current.regression not in seen:
            nxt = self.by_id(current.regression)
            seen.add(nxt.id)
            current = nxt
            if nxt.variation == ex.variation and nxt.needs_met_by(self.equipment):
                out.append(nxt)
        found = self._regressions[ex.id] = tuple(out)
        return found

    def regression_ids(self, exercise_id: str) -> frozenset[str]:
        """The ids of :meth:`regressions` of the exercise ``exercise_id``."""
        found = self._regression_ids.get(exercise_id)
        if found is None:
            found = self._regression_ids[exercise_id] = frozenset(
                e.id for e in self.regressions(self.by_id(exercise_id))
            )
        return found

    def family_ids(self, exercise_id: str) -> frozenset[str]:
        """The exercise, its regressions, and the catalog exercises whose regressions hold it:
        the forms of one movement (the 4-week re-entry rule, DOMAIN.md §6)."""
        found = self._families.get(exercise_id)
        if found is None:
            ex = self.by_id(exercise_id)
            # ``ex`` is among the regressions of those whose chain reaches it, of its variation,
            # when the kit does it (see :meth:`regressions`).
            above = _chains_reaching(self.catalog).get(exercise_id, frozenset())
            if not ex.needs_met_by(self.equipment):
                above = frozenset()
            found = self._families[exercise_id] = frozenset(
                {exercise_id, *self.regression_ids(exercise_id), *above}
            )
        return found

    def by_id(self, exercise_id: str) -> Exercise:
        ex = self.catalog.get(exercise_id)
        if ex is None:  # the catalog tests guarantee every id named here
            raise LookupError(f"catalog has no {exercise_id}")
        return ex

    def raises(
        self, variation: str, ordinal: int, mode: str, zone: str, dose_phase: str
    ) -> tuple[Exercise, ...]:
        """The raise(s) for the ``ordinal``-th session of the week holding ``variation``.

        ``mode``: normal, strain1/strain2 (calf-strain body-weight steps), achilles, plantar,
        isometric (red at two check-ins in a row: holds and seated raises only), holds (the
        same in a calf strain's body-weight steps: holds only).
        """
        # Asked for every raise of every week: the same slot always gets the same answer (the
        # dose phase left out of the key: a raise's candidates are the same in every phase).
        key = (variation, ordinal, mode, zone)
        found = self._raises.get(key)
        if found is None:
            found = self._raises[key] = tuple(
                self._choose_raises(variation, ordinal, mode, zone, dose_phase)
            )
        return found

    def _choose_raises(
        self, variation: str, ordinal: int, mode: str, zone: str, dose_phase: str
    ) -> list[Exercise]:
        if mode == "strain1":
            # Isometrics and two-legged raises first (Green et al. 2022).
            ids = (
                ["isometric-calf-hold", "double-leg-calf-raise"]
                if variation == SL
                else ["wall-sit-calf-raise"]
            )
            return [self.by_id(i) for i in ids]
        if mode == "holds":
            # Red twice in a row in a calf strain's body-weight steps: holds only (§6).
            return [
                self.by_id("isometric-calf-hold" if variation == SL else "bent-knee-isometric-hold")
            ]
        if mode == "strain2":
            single = (
                "single-leg-calf-raise" if variation == SL else "single-leg-bent-knee-calf-raise"
            )
            return [self.by_id(single)]
        if mode == "isometric" or (mode == "achilles" and zone == "red"):
            # Pain > 5: low-load isometric holds and seated raises only.
            if variation == SL:
                return [self.by_id("isometric-calf-hold")]
            seated = [ex for ex in self.candidates(BK, "foundation") if "seated" in ex.tags]
            return [seated[0] if seated else self.by_id("bent-knee-isometric-hold")]
        if mode == "plantar" and variation == SL:
            return [self.by_id("towel-single-leg-calf-raise")]  # Rathleff et al. 2015
        phase = dose_phase if dose_phase in self.norms.phases else "maintenance"
        # (The raises' candidates are the same in every phase, so are their pools.)
        key = (variation, "", mode)
        pool = self._pools.get(key)
        if pool is None:
            options = list(self.candidates(variation, phase))
            if mode == "achilles" and variation == BK:
                # Heavy slow resistance: seated bent-knee raises (Beyer et al. 2015).
                options = [ex for ex in options if "seated" in ex.tags] or options
            loaded = [ex for ex in options if self.source(ex)]
            # Two exercises alternate between the week's sessions, for variety.
            pool = self._pools[key] = tuple(loaded or options)[:2]
        return [pool[ordinal % len(pool)]]


_Found = TypeVar("_Found")


def _of_catalog(
    store: dict[int, tuple[Catalog, dict[str, _Found]]], catalog: Catalog
) -> dict[str, _Found]:
    """``catalog``'s table in ``store``, made empty when new. Keyed by the catalog's identity
    with the catalog kept beside it, so a new catalog at a freed address is never taken for
    an old one; at most eight catalogs are kept (tests make many)."""
    cached = store.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        if len(store) >= 8:
            store.clear()
        cached = store[id(catalog)] = (catalog, {})
    return cached[1]


# Each catalog's entries that may fill a slot, by variation (the catalog kept beside them, as
# below): what every kit's candidates are chosen from.
_SLOT_ENTRIES: dict[int, tuple[Catalog, dict[str, tuple[Exercise, ...]]]] = {}


def _slot_entries(catalog: Catalog, variation: str) -> tuple[Exercise, ...]:
    """The catalog's exercises of ``variation`` that are neither rehab nor holds, in catalog
    order (the same for every kit and level: a new kit's candidates walk only these)."""
    table = _of_catalog(_SLOT_ENTRIES, catalog)
    found = table.get(variation)
    if found is None:
        found = table[variation] = tuple(
            ex
            for ex in catalog.filter(variation=variation)
            if "rehab" not in ex.tags and not ex.isometric
        )
    return found


# Plyometric candidates by catalog and norms identity, phase, the kit's items that plyometric
# needs name, and level; each entry keeps its catalog and norms (see _KITS below).
_PLYOMETRICS: dict[
    tuple[int, int, str, frozenset[str], str], tuple[Catalog, Norms, tuple[Exercise, ...]]
] = {}


def _plyometric_candidates(
    catalog: Catalog, norms: Norms, equipment: frozenset[str], experience: str, phase: str
) -> tuple[Exercise, ...]:
    """:meth:`KitChoices.candidates` of plyometrics: the phase's intensities in its order,
    then catalog order. They depend on the kit only through the items their needs name
    (``needs_met_by``), so kits alike in those share one answer."""
    entries, named = _slot_entries(catalog, PL), _slot_needs(catalog, PL)
    key = (id(catalog), id(norms), phase, equipment & named, experience)
    found = _PLYOMETRICS.get(key)
    if found is not None and found[0] is catalog and found[1] is norms:
        return found[2]
    fits = [ex for ex in entries if ex.needs_met_by(equipment) and ex.level_fits(experience)]
    wanted = norms.phases[phase].plyo_intensity if phase in norms.phases else ()
    by_intensity = [ex for ex in fits if ex.intensity in wanted]
    fits = by_intensity or fits
    fits.sort(key=lambda ex: wanted.index(ex.intensity) if ex.intensity in wanted else 9)
    if len(_PLYOMETRICS) >= _MAX_KITS:
        _PLYOMETRICS.clear()
    chosen = tuple(fits)
    _PLYOMETRICS[key] = (catalog, norms, chosen)
    return chosen


# The equipment items the needs of each catalog's slot entries name, by variation (the
# catalog kept beside them, as above).
_SLOT_NEEDS: dict[int, tuple[Catalog, dict[str, frozenset[str]]]] = {}


def _slot_needs(catalog: Catalog, variation: str) -> frozenset[str]:
    """Every equipment item the needs of the slot entries of ``variation`` name."""
    table = _of_catalog(_SLOT_NEEDS, catalog)
    found = table.get(variation)
    if found is None:
        found = table[variation] = frozenset(
            item
            for ex in _slot_entries(catalog, variation)
            for need in ex.equipment
            for item in need
        )
    return found


# For each exercise, those of its variation whose regression chain reaches it, by catalog
# identity (the catalog kept beside it, as below).
_REACHING: dict[int, tuple[Catalog, dict[str, frozenset[str]]]] = {}


def _chains_reaching(catalog: Catalog) -> dict[str, frozenset[str]]:
    cached = _REACHING.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    reach: dict[str, set[str]] = {}
    for ex in catalog:
        seen = {ex.id}
        current = ex
        while current.regression is not None and current.regression not in seen:
            nxt = catalog.get(current.regression)
            if nxt is None:
                break
            seen.add(nxt.id)
            current = nxt
            if nxt.variation == ex.variation:
                reach.setdefault(nxt.id, set()).add(ex.id)
    found = {name: frozenset(names) for name, names in reach.items()}
    if len(_REACHING) >= 8:
        _REACHING.clear()
    _REACHING[id(catalog)] = (catalog, found)
    return found


# Shared choices by (catalog, norms) identity, equipment and level. Each entry keeps its
# catalog and norms, so an id reused by a new object is never mistaken for it; the registry
# starts afresh when full (a club has a few kits; tests may build many catalogs).
_KITS: dict[tuple[int, int, frozenset[str], str], tuple[Catalog, Norms, KitChoices]] = {}
_MAX_KITS = 512


def kit_choices(
    catalog: Catalog, norms: Norms, equipment: frozenset[str], experience: str
) -> KitChoices:
    """The shared :class:`KitChoices` of this catalog, norms, equipment and level."""
    key = (id(catalog), id(norms), equipment, experience)
    found = _KITS.get(key)
    if found is not None and found[0] is catalog and found[1] is norms:
        return found[2]
    if len(_KITS) >= _MAX_KITS:
        _KITS.clear()
    kit = KitChoices(catalog, norms, equipment, experience)
    _KITS[key] = (catalog, norms, kit)
    return kit


class ExerciseChooser:
    """One plan's choices: the kit's shared ones, and the loads of this athlete (1RMs,
    ladders: they depend on body mass, units and owned loads)."""

    def __init__(self, profile: Profile, catalog: Catalog, norms: Norms) -> None:
        self.profile = profile
        self.catalog = catalog
        self.norms = norms
        self.equipment = profile.equipment
        self.experience = profile.experience
        self.kit = kit_choices(catalog, norms, self.equipment, self.experience)
        # The kit's answers, asked for all plan long (bound once).
        self.candidates = self.kit.candidates
        self.source = self.kit.source
        self.regressions = self.kit.regressions
        self.regression_ids = self.kit.regression_ids
        self.family_ids = self.kit.family_ids
        self.by_id = self.kit.by_id
        self.raises = self.kit.raises
        self._one_rms: dict[str, OneRepMax | None] = {}
        self._ladders: dict[str, LoadLadder | None] = {}
        # 1RMs the log raised (DOMAIN.md §2.2), by exercise: they replace the estimates.
        self.logged_1rms: dict[str, OneRepMax] = {}

    def one_rm(self, ex: Exercise) -> OneRepMax | None:
        """The system-load 1RM the plan doses ``ex`` from: the log's where it raised it, else
        the assessment or the estimate (DOMAIN.md §2.1, §2.2); None for body-weight ones."""
        ex_id = ex.id  # (read once: this runs for every candidate)
        logged = self.logged_1rms.get(ex_id)
        if logged is not None:
            return logged
        if ex_id not in self._one_rms:
            self._one_rms[ex_id] = estimated_1rm(ex, self.profile, self.norms)
        return self._one_rms[ex_id]

    def bodyweight_one_rm(self, ex: Exercise) -> OneRepMax | None:
        """The estimated system-load 1RM of the body-weight raise ``ex`` (None for the others):
        whether body weight alone is above or below a set's target (DOMAIN.md §2.1)."""
        key = "bodyweight:" + ex.id
        if key not in self._one_rms:
            self._one_rms[key] = bodyweight_1rm(ex, self.profile, self.norms)
        return self._one_rms[key]

    def ladder(self, ex: Exercise) -> LoadLadder | None:
        """The loads the athlete can build for ``ex`` (None: nothing loads it)."""
        ex_id = ex.id  # (read once, as above)
        if ex_id not in self._ladders:
            source = self.source(ex)
            self._ladders[ex_id] = None if source is None else ladder_for(source, self.profile)
        return self._ladders[ex_id]
