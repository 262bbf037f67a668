"""Pain monitoring (DOMAIN.md §6; Silbernagel et al. 2007, Am J Sports Med 35:897): the zone of
each check-in, the athlete's pain status on a day, and what to tell them. Pure, and the one
place these rules live: the re-planner, the check-in command and the Today page all ask here.

A check-in's zone comes from the higher of its pain during and the next morning (≤ 2 green,
3–5 amber, > 5 red), and is red as well when

- the next-morning pain rose: compared with that morning's ``pain_before``, or without it with
  the next-morning pain of the latest earlier check-in at most 7 days older; a rise counts when
  the new value is 3 or more (0 → 2 stays in Silbernagel's safe zone);
- pain rose week on week: weeks run Monday to Sunday, weeks without a check-in are skipped, and
  each week's value is its highest zone value (the higher of during and next morning); the
  value rose in each of the last two weeks and is now 3 or more (3 → 4 → 5), or rose by 2 or
  more in one week to 3 or more; the check-in at that peak is red;
- it reports a red flag (sudden pop, swelling, night pain, calf swelling with redness).

Check-ins are judged in date order whatever order they were typed in, each with only the
check-ins dated up to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import msgspec

from calfcoach.core.conditions import PainZone, pain_zone
from calfcoach.core.log import CheckIn, RedFlag
from calfcoach.core.norms import Norms

# The previous check-in's next-morning pain is a baseline only while it is this recent.
NEXT_MORNING_BASELINE_DAYS = 7
# A rise in pain (next morning, week on week) counts when the new value is at least this.
RISE_COUNTS_FROM = 3
# One week's rise that counts on its own (a slower rise must last two weeks).
WEEKLY_JUMP = 2

ADVICE: dict[PainZone, str] = {
    "green": "progress as planned",
    "amber": "hold loads and volume; no new exercise, no plyometric progression",
    "red": "halve load and volume and leave out plyometrics; see a clinician if this is the "
    "second red check-in in a row",
}
STOP = "stop and see a clinician"
DVT = "calf swelling with redness can be a deep-vein thrombosis: see a doctor today"
# DOMAIN.md §6 names only the DVT's urgency. A sudden pop in the calf or the Achilles can be a
# torn tendon or muscle, which wants a clinician's eyes the same day too (a trial's physio
# reading: "stop and see a clinician" alone read as no hurry); the more conservative reading.
POP = (
    "a sudden pop can be a torn Achilles tendon or calf muscle: see a clinician today, and do "
    "not run or hop on it"
)
# How a clearance is recorded, as the command line says it: the pages say their own
# (web.rendering.on_the_page; a trial's phone was told to run a command).
CLEARANCE_HOW = "(calfcoach checkin … --cleared-by-clinician)"
# The red flags that cannot wait for an appointment, with what to do today.
URGENT: dict[RedFlag, str] = {"calf_swelling_redness": DVT, "sudden_pop": POP}
RED_FLAG_NAMES: dict[RedFlag, str] = {
    "sudden_pop": "a sudden pop",
    "swelling": "swelling",
    "night_pain": "night pain",
    "calf_swelling_redness": "calf swelling with redness",
}


class JudgedCheckIn(msgspec.Struct, frozen=True):
    """A check-in with its zone and why it has it (empty when the pain numbers alone say)."""

    checkin: CheckIn
    zone: PainZone
    reasons: tuple[str, ...] = ()


def worst_pain(checkin: CheckIn) -> int:
    """The higher of pain during and the next morning: the value a zone comes from."""
    return max(checkin.pain_during, checkin.pain_next_morning or 0)


def next_morning_rise(checkin: CheckIn, earlier: Sequence[CheckIn]) -> str | None:
    """Why the next-morning pain counts as higher than the day before, or None.

    ``earlier``: the check-ins dated before ``checkin``, in date order. Without a
    ``pain_before`` the baseline is the latest of them with a next-morning value at most
    7 days older (DOMAIN.md says "the previous check-in's"; where the very previous one has
    none yet, we compare with the one before it, the more conservative reading).
    """
    now = checkin.pain_next_morning
    if now is None or now < RISE_COUNTS_FROM:
        return None
    if checkin.pain_before is not None:
        if now > checkin.pain_before:
            return f"next-morning pain {now} is above that morning's {checkin.pain_before}"
        return None
    oldest = checkin.day - timedelta(days=NEXT_MORNING_BASELINE_DAYS)
    for before in reversed(earlier):
        if before.day < oldest:
            return None
        if before.pain_next_morning is not None:
            if now > before.pain_next_morning:
                return (
                    f"next-morning pain {now} is above {before.pain_next_morning} "
                    f"after {before.day}"
                )
            return None
    return None


def weekly_peaks(checkins: Iterable[CheckIn]) -> list[tuple[date, int]]:
    """Each Monday–Sunday week holding a check-in (its Monday) with its highest pain, oldest
    first; weeks without a check-in are left out."""
    peaks: dict[date, int] = {}
    for c in checkins:
        monday = c.day - timedelta(days=c.day.weekday())
        peaks[monday] = max(peaks.get(monday, 0), worst_pain(c))
    return sorted(peaks.items())


def week_on_week_rise(peaks: Sequence[tuple[date, int]]) -> str | None:
    """Why the weekly peaks count as rising (their last week is the one judged), or None."""
    if len(peaks) < 2:
        return None
    values = [v for _, v in peaks]
    now = values[-1]
    if now < RISE_COUNTS_FROM:
        return None
    if len(values) >= 3 and values[-3] < values[-2] < now:
        return f"pain rising week on week: {values[-3]} → {values[-2]} → {now}"
    if now - values[-2] >= WEEKLY_JUMP:
        return f"pain rising week on week: {values[-2]} → {now}"
    return None


def judge(checkins: Iterable[CheckIn], norms: Norms) -> list[JudgedCheckIn]:
    """Every check-in with its zone, in date order."""
    ordered = sorted(checkins, key=lambda c: c.day)
    judged: list[JudgedCheckIn] = []
    for n, c in enumerate(ordered):
        earlier = ordered[:n]
        zone = pain_zone(worst_pain(c), norms)
        reasons: list[str] = []
        if zone == "red":
            reasons.append(f"pain {worst_pain(c)} is above {norms.pain_amber_max}")
        rise = next_morning_rise(c, earlier)
        if rise is not None:
            reasons.append(rise)
        # The week is judged as it stood on the check-in's day: only check-ins up to it. The
        # rise reddens the check-ins at the week's risen peak, not a lower one after it (a
        # pain-1 day after a red is no second red; DOMAIN.md leaves this open).
        peaks = weekly_peaks([*earlier, c])
        weekly = week_on_week_rise(peaks) if worst_pain(c) == peaks[-1][1] else None
        if weekly is not None:
            reasons.append(weekly)
        # A red flag also makes the check-in red (the conservative reading: it counts towards
        # "red twice in a row" and what follows once a clinician has cleared it) — unless this
        # same check-in records the clinician's clearance (a second check-in for the day adds
        # it to the first): the clinician has seen the flag, and the pain decides the zone.
        flagged = c.red_flag is not None and not c.cleared_by_clinician
        if flagged and c.red_flag is not None:
            reasons.append(f"red flag: {RED_FLAG_NAMES[c.red_flag]}")
        if rise is not None or weekly is not None or flagged:
            zone = "red"
        judged.append(JudgedCheckIn(c, zone, tuple(reasons)))
    return judged


class PainStatus(msgspec.Struct, frozen=True):
    """Where the athlete stands on a day, from the check-ins dated up to it.

    ``flare_start``: the day of the first non-green check-in of the episode holding the last
    red, the pre-flare dose being the one planned before it; ``greens_after_red``: the days of
    the green check-ins since that red. ``clinician_since``: the second of two reds in a row, while
    no green check-in has followed. ``red_flag``: the newest red flag a clinician has not yet
    cleared, with its day.
    """

    judged: tuple[JudgedCheckIn, ...] = ()
    flare_start: date | None = None
    greens_after_red: tuple[date, ...] = ()
    clinician_since: date | None = None
    red_flag: tuple[date, RedFlag] | None = None

    @property
    def last(self) -> JudgedCheckIn | None:
        return self.judged[-1] if self.judged else None

    @property
    def last_red(self) -> date | None:
        """The day of the newest red check-in (None without one)."""
        return max((j.checkin.day for j in self.judged if j.zone == "red"), default=None)

    @property
    def zone(self) -> PainZone:
        """The last check-in's zone; green without one."""
        return self.judged[-1].zone if self.judged else "green"

    @property
    def stopped(self) -> str | None:
        """Why the plan's sessions are stopped (an uncleared red flag), or None."""
        if self.red_flag is None:
            return None
        day, flag = self.red_flag
        text = f"{RED_FLAG_NAMES[flag]} reported on {day}: {STOP}"
        if flag in URGENT:
            text += f" ({URGENT[flag]})"
        return text

    @property
    def red_flag_words(self) -> str | None:
        """The uncleared red flag and its day in words ("a sudden pop reported on
        2026-12-28"), or None: what a run day names while no running may be suggested."""
        if self.red_flag is None:
            return None
        day, flag = self.red_flag
        return f"{RED_FLAG_NAMES[flag]} reported on {day}"

    @property
    def before_running(self) -> str | None:
        """What a run day says while a red flag is not cleared, or None. DOMAIN.md §6 stops
        the calf sessions; it does not name running, and we take the more conservative
        reading (issue 13, physio review S4): a sudden pop or a possible deep-vein
        thrombosis is no time to run, so no run-day text suggests running until a
        clinician has cleared it."""
        words = self.red_flag_words
        return None if words is None else f"see a clinician before running ({words})"

    @property
    def isometric_only(self) -> bool:
        """Red twice in a row and no green since: isometric holds and seated raises only."""
        return self.clinician_since is not None

    @property
    def advice(self) -> str:
        """What the last check-in means, in a phrase."""
        if self.red_flag is not None:
            flag = self.red_flag[1]
            return f"{STOP}" + (f"; {URGENT[flag]}" if flag in URGENT else "")
        if self.isometric_only:
            return (
                "red twice in a row: see a clinician; until a green check-in only isometric "
                "holds and seated raises at half the pre-flare load, no plyometrics"
            )
        return ADVICE[self.zone]

    def notices(self) -> tuple[str, ...]:
        """What ``today`` must show until it no longer holds (DOMAIN.md §6)."""
        out: list[str] = []
        if self.red_flag is not None:
            day, flag = self.red_flag
            out.append(
                f"Stop and see a clinician: {RED_FLAG_NAMES[flag]} reported on {day}. The "
                "plan's sessions are stopped until a check-in records a clinician's clearance "
                f"{CLEARANCE_HOW}."
            )
            if flag in URGENT:
                out.append(URGENT[flag][0].upper() + URGENT[flag][1:] + ".")
        if self.clinician_since is not None:
            # While a red flag stops the sessions, "until a green check-in the sessions are
            # isometric holds" read as a second rule beside the stop (a trial): it is what
            # follows the clearance, and says so.
            until = (
                "Once a clinician has cleared you, and until a green check-in,"
                if self.red_flag is not None
                else "Until a green check-in"
            )
            out.append(
                f"Pain was red at two check-ins in a row (the second on {self.clinician_since})"
                f": see a clinician. {until} the sessions are isometric holds and seated "
                "raises at half the pre-flare load, without plyometrics."
            )
        return tuple(out)


def achilles_clinician_notice(
    condition: str, pain_now: int, checkins: Iterable[CheckIn], today: date, norms: Norms
) -> str | None:
    """DOMAIN.md §6, Achilles tendinopathy: "With pain > 5 (profile or check-in alike): … a
    warning to see a clinician" — for ``today`` and the Today page, not only the plan (issue
    13, physio review S5). The pain is the newest check-in's above 5/10 dated up to
    ``today``, else the profile's ``pain_now`` before any check-in. DOMAIN.md does not say
    how long the warning stands: as the notice for red twice in a row, until a green
    check-in (the more conservative reading; an amber one keeps it)."""
    if condition != "achilles_tendinopathy":
        return None
    dated = sorted((c for c in checkins if c.day <= today), key=lambda c: c.day)
    high = norms.pain_amber_max
    where = None
    for n, c in enumerate(dated):
        if worst_pain(c) > high:
            where = (worst_pain(c), f"at the check-in of {c.day}", n + 1)
    if where is None:
        if pain_now <= high:
            return None
        where = (pain_now, "in your profile", 0)
    pain, said, after = where
    # Green as core.pain judges it: a check-in red by a rise or a red flag does not clear it.
    if any(j.zone == "green" for j in judge(dated, norms)[after:]):
        return None
    return (
        f"Pain above {high}/10 with Achilles tendinopathy ({pain}/10 {said}): see a "
        "physiotherapist or doctor."
    )


def pain_status(checkins: Iterable[CheckIn], today: date, norms: Norms) -> PainStatus:
    """The pain status on ``today`` from the check-ins dated up to it (a back-dated check-in
    counts from the day it is entered, as if it came today)."""
    judged = judge((c for c in checkins if c.day <= today), norms)
    if not judged:
        return PainStatus()
    zones = [j.zone for j in judged]
    last_red = max((n for n, z in enumerate(zones) if z == "red"), default=None)
    flare_start = None
    greens: tuple[date, ...] = ()
    if last_red is not None:
        first = last_red
        while first > 0 and zones[first - 1] != "green":
            first -= 1
        flare_start = judged[first].checkin.day
        greens = tuple(j.checkin.day for j in judged[last_red + 1 :] if j.zone == "green")
    last_green = max((n for n, z in enumerate(zones) if z == "green"), default=-1)
    clinician_since = None
    for n in range(last_green + 2, len(zones)):
        if zones[n] == "red" and zones[n - 1] == "red":
            clinician_since = judged[n].checkin.day
            break
    red_flag: tuple[date, RedFlag] | None = None
    for j in judged:
        c = j.checkin
        if c.red_flag is not None:
            red_flag = (c.day, c.red_flag)
        if c.cleared_by_clinician:
            # A clearance lifts the flags recorded up to its day, its own check-in's too (the
            # athlete adds it to the day's check-in after seeing the clinician).
            red_flag = None
    return PainStatus(tuple(judged), flare_start, greens, clinician_since, red_flag)
