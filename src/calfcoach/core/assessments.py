"""Calf tests compared with their norms (DOMAIN.md §2).

- Single-leg heel-raise test: against the age and sex medians of Hébert-Losier et al. 2017,
  the clinical floor of 25 (Lunsford & Perry 1995) and the return-to-run goal of ≥ 30 each side
  with LSI ≥ 0.90 (Green et al. 2022). Changes under 6 reps are test–retest noise.
- Seated (bent-knee) raise 1RM: against 1.5 × body mass, a clinical target, not a population
  norm.
"""

from __future__ import annotations

import msgspec

from calfcoach.core.conditions import limb_symmetry_index
from calfcoach.core.norms import Norms
from calfcoach.core.units import format_weight


class HeelRaiseReport(msgspec.Struct, frozen=True):
    left: int
    right: int
    lsi: float
    median: int | None  # the age/sex median, when age and sex are known
    percent_of_median: float | None
    clinical_floor: int
    meets_floor: bool
    meets_return_to_run: bool
    change: int | None  # weaker side, against the previous test
    change_is_noise: bool | None
    lines: tuple[str, ...]


def heel_raise_median(age: int | None, sex: str | None, norms: Norms) -> int | None:
    """Hébert-Losier et al. 2017 median for the age band (under 20 uses 20–29, 80 and over
    70–79), or None without age or sex."""
    if age is None or sex is None:
        return None
    bands = norms.heel_raise_median[sex]
    band = max((b for b in bands if b <= age), default=min(bands))
    return bands[band]


def heel_raise_report(
    left: int,
    right: int,
    age: int | None,
    sex: str | None,
    previous: tuple[int, int] | None,
    norms: Norms,
) -> HeelRaiseReport:
    lsi = limb_symmetry_index(left, right)
    weaker = min(left, right)
    median = heel_raise_median(age, sex, norms)
    percent = None if median is None else 100 * weaker / median
    floor = norms.heel_raise_clinical_floor
    meets_floor = weaker >= floor
    rtr = weaker >= norms.heel_raise_return_to_run and lsi >= norms.lsi_goal
    change = None if previous is None else weaker - min(previous)
    noise = None if change is None else abs(change) < norms.test_noise_reps
    if max(left, right) == 0:
        # No raise on either side: there is no symmetry to judge (the index reads 1.00, and
        # "goal met" would praise a test that found no strength at all).
        symmetry = "limb symmetry not measurable (no raise on either side)"
    else:
        goal = "met" if lsi >= norms.lsi_goal else "not met"
        symmetry = f"limb symmetry {lsi:.2f} (goal ≥ 0.90 {goal})"
    lines = [
        f"left {left}, right {right} reps; {symmetry}",
        f"weaker side {weaker} reps: "
        + ("at or above" if meets_floor else "below")
        + f" the clinical floor of {floor}",
    ]
    if median is not None and percent is not None:
        lines.append(f"{percent:.0f}% of the median for your age and sex ({median} reps)")
    else:
        lines.append("add birth_year and sex to the profile to compare with the age/sex median")
    lines.append(
        # DOMAIN.md §2.2: "the return-to-run goal after a calf injury" — said so, as a
        # healthy runner read "not met yet" as a goal of their own (a coach's trial).
        "return-to-run goal after a calf injury (≥ 30 each side, LSI ≥ 0.90) "
        + ("met" if rtr else "not met yet")
    )
    if change is not None:
        if noise:
            lines.append(f"change {change:+d} reps since the last test: within test noise (< 6)")
        else:
            lines.append(f"change {change:+d} reps since the last test")
    return HeelRaiseReport(
        left, right, lsi, median, percent, floor, meets_floor, rtr, change, noise, tuple(lines)
    )


class SeatedReport(msgspec.Struct, frozen=True):
    value_kg: float
    target_kg: float
    percent_of_target: float
    x_bodyweight: float
    lines: tuple[str, ...]


def seated_1rm_report(
    value_kg: float, body_mass_kg: float, norms: Norms, units: str = "metric"
) -> SeatedReport:
    """A seated calf-raise 1RM against the clinical target; its lines in the athlete's
    ``units`` (the numbers stay kg)."""
    target = norms.seated_1rm_goal_x_bodyweight * body_mass_kg
    percent = 100 * value_kg / target
    x_bw = value_kg / body_mass_kg
    lines = (
        f"seated calf raise 1RM {format_weight(value_kg, units)} = {x_bw:.2f} × body weight",
        f"{percent:.0f}% of the {norms.seated_1rm_goal_x_bodyweight:g} × body weight target "
        f"({format_weight(target, units, 0)})",
        "a clinical target, not a population norm: no published norm for runners exists",
    )
    return SeatedReport(value_kg, target, percent, x_bw, lines)
