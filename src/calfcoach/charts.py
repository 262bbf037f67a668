"""A small, dependency-free SVG line chart of estimated 1RM over time, one line per exercise
(what `calfcoach history --plot FILE.svg` writes)."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 60, 200, 30, 40
COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")


def e1rm_chart_svg(exercises: list[dict[str, Any]], title: str) -> str:
    """The chart as SVG text. Exercises without load (body weight, plyometrics) are left out:
    their estimated 1RM is 0."""
    series = [
        (ex["exercise"], [(date.fromisoformat(s["date"]), s["e1rm_kg"]) for s in ex["sessions"]])
        for ex in exercises
    ]
    series = [(name, points) for name, points in series if any(v > 0 for _, v in points)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    if not series:
        parts.append(f'<text x="{LEFT}" y="{HEIGHT // 2}">No loaded sets logged yet.</text>')
        parts.append("</svg>")
        return "\n".join(parts)
    days = [d for _, points in series for d, _ in points]
    values = [v for _, points in series for _, v in points]
    first, last = min(days), max(days)
    span = max(1, (last - first).days)
    top = max(values) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    for n in range(5):  # horizontal grid with kg labels
        value = top * n / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>'
        )
    parts.append(
        f'<text x="12" y="{TOP + plot_h / 2:.0f}" transform="rotate(-90 12 '
        f'{TOP + plot_h / 2:.0f})" text-anchor="middle">estimated 1RM, kg</text>'
    )
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(
            f'<text x="{x(day):.1f}" y="{HEIGHT - 14}" text-anchor="{anchor}">{day}</text>'
        )
    for n, (name, points) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for d, v in points[-1:]:
            parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        legend_y = TOP + 16 * n + 8
        parts.append(
            f'<rect x="{WIDTH - RIGHT + 12}" y="{legend_y - 8}" width="10" height="10" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 26}" y="{legend_y + 1}">{escape(name[:26])}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
