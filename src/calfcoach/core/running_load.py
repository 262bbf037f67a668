"""The running the athlete actually does, from imported activities (issue #5).

From the last six weeks of runs (running only; other sports never count):
- weekly km, and the running ground contacts a week (average cadence × moving time — the
  contacts that DOMAIN.md §2 weighs plyometric caps against);
- the usual long-run weekday: the weekday that most often holds the week's longest run;
- the usual hard-session weekdays: a run is hard when its laps show intervals (laps marked as
  intervals, or work laps split by rest laps), or its average heart rate is at least 10 % above
  the median of the period's runs, or (without heart rate) its pace at least 10 % faster than
  their median pace — a weekday is a hard day when it held one in at least half the weeks;
- a jump in running load: the last complete week's km more than 30 % above the average of the
  four weeks before it. Rapid increases in running load go with running injuries (Nielsen et
  al. 2014, J Orthop Sports Phys Ther 44:739: > 30 % in two weeks); the plan then holds
  plyometric progression that week, since running already adds the contacts.

Pure functions of plain values: the services read the runs and pass them in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from calfcoach.core.activity import Activity
from calfcoach.core.periodization import PlanInputError
from calfcoach.core.plan import PlanWarning
from calfcoach.core.profile import WEEKDAYS, Profile, Running, RunType

HISTORY_WEEKS = 6
HARD_SHARE = 1.10
JUMP_SHARE = 1.30
JUMP_BASELINE_WEEKS = 4


class RunningHistory(msgspec.Struct, frozen=True):
    weeks: int  # complete weeks with data considered
    weekly_km: float
    contacts_per_week: float | None
    long_run_weekday: str | None
    hard_weekdays: tuple[str, ...]
    run_weekdays: tuple[str, ...]  # weekdays run on in at least half the weeks
    last_week_km: float
    baseline_km: float | None  # the four weeks before the last one
    load_jump: bool

    def pattern(self) -> tuple[RunType, ...]:
        """The running week the history shows, Monday first."""
        days: list[RunType] = []
        for day in WEEKDAYS:
            if day == self.long_run_weekday:
                days.append("long")
            elif day in self.hard_weekdays:
                days.append("workout")
            elif day in self.run_weekdays:
                days.append("easy")
            else:
                days.append("rest")
        return tuple(days)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def hard_sessions(runs: Sequence[Activity]) -> list[bool]:
    """Whether each run is a hard session, judged against the other runs given: its laps show
    intervals, or its average heart rate is at least 10 % above their median, or (without
    heart rate) its pace at least 10 % faster than their median pace. The one test the
    planner's hard weekdays and `calfcoach runs`' weekly counts both use (issue 12)."""
    hr_median = _median([a.avg_hr for a in runs if a.avg_hr])
    pace_median = _median([a.moving_s / a.distance_m for a in runs if a.moving_s and a.distance_m])

    def hard(a: Activity) -> bool:
        if a.intervals:
            return True
        if a.avg_hr and hr_median:
            return a.avg_hr >= HARD_SHARE * hr_median
        if a.moving_s and a.distance_m and pace_median:
            return a.moving_s / a.distance_m <= pace_median / HARD_SHARE
        return False

    return [hard(a) for a in runs]


class WeekTotals(msgspec.Struct, frozen=True):
    """One week's running (weeks start on Monday, by the runs' local dates)."""

    start: date
    km: float
    runs: int
    long_run_km: float
    hard_sessions: int
    time_s: float


def weekly_running_totals(activities: Sequence[Activity]) -> list[WeekTotals]:
    """Weekly running totals of the runs among ``activities`` (other sports never count),
    oldest week first, with hard sessions judged against all of those runs."""
    runs = [a for a in activities if a.is_running]
    weeks: dict[date, list[tuple[Activity, bool]]] = {}
    for run, hard in zip(runs, hard_sessions(runs), strict=True):
        weeks.setdefault(_monday(_local_date(run)), []).append((run, hard))
    totals = []
    for monday in sorted(weeks):
        entries = weeks[monday]
        kms = [(run.distance_m or 0) / 1000 for run, _ in entries]
        totals.append(
            WeekTotals(
                start=monday,
                km=round(sum(kms), 2),
                runs=len(entries),
                long_run_km=round(max(kms), 2),
                hard_sessions=sum(1 for _, hard in entries if hard),
                time_s=round(sum((run.moving_s or run.elapsed_s or 0) for run, _ in entries), 1),
            )
        )
    return totals


def summarize(activities: list[Activity], today: date) -> RunningHistory | None:
    """The running history of the complete weeks before ``today``'s; None without runs."""
    this_monday = _monday(today)
    first = this_monday - timedelta(weeks=HISTORY_WEEKS)
    runs = [a for a in activities if a.is_running and first <= _local_date(a) < this_monday]
    if not runs:
        return None
    hard = dict(zip(map(id, runs), hard_sessions(runs), strict=True))

    by_week: dict[date, list[Activity]] = {}
    for a in runs:
        by_week.setdefault(_monday(_local_date(a)), []).append(a)
    weeks = sorted(by_week)
    km = {w: sum((a.distance_m or 0) for a in by_week[w]) / 1000 for w in weeks}
    count = len(weeks)
    long_days: Counter[str] = Counter()
    hard_days: Counter[str] = Counter()
    run_days: Counter[str] = Counter()
    for w in weeks:
        longest = max(by_week[w], key=lambda a: a.distance_m or 0)
        long_days[WEEKDAYS[_local_date(longest).weekday()]] += 1
        for day in {WEEKDAYS[_local_date(a).weekday()] for a in by_week[w] if hard[id(a)]}:
            hard_days[day] += 1
        for day in {WEEKDAYS[_local_date(a).weekday()] for a in by_week[w]}:
            run_days[day] += 1
    half = count / 2
    long_day = long_days.most_common(1)[0][0] if long_days else None
    contacts = [
        (a.avg_cadence or 0) * (a.moving_s or a.elapsed_s or 0) / 60
        for a in runs
        if a.avg_cadence and (a.moving_s or a.elapsed_s)
    ]
    last_week = this_monday - timedelta(weeks=1)
    last_km = km.get(last_week, 0.0)
    baseline_weeks = [last_week - timedelta(weeks=n) for n in range(1, JUMP_BASELINE_WEEKS + 1)]
    baseline = sum(km.get(w, 0.0) for w in baseline_weeks) / JUMP_BASELINE_WEEKS
    return RunningHistory(
        weeks=count,
        weekly_km=round(sum(km.values()) / HISTORY_WEEKS, 1),
        contacts_per_week=round(sum(contacts) / HISTORY_WEEKS) if contacts else None,
        long_run_weekday=long_day,
        hard_weekdays=tuple(d for d in WEEKDAYS if hard_days[d] >= half and d != long_day),
        run_weekdays=tuple(d for d in WEEKDAYS if run_days[d] >= half),
        last_week_km=round(last_km, 1),
        baseline_km=round(baseline, 1) if baseline else None,
        load_jump=bool(baseline and last_km > JUMP_SHARE * baseline),
    )


def local_week(a: Activity) -> date:
    """The Monday of the week ``a`` falls in, by its local date (as the weekly totals count)."""
    return _monday(_local_date(a))


def _local_date(a: Activity) -> date:
    start = a.start
    if a.utc_offset_s is not None:
        start = start + timedelta(seconds=a.utc_offset_s)
    return start.date()


def disagreements(typed: tuple[RunType, ...], history: RunningHistory) -> list[str]:
    """Where the running week typed in the profile and the one the runs show differ."""
    shown = history.pattern()
    notes = []
    typed_long = [WEEKDAYS[n] for n, run in enumerate(typed) if run == "long"]
    if history.long_run_weekday and history.long_run_weekday not in typed_long:
        said = ", ".join(typed_long) or "no day"
        notes.append(
            f"your runs put the long run on {history.long_run_weekday}; the profile says {said}"
        )
    for n, day in enumerate(WEEKDAYS):
        if shown[n] == "workout" and typed[n] in ("rest", "easy"):
            notes.append(f"your runs show hard sessions on {day}; the profile says {typed[n]}")
        if shown[n] == "rest" and typed[n] in ("workout", "long") and history.weeks >= 3:
            notes.append(f"the profile says {typed[n]} on {day}; your runs show no running then")
    return notes


def apply_history(
    profile: Profile, history: RunningHistory | None
) -> tuple[Profile, list[PlanWarning]]:
    """The profile with its running week completed from history, and what to tell the athlete.

    Days the profile sets stay as typed (history only adds warnings where it disagrees); days
    it leaves out, or all of them with ``running = "auto"``, come from history.

    :raises PlanInputError: ``running = "auto"`` without any imported runs.
    """
    running = profile.running
    typed = running.typed_days()
    if history is None:
        if running.auto:
            raise PlanInputError(
                "running",
                'running = "auto" needs imported runs from the last six weeks',
                "import them first (calfcoach import PATH, then calfcoach init), or type the days",
            )
        return profile, []
    shown = history.pattern()
    days = {day: running.on(day) if day in typed else shown[n] for n, day in enumerate(WEEKDAYS)}
    warnings: list[PlanWarning] = []
    filled = [day for day in WEEKDAYS if day not in typed]
    if filled:
        week = ", ".join(f"{day} {days[day]}" for day in filled)
        warnings.append(
            PlanWarning(
                None,
                None,
                None,
                f"Running week from your last {history.weeks} weeks of runs "
                f"({history.weekly_km:g} km a week): {week}.",
            )
        )
    typed_pattern = tuple(days[day] for day in WEEKDAYS)
    for note in disagreements(typed_pattern, history):
        day = next((d for d in WEEKDAYS if d in note and d in typed), None)
        if day is not None:
            warnings.append(PlanWarning(None, None, None, f"History and profile differ: {note}."))
    weekly_km = running.weekly_km if running.weekly_km is not None else history.weekly_km
    updated = Running.from_days(days, weekly_km)
    return profile.replace(running=updated), warnings
