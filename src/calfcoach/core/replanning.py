"""What the athlete's log, check-ins and tests change in the weeks ahead (issue #4; DOMAIN.md
§4, §6). Pure: a plan and the history in, :class:`Adjustments` out; ``planner.replan`` applies
them to the weeks from ``from_week`` on, and the weeks before stay exactly as they were.

- Double progression, per exercise, from its last logged session: every prescribed set done
  at the prescribed reps or more, at or under the target RPE, lets the plan progress; reps
  missed by more than 2 in a set or an RPE of 9.5 or more holds the load, and a second such
  session in a row lowers it by 10 % (the conservative end of DOMAIN's 5–10 %); anything in
  between holds it. (ACSM 2009: load +2–10 % once the reps are there.)
- Pain (Silbernagel et al. 2007; core.pain judges the check-ins): amber holds the last week's
  dose; red halves load and volume and withholds plyometrics until a green check-in; red twice
  in a row asks for isometrics and seated raises at half the pre-flare load and a clinician;
  each green after a red brings the dose halfway back to the pre-flare one; an uncleared red
  flag stops the sessions (``stop_sessions``).
- Missed sessions: a finished week with a planned session missed repeats its dose; two weeks
  with none done step back to the dose of the week before them. The week holding today is
  not finished and never counts as missed.
- Assessments: the newest heel-raise test and seated 1RM replace the profile's, so loads are
  re-estimated and withheld plyometrics come back once the §6 criterion is met.

The week holding "today" stays as planned (its first days are past and a week's rules hold
for whole weeks); re-planning starts the Monday after.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

import msgspec
from msgspec.structs import replace

from calfcoach.core import log_progression
from calfcoach.core.catalog import Catalog, is_insertional, name_for
from calfcoach.core.conditions import RED_DOSE_HELD, PainZone, Withheld
from calfcoach.core.dosing import (
    HOLDS_PRIMER,
    kit_ladder,
    load_x_bodyweight,
    primer_prescription,
)
from calfcoach.core.loads import LoadLadder
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.core.log_progression import LoggedOneRm
from calfcoach.core.norms import ORDINARY_PHASES, Norms
from calfcoach.core.pain import JudgedCheckIn, PainStatus, pain_status, worst_pain
from calfcoach.core.plan import (
    Change,
    Day,
    Plan,
    PlanWarning,
    Prescription,
    Reason,
    Session,
    WarningMark,
    Week,
    Why,
    change_dose,
)
from calfcoach.core.profile import Assessments, HeelRaiseReps, Profile
from calfcoach.core.progression import red_sets
from calfcoach.core.protocol_weeks import protocol_weeks
from calfcoach.core.red_dose import holds_and_seated_only, red_halved
from calfcoach.core.running_load import RunningHistory
from calfcoach.core.strain_steps import replanned_steps


class Adjustments(msgspec.Struct, frozen=True):
    from_week: int  # the first re-planned week (1-based)
    zone: PainZone = "green"  # the pain zone the first re-planned week is dosed in
    held: dict[str, Prescription] | None = None  # a dose to repeat, by exercise
    held_contacts: int | None = None
    caps: dict[str, float] = msgspec.field(default_factory=dict)  # loads not to exceed next week
    withheld: Withheld | None = None  # plyometrics out until the criterion is met
    notes: tuple[PlanWarning, ...] = ()
    # For the explanations (DOMAIN.md §7): the day the history was read, and what moved the
    # doses: (cause, date, rule, text), cause one of log | checkin | assessment | missed | import.
    decided: date | None = None
    causes: tuple[tuple[str, date, str | None, str], ...] = ()
    # From the log (core.log_progression): reps to take off next week, and 1RMs it raised.
    fewer_reps: dict[str, int] = msgspec.field(default_factory=dict)
    one_rms: dict[str, LoggedOneRm] = msgspec.field(default_factory=dict)
    # Red at two check-ins in a row, no green since (DOMAIN.md §6): isometric holds and seated
    # raises only, at half the pre-flare load (``caps`` carries those loads), no plyometrics.
    isometric_only: bool = False
    # An uncleared red flag: why the plan's sessions are stopped ("… stop and see a
    # clinician"); None otherwise. ``stop_sessions`` applies it to the plan.
    stopped: str | None = None
    # A calf strain's steps the check-ins moved (week index → step, core.strain_steps); the
    # weeks not named keep the up-front schedule.
    strain_steps: dict[int, int] = msgspec.field(default_factory=dict)
    # Whether the newest stored heel-raise test was pain-free (pain 0 recorded), for a calf
    # strain's plyometric criterion; None without a stored test.
    raises_pain_free: bool | None = None
    # The check-ins dated up to ``decided`` with their zones: they move the Achilles
    # protocol's weeks (core.protocol_weeks, DOMAIN.md §6).
    judged: tuple[JudgedCheckIn, ...] = ()
    # The way back from red for every re-planned week, not only the first (DOMAIN.md §6):
    # loads not to exceed by exercise, and weekly plyometric contacts not to exceed until a
    # week has reached them.
    lasting_caps: dict[str, float] = msgspec.field(default_factory=dict)
    contact_cap: int | None = None
    # The newest pain the athlete reported up to ``decided``: (pain, its day, "check-in" or
    # "heel-raise test"); it replaces the profile's ``pain_now`` in the plyometric criteria
    # (DOMAIN.md §6, §2.2). None without a check-in or a test with its pain.
    latest_pain: tuple[int, date, str] | None = None
    # The last red check-in of an episode with no green since (amber after it, or red twice
    # in a row, included): the day of that red, for the re-planned weeks after the first.
    # DOMAIN.md §6: red halves "the sessions that follow", and only a green brings the dose
    # back (halfway), so the plan, which cannot see the check-ins to come, doses them as red
    # until one re-plans it. None otherwise.
    red_until_green: date | None = None
    # Amber at the last check-in after one green since the last red (not yet two): the
    # re-planned weeks after the first hold the first one's dose — its exercises, sets and
    # loads — until the next check-in re-plans them; plyometric contacts still come back
    # +20 % a week (§6). DOMAIN.md does not say what the weeks the plan cannot see yet hold:
    # amber holds loads and volume and only a green brings a dose back, so the more
    # conservative reading holds them (issue 13: after red, green, amber the weeks after the
    # first went back to the full pre-flare dose). After red and no green,
    # ``red_until_green`` holds red's dose instead.
    hold_after_red: date | None = None  # the day of that red check-in
    # Changes recorded by earlier re-plans whose cause no longer holds, as (cause, date,
    # text) (_withdrawn): sessions a "missed" change counted as not done have been logged
    # since (review 13: a plan started in the past, its sessions logged a day at a time, kept
    # "missed" changes beside a dose they no longer explained), or a change of this week's
    # re-plans whose kind of cause is gone. ``planner.replan`` drops them.
    withdrawn: frozenset[tuple[str, date, str]] = frozenset()
    # When nothing in the history moves the doses any more (no cause above) yet a dose moved
    # away from what the earlier changes made it (a held dose let go: a later green check-in,
    # a good session after a failed one), the change that says so, (cause, date, rule, text):
    # the newest check-in or log. None without either.
    settled: tuple[str, date, str | None, str] | None = None
    # Plyometrics on their way back after red (DOMAIN.md §6: half the pre-flare weekly
    # contacts, then +20 % a week, never above them before a week has reached them), for the
    # explanations: (the red check-in's day, the green one's that brought them back, the
    # pre-flare weekly contacts). None otherwise.
    contacts_back: tuple[date, date, int] | None = None


def profile_with_assessments(
    profile: Profile, tests: list[Assessment], max_seated_x_bodyweight: float | None = None
) -> Profile:
    """The profile with its assessments replaced by the newest stored tests.

    ``max_seated_x_bodyweight`` (norms.toml): a seated 1RM above that many body weights is
    no calf's (a typo stored before the limit, or a restored backup): it is left out, and the
    seated loads come from the estimate instead of from it (an assessed 1RM sets them
    directly, DOMAIN.md §2.1)."""
    limit = (
        None
        if max_seated_x_bodyweight is None
        else max_seated_x_bodyweight * profile.athlete.body_mass_kg + 1e-9
    )
    heel = [a for a in tests if a.kind == "heel_raise"]
    seated = [
        a
        for a in tests
        if a.kind == "seated_1rm" and a.value_kg and (limit is None or a.value_kg <= limit)
    ]
    current = profile.assessments
    one_rm = current.seated_calf_raise_1rm_kg
    if one_rm is not None and limit is not None and one_rm > limit:
        one_rm = None  # (a stored profile is read as it was stored: the limit came later)
    elif not heel and not seated:
        return profile
    reps = current.single_leg_heel_raise_reps
    if heel:
        last = max(heel, key=lambda a: (a.day, a.id or 0))
        reps = HeelRaiseReps(left=last.left_reps or 0, right=last.right_reps or 0)
    if seated:
        one_rm = max(seated, key=lambda a: (a.day, a.id or 0)).value_kg
    updated = Assessments(single_leg_heel_raise_reps=reps, seated_calf_raise_1rm_kg=one_rm)
    return profile.replace(assessments=updated)


def first_replanned_week(plan: Plan, today: date) -> int | None:
    """The index of the week starting the Monday after ``today``; None past the plan's end."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    for week in plan.weeks:
        if week.start == monday:
            return week.index
    return 1 if monday <= plan.start else None


def _strength(week: Week) -> list[tuple[date, Prescription]]:
    return [
        (day.date, p)
        for day in week.days
        for s in day.sessions
        if s.kind == "strength"
        for p in s.exercises
    ]


def _dose(week: Week, after: date | None = None) -> tuple[dict[str, Prescription], int]:
    """The week's dose by exercise (each one's last prescription) and its weekly plyometric
    contacts; with ``after``, of its sessions after that day only, where it has any."""
    strength = _strength(week)
    if after is not None:
        strength = [(day, p) for day, p in strength if day > after] or strength
    dose = {p.exercise: p for _, p in strength}
    contacts = sum(p.contacts or 0 for _, p in strength if p.variation == "plyometric")
    return dose, contacts


def adjustments_from_history(
    plan: Plan,
    profile: Profile,
    sets: list[SetEntry],
    checkins: list[CheckIn],
    today: date,
    catalog: Catalog,
    norms: Norms,
    running: RunningHistory | None = None,
    tests: Sequence[Assessment] = (),
    log_from: date | None = None,
) -> Adjustments | None:
    """What the history changes from the week after ``today``; None when no week is left.

    ``running``: a jump in running load holds plyometric progression (core.running_load).
    ``tests``: the stored assessments; the newest heel-raise test's pain decides a calf
    strain's "pain-free" raises (DOMAIN.md §6).
    ``log_from``: the first day ``sets`` covers (the diary reads the last weeks of the log
    only); None: ``sets`` is the whole log. Older days are not judged from ``sets``."""
    from_week = first_replanned_week(plan, today)
    if from_week is None:
        return None
    past = plan.weeks[: from_week - 1]
    notes: list[PlanWarning] = []
    status = pain_status(checkins, today, norms)
    zone, withheld = _pain(status, from_week, norms, notes)
    held, held_contacts = _missed(past, sets, today, from_week, notes)
    advances = zone == "amber" and _protocol_advances(plan, profile, status, from_week)
    if advances:
        # The Achilles protocol's amber after a repeated week (§6): its next week, not a hold.
        notes = [_amber_advances(n) for n in notes]
    if zone == "amber" and held is None and past and not advances:
        # Amber holds last week's loads and volume (§6). After a red, last week's dose is the
        # red one its sessions after the red were given, not the pre-flare sessions before
        # the red in the same week (DOMAIN.md is silent; the more conservative reading, issue
        # 13: red, red, amber brought the holds back from 3 sets to 5): amber after red keeps
        # red's dose, and a green not yet followed by a session brings nothing back either.
        red = status.last_red
        held, held_contacts = _dose(past[-1], red)
        greens = len(status.greens_after_red)
        if red is not None and greens < 2:
            # The week keeps the way back's dose rather than the table's (R11 reads the note).
            notes.append(
                PlanWarning(
                    "R11",
                    from_week,
                    None,
                    f"{RED_DOSE_HELD}: pain was red at the check-in of {red}"
                    + (" and no green check-in has followed" if not greens else ", then one green")
                    + "; amber holds the dose since that red, not the pre-flare one, nothing new "
                    "added; each green check-in brings it halfway back (DOMAIN.md §6).",
                )
            )
    logged = log_progression.decide(past, sets, profile, catalog, norms)
    caps = dict(logged.caps)
    way_back = _return_after_red(plan, past, status, profile, catalog, norms)
    for name, limit in way_back.caps.items():
        caps[name] = min(caps.get(name, limit), limit)
    if way_back.held is not None and held is None:
        held = way_back.held
    elif way_back.held is not None and held is not None:
        # Missed sessions or amber hold a dose too: the lower of the two for each exercise.
        held = {
            name: min(p, way_back.held.get(name, p), key=lambda q: q.load_kg or 0.0)
            for name, p in held.items()
        }
    if held is not None and way_back.caps:
        # A held dose never goes above what the way back from red allows.
        held = {name: _capped(p, way_back.caps.get(name), profile) for name, p in held.items()}
    if way_back.held_contacts is not None:
        # The lower of two holds; a held 0 (a missed red week's dose) holds nothing in the
        # planner, so the way back's contacts hold instead.
        held_contacts = min(c for c in (held_contacts, way_back.held_contacts) if c)
    if running is not None and running.load_jump and held_contacts is None and past:
        # Held at the base the next weeks grow from: the last week that was not a deload
        # (DOMAIN.md §2.2: a deload never lowers it). A coach's trial: a jump noticed in a
        # deload week held its 0.6× contacts, and the weeks after grew back from there.
        base = next((w for w in reversed(past) if not w.deload), past[-1])
        held_contacts = _dose(base)[1] or None
        notes.append(
            PlanWarning(
                None,
                from_week,
                None,
                f"Running jumped to {running.last_week_km:g} km last week from about "
                f"{running.baseline_km:g} km: plyometric contacts are held this week, since "
                "the extra running already adds thousands of ground contacts.",
            )
        )
    if held_contacts is not None and way_back.contact_limit is not None:
        held_contacts = min(held_contacts, way_back.contact_limit)
    causes = _causes(
        notes,
        checkins,
        sets,
        today,
        logged.caps,
        logged.one_rms,
        _way_back_green(status, way_back),
    )
    return Adjustments(
        from_week,
        zone,
        held,
        held_contacts,
        caps,
        withheld,
        tuple(notes),
        today,
        causes,
        logged.fewer_reps,
        logged.one_rms,
        isometric_only=status.isometric_only,
        stopped=status.stopped,
        strain_steps=replanned_steps([w.start for w in plan.weeks], profile, status.judged, norms),
        raises_pain_free=_raises_pain_free(tests, today, norms),
        judged=status.judged,
        lasting_caps=way_back.lasting_caps,
        contact_cap=way_back.contact_limit,
        latest_pain=_latest_pain(status, tests, today),
        red_until_green=_red_until_green(status),
        hold_after_red=(
            status.last_red
            if len(status.greens_after_red) == 1 and status.zone == "amber"
            else None
        ),
        withdrawn=_withdrawn(plan, sets, from_week, log_from, {c[0] for c in causes}),
        settled=_settled(checkins, sets, today),
        contacts_back=(
            (status.last_red, status.greens_after_red[0], way_back.contact_limit)
            if way_back.held_contacts is not None
            and way_back.contact_limit is not None
            and status.last_red is not None
            and status.greens_after_red
            else None
        ),
    )


def _settled(
    checkins: list[CheckIn], sets: list[SetEntry], today: date
) -> tuple[str, date, str | None, str] | None:
    """Adjustments.settled: the newest check-in or logged day up to ``today``, as the
    change that lets a held dose go (the plan's own progression, §2.2, R10)."""
    last_checkin = max((c.day for c in checkins if c.day <= today), default=None)
    last_log = max((e.day for e in sets if e.day <= today), default=None)
    if last_checkin is None and last_log is None:
        return None
    if last_log is None or (last_checkin is not None and last_checkin >= last_log):
        kind, day = "checkin", last_checkin
    else:
        kind, day = "log", last_log
    assert day is not None
    text = (
        f"Nothing in your log and check-ins up to {day} holds this dose back any more: the "
        "plan goes on from the weeks done (§2.2), and the changes before this one no longer "
        "apply to it."
    )
    return kind, day, "R10", text


def _withdrawn(
    plan: Plan,
    sets: list[SetEntry],
    from_week: int,
    log_from: date | None,
    kinds_now: set[str],
) -> frozenset[tuple[str, date, str]]:
    """The changes recorded in the weeks to re-plan whose cause no longer holds (DOMAIN.md
    §7: the changes explain the dose), as (cause, date, text):

    - a "missed" change whose weeks, judged again on the day it was decided with the log as
      it is now, no longer give its finding: their sessions were logged since (a plan started
      in the past, a session logged late). Its weeks must lie within the log read
      (``log_from``): sets left unread would count as missed, never the other way;
    - a change dated within the week this re-plan reads (it moved only weeks re-planned now)
      whose kind of cause this re-plan no longer finds: a check-in corrected or followed by a
      green one, a failed set followed by a good session. An older change stays: the weeks it
      moved are kept, and the weeks after grow from them."""
    recorded = {
        (c.cause, c.date, c.text)
        for week in plan.weeks[from_week - 1 :]
        for day in week.days
        for session in day.sessions
        for p in session.exercises
        if p.why is not None
        for c in p.why.changes
    }
    withdrawn: set[tuple[str, date, str]] = set()
    for cause, decided, text in recorded:
        upto = first_replanned_week(plan, decided)
        if cause not in kinds_now and upto == from_week:
            withdrawn.add((cause, decided, text))
            continue
        if cause != "missed":
            continue
        weeks = plan.weeks if upto is None else plan.weeks[: upto - 1]
        # (_missed reads the last two weeks that had ended by then.)
        read = [w for w in weeks if w.start + timedelta(days=7) <= decided][-2:]
        if not read or (log_from is not None and read[0].start < log_from):
            continue
        notes: list[PlanWarning] = []
        _missed(weeks, sets, decided, upto or len(plan.weeks), notes)
        if all(_missed_finding(n.message) != _missed_finding(text) for n in notes):
            withdrawn.add(("missed", decided, text))
    return frozenset(withdrawn)


def _missed_finding(text: str) -> str:
    """What a missed-session note found, less how many of a week's sessions went unlogged:
    "2 of week 3's sessions not logged" still holds when one of them is logged late (the
    week's dose is repeated all the same); "No calf session logged in weeks 2–3" does not
    once week 2 is."""
    return re.sub(r"^\d+ of week", "of week", text)


def _red_until_green(status: PainStatus) -> date | None:
    """The day of the last red check-in while no green has followed it (amber after it holds
    its dose); None otherwise. Red twice in a row too (``isometric_only``): its holds and
    seated raises stay at red's sets and load until a green (issue 13: the weeks after the
    first went back to 5 holds and 3 sets of the seated raise with no green check-in)."""
    if status.greens_after_red:
        return None
    return status.last_red


def _latest_pain(
    status: PainStatus, tests: Sequence[Assessment], today: date
) -> tuple[int, date, str] | None:
    """The newest pain reported up to ``today``: the last check-in's (the higher of during and
    next morning) or the newest heel-raise test's with its pain recorded, whichever is newer;
    on the same day the higher of the two (the conservative one)."""
    found: list[tuple[date, int, str]] = []
    if status.last is not None:
        found.append((status.last.checkin.day, worst_pain(status.last.checkin), "check-in"))
    heel = [t for t in tests if t.kind == "heel_raise" and t.day <= today and t.pain is not None]
    if heel:
        newest = max(heel, key=lambda t: (t.day, t.id or 0))
        found.append((newest.day, newest.pain or 0, "heel-raise test"))
    if not found:
        return None
    day = max(f[0] for f in found)
    _, pain, source = max((f for f in found if f[0] == day), key=lambda f: f[1])
    return pain, day, source


def _raises_pain_free(tests: Sequence[Assessment], today: date, norms: Norms) -> bool | None:
    heel = [t for t in tests if t.kind == "heel_raise" and t.day <= today]
    if not heel:
        return None
    newest = max(heel, key=lambda t: (t.day, t.id or 0))
    return newest.pain is not None and newest.pain <= norms.strain_pain_free_max


def _amber_advances(note: PlanWarning) -> PlanWarning:
    if not note.message.startswith("Pain was amber"):
        return note
    text = note.message.split(":")[0] + (
        ": the protocol week was repeated once already and the next-morning pain did not "
        "rise, so the protocol advances (Silbernagel et al. 2007: progression within 0–5)."
    )
    return replace(note, message=text)


def _protocol_advances(plan: Plan, profile: Profile, status: PainStatus, from_week: int) -> bool:
    """Whether the Achilles protocol advances in the first re-planned week although the pain
    is amber (after a repeated week, DOMAIN.md §6): then amber holds no dose, and the
    protocol's next week is the dose."""
    if profile.health.condition != "achilles_tendinopathy":
        return False
    weeks = [(w.index, w.start, w.phase) for w in plan.weeks]
    place = protocol_weeks(weeks, status.judged, from_week).get(from_week)
    return place is not None and not place.repeated and place.why is not None


def _way_back_green(status: PainStatus, way_back: _Return) -> tuple[date, int] | None:
    """The green check-in that brings a dose back after red (DOMAIN.md §6), with how many
    greens since the red; None when no green is bringing a dose back this week."""
    greens = status.greens_after_red
    if way_back.held is None or not greens or status.zone != "green":
        return None
    return greens[-1], len(greens)


def _causes(
    notes: list[PlanWarning],
    checkins: list[CheckIn],
    sets: list[SetEntry],
    today: date,
    caps: dict[str, float],
    one_rms: dict[str, LoggedOneRm],
    way_back: tuple[date, int] | None = None,
) -> tuple[tuple[str, date, str | None, str], ...]:
    """What moved the doses, each with its date and rule, for ``explain``. A green check-in
    on the way back from red comes first: that return is §6's, "not as new progression"
    (it was told as "Your logged sets showed a stronger calf", R10: physio review B8)."""
    out: list[tuple[str, date, str | None, str]] = []
    if way_back is not None:
        green, count = way_back
        # One cause speaks for every week the re-plan changed: the held week and the weeks
        # after it, which the way back caps at the pre-flare dose until a second green.
        if count >= 2:
            text = (
                "Second green check-in after red pain: the way back after pain (§6) is done, "
                "the pre-flare dose is back and the plan goes on from it."
            )
        else:
            text = (
                "Green check-in after red pain: the way back after pain (§6) brings load "
                "and sets halfway back to the pre-flare dose, and no higher than it until a "
                "second green; not new progression."
            )
        out.append(("checkin", green, "R11", text))
    last_checkin = max((c.day for c in checkins if c.day <= today), default=None)
    for note in notes:
        text = note.message
        if "check-in" in text and last_checkin is not None:
            out.append(("checkin", last_checkin, note.rule, text))
        elif "Running jumped" in text:
            out.append(("import", today, note.rule, text))
        elif "logged" in text or "missed" in text or "nothing" in text:
            out.append(("missed", today, note.rule, text))
    last_log = max((e.day for e in sets if e.day <= today), default=today)
    if caps:
        out.append(
            (
                "log",
                last_log,
                "R10",
                "Your logged sets held or lowered the load (double progression, ACSM 2009).",
            )
        )
    if one_rms:
        out.append(
            (
                "log",
                last_log,
                "R10",
                "Your logged sets showed a stronger calf: the 1RM and the targets rose "
                "(Epley on the system load, §2.2), reached one step a week.",
            )
        )
    # Pain outranks the log: a check-in's change is the one a runner needs to see first.
    order = {"checkin": 0, "log": 1, "missed": 2, "assessment": 3, "import": 4}
    return tuple(sorted(out, key=lambda c: order.get(c[0], 9)))


def _pain(
    status: PainStatus, from_week: int, norms: Norms, notes: list[PlanWarning]
) -> tuple[PainZone, Withheld | None]:
    """The zone the first re-planned week is dosed in, withheld plyometrics, and the notes
    (core.pain judges the check-ins)."""
    last = status.last
    if last is None:
        return "green", None
    zones = [j.zone for j in status.judged]
    last_green = max((n for n, z in enumerate(zones) if z == "green"), default=-1)
    withheld = None
    if "red" in zones[last_green + 1 :]:
        withheld = Withheld(
            "plyometric",
            "a red pain check-in",
            f"a check-in with pain ≤ {norms.pain_green_max}/10",
        )
    day = last.checkin.day
    if status.stopped is not None:
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"Sessions stopped: {status.stopped}. They come back after a check-in that "
                "records a clinician's clearance.",
            )
        )
    if last.zone == "red":
        why = f" ({'; '.join(last.reasons)})" if last.reasons else ""
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"Pain was red at the last check-in ({day}){why}: this week halves load "
                "and volume and leaves plyometrics out.",
            )
        )
    elif last.zone == "amber":
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"Pain was amber at the last check-in ({day}): last week's loads "
                "and volume are held, nothing new added.",
            )
        )
    if status.clinician_since is not None:
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                "Red pain at two check-ins in a row: see a physiotherapist or doctor. Until a "
                "green check-in only isometric holds and seated raises at half the pre-flare "
                "load.",
            )
        )
    return last.zone, withheld


class _Return(msgspec.Struct, frozen=True):
    """What the way back from a red check-in adds to the first re-planned week."""

    held: dict[str, Prescription] | None = None
    held_contacts: int | None = None
    caps: dict[str, float] = msgspec.field(default_factory=dict)
    contact_limit: int | None = None  # the pre-flare weekly contacts, until reached once
    # The same two limits for every re-planned week while they hold (the first week's caps
    # above may be lower: a halfway dose). Loads: the pre-flare ones until two greens (half
    # of them while isometric_only); contacts: the pre-flare week's until a week reaches them.
    lasting_caps: dict[str, float] = msgspec.field(default_factory=dict)


def pre_flare_dose(plan: Plan, flare_start: date) -> tuple[dict[str, Prescription], int] | None:
    """The dose planned before the first non-green check-in of the episode (DOMAIN.md §6):
    each exercise's last prescription on or before that day, and the weekly plyometric
    contacts of the last whole week before that day's week (the flare's own week may have
    been cut after the check-in, so the week before is the dose surely planned before it —
    the more conservative reading). None when the plan holds nothing that early."""
    doses: dict[str, Prescription] = {}
    for week in plan.weeks:
        for day, p in _strength(week):
            if day <= flare_start:
                doses[p.exercise] = p
    monday = flare_start - timedelta(days=flare_start.weekday())
    if not doses:
        # A red before the plan's first session (a review: the way back then came at the
        # whole dose, as if there had been no flare): the flare's week's doses as they stand,
        # cut by red already (the lower, the more conservative reading).
        for week in plan.weeks:
            if week.start == monday:
                doses = {p.exercise: p for _, p in _strength(week)}
    if not doses:
        return None
    before = [w for w in plan.weeks if w.start < monday]
    own = [w for w in plan.weeks if w.start == monday]
    if before:
        contacts = _dose(before[-1])[1]
    elif own:
        # The plan's first week: its contacts as planned, which red_rest_of_week noted before
        # cutting them (a review: sessions of unlike plyometrics, or a red before the week's
        # first session, came back at the whole dose); a plan stored before that note: as
        # the sessions up to the check-in suggest.
        noted = [
            w.contacts
            for w in plan.warnings
            if w.week == own[0].index and _marks(w) == "red_rest_of_week" and w.contacts is not None
        ]
        contacts = noted[0] if noted else _uncut_contacts(own[0], flare_start)
    else:
        contacts = 0
    return doses, contacts


def _uncut_contacts(week: Week, flare_start: date) -> int:
    """The weekly contacts a flare's own week was planned with, where no week came before it
    (a flare in the plan's first week): its sessions after the check-in were cut (red leaves
    out plyometrics), so each takes the contacts of the last session up to the check-in's day
    (the planner gives a week's sessions alike). A physio's review: a red in week 1 counted
    the cut week's 20 contacts as the pre-flare 40, and the way back came at a quarter."""
    sessions = [
        (day.date, sum(p.contacts or 0 for p in s.exercises if p.variation == "plyometric"))
        for day in week.days
        for s in day.sessions
        if s.kind == "strength"
    ]
    kept = [contacts for day, contacts in sessions if day <= flare_start]
    if not kept:
        return _dose(week)[1]
    return sum(kept) + kept[-1] * sum(1 for day, _ in sessions if day > flare_start)


def _with_load(p: Prescription, load: float, sets: int, profile: Profile) -> Prescription:
    """``p`` at another external load (its system load moves with it, §2.1) and sets."""
    system = (
        None if p.system_load_kg is None else round(p.system_load_kg - (p.load_kg or 0) + load, 2)
    )
    return replace(
        p,
        sets=sets,
        load_kg=load,
        load_x_bodyweight=load_x_bodyweight(load, profile.athlete.body_mass_kg),
        system_load_kg=system,
    )


def _scaled(
    p: Prescription, load_share: float, sets: int, profile: Profile, ladder: LoadLadder | None
) -> Prescription:
    """``p`` at ``load_share`` of its load, rounded down on the athlete's kit. Under a bar's
    floor no load is that share: the load is 0, which the planner reads as its cap under the
    floor and prescribes the variation's hold (planner._hold_under_floor); the bar itself
    was more than the share (a review: 20 kg for three quarters of 22.5)."""
    if p.load_kg is None or p.variation == "plyometric":
        return replace(p, sets=sets)
    load = p.load_kg if ladder is None else ladder.down_to(p.load_kg * load_share)
    return _with_load(p, load, sets, profile)


def _capped(p: Prescription, cap: float | None, profile: Profile) -> Prescription:
    if cap is None or p.load_kg is None or p.load_kg <= cap:
        return p
    return _with_load(p, cap, p.sets, profile)


def _return_after_red(
    plan: Plan,
    past: list[Week],
    status: PainStatus,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
) -> _Return:
    """DOMAIN.md §6 "return after red", through the planner's held doses and caps.

    Red (and amber before a green): no load above the pre-flare one; red twice in a row: half
    of it. Each green after the red brings load and sets halfway back from the red dose (half
    the pre-flare one) to the pre-flare dose: one green three quarters of the load and halfway
    between the halved and the full sets, two greens the pre-flare dose itself, held for one
    week as it was (not as new progression); the plan progresses from there. Plyometrics come
    back at half the pre-flare weekly contacts, then +20 % a week, never above the pre-flare
    contacts before a week has reached them.
    """
    if status.flare_start is None:
        return _Return()
    found = pre_flare_dose(plan, status.flare_start)
    if found is None:
        return _Return()
    pre, pre_contacts = found
    greens = status.greens_after_red
    share = norms.pain_red_share
    # Each load is scaled down on what the athlete's kit builds, in their units (the metric
    # default steps gave an imperial runner an 8 kg dumbbell, 17.6 lb: a trial's finding).
    ladders = {
        name: None if (ex := catalog.get(name)) is None else kit_ladder(ex, profile, norms)
        for name in pre
    }
    caps: dict[str, float] = {}
    held: dict[str, Prescription] | None = None
    loads_back = len(greens) >= 2 and any(w.start > greens[1] for w in past)
    if status.isometric_only:
        for name, p in pre.items():
            if p.load_kg is not None and p.variation != "plyometric":
                ladder = ladders[name]
                caps[name] = 0.0 if ladder is None else ladder.down_to(p.load_kg * share)
    elif not loads_back:
        if len(greens) == 1 and status.zone == "green":
            held = {
                name: _scaled(
                    p,
                    (1 + share) / 2,
                    math.ceil((red_sets(p.sets, norms) + p.sets) / 2),
                    profile,
                    ladders[name],
                )
                for name, p in pre.items()
                if p.variation != "plyometric"
            }
        elif len(greens) >= 2 and status.zone == "green":
            held = {name: p for name, p in pre.items() if p.variation != "plyometric"}
        for name, p in pre.items():
            if p.load_kg is not None and p.variation != "plyometric":
                limit = held[name].load_kg if held and name in held else p.load_kg
                caps[name] = limit or 0.0
    held_contacts = contact_limit = None
    # Weeks wholly after the first green: the contacts the way back has planned so far.
    back = [w for w in past if greens and w.start > greens[0]]
    if pre_contacts > 0 and not any(_dose(w)[1] >= pre_contacts for w in back):
        contact_limit = pre_contacts  # whatever else holds a dose (amber, missed weeks)
        if greens and status.zone == "green":
            last = _dose(back[-1])[1] if back else 0
            half = math.ceil(pre_contacts * share)
            grown = math.floor(last * (1 + norms.plyo_weekly_growth_max))
            held_contacts = min(pre_contacts, max(half, grown))
    return _Return(held, held_contacts, caps, contact_limit, _lasting_caps(pre, caps, status))


def _lasting_caps(
    pre: dict[str, Prescription], first_week: dict[str, float], status: PainStatus
) -> dict[str, float]:
    """The loads no re-planned week may pass while the way back from red lasts (DOMAIN.md
    §6: never above the pre-flare dose before two greens): the pre-flare loads, or the first
    week's lower caps while red stands at two check-ins in a row or one green has brought
    the dose halfway back. The planner cannot see the check-ins to come, so these hold for
    every week it plans until a check-in re-plans."""
    if not first_week or len(status.greens_after_red) >= 2:
        return {}  # two greens: the pre-flare dose once (the first week), then progression
    if status.isometric_only or (status.greens_after_red and status.zone == "green"):
        # One green: halfway back, and no further before the next green (§6: "each green
        # check-in brings load and sets back halfway"; review B3).
        return dict(first_week)
    return {
        name: p.load_kg
        for name, p in pre.items()
        if name in first_week and p.load_kg is not None and p.variation != "plyometric"
    }


def stop_sessions(
    plan: Plan,
    checkins: list[CheckIn],
    today: date,
    norms: Norms,
    sets: Sequence[SetEntry] = (),
) -> Plan | None:
    """The plan without calf sessions from ``today`` on while a red flag is not cleared
    (DOMAIN.md §6: "stop and see a clinician"); None when no red flag stands or nothing is
    left to stop. Today's session goes too unless ``sets`` hold a set logged today: one not
    begun may not be done yet, and the conservative reading of "the next sessions" includes
    it; of one begun, what was done is history (issue 13: the sets just logged showed as
    "also logged", as if the session had never been planned) and stays, cut to the sets
    logged: the rest of it stops like any other session (review: a calf swelling with
    redness after one set left the rest, plyometrics included, to log as prescribed). The
    weeks re-planned after a clearance come back, and :func:`resume_sessions` brings back
    the rest of the week holding the clearance."""
    status = pain_status(checkins, today, norms)
    reason = status.stopped
    if reason is None:
        return None
    logged_today = [e for e in sets if e.day == today]
    changed = False
    for week in plan.weeks:
        for day in week.days:
            if not day.sessions or day.date < today:
                continue
            if day.date == today and logged_today:
                if not _cut_to_logged(day, logged_today):
                    continue
            else:
                day.sessions = []
            changed = True
            marked = any(
                w.week == week.index and _marks(w) == "sessions_stopped" for w in plan.warnings
            )
            if not marked:
                plan.warnings.append(
                    PlanWarning(
                        "R11",
                        week.index,
                        None,
                        f"{STOPPED_PREFIX}{reason}.",
                        mark="sessions_stopped",
                    )
                )
                # The week holds fewer sessions than §5 asks, and not every variation, on
                # purpose: said for R8 and R2 too (`check` of a stopped plan found "0
                # strength sessions; §5 asks for 2" in every week after the flag, issue 13's
                # trial). Marked as the stop is: a clearance takes them away with it.
                plan.warnings.extend(_fewer_notes(week.index, "sessions_stopped"))
    return plan if changed else None


def _fewer_notes(week: int, mark: WarningMark | None) -> list[PlanWarning]:
    """R8's and R2's notes for a week a red flag cut short (fewer sessions, not every
    variation), which `check` reads as bent on purpose."""
    return [
        PlanWarning(
            rule,
            week,
            None,
            f"Fewer {fewer} this week: sessions stopped by a red flag"
            + (" until a clinician clears them." if mark else ", before a clinician's clearance."),
            mark=mark,
        )
        for rule, fewer in (("R8", "strength sessions"), ("R2", "variations"))
    ]


def _cut_to_logged(day: Day, logged: Sequence[SetEntry]) -> bool:
    """Today's sessions cut to what was logged of them: an exercise begun keeps the sets done
    (its highest set number), one not begun goes, and a session left empty with it. Whether
    anything changed (a session done in full stays as it is)."""
    done: dict[str, int] = {}
    for entry in logged:
        done[entry.exercise] = max(done.get(entry.exercise, 0), entry.set_number)
    changed = False
    for session in day.sessions:
        kept: list[Prescription] = []
        for p in session.exercises:
            sets_done = done.get(p.exercise, 0)
            if sets_done == 0:
                changed = True
                continue
            if sets_done < p.sets:
                p.sets = sets_done
                changed = True
            kept.append(p)
        session.exercises = kept
    day.sessions = [s for s in day.sessions if s.exercises]
    return changed


STOPPED_PREFIX = "Calf sessions stopped: "
CLEARED = "Calf sessions stopped by a red flag until a clinician's clearance on {day}."

# The words of the notes a plan stored before its notes carried their mark (issue 13) reads
# back instead: frozen here as those plans hold them, whatever the notes say now.
_STORED_STOPPED = "Calf sessions stopped: "
_STORED_RED_WEEK = "Pain was red at the check-in of "


def _marks(w: PlanWarning) -> str | None:
    """What the note ``w`` marks: its ``mark``, or for a note stored without one, what its
    words said when it was written."""
    if w.mark is not None:
        return w.mark
    if w.message.startswith(_STORED_STOPPED):
        return "sessions_stopped"
    if w.message.startswith(_STORED_RED_WEEK):
        return "red_rest_of_week"
    return None


def _red_checkin_day(w: PlanWarning) -> date | None:
    """The day of the red check-in that halved the rest of the week ``w`` marks."""
    if w.mark is not None:
        return w.checkin_day
    try:  # stored without a mark: its words hold the day
        return date.fromisoformat(w.message[len(_STORED_RED_WEEK) :][:10])
    except ValueError:
        return None


def resume_sessions(
    plan: Plan,
    profile: Profile,
    sets: list[SetEntry],
    checkins: list[CheckIn],
    today: date,
    catalog: Catalog,
    norms: Norms,
    running: RunningHistory | None = None,
    tests: Sequence[Assessment] = (),
    log_from: date | None = None,
) -> Plan | None:
    """The plan with the sessions a red flag's stop took out of the week holding ``today``
    back from today on, once a clearance has lifted the stop (DOMAIN.md §6: only a
    clearance "lifts it"); None while the stop stands or when that week was not stopped.

    Re-planning rebuilds whole weeks from next Monday only, so the rest of the clearance's
    week stayed empty (issue 13). The clearance lifts the stop and nothing else: each day
    comes back as it would stand had the stop not been, the week as planned before it began
    (the planner again, from the history up to its eve: weeks a red re-planned come back at
    red's dose) and, where a red check-in halved the rest of the week (``RED_THIS_WEEK``), at
    red's dose too. That is the more conservative of DOMAIN.md's readings: the red flag made
    its check-in red (core.pain), though its pain may be amber (4 in issue 13: "hold") and a
    clearance added to that same check-in makes it green; §6 says a red check-in "halves
    the dose of each session left this week" and nothing gives that back before Monday, when
    the way back from red re-plans the weeks after. Today's session, when the stop took it,
    comes back at red's dose too (red alone leaves today's alone, as done by the time the
    check-in comes; one stopped was not). Days already past stay stopped: they were.
    """
    monday = today - timedelta(days=today.weekday())
    week = next((w for w in plan.weeks if w.start == monday), None)
    if week is None:
        return None
    marks = [w for w in plan.warnings if w.week == week.index and _marks(w) == "sessions_stopped"]
    if not marks or pain_status(checkins, today, norms).stopped is not None:
        return None
    eve = monday - timedelta(days=1)
    adjust = adjustments_from_history(
        plan,
        profile,
        [e for e in sets if e.day <= eve],
        [c for c in checkins if c.day <= eve],
        eve,
        catalog,
        norms,
        running,
        [t for t in tests if t.day <= eve],
        log_from,
    )
    from calfcoach.core.periodization import PlanInputError
    from calfcoach.core.planner import replan

    try:
        rebuilt = replan(plan, profile, adjust, catalog, norms, running) if adjust else None
    except PlanInputError:  # e.g. running = "auto" with no runs left: the week stays
        rebuilt = None
    if rebuilt is None or adjust is None or adjust.from_week != week.index:
        return None
    red = next(
        (
            _red_checkin_day(w)
            for w in plan.warnings
            if w.week == week.index and _marks(w) == "red_rest_of_week"
        ),
        None,
    )
    recent = _loads_through(rebuilt, week.index)
    still_stopped = False
    for day, again in zip(week.days, rebuilt.weeks[week.index - 1].days, strict=True):
        if day.sessions or not again.sessions:
            continue
        if day.date < today:
            still_stopped = True  # (a day gone by stays stopped: it was)
            continue
        day.sessions = again.sessions
        if red is not None:
            _halve_day(day, red, profile, catalog, norms, recent)
    plan.warnings = [w for w in plan.warnings if w not in marks]
    if still_stopped:
        # The days gone by stay short of §5's sessions and variations: said, for `check`.
        plan.warnings.extend(_fewer_notes(week.index, None))
    # The clearance's own date (a check-in may be entered later, with --date).
    cleared_on = max(
        (c.day for c in checkins if c.cleared_by_clinician and c.day <= today), default=today
    )
    plan.warnings.append(PlanWarning("R11", week.index, None, CLEARED.format(day=cleared_on)))
    return plan


# Missed sessions are §2.2's (progression: "a week with a missed session repeats its dose"),
# the rule of DOMAIN.md §8 whose text is §2.2's: R10. (R11 is §6's pain and conditions.)
MISSED_RULE = "R10"


def _done_days(week: Week, sets: list[SetEntry]) -> int:
    end = week.start + timedelta(days=7)
    return len({e.day for e in sets if week.start <= e.day < end})


def _missed(
    weeks: list[Week],
    sets: list[SetEntry],
    today: date,
    from_week: int,
    notes: list[PlanWarning],
) -> tuple[dict[str, Prescription] | None, int | None]:
    """A dose to hold because of missed sessions, or (None, None).

    Only weeks that have ended count (DOMAIN.md §6): the week holding ``today`` is not over,
    even on its Sunday, so its sessions may still be logged."""
    past = [w for w in weeks if w.start + timedelta(days=7) <= today]
    if not past:
        return None, None
    planned = [len({d for d, _ in _strength(w)}) for w in past]
    done = [_done_days(w, sets) for w in past]
    if len(past) >= 2 and planned[-1] and planned[-2] and not done[-1] and not done[-2]:
        back = past[-3] if len(past) >= 3 else past[0]
        notes.append(
            PlanWarning(
                MISSED_RULE,
                from_week,
                None,
                f"No calf session logged in weeks {past[-2].index}–{past[-1].index}: this week "
                f"steps back to the dose of week {back.index}.",
            )
        )
        return _dose(back)
    if planned[-1] and done[-1] < planned[-1]:
        notes.append(
            PlanWarning(
                MISSED_RULE,
                from_week,
                None,
                f"{planned[-1] - done[-1]} of week {past[-1].index}'s sessions not logged: this "
                "week repeats its dose.",
            )
        )
        return _dose(past[-1])
    return None, None


RED_THIS_WEEK = (
    "Pain was red at the check-in of {day}: the rest of this week halves load and volume and "
    "leaves plyometrics out."
)
HOLDS_THIS_WEEK = (
    "{why}: the rest of this week is isometric holds and seated raises only, at half the "
    "load, with no plyometrics."
)


def red_rest_of_week(
    plan: Plan,
    profile: Profile,
    checkins: list[CheckIn],
    today: date,
    catalog: Catalog,
    norms: Norms,
) -> Plan | None:
    """The plan with DOMAIN.md §6's red applied to the strength sessions after ``today`` in
    today's week; None when nothing changes.

    Re-planning rebuilds whole weeks from next Monday (the module docstring), but a red
    check-in must not wait for Monday: a session later this week would otherwise go ahead at
    full load with plyometrics. Applied once a week (its warning marks the week), so a second
    log or check-in does not halve the halved sessions again.

    Where §6 allows only isometric holds and seated raises — red at two check-ins in a row,
    or pain above 5 with Achilles tendinopathy ("profile or check-in alike") — the rest of
    the week's standing raises become their variation's holds too, once (a mark of its own:
    a second red later in a week already halved still turns its standing raises into holds).
    A physio's review found a standing raise the day after a second red, under the notice
    saying holds and seated raises only, and the week from Monday holding them.
    """
    status = pain_status(checkins, today, norms)
    monday = today - timedelta(days=today.weekday())
    week = next((w for w in plan.weeks if w.start == monday), None)
    last = status.last
    if last is None or last.zone != "red" or week is None:
        return None
    holds_only = _holds_only_why(status.isometric_only, last.checkin, profile, norms)
    # A red check-in counts from the day it is entered, whatever its date (DOMAIN.md §6): a
    # week re-planned after it already carries its red note, any other is halved now.
    halved = any(
        w.week == week.index and w.message.startswith("Pain was red at") for w in plan.warnings
    )
    held = any(w.week == week.index and _marks(w) == "holds_rest_of_week" for w in plan.warnings)
    if halved and (holds_only is None or held):
        return None
    changed = False
    recent = _loads_through(plan, week.index)  # (before any day of the week is halved)
    planned_contacts = _dose(week)[1]  # (before red cuts them: pre_flare_dose reads it)
    emptied: list[Day] = []  # days whose strength sessions held only plyometrics
    for day in week.days:
        if day.date > today:
            had = _has_strength(day)
            changed = (
                _halve_day(
                    day,
                    last.checkin.day,
                    profile,
                    catalog,
                    norms,
                    recent,
                    holds_only=holds_only,
                    halved_already=halved,
                )
                or changed
            )
            if had and not _has_strength(day):
                emptied.append(day)
            changed = (
                _red_primers(day, last.checkin.day, holds_only, halved, profile, catalog, norms)
                or changed
            )
    if not changed:
        return None
    if not halved:
        plan.warnings.append(
            PlanWarning(
                "R11",
                week.index,
                None,
                RED_THIS_WEEK.format(day=last.checkin.day),
                mark="red_rest_of_week",
                checkin_day=last.checkin.day,
                contacts=planned_contacts,
            )
        )
    if holds_only is not None:
        plan.warnings.append(
            PlanWarning(
                "R11",
                week.index,
                None,
                HOLDS_THIS_WEEK.format(why=holds_only),
                mark="holds_rest_of_week",
                checkin_day=last.checkin.day,
            )
        )
    if emptied:
        holds = None if holds_only is None else _holds_primer(profile, catalog, norms)
        _left_out(plan, week, emptied, last.checkin.day, profile, norms, holds)
    variations = {p.variation for _, p in _strength(week)}
    withheld = "Plyometrics withheld while pain is red."
    if "plyometric" not in variations and not any(
        w.week == week.index and w.message == withheld for w in plan.warnings
    ):
        plan.warnings.append(PlanWarning("R2", week.index, None, withheld))
    unloaded = sorted(
        {p.exercise for _, p in _strength(week) if p.variation != "plyometric" and not p.load_kg}
    )
    if unloaded and not halved:
        plan.warnings.append(
            PlanWarning(
                "R3",
                week.index,
                None,
                f"{', '.join(unloaded)} at body weight: pain was red at the last check-in, so "
                "the load comes off this week.",
            )
        )
    return plan


def _holds_only_why(
    red_twice: bool, checkin: CheckIn, profile: Profile, norms: Norms
) -> str | None:
    """Why only isometric holds and seated raises may go now (DOMAIN.md §6), or None: red at
    two check-ins in a row, or a check-in's pain above 5 with Achilles tendinopathy (as the
    planner's weeks read it: a red by a rise in pain at 5 or less is red's ordinary halving)."""
    if red_twice:
        return "Pain was red at two check-ins in a row"
    high = norms.pain_amber_max
    if profile.health.condition == "achilles_tendinopathy" and worst_pain(checkin) > high:
        return f"Pain above {high}/10 with Achilles tendinopathy at the check-in of {checkin.day}"
    return None


def _has_strength(day: Day) -> bool:
    return any(s.kind == "strength" for s in day.sessions)


def _left_out(
    plan: Plan,
    week: Week,
    emptied: list[Day],
    red: date,
    profile: Profile,
    norms: Norms,
    holds: list[Prescription] | None = None,
) -> None:
    """What a session red left out (it held only plyometrics, DOMAIN.md §6) changes in the
    rest of the week: the week's warnings say so where the sessions, or a preferred day, fall
    short of §5 (R8 and R5 allow fewer with a warning naming the week, and the day), and a
    run day left without calf work gets the week's primer when primers are asked (§3, R12:
    no warning excuses it). Issue 13: a sweep of check-in sequences found such weeks failing
    ``calfcoach check`` (R8, R5, R12) in the diary's plan."""
    ordinary = week.phase in ORDINARY_PHASES
    names = _and_days([d.weekday.capitalize() for d in emptied])
    why = f"pain was red at the check-in of {red}, and {'they' if len(emptied) > 1 else 'it'}"
    why += " held only plyometrics, which red leaves out (DOMAIN.md §6)"
    if ordinary and not week.deload:
        plan.warnings.append(
            PlanWarning("R8", week.index, None, f"{names}'s session left out this week: {why}.")
        )
    preferred = set(profile.strength.preferred_days)
    for day in emptied:
        if ordinary and day.weekday in preferred:
            plan.warnings.append(
                PlanWarning(
                    "R5",
                    week.index,
                    day.date,
                    f"No session on {day.weekday.capitalize()}, a preferred day: {why}.",
                )
            )
    if not ordinary or profile.strength.calf_in_every_session != "all":
        return
    primer = _week_primer(plan, week)
    if primer is None:
        return
    for day in emptied:
        if day.run in ("easy", "long", "workout") and not day.sessions:
            if holds is not None:
                # Holds and seated raises only (``holds``: the holds primer at red's sets).
                day.sessions.append(Session("primer", [replace(p) for p in holds]))
                continue
            # The planner's primer of the week, at red's sets as a red week's primers are
            # (the more conservative of the two: the day's session was cut for red pain).
            exercises = [replace(p, sets=red_sets(p.sets, norms)) for p in primer.exercises]
            for p, was in zip(exercises, primer.exercises, strict=True):
                p.why = _left_out_primer_why(was, p, day, red)
            day.sessions.append(Session("primer", exercises))


def _holds_primer(profile: Profile, catalog: Catalog, norms: Norms) -> list[Prescription]:
    """The planner's holds primer at red's sets (planner._dose_primers, red)."""
    sets = red_sets(norms.primer_max_sets, norms)
    mass = profile.athlete.body_mass_kg
    return [
        primer_prescription(catalog.by_id[exercise_id], sets, 1, norms, mass)
        for exercise_id in HOLDS_PRIMER[: norms.primer_max_exercises]
    ]


def _red_primers(
    day: Day,
    red: date,
    holds_only: str | None,
    halved_already: bool,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
) -> bool:
    """Red's dose for the primers of ``day`` as for its strength sessions (DOMAIN.md §6): half
    their sets once; where only holds and seated raises may go (``holds_only``: why), the
    holds primer. A review found a day's primer of standing raises at full sets under the
    notice saying holds and seated raises only. Whether anything changed."""
    changed = False
    for session in day.sessions:
        if session.kind != "primer":
            continue
        if holds_only is not None:
            holds = _holds_primer(profile, catalog, norms)
            if [(p.exercise, p.sets) for p in session.exercises] == [
                (h.exercise, h.sets) for h in holds
            ]:
                continue
            text = f"{holds_only}: the primer is holds too, at half its sets."
            for before, after in zip(session.exercises, holds, strict=False):
                after.why = _primer_change(before, after, red, text)
            session.exercises = holds
            changed = True
        elif not halved_already:
            text = f"Pain was red at the check-in of {red}: the primer at half its sets."
            kept = []
            for p in session.exercises:
                after = replace(p, sets=red_sets(p.sets, norms))
                after.why = _primer_change(p, after, red, text)
                kept.append(after)
            session.exercises = kept
            changed = True
    return changed


def _primer_change(before: Prescription, after: Prescription, day: date, text: str) -> Why:
    """Why a primer of this week changed after a red check-in (``explain``): its exercise's
    reasons but the volume, the red reason, and the change with its date and rule."""
    kept = [] if before.why is None else [r for r in before.why.reasons if r.about != "volume"]
    earlier = [] if before.why is None else [*before.why.changes]
    return Why(
        [*kept, Reason("volume", text, "R11", "§6", "Silbernagel et al. 2007")],
        [
            *earlier,
            Change(day, "checkin", "R11", text, change_dose(before, after), change_dose(after)),
        ],
    )


def _left_out_primer_why(was: Prescription, p: Prescription, day: Day, red: date) -> Why | None:
    """Why the primer put on a day whose session red left out is what it is (DOMAIN.md §7):
    the week's primer's reasons for its exercise and tempo, not its volume (the sets are
    red's now) nor its day (another day's)."""
    if was.why is None:
        return None
    kept = [r for r in was.why.reasons if r.about not in ("volume", "day")]
    what = f"{p.sets} × {p.hold_s} s holds" if p.hold_s is not None else f"{p.sets} × {p.reps}"
    return Why(
        [
            *kept,
            Reason(
                "volume",
                f"{what}, body weight: the week's primer at half its sets, as a red week's "
                f"primers are (pain was red at the check-in of {red}).",
                "R11",
                "§6",
                "Silbernagel et al. 2007",
            ),
            Reason(
                "day",
                f"{day.weekday.title()}: a run day whose session red left out (it held only "
                "plyometrics): with calf work in every session, it gets the week's primer "
                "(§3).",
                "R12",
                "§3",
            ),
        ]
    )


def _week_primer(plan: Plan, week: Week) -> Session | None:
    """The planner's primer of ``week``, else of the nearest week that has one."""
    ordered = sorted(plan.weeks, key=lambda w: abs(w.index - week.index))
    for candidate in ordered:
        for day in candidate.days:
            for session in day.sessions:
                if session.kind == "primer" and session.exercises:
                    return session
    return None


def _and_days(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _loads_through(plan: Plan, week_index: int) -> dict[str, float]:
    """Each raise's external load where the plan last gives it up to the end of week
    ``week_index`` (red_halved's ``recent_loads``)."""
    loads: dict[str, float] = {}
    for week in plan.weeks[:week_index]:
        for _, p in _strength(week):
            if p.variation != "plyometric" and p.load_kg is not None:
                loads[p.exercise] = p.load_kg
    return loads


def _halve_day(
    day: Day,
    red: date,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
    recent: dict[str, float],
    *,
    holds_only: str | None = None,
    halved_already: bool = False,
) -> bool:
    """Red's dose for the strength sessions of ``day`` (the check-in of ``red``): each raise
    halved, no plyometrics, a session left empty dropped; ``recent``: each raise's load where
    the plan last gave it (red_halved). ``holds_only``: why standing raises become their
    variation's holds (red_dose.holds_and_seated_only); ``halved_already``: red has halved
    this day's dose before (its seated raises keep their load). Whether anything changed."""
    changed = False
    insertional = is_insertional(profile.health.condition, profile.health.achilles_type)
    for session in day.sessions:
        if session.kind != "strength":
            continue
        kept: list[Prescription] = []
        for p in session.exercises:
            if p.variation == "plyometric":
                changed = True
                continue
            if holds_only is not None:
                after = holds_and_seated_only(
                    p, profile, catalog, norms, halved_already=halved_already, recent_loads=recent
                )
            else:
                after = red_halved(p, profile, catalog, norms, recent_loads=recent)
            if any(k.exercise == after.exercise for k in kept):
                # Two raises halved into the same hold (a body-weight raise and the hold
                # itself): the session holds it once.
                changed = True
                continue
            if after != p or not halved_already:
                changed = True
                after.why = _red_why(p, after, red, catalog, holds_only, insertional)
            kept.append(after)
        session.exercises = kept
    day.sessions = [s for s in day.sessions if s.exercises]
    return changed


def _red_why(
    before: Prescription,
    after: Prescription,
    day: date,
    catalog: Catalog,
    holds_only: str | None = None,
    insertional: bool = False,
) -> Why:
    """Why a session of this week changed after a red check-in, for ``explain`` (DOMAIN.md §7):
    the red reason (``holds_only``: why holds and seated raises only) and the change with its
    date and rule. The old dose's reasons (its %1RM, its rounding) no longer describe it, so
    they go; its day's reason and its earlier changes stay (the day is the same)."""
    if holds_only is not None:
        text = f"{holds_only}: isometric holds and seated raises only, at half the load"
    else:
        text = f"Pain was red at the check-in of {day}: half the per-calf load and the sets"
    if after.exercise != before.exercise:
        old = catalog.get(before.exercise)
        shown = name_for(old, insertional) if old is not None else before.exercise
        text += f", in place of {shown}"
    text += "; no plyometrics this week."
    earlier = [] if before.why is None else [*before.why.changes]
    days = [] if before.why is None else [r for r in before.why.reasons if r.about == "day"]
    return Why(
        [Reason("load", text, "R11", "§6", "Silbernagel et al. 2007"), *days],
        [
            *earlier,
            Change(
                day,
                "checkin",
                "R11",
                text,
                change_dose(before, after),
                change_dose(after),
            ),
        ],
    )
