"""The charts' bars: a year of weeks is shown whole (the Progress page's "last 52 weeks" showed
26 bars, a trial's finding), and a longer history its last year."""

from __future__ import annotations

from datetime import date, timedelta

from calfcoach.charts import BARS_SHOWN, volume_svg


def _weeks(n: int) -> list[tuple[date, float]]:
    first = date(2025, 1, 6)
    return [(first + timedelta(weeks=k), 100.0 + k) for k in range(n)]


def test_a_year_of_weeks_shows_a_bar_for_each() -> None:
    assert BARS_SHOWN >= 52
    svg = volume_svg(_weeks(52), "metric", "Weekly calf volume")
    assert svg.count("<rect") == 52


def test_a_longer_history_shows_its_last_year_and_names_its_first_week() -> None:
    weeks = _weeks(80)
    svg = volume_svg(weeks, "metric", "Weekly calf volume")
    assert svg.count("<rect") == BARS_SHOWN
    first_shown = weeks[-BARS_SHOWN][0]
    assert f"week of {first_shown:%-d %b}" in svg
