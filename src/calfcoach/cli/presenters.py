"""Rich renderings of plans and the catalog for the terminal."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from calfcoach.core.catalog import Exercise, cues_for, is_insertional, name_for
from calfcoach.core.dosing import pair_exercise_ids
from calfcoach.core.plan import Plan, PlanWarning, Prescription, SessionTest
from calfcoach.core.profile import Profile
from calfcoach.core.return_to_run import RUN_DAYS, ReturnChecklist
from calfcoach.core.units import KM_PER_MILE, dose_text, format_load, format_mass
from calfcoach.data import default_catalog, default_norms

if TYPE_CHECKING:  # the diary's types, without importing the database layer for `plan`
    from calfcoach.services.diary_views import DayView
    from calfcoach.services.importing import RunsView
    from calfcoach.services.progress import History

_VARIATION_STYLE = {"straight_leg": "cyan", "bent_knee": "magenta", "plyometric": "yellow"}
_VARIATION_LABEL = {"straight_leg": "straight-leg", "bent_knee": "bent-knee", "plyometric": "plyo"}
_TAG = {"straight_leg": "SL", "bent_knee": "BK", "plyometric": "PL"}


def _dose(p: Prescription) -> str:
    side = "/side" if p.per_side else ""
    if p.hold_s is not None:
        return f"{p.sets}×{p.hold_s}s{side}"
    if p.variation == "plyometric":
        return f"{p.sets}×{p.reps}{side} ({p.contacts})"
    return f"{p.sets}×{p.reps}{side}"


def _load(p: Prescription, units: str, pairs: frozenset[str] = frozenset()) -> str:
    if p.variation == "plyometric":
        return "—"
    if not p.load_kg:
        return "BW"
    return f"{format_load(p.load_kg, units, p.exercise in pairs)} {p.load_x_bodyweight:.2f}×"


def render_plan(plan: Plan, profile: Profile, console: Console | None = None) -> None:
    """One block per week: phase, deload mark, and each day's sessions; then the warnings."""
    console = console or Console()
    catalog = default_catalog()
    units = profile.athlete.units
    pairs = pair_exercise_ids(catalog, profile.equipment, default_norms())
    insertional = is_insertional(profile.health.condition, profile.health.achilles_type)
    mass = format_mass(plan.athlete.body_mass_kg, units)
    header = f"Calf plan for {plan.athlete.name} · {mass} · from {plan.start}"
    if plan.race is not None:
        header += f" · {plan.race.distance} on {plan.race.date}"
    console.print(Text(header, style="bold"))
    legend = Text("SL straight-leg (gastrocnemius) · ", style="dim")
    legend.append(
        "BK bent-knee (soleus) · PL plyometric, (n) = foot contacts · "
        "load: external, and × body weight · * primer",
        style="dim",
    )
    console.print(legend)
    for week in plan.weeks:
        title = f"Week {week.index} · {week.start:%d %b %Y} · {week.phase}"
        if week.deload:
            title += " · DELOAD"
        table = Table(
            title=Text(title, style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        table.add_column("day", no_wrap=True)
        table.add_column("exercise")
        table.add_column("sets×reps", no_wrap=True)
        table.add_column("load", justify="right", no_wrap=True)
        table.add_column("RPE", justify="right", no_wrap=True)
        table.add_column("tempo", no_wrap=True)
        table.add_column("rest", justify="right", no_wrap=True)
        rows = 0
        for day in week.days:
            labels = [Text(f"{day.weekday[:3].title()} {day.date:%d %b}"), Text(day.run, "dim")]
            for session in day.sessions:
                for test in session.tests:
                    # The re-tests the session opens with (DOMAIN.md §2.2), as `today` and the
                    # JSON give them: a physio's review found them only in the JSON.
                    table.add_row(
                        labels.pop(0) if labels else "",
                        _test_row(test, catalog, insertional),
                        "1×5" if test.test == "seated_test_set" else "to fatigue",
                        "",
                        "" if test.rpe is None else f"{test.rpe:g}",
                        "",
                        "",
                    )
                    rows += 1
                for p in session.exercises:
                    entry = catalog.get(p.exercise)
                    name = Text(
                        _TAG.get(p.variation, "??") + " ",
                        style=_VARIATION_STYLE.get(p.variation, "dim"),
                    )
                    name.append(name_for(entry, insertional) if entry else p.exercise)
                    if session.kind == "primer":
                        name.append(" *", style="dim")
                    table.add_row(
                        labels.pop(0) if labels else "",
                        name,
                        _dose(p),
                        _load(p, units, pairs),
                        "" if p.rpe is None else f"{p.rpe:g}",
                        p.tempo or "",
                        f"{p.rest_s}s" if p.rest_s else "",
                    )
                    rows += 1
            if day.sessions and labels:
                table.add_row(labels.pop(0), "", "", "", "", "", "")
        if rows == 0:
            why = "race week: no strength session" if week.phase == "race" else "no calf work"
            table.add_row("", Text(why, style="dim"), "", "", "", "", "")
        console.print(table)
    _render_warnings(plan.warnings, console)


def _test_row(test: SessionTest, catalog: Any, insertional: bool) -> Text:
    """A session's re-test in the plan table: "TEST heel-raise test, each leg" or "TEST seated
    test set on …, in place of one set"."""
    row = Text("TEST ", style="bold yellow")
    if test.test == "heel_raise":
        where = " on the flat floor" if insertional else ""
        row.append(f"single-leg heel-raise test{where}, each leg (calfcoach assess heel-raise)")
        return row
    entry = catalog.get(test.exercise or "")
    name = name_for(entry, insertional) if entry is not None else test.exercise
    row.append(f"seated test set on {name}, in place of one set (calfcoach assess seated-1rm)")
    return row


def _render_warnings(warnings: list[PlanWarning], console: Console) -> None:
    """Each warning once, with the weeks it covers; its rule as a small tag (DOMAIN.md §7)."""
    from calfcoach.core.warning_groups import group_warnings

    if not warnings:
        return
    console.print(Text("Warnings", style="bold yellow"))
    for group in group_warnings(warnings):
        line = Text("  ")
        if group.where:
            line.append(group.where[0].upper() + group.where[1:] + ": ", style="bold")
        line.append(group.message)
        if group.rule:
            line.append(f" [{group.rule}]", style="dim")
        console.print(line, highlight=False)


def render_exercises(found: list[Exercise], console: Console | None = None) -> None:
    """One block per exercise: the id (never cut short), name, kind, needs, cues, and the
    easier and harder ones; Rich wraps the text at word boundaries to the terminal."""
    console = console or Console()
    for ex in found:
        needs = " + ".join(" or ".join(need) for need in ex.equipment) or "none"
        kind = _VARIATION_LABEL[ex.variation] + (" (hold)" if ex.isometric else "")
        head = Text(ex.id, style="bold")
        head.append(f"  {kind}", style=_VARIATION_STYLE[ex.variation])
        console.print(head, overflow="fold")
        console.print(Padding(Text(f"{ex.name} · {ex.level} · needs {needs}"), (0, 0, 0, 2)))
        for cue in ex.cues:
            console.print(Padding(Text(f"• {cue}"), (0, 0, 0, 2)))
        chain = f"easier: {ex.regression or '—'} · harder: {ex.progression or '—'}"
        console.print(Padding(Text(chain, style="dim", overflow="fold"), (0, 0, 0, 2)))
        console.print()
    console.print(f"{len(found)} exercise(s)", highlight=False)


def retest_text(test: dict[str, Any], catalog: Any, insertional: bool = False) -> str:
    """A re-test of the plan (DOMAIN.md §2.2) in words, with how to record it. The
    heel-raise test as §2.2 gives it: on the flat floor only with insertional Achilles pain
    (§6), where it said so to every runner (issue 13, physio review W1)."""
    if test.get("test") == "heel_raise":
        where = (
            "on the flat floor (insertional Achilles pain: no incline)"
            if insertional
            else "on a 10° incline where possible"
        )
        return (
            f"single-leg heel-raise test, {where}: one raise every 2 s (a 60 bpm "
            "metronome), full height each rep, fingertips on a wall for balance only, to "
            "fatigue or until you lose the pace or the height; each leg; record it: "
            "calfcoach assess heel-raise --left N --right N"
        )
    entry = catalog.get(test.get("exercise") or "")
    name = entry.name if entry is not None else test.get("exercise")
    return (
        f"a seated test set on {name}: {test.get('reps')} reps at RPE {test.get('rpe')}, in "
        "place of one set; log it as usual and run: calfcoach assess seated-1rm"
    )


def render_day(
    view: DayView, console: Console | None = None, following: dict[str, Any] | None = None
) -> None:
    """The day's sessions: each exercise numbered (``calfcoach log 2 …``) with its id, dose,
    load, cues and the sets logged; on a day without calf work, the next session
    (``following``, a plan day)."""
    console = console or Console()
    catalog = default_catalog()
    units = view.profile.athlete.units
    pairs = pair_exercise_ids(catalog, view.profile.equipment, default_norms())
    health = view.profile.health
    insertional = is_insertional(health.condition, health.achilles_type)
    title = f"{view.athlete} · {view.day:%A %d %b %Y}"
    if view.week is not None:
        title += f" · week {view.week['index']} · {view.week['phase']}"
        if view.week["deload"]:
            title += " · DELOAD"
    console.print(Text(title, style="bold"))
    for notice in view.notices:
        console.print(Text(f"! {notice}", style="bold red"))
    if view.return_to_run is not None:
        render_return_checklist(view.return_to_run, console)
    day = view.to_json()
    if day["run"]:
        if view.before_running is not None and day["run"] in RUN_DAYS:
            console.print(Text(f"running: {day['run']} — {view.before_running}", style="bold red"))
        else:
            console.print(Text(f"running: {day['run']}", style="dim"))
    if not day["sessions"]:
        if view.before_running is not None:
            # A red flag not yet cleared: the sessions are stopped, not unplanned (a trial
            # read "a day without calf work" on a stopped session's day).
            console.print(
                "No calf work: the sessions are stopped until a clinician clears you.",
                highlight=False,
            )
        else:
            where = "outside the plan" if view.plan_day is None else "a day without calf work"
            console.print(f"No calf work planned ({where}).", highlight=False)
        if following is not None:
            names = [
                name_for(catalog.by_id[ex["exercise"]], insertional)
                if ex["exercise"] in catalog
                else ex["exercise"]
                for session in following["sessions"]
                for ex in session["exercises"]
            ]
            kinds = " + ".join(session["kind"] for session in following["sessions"])
            when = date.fromisoformat(following["date"])
            console.print(
                f"Next session: {when:%A %d %b} ({kinds}): {', '.join(names)}. "
                f"See it: calfcoach today --date {when}",
                highlight=False,
            )
    number = 0
    for session in day["sessions"]:
        for test in session.get("tests") or []:
            console.print(
                Text(f"Start with a test: {retest_text(test, catalog, insertional)}", "bold cyan")
            )
        table = Table(title=session["kind"], title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column("#", no_wrap=True, justify="right")
        # Wide enough for the longest id, so an id is never broken (it is what `log` takes).
        widest = max(len(ex["exercise"]) for ex in session["exercises"])
        table.add_column("exercise", ratio=3, overflow="fold", min_width=widest)
        table.add_column("prescribed", no_wrap=True)
        table.add_column("logged", ratio=2, overflow="fold")
        for ex in session["exercises"]:
            number += 1
            p = Prescription(**{k: v for k, v in ex.items() if k != "logged"})
            entry = catalog.get(p.exercise)
            head = Text(name_for(entry, insertional) if entry else p.exercise, style="bold")
            head.append(f"\n{p.exercise}", style="cyan")
            parts: list[RenderableType] = [head]
            if entry is not None:
                # Each cue a hanging bullet: a wrapped line starts under the text, not the dot.
                bullets = Table.grid(padding=(0, 1, 0, 0))
                bullets.add_column(no_wrap=True, style="dim")
                bullets.add_column(style="dim")
                for cue in cues_for(entry, insertional, p.load_kg):
                    bullets.add_row("•", cue)
                parts.append(bullets)
                if entry.regression:
                    easier = catalog.get(entry.regression)
                    shown = name_for(easier, insertional) if easier else entry.regression
                    parts.append(Text(f"easier: {shown} ({entry.regression})", style="dim"))
            cell = Group(*parts)
            prescribed = f"{_dose(p)}\n{_load(p, units, pairs)}"
            if p.rpe is not None:
                prescribed += f"\nRPE {p.rpe:g}"
            # Tempo and rest are the dose too (heavy slow resistance is 3-0-3-0 and 2–3 min):
            # the plan table showed them, the day's own view did not (a trial).
            if p.tempo:
                prescribed += f"\n{p.tempo}"
            if p.rest_s:
                prescribed += f"\nrest {p.rest_s}s"
            logged = (
                "\n".join(
                    f"#{e['id']} set {e['set']}{' ' + e['side'] if e['side'] else ''}: "
                    + _logged_amount(e, units)
                    for e in ex["logged"]
                )
                or "—"
            )
            table.add_row(str(number), cell, prescribed, logged)
        console.print(table)
    if day["sessions"]:
        console.print(
            Text(
                "log one: calfcoach log # --reps N --load "
                + ("LB" if units == "imperial" else "KG")
                + " (a pair: --load 2x8; or --hold S)",
                style="dim",
            )
        )
    for extra in day.get("unplanned", []):
        side = f" {extra['side']}" if extra["side"] else ""
        console.print(
            f"  also logged: #{extra['id']} {extra['exercise']} set {extra['set']}{side}: "
            + _logged_amount(extra, units),
            highlight=False,
        )


def _logged_amount(logged: dict[str, Any], units: str) -> str:
    """What a logged set did: a hold's seconds (and its load, if any), else reps × load. (A
    hold logged off the plan showed as "1 × body weight".) A load is the total logged, a pair
    of dumbbells' both together, as the runner entered it."""
    if logged.get("hold_s"):
        load = f" × {format_load(logged['load_kg'], units)}" if logged["load_kg"] else ""
        return f"{logged['hold_s']} s hold{load}"
    return f"{logged['reps']} × {format_load(logged['load_kg'], units)}"


def render_history(history: History, console: Console | None = None) -> None:
    """One table per exercise: session, top set, estimated 1RM and volume; then the tests."""
    console = console or Console()
    units = history.units
    if not history.exercises:
        console.print("Nothing logged yet.", highlight=False)
    for ex in history.exercises:
        table = Table(title=ex["exercise"], title_justify="left", box=box.SIMPLE_HEAD)
        # A standing raise's e1RM and volume are of the system load, body weight included
        # (DOMAIN.md §2.1): "8 kg × 10" beside "101.3 kg" needs saying so (issue 13).
        of = ", body + load" if ex["exercise"] in history.body_kg else ""
        for column in ("date", "top set", f"est. 1RM{of}", f"volume{of}"):
            table.add_column(column, justify="left" if column == "date" else "right")
        for s in ex["sessions"]:
            table.add_row(
                s["date"],
                f"{format_load(s['top_set_kg'], units)} × {s['reps']}",
                format_load(s["e1rm_kg"], units) if s["e1rm_kg"] else "—",
                format_load(s["volume_kg"], units) if s["volume_kg"] else "—",
            )
        console.print(table)
    counted = [
        history.body_kg[ex["exercise"]]
        for ex in history.exercises
        if ex["exercise"] in history.body_kg
    ]
    if counted:
        body = max(counted)
        console.print(
            "est. 1RM: the most you could lift once, estimated from the top set (Epley). "
            f"body + load: your body weight ({format_load(body, units)}) and the load in hand, "
            "what the calf lifts in a standing raise; the top set shows the load alone.",
            highlight=False,
        )
    for test in history.assessments:
        pain = "" if test.get("pain") is None else f", pain {test['pain']}/10"
        if test["kind"] == "heel_raise":
            what = f"heel-raise test: left {test['left_reps']}, right {test['right_reps']}{pain}"
        elif test["kind"] == "hop":
            what = f"hop test{pain}"
        else:
            what = f"seated 1RM: {format_load(test['value_kg'], units)}"
        console.print(f"{test['date']}  {what}", highlight=False)
    if history.changes:
        _render_changes(history.changes, console)


def _render_changes(changes: list[dict[str, Any]], console: Console) -> None:
    """Who changed the diary and when, newest first (issue 16's audit trail)."""
    from calfcoach.services.access import strip_controls

    table = Table(title="changes", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("when (UTC)", "who", "what"):
        table.add_column(column)
    for change in changes:
        what = " — ".join(part for part in (change["action"], change["detail"]) if part)
        # Names come from accounts and the OS: never raw escape sequences to the terminal.
        table.add_row(
            change["at"][:19].replace("T", " "),
            Text(strip_controls(change["who"])),
            Text(strip_controls(what)),
        )
    console.print(table)


def render_return_checklist(checklist: ReturnChecklist, console: Console) -> None:
    """A calf strain's return-to-running criteria, each met or not with its numbers."""
    if checklist.before_running is not None:
        # A red flag not yet cleared: nothing here may suggest running (physio review S4).
        head = f"Return to running (calf strain): {checklist.before_running}."
    elif checklist.met:
        head = "Return to running (calf strain): every criterion met — full and fast running"
        head += " may come back."
    else:
        head = "Return to running (calf strain): runs stay easy and short, fast running waits."
    console.print(Text(head, style="bold"))
    for c in checklist.criteria:
        mark = "[met]    " if c.met else "[not met]"
        console.print(Text(f"  {mark} {c.label}: {c.detail}"), style="green" if c.met else "yellow")


def _change_dose(dose: dict[str, Any], units: str, pair: bool = False) -> str:
    """A change's before or after: "3×15 @ 25 kg", or a hold's "3 × 45 s hold" (it read
    "3×1 @ body weight": issue 13, physio review B8); ``pair``: "3×15 @ 2 × 8 kg"; "none"
    for no sets (plyometrics red had taken out, back after a green check-in)."""
    if not dose.get("sets"):
        return "none"
    if dose.get("hold_s"):
        return f"{dose['sets']} × {dose['hold_s']} s hold"
    load = format_load(dose["load_kg"], units, pair) if dose["load_kg"] is not None else None
    return f"{dose['sets']}×{dose['reps']} @ {load or '—'}"


def _no_runs(view: RunsView) -> str:
    """Why the listing is empty: nothing imported, or nothing in the weeks asked for."""
    if view.weeks_asked is None or view.latest is None:
        return "No activities imported yet: calfcoach import PATH"
    span = "week" if view.weeks_asked == 1 else f"{view.weeks_asked} weeks"
    # One line within 80 columns; `calfcoach runs` without --weeks lists them.
    return f"No activities in the last {span}; the latest is from {view.latest.date()}."


def render_runs(view: RunsView, console: Console | None = None) -> None:
    """Weekly running totals, then the activities."""
    console = console or Console()
    if not view.runs:
        console.print(_no_runs(view), highlight=False)
        return
    # In the athlete's units (a trial's imperial runner read km); the JSON stays in km and m.
    unit, per_km = ("mi", 1 / KM_PER_MILE) if view.units == "imperial" else ("km", 1.0)
    weeks = Table(title="running by week", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("week of", unit, "runs", "long run", "hard", "time"):
        weeks.add_column(column, justify="left" if column == "week of" else "right")
    for w in view.weeks:
        hours, minutes = divmod(int(w["time_s"]) // 60, 60)
        weeks.add_row(
            w["start"],
            f"{w['km'] * per_km:.1f}",
            str(w["runs"]),
            f"{w['long_run_km'] * per_km:.1f}",
            str(w["hard_sessions"]),
            f"{hours}:{minutes:02d}",
        )
    console.print(weeks)
    table = Table(title="activities", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("start", "sport", unit, "time", "HR", "cadence"):
        table.add_column(column, justify="left" if column in ("start", "sport") else "right")
    for r in view.runs:
        seconds = r["moving_s"] or r["elapsed_s"]
        table.add_row(
            r["start"][:16].replace("T", " "),
            r["sport"],
            "—" if r["distance_m"] is None else f"{r['distance_m'] / 1000 * per_km:.2f}",
            "—" if seconds is None else f"{int(seconds) // 60}:{int(seconds) % 60:02d}",
            "—" if r["avg_hr"] is None else f"{r['avg_hr']:.0f}",
            "—" if r["avg_cadence"] is None else f"{r['avg_cadence']:.0f}",
        )
    console.print(table)


def _print_hanging(
    console: Console, text: Text, bullet: Text | None = None, indent: int = 2
) -> None:
    """``text`` indented ``indent`` spaces (after ``bullet`` when given) with a hanging
    indent: a wrapped line goes on under the text, not back at the left edge (a trial found
    the reasons hard to tell apart), and no line ends in spaces."""
    first = Text(" " * indent) if bullet is None else Text(" " * indent) + bullet + Text(" ")
    under = first.cell_len
    for n, line in enumerate(text.wrap(console, max(20, console.width - under))):
        line.rstrip()
        console.print(
            (first if n == 0 else Text(" " * under)) + line, soft_wrap=True, highlight=False
        )


def render_explanation(found: Any, console: Console | None = None) -> None:
    """``calfcoach explain`` as text that fits 80 columns: each exercise, then its reasons
    (the rule or section as a small tag) and its changes."""
    console = console or Console(width=min(80, Console().width))
    catalog = default_catalog()
    console.print(Text(f"Why {found.day:%A %d %b %Y} is what it is — {found.athlete}", "bold"))
    for notice in found.notices:
        console.print(Text(f"! {notice}", style="bold red"))
    if found.plan_starts is not None:
        console.print(
            f"The plan starts on {found.plan_starts:%A %d %b %Y}: nothing is planned before it."
        )
        if found.first_session is not None:
            console.print(f"Its first session: calfcoach explain {found.first_session}")
    elif not found.exercises:
        console.print("No calf work planned this day.")
    for ex in found.exercises:
        entry = catalog.get(ex["exercise"])
        name = name_for(entry, found.insertional) if entry is not None else ex["exercise"]
        dose = dose_text(ex, found.units, found.pairs)
        system = ex.get("system_load_kg")
        line = Text(name, "bold")
        line.append(f" — {dose}")
        if system is not None and ex.get("load_kg") is not None:
            line.append(f" (system load {format_load(system, found.units)})", "dim")
        console.print()
        _print_hanging(console, line, indent=0)
        for reason in ex["reasons"]:
            tag = reason.get("rule") or reason.get("section")
            text = Text(f"{reason['about']}: ", "dim")
            text.append(reason["text"])
            if tag:
                text.append(f" [{tag}]", "dim")
            if reason.get("source"):
                text.append(f" ({reason['source']})", "dim italic")
            _print_hanging(console, text, Text("•", "dim"))
        for change in ex["changes"]:
            b, a = change["before"], change["after"]
            text = Text(f"{change['date']} {change['cause']}: ", "yellow")
            pair = ex["exercise"] in found.pairs
            was_pair = b.get("exercise", ex["exercise"]) in found.pairs
            text.append(
                f"{_change_dose(b, found.units, was_pair)} → {_change_dose(a, found.units, pair)}. "
            )
            text.append(change["text"])
            if change.get("rule"):
                text.append(f" [{change['rule']}]", "dim")
            _print_hanging(console, text, Text("↻", "yellow"))
    if found.warnings:
        console.print(Text("\nThis week", "bold yellow"))
        for w in found.warnings:
            text = Text(f"{w['message']}")
            if w.get("rule"):
                text.append(f" [{w['rule']}]", "dim")
            _print_hanging(console, text)
