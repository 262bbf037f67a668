"""Which external loads the athlete can build (DOMAIN.md §2.1): the ladder of loads for one load
source, in the athlete's units, from the default steps or from what they own.

Loads are built in the profile's units (an imperial athlete's 20 lb dumbbell, never 8.8 lb) and
kept in kg, so the plan and the database stay SI. A ladder answers the three questions dosing
asks: the heaviest buildable load not above a target, the next one up (one step, for R10), and
whether a load is buildable at all (for the property tests and ``check``).
"""

from __future__ import annotations

import bisect
import itertools
from functools import lru_cache

import msgspec

from calfcoach.core.norms import LoadSource
from calfcoach.core.profile import Profile
from calfcoach.core.units import KG_PER_LB

# A load in kg matches a buildable one within this (the plan keeps kg to 2 decimals).
_MATCH_KG = 0.011


class LoadLadder(msgspec.Struct, frozen=True):
    """The buildable external loads of one load source, ascending, in kg.

    ``loads_kg[0]`` is the lightest load the kit can make (a bar's own weight, the smallest
    dumbbell). ``body_weight_ok``: the exercise can be done with no external load at all (a
    dumbbell raise can; a bar raise cannot: its floor is the bar). ``owned``: the loads come
    from ``[equipment_loads]`` rather than the default steps.
    """

    source: LoadSource
    units: str
    loads_kg: tuple[float, ...]
    body_weight_ok: bool
    owned: bool

    @property
    def floor_kg(self) -> float:
        return self.loads_kg[0]

    @property
    def max_kg(self) -> float:
        return self.loads_kg[-1]

    def at_most(self, kg: float) -> float | None:
        """The heaviest buildable load not above ``kg``: 0 (body weight) below the floor where
        the exercise allows it, else None."""
        i = bisect.bisect_right(self.loads_kg, kg + 1e-9)
        if i:
            return self.loads_kg[i - 1]
        return 0.0 if self.body_weight_ok else None

    def down_to(self, kg: float) -> float:
        """:meth:`at_most` to the plan's 0.01 kg, and 0 where nothing buildable is that light
        (a bar's floor above ``kg``: the caller says what then). Red and the way back after
        it scale loads down with this, as the planner rounds every load on the ladder."""
        found = self.at_most(kg)
        return 0.0 if found is None else round(found, 2)

    def above(self, kg: float) -> float | None:
        """The lightest buildable load above ``kg`` (one step up), or None at the top."""
        i = bisect.bisect_right(self.loads_kg, kg + 1e-9)
        return self.loads_kg[i] if i < len(self.loads_kg) else None

    def gap_above(self, kg: float) -> float:
        """One step up from ``kg`` (DOMAIN.md §4: with owned kit, the gap to the next owned
        load); 0 at the top of the ladder."""
        nxt = self.above(kg)
        return 0.0 if nxt is None else round(nxt - kg, 3)

    def buildable(self, kg: float) -> bool:
        if kg <= 0:
            return self.body_weight_ok
        i = bisect.bisect_left(self.loads_kg, kg - _MATCH_KG)
        return i < len(self.loads_kg) and abs(self.loads_kg[i] - kg) <= _MATCH_KG

    def in_units(self, kg: float) -> float:
        return kg / KG_PER_LB if self.units == "imperial" else kg

    def describe(self, kg: float) -> str:
        """A load as the athlete builds it: "body weight", "12 kg", "2 × 10 lb" for a pair."""
        if kg <= 0:
            return "body weight"
        unit = "lb" if self.units == "imperial" else "kg"
        value = self.in_units(kg)
        if self.source.kind == "pair":
            return f"2 × {_number(value / 2, unit)} {unit}"
        return f"{_number(value, unit)} {unit}"


def _number(value: float, unit: str) -> str:
    """A load in its units without the noise of kg storage: 20, 12.5, 1.25 kg; 15 lb (the kg
    kept to 2 decimals comes back as 14.99 lb, so pounds show to 0.1)."""
    return f"{round(value, 1 if unit == 'lb' else 2):g}"


def ladder_for(source: LoadSource, profile: Profile) -> LoadLadder:
    """The ladder of ``source`` for this athlete's units and owned equipment."""
    units = profile.athlete.units
    loads = profile.equipment_loads
    owned = loads.owned(source.owned) if source.owned else None
    bar = loads.owned(source.bar_key) if source.bar_key else None
    return _ladder(source, units, owned, bar[0] if bar else None)


@lru_cache(maxsize=512)
def _ladder(
    source: LoadSource, units: str, owned: tuple[float, ...] | None, bar: float | None
) -> LoadLadder:
    step, top = source.step(units), source.maximum(units)
    kind = source.kind
    if kind == "bar":
        # A bar and pairs of plates: owned plates on both sides, or the default step.
        base = bar if bar is not None else source.floor(units)
        if owned is not None:
            plates = _combinations(owned, pairs=True, top=top - base)
        else:
            plates = _multiples(step, top - base)
        values = sorted({round(base + p, 4) for p in (0.0, *plates)})
    elif owned is not None and kind in ("single", "pair"):
        per_load = 2.0 if kind == "pair" else 1.0  # a pair: both dumbbells together
        values = sorted({round(w * per_load, 4) for w in owned})
    elif owned is not None and kind == "held_plates":
        values = sorted(_combinations(owned, pairs=False, top=top))
    elif owned is not None and kind == "backpack":
        # Filled in steps up to what the athlete's backpack takes (that load itself at least).
        values = _multiples(step, owned[-1]) or [owned[-1]]
    else:
        values = _multiples(step, top)
    factor = KG_PER_LB if units == "imperial" else 1.0
    loads_kg = tuple(sorted({round(v * factor, 2) for v in values if v > 0}))
    if not loads_kg:  # unreachable with validated profiles; one step keeps the ladder whole
        loads_kg = (round(step * factor, 2),)
    return LoadLadder(
        source=source,
        units=units,
        loads_kg=loads_kg,
        body_weight_ok=kind != "bar",
        owned=owned is not None or bar is not None,
    )


def _multiples(step: float, top: float) -> list[float]:
    count = int(top / step + 1e-9)
    return [round(step * k, 4) for k in range(1, count + 1)]


def _combinations(plates: tuple[float, ...], *, pairs: bool, top: float) -> list[float]:
    """Every total that the owned plates make. Each size is owned in pairs: on a bar one of a
    pair goes on each side (``pairs``); held, one plate or both."""
    totals = {0.0}
    # On a bar a pair goes one plate a side (total: twice the size); held, either one or both.
    choices = (2.0,) if pairs else (1.0, 2.0)
    for size in plates:
        grown = set(totals)
        for factor, total in itertools.product(choices, totals):
            value = total + factor * size
            if value <= top + 1e-9:
                grown.add(round(value, 4))
        totals = grown
        if len(totals) > 4096:  # owned plates never make this many distinct totals
            break
    return sorted(t for t in totals if t > 0)
