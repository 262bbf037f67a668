"""Warnings as a runner reads them (DOMAIN.md §7): a warning that holds for many weeks is said
once, with the weeks it covers. The plan JSON keeps one warning per week (its contract); the
terminal, the pages and the PDF show these groups."""

from __future__ import annotations

import msgspec

from calfcoach.core.plan import PlanWarning


class WarningGroup(msgspec.Struct, frozen=True):
    rule: str | None
    message: str
    weeks: tuple[int, ...]

    @property
    def where(self) -> str:
        """ "week 3", "weeks 3–8 and 10", or "" for a plan-wide note."""
        if not self.weeks:
            return ""
        runs: list[str] = []
        start = prev = self.weeks[0]
        for week in (*self.weeks[1:], None):
            if week is not None and week == prev + 1:
                prev = week
                continue
            runs.append(str(start) if start == prev else f"{start}–{prev}")
            if week is not None:
                start = prev = week
        label = "week" if len(self.weeks) == 1 else "weeks"
        body = runs[0] if len(runs) == 1 else ", ".join(runs[:-1]) + " and " + runs[-1]
        return f"{label} {body}"


def group_warnings(warnings: list[PlanWarning]) -> list[WarningGroup]:
    """Warnings with the same rule and message merged, in order of first appearance."""
    order: list[tuple[str | None, str]] = []
    weeks: dict[tuple[str | None, str], set[int]] = {}
    for w in warnings:
        key = (w.rule, w.message)
        if key not in weeks:
            order.append(key)
            weeks[key] = set()
        if w.week is not None:
            weeks[key].add(w.week)
    return [
        WarningGroup(rule, message, tuple(sorted(weeks[(rule, message)])))
        for rule, message in order
    ]


def group_warning_dicts(warnings: list[dict[str, object]]) -> list[WarningGroup]:
    """:func:`group_warnings` for the plan JSON's warning objects (the pages and the PDF)."""
    out: list[PlanWarning] = []
    for w in warnings:
        week = w.get("week")
        out.append(
            PlanWarning(
                str(w["rule"]) if w.get("rule") else None,
                week if isinstance(week, int) else None,
                None,
                str(w.get("message", "")),
            )
        )
    return group_warnings(out)
