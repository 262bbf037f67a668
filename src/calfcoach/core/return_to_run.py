"""A calf strain's return to running (Green et al. 2022; DOMAIN.md §6): the criteria, each met
or not with its numbers, and the warnings on the plan's run days until they are all met. Pure.

The criteria: ≥ 30 single-leg heel raises each side, a limb symmetry index ≥ 0.90, and
pain-free hopping. "Pain-free" raises and hops are the ones assessed with pain 0 (``assess
heel-raise … --pain N``, ``assess hop --pain N``); a test whose pain was not recorded is not
pain-free. DOMAIN.md asks pain-free for the hops and for the 25 raises before plyometrics; we
also ask the 30-raise test to be pain-free before full running (the more conservative reading:
a return with painful raises is no return).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import msgspec

from calfcoach.core.conditions import limb_symmetry_index
from calfcoach.core.log import Assessment
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, PlanWarning
from calfcoach.core.profile import Profile

# Every run-day warning starts so; re-planning replaces them by it.
RUN_DAY_PREFIX = "Calf strain, return to running: "
RUN_DAYS = ("easy", "long", "workout", "race")


class Criterion(msgspec.Struct, frozen=True):
    """One return-to-running criterion: ``key`` (stable, for JSON and the web page), what it
    asks, whether it is met, and the athlete's numbers against it."""

    key: str
    label: str
    met: bool
    detail: str

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "met": self.met, "detail": self.detail}


class ReturnChecklist(msgspec.Struct, frozen=True):
    """The criteria; ``before_running``: while a red flag is not cleared, what the runner
    must do first ("see a clinician before running (…)", core.pain): then no criterion
    counts and no text may suggest running (issue 13, physio review S4)."""

    criteria: tuple[Criterion, ...]
    before_running: str | None = None

    @property
    def met(self) -> bool:
        return self.before_running is None and all(c.met for c in self.criteria)

    def unmet(self) -> list[str]:
        return [c.label for c in self.criteria if not c.met]

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "met": self.met,
            "criteria": [c.to_json() for c in self.criteria],
        }
        if self.before_running is not None:
            found["before_running"] = self.before_running
        return found


def _newest(tests: Sequence[Assessment], kind: str) -> Assessment | None:
    found = [t for t in tests if t.kind == kind]
    return max(found, key=lambda t: (t.day, t.id or 0)) if found else None


def _before(tests: Sequence[Assessment], n: int) -> list[Assessment]:
    """The tests done before ``tests[n]``: on an earlier day, or earlier the same day (the
    order they were stored in, which is the order given)."""
    day = tests[n].day
    return [t for m, t in enumerate(tests) if t.day < day or (t.day == day and m < n)]


def _pain_words(pain: int | None) -> str:
    return "pain not recorded" if pain is None else f"pain {pain}/10"


def return_checklist(
    profile: Profile,
    tests: Sequence[Assessment],
    norms: Norms,
    before_running: str | None = None,
    last_red: date | None = None,
) -> ReturnChecklist | None:
    """The criteria against the newest heel-raise and hop tests (the profile's heel-raise
    reps before any test is stored); None without a calf strain. ``before_running``: an
    uncleared red flag's "see a clinician before running (…)" (core.pain).

    ``last_red``: the day of the newest red check-in. A test on or before it no longer
    counts, nor do the profile's reps: red pain after them is a setback, and the criteria are
    met again only by tests after it. DOMAIN.md §6 does not say what a red does to tests
    already passed; this is the more conservative reading (a trial's checklist said "[met]
    pain-free hopping" the day after red pain of 6/10)."""
    if profile.health.condition != "calf_strain":
        return None
    floor, lsi_min = norms.strain_return_heel_raise_min, norms.strain_return_lsi_min
    pain_free = norms.strain_pain_free_max
    none_yet = "no heel-raise test yet"
    if last_red is not None:
        tests = [t for t in tests if t.day > last_red]
        none_yet = f"no heel-raise test since the red check-in of {last_red}"
    heel = _newest(tests, "heel_raise")
    # A hop test counts once hopping was allowed when it was done (25 pain-free raises, see
    # hop_test_caution): one said to come too soon met the checklist weeks later (a review).
    all_hops = [t for t in tests if t.kind == "hop"]
    timely = [
        t
        for n, t in enumerate(tests)
        if t.kind == "hop" and hop_test_caution(profile, _before(tests, n), norms) is None
    ]
    hop = _newest(timely, "hop")
    early = _newest(all_hops, "hop") if hop is None else None
    reps: tuple[int, int] | None = None
    raise_pain: int | None = None
    when = none_yet
    if heel is not None and heel.left_reps is not None and heel.right_reps is not None:
        reps, raise_pain, when = (heel.left_reps, heel.right_reps), heel.pain, f"test of {heel.day}"
    elif profile.assessments.single_leg_heel_raise_reps is not None and last_red is None:
        given = profile.assessments.single_leg_heel_raise_reps
        reps, when = (given.left, given.right), "from your profile"
    raises_label = f"≥ {floor} single-leg heel raises each side"
    symmetry_label = f"limb symmetry index ≥ {lsi_min:.2f}"
    if reps is None:
        raises = Criterion("heel_raises", raises_label, False, when)
        symmetry = Criterion("symmetry", symmetry_label, False, when)
    else:
        left, right = reps
        raises = Criterion(
            "heel_raises",
            raises_label,
            min(left, right) >= floor,
            f"left {left} of {floor}, right {right} of {floor} ({when})",
        )
        lsi = limb_symmetry_index(left, right)
        symmetry = Criterion(
            "symmetry", symmetry_label, lsi >= lsi_min, f"{lsi:.2f} of {lsi_min:.2f} ({when})"
        )
        if max(left, right) == 0:
            # No raise on either side: no symmetry to judge (the index reads 1.00).
            unmeasured = f"not measurable: no raise on either side ({when})"
            symmetry = Criterion("symmetry", symmetry_label, False, unmeasured)
    raises_free = Criterion(
        "raises_pain_free",
        "heel-raise test pain-free (0/10)",
        heel is not None and heel.pain is not None and heel.pain <= pain_free,
        none_yet if heel is None else f"{_pain_words(raise_pain)} ({when})",
    )
    no_hop = "no hop test yet" if last_red is None else f"no hop test since {last_red}'s red"
    if early is not None:
        no_hop = (
            f"the hop test of {early.day} came before {norms.strain_plyo_heel_raise_min} "
            "pain-free single-leg raises: hop again once they are there"
        )
    hops = Criterion(
        "hop_pain_free",
        "pain-free hopping (0/10)",
        hop is not None and hop.pain is not None and hop.pain <= pain_free,
        no_hop if hop is None else f"{_pain_words(hop.pain)} (test of {hop.day})",
    )
    return ReturnChecklist((raises, symmetry, raises_free, hops), before_running)


def _run_day_text(run: str, unmet: list[str], before_running: str | None = None) -> str:
    if before_running is not None:
        # A red flag not yet cleared: no run-day text may suggest running (physio review S4).
        return f"{RUN_DAY_PREFIX}{before_running}."
    wait = "; ".join(unmet)
    if run == "workout":
        what = "run easy and short in place of the workout"
    elif run == "long":
        what = "keep the long run easy and shorter"
    elif run == "race":
        what = "racing waits"
    else:
        what = "keep the run easy and short"
    return f"{RUN_DAY_PREFIX}{what}; fast running waits until: {wait}."


def warn_run_days(plan: Plan, checklist: ReturnChecklist | None, since: date) -> Plan:
    """The plan with a warning on every run day from ``since`` on while the return criteria
    are not all met (DOMAIN.md §6: "easy runs included"), naming the criteria not yet met;
    while a red flag is not cleared (``checklist.before_running``), saying to see a
    clinician before running instead.
    The earlier run-day warnings from ``since`` on are replaced; those before stay as they
    were (the days that have passed keep what they said)."""
    plan.warnings = [
        w
        for w in plan.warnings
        if not (w.message.startswith(RUN_DAY_PREFIX) and w.date is not None and w.date >= since)
    ]
    if checklist is None or checklist.met:
        return plan
    unmet = checklist.unmet()
    for week in plan.weeks:
        for day in week.days:
            if day.date >= since and day.run in RUN_DAYS:
                plan.warnings.append(
                    PlanWarning(
                        "R11",
                        week.index,
                        day.date,
                        _run_day_text(day.run, unmet, checklist.before_running),
                    )
                )
    return plan


def _injured_side(profile: Profile, left: int, right: int) -> int:
    """The reps of the injured side (``health.painful_side``; the weaker side for both)."""
    side = profile.health.painful_side
    return left if side == "left" else right if side == "right" else min(left, right)


def hop_test_caution(
    profile: Profile, tests: Sequence[Assessment], norms: Norms, last_red: date | None = None
) -> str | None:
    """Why a hop test comes too soon, or None: DOMAIN.md §6, calf strain, "plyometrics only
    after 25 pain-free single-leg raises" (on the injured side, as the plan's withheld
    plyometrics say). A hop test is hopping on the injured leg. A test is still stored when
    done (it was done); this is said beside it, and on the page that offers it. As for the
    checklist, tests on or before ``last_red`` (the newest red check-in) no longer count, nor do
    the profile's reps. None without a calf strain: the hop test is a calf strain's."""
    if profile.health.condition != "calf_strain":
        return None
    floor, pain_free = norms.strain_plyo_heel_raise_min, norms.strain_pain_free_max
    if last_red is not None:
        tests = [t for t in tests if t.day > last_red]
    heel = _newest(tests, "heel_raise")
    given = profile.assessments.single_leg_heel_raise_reps
    if heel is not None and heel.left_reps is not None and heel.right_reps is not None:
        reps, pain = _injured_side(profile, heel.left_reps, heel.right_reps), heel.pain
        found = f"your heel-raise test of {heel.day}: {reps} on the injured side, "
        found += _pain_words(pain)
    elif given is not None and last_red is None:
        reps, pain = _injured_side(profile, given.left, given.right), profile.health.pain_now
        found = f"your profile: {reps} on the injured side, pain now {pain}/10"
    else:
        reps, pain = 0, None
        found = "no heel-raise test yet" if last_red is None else f"none since {last_red}'s red"
    if pain is not None and pain <= pain_free and reps >= floor:
        return None
    return (
        f"Too soon for a hop test: hopping comes after {floor} pain-free single-leg heel raises "
        f"on the injured side ({found})."
    )
