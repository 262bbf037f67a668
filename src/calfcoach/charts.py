"""The one SVG chart engine of both shells: the progress page's charts (a 360-unit wide
viewBox that scales to a phone) and ``calfcoach history --plot FILE.svg`` (a file of its own,
with a size, a white background and a legend on the right). Loads are drawn in the athlete's
units (kg, or lb for imperial). Presentation attributes only, so the page's CSP needs no
inline styles; the page shows the numbers in a table under each chart too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from calfcoach.core.units import kg_to_lb

if TYPE_CHECKING:
    from calfcoach.services.diary_views import TestView

INK, GRID = "#1f2933", "#d5dbe1"
PALETTE = ("#0b6e4f", "#b5452b", "#3a4fa3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")

Series = tuple[str, Sequence[tuple[date, float]], str]  # label, points, colour


@dataclass(frozen=True, slots=True)
class Frame:
    """Where a chart is shown: its size and margins, and how its series are named."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    standalone: bool  # a file of its own: a size, a white background and a visible title
    legend_right: bool  # a legend of every series in the right margin (else: above, if > 1)


PAGE = Frame(360, 220, 44, 10, 14, 34, standalone=False, legend_right=False)
BARS_SHOWN = 52  # weeks in a bar chart: a year, ~6 px a bar on a phone
FILE = Frame(760, 380, 60, 200, 30, 40, standalone=True, legend_right=True)


def _in_units(kg: float, units: str) -> float:
    return kg_to_lb(kg) if units == "imperial" else kg


def _unit(units: str) -> str:
    return "lb" if units == "imperial" else "kg"


def line_chart(
    series: Sequence[Series],
    y_label: str,
    title: str,
    guide: float | None = None,
    guide_label: str = "",
    frame: Frame = PAGE,
    empty: str = "Nothing logged yet.",
) -> str:
    """Lines over dates; ``guide`` draws a dashed horizontal reference (a norm)."""
    width, height, left, right, top, bottom = _box(frame)
    points = [p for _, pts, _ in series for p in pts]
    head = _head(title, frame)
    if not points:
        return (
            head
            + f'<text x="{left}" y="{height / 2:.0f}" fill="{INK}">{escape(empty)}</text></svg>'
        )
    first = min(d for d, _ in points)
    last = max(d for d, _ in points)
    span = max(1, (last - first).days)
    y_max = _nice_top(max([v for _, v in points] + [guide or 0]) * 1.05)
    pw, ph = width - left - right, height - top - bottom

    def x(d: date) -> float:
        # One day of data sits in the middle rather than on the axis.
        return left + pw * (d - first).days / span if last != first else left + pw / 2

    def y(v: float) -> float:
        return top + ph * (1 - v / y_max)

    parts = [head, *_y_axis(y_max, y, y_label, frame)]
    parts.append(f'<text x="{left}" y="{height - 8}" fill="{INK}">{first:%-d %b %Y}</text>')
    if last != first:
        parts.append(
            f'<text x="{width - right}" y="{height - 8}" text-anchor="end" fill="{INK}">'
            f"{last:%-d %b %Y}</text>"
        )
    if guide is not None:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(guide):.1f}" y2="{y(guide):.1f}" '
            f'stroke="{INK}" stroke-dasharray="4 3"/>'
            f'<text x="{width - right}" y="{y(guide) - 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(guide_label)}</text>"
        )
    for n, (label, pts, colour) in enumerate(series):
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
        parts.extend(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for d, v in pts[-30:]
        )
        if frame.legend_right:
            legend_y = top + 16 * n + 8
            parts.append(
                f'<rect x="{width - right + 12}" y="{legend_y - 8}" width="10" height="10" '
                f'fill="{colour}"/><text x="{width - right + 26}" y="{legend_y + 1}" fill="{INK}">'
                f"{escape(label[:26])}</text>"
            )
        elif len(series) > 1:
            parts.append(
                f'<rect x="{left + 8 + n * 90}" y="{top}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{left + 22 + n * 90}" y="{top + 9}" fill="{INK}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    bars: Sequence[tuple[date, float]], y_label: str, title: str, frame: Frame = PAGE
) -> str:
    width, height, left, right, top, bottom = _box(frame)
    head = _head(title, frame)
    if not bars:
        return (
            head
            + f'<text x="{left}" y="{height / 2:.0f}" fill="{INK}">Nothing logged yet.</text></svg>'
        )
    # A year of weeks at most (the Progress page's "last 52 weeks" showed only 26, a trial's
    # finding); longer histories show their last year, its first week named below.
    shown = list(bars)[-BARS_SHOWN:]
    y_max = _nice_top(max(v for _, v in shown) * 1.05)
    pw, ph = width - left - right, height - top - bottom
    step = pw / len(shown)
    bar_width = min(step * 0.7, 28.0)

    def y(v: float) -> float:
        return top + ph * (1 - v / y_max)

    parts = [head, *_y_axis(y_max, y, y_label, frame)]
    for n, (_, value) in enumerate(shown):
        parts.append(
            f'<rect x="{left + n * step + (step - bar_width) / 2:.1f}" y="{y(value):.1f}" '
            f'width="{bar_width:.1f}" height="{top + ph - y(value):.1f}" fill="{PALETTE[0]}"/>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 8}" fill="{INK}">week of {shown[0][0]:%-d %b}</text>'
    )
    parts.append(
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end" fill="{INK}">'
        f"{shown[-1][0]:%-d %b}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _nice_top(value: float) -> float:
    """The smallest 4 × (1, 2, 2.5 or 5 × 10^k) at or above ``value``: round grid labels."""
    import math

    if value <= 0:
        return 4.0
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return 4 * step


def _box(frame: Frame) -> tuple[int, int, int, int, int, int]:
    return frame.width, frame.height, frame.left, frame.right, frame.top, frame.bottom


def _head(title: str, frame: Frame) -> str:
    width, height = frame.width, frame.height
    size = f'width="{width}" height="{height}" ' if frame.standalone else ""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size}viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>"
    )
    if frame.standalone:
        head += (
            f'<rect width="{width}" height="{height}" fill="white"/><text x="{frame.left}" y="18" '
            f'font-size="14" font-weight="bold" fill="{INK}">{escape(title)}</text>'
        )
    return head


def _y_axis(y_max: float, y: Any, label: str, frame: Frame) -> list[str]:
    width, height, left, right, top, bottom = _box(frame)
    parts = []
    for n in range(5):
        value = y_max * n / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 5}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{value:g}</text>'
        )
    middle = top + (height - top - bottom) / 2
    parts.append(
        f'<text x="12" y="{middle:.0f}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 12 {middle:.0f})">{escape(label)}</text>'
    )
    return parts


def e1rm_chart_svg(exercises: list[dict[str, Any]], title: str, units: str) -> str:
    """``calfcoach history --plot``: estimated 1RM over time, a line per exercise, in the
    athlete's units. Exercises without load (body weight, plyometrics) are left out: their
    estimated 1RM is 0."""
    series = [
        (ex["exercise"], _e1rm_points(ex, units), PALETTE[n % len(PALETTE)])
        for n, ex in enumerate(e for e in exercises if any(s["e1rm_kg"] > 0 for s in e["sessions"]))
    ]
    return line_chart(
        series,
        f"estimated 1RM, {_unit(units)}",
        title,
        frame=FILE,
        empty="No loaded sets logged yet.",
    )


def _e1rm_points(exercise: dict[str, Any], units: str) -> list[tuple[date, float]]:
    return [
        (date.fromisoformat(s["date"]), round(_in_units(s["e1rm_kg"], units), 1))
        for s in exercise["sessions"]
        if s["e1rm_kg"] > 0
    ]


def e1rm_svg(exercise: dict[str, Any], units: str) -> str:
    return line_chart(
        [(exercise["exercise"], _e1rm_points(exercise, units), PALETTE[0])],
        f"estimated 1RM, {_unit(units)}",
        f"{exercise['exercise']}: estimated 1RM over time",
    )


def volume_svg(weeks: Sequence[tuple[date, float]], units: str, title: str) -> str:
    return bar_chart(
        [(monday, _in_units(kg, units)) for monday, kg in weeks],
        f"load × reps, {_unit(units)}",
        title,
    )


def heel_raise_svg(tests: Sequence[TestView]) -> str:
    heel = [t for t in tests if t.heel_raise is not None]
    left = [(t.assessment.day, float(t.heel_raise.left)) for t in heel if t.heel_raise]
    right = [(t.assessment.day, float(t.heel_raise.right)) for t in heel if t.heel_raise]
    median = next((t.heel_raise.median for t in reversed(heel) if t.heel_raise), None)
    return line_chart(
        [("left", left, PALETTE[0]), ("right", right, PALETTE[1])],
        "reps to failure",
        "Single-leg heel-raise tests",
        guide=float(median) if median else None,
        guide_label=f"median for age and sex: {median}" if median else "",
    )
