"""One hard-session test (issue 12 item 6): `calfcoach runs` counts the hard sessions the
planner sees in the same runs. The Thursday run here is 9.5 % faster than the median pace:
hard by the planner's test (pace <= median / 1.10); the old `runs` test (pace <= 0.90 x the
median) called it easy, so the two disagreed on the same runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from calfcoach.core.profile import WEEKDAYS
from calfcoach.services import context
from calfcoach.services.unit_of_work import SqlUnitOfWork
from tests.conftest import ROOT, TODAY

SAMPLE = ROOT / "examples" / "profile.toml"
EASY_S_PER_KM = 300.0
FAST_S_PER_KM = EASY_S_PER_KM * 0.905


def _gpx_run(start: datetime, km: float, seconds_per_km: float) -> str:
    """A straight run north, one point a minute at an even pace."""
    minutes = round(km * seconds_per_km / 60)
    metres_per_minute = 1000 * 60 / seconds_per_km
    points = "".join(
        f'<trkpt lat="{46.0 + metres_per_minute * n / 111_195:.7f}" lon="14.5">'
        f"<time>{(start + timedelta(minutes=n)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for n in range(minutes + 1)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        f"{points}</trkseg></trk></gpx>"
    )


def test_runs_reports_the_hard_sessions_the_planner_sees(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "weeks"
    folder.mkdir()
    this_monday = TODAY - timedelta(days=TODAY.weekday())
    first_monday = this_monday - timedelta(weeks=6)
    # Tuesday and Saturday easy, Thursday fast, Sunday long (easy pace).
    week = ((1, 10, EASY_S_PER_KM), (3, 8, FAST_S_PER_KM), (5, 10, EASY_S_PER_KM))
    week += ((6, 16, EASY_S_PER_KM),)
    for n in range(6):
        for day, km, pace in week:
            when = first_monday + timedelta(weeks=n, days=day)
            start = datetime(when.year, when.month, when.day, 7, tzinfo=UTC)
            (folder / f"{n}-{day}.gpx").write_text(_gpx_run(start, km, pace))
    database = str(tmp_path / "hard.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", database).returncode == 0
    imported = run_cli("import", str(folder), "--db", database)
    assert imported.returncode == 0, imported.stdout + imported.stderr

    listed = json.loads(run_cli("runs", "--db", database, "--format", "json").stdout)
    assert [week["start"] for week in listed["weeks"]] == [
        (first_monday + timedelta(weeks=n)).isoformat() for n in range(6)
    ]
    assert [week["hard_sessions"] for week in listed["weeks"]] == [1] * 6

    with SqlUnitOfWork(context.open_database(database).engine, read_only=True) as uow:
        athlete_id, _ = context.find_athlete(uow, None)
        history = context.running_history(uow, athlete_id, TODAY)
    assert history is not None and history.weeks == 6
    assert history.hard_weekdays == ("thursday",)
    assert history.long_run_weekday == "sunday"
    # The same runs, the same hard sessions: every hard run `runs` counts is on the
    # planner's hard weekday, once a week.
    hard_runs = [
        r
        for r in listed["runs"]
        if 1000 * r["moving_s"] / r["distance_m"] < EASY_S_PER_KM * 0.95  # the fast ones
    ]
    assert {WEEKDAYS[datetime.fromisoformat(r["start"]).weekday()] for r in hard_runs} == set(
        history.hard_weekdays
    )
    assert sum(week["hard_sessions"] for week in listed["weeks"]) == len(hard_runs)
