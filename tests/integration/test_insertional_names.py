"""Insertional Achilles pain (DOMAIN.md §6): raises from the flat floor, "and cues that say so".
Every place that names a raise names it so — a coach's trial found "Single-leg dumbbell calf
raise on a step" on the watch (the FIT workout shows the name alone), on the Week and Plan
pages, in `today`'s next-session line and in `explain`, beside cues saying "no step"."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from garmin_fit_sdk import Decoder, Stream

from calfcoach.data import default_catalog
from calfcoach.services import context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT, TODAY

SAMPLE = ROOT / "examples" / "profile.toml"
RAISED = re.compile(r"on a step|stair|platform edge|if you have one", re.IGNORECASE)


def _profile(tmp_path: Path, achilles_type: str) -> Path:
    profile = tmp_path / f"{achilles_type}.toml"
    text = SAMPLE.read_text().split("[health]")[0]
    profile.write_text(
        text + '[health]\ncondition = "achilles_tendinopathy"\npain_now = 2\n'
        f'achilles_type = "{achilles_type}"\n'
    )
    return profile


@pytest.fixture(params=["insertional", "midportion"])
def diary(request, run_cli, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "diary.sqlite"
    result = run_cli("init", "--profile", str(_profile(tmp_path, request.param)), "--db", str(path))
    assert result.returncode == 0, result.stderr
    return request.param, path


def _step_names(folder: Path) -> list[str]:
    names = []
    for fit in sorted(folder.glob("*.fit")):
        messages, errors = Decoder(Stream.from_byte_array(bytearray(fit.read_bytes()))).read()
        assert errors == []
        names += [m.get("wkt_step_name", "") for m in messages["workout_step_mesgs"]]
    return names


def test_the_watch_names_the_flat_floor_raise(run_cli, diary, tmp_path: Path) -> None:
    kind, path = diary
    out = tmp_path / "watch"
    out.mkdir()
    result = run_cli(
        "export", "--format", "fit", "--week", "3", "--out", str(out), "--db", str(path)
    )
    assert result.returncode == 0, result.stderr
    names = _step_names(out)
    raises = [n for n in names if "raise" in n.lower()]
    assert raises
    if kind == "insertional":
        assert not [n for n in names if RAISED.search(n)], names
        assert any("flat floor" in n for n in raises)
    else:
        assert any(RAISED.search(n) for n in raises)  # the catalog's own names, as before


def _first_raise_day(path: Path) -> str:
    """The first day of the diary's plan with a raise the catalog names "on a step"."""
    from calfcoach.services import diary_views

    catalog = default_catalog()
    plan = diary_views.plan_view(context.open_database(f"sqlite:///{path}"), None, TODAY)
    return next(
        day["date"]
        for week in plan.document["weeks"]
        for day in week["days"]
        for session in day["sessions"]
        if any(RAISED.search(catalog.by_id[ex["exercise"]].name) for ex in session["exercises"])
    )


def test_today_and_explain_name_the_flat_floor_raise(run_cli, diary) -> None:
    kind, path = diary
    first = _first_raise_day(path)
    # The day before: `today` names the next session.
    before = date.fromisoformat(first) - timedelta(days=1)
    today = run_cli("today", "--db", str(path), today=before)
    explain = run_cli("explain", first, "--db", str(path))
    assert today.returncode == 0 and explain.returncode == 0, today.stderr + explain.stderr
    assert "Next session" in today.stdout
    text = today.stdout + explain.stdout
    if kind == "insertional":
        assert not RAISED.search(text), text
        assert "from the flat floor" in text
    else:
        assert "on a step" in text


def test_the_week_plan_and_check_in_pages_name_the_flat_floor_raise(diary) -> None:
    kind, path = diary
    database = context.open_database(f"sqlite:///{path}")
    first = date.fromisoformat(_first_raise_day(path))
    settings = WebSettings(database, lambda: first - timedelta(days=1))
    with TestClient(create_app(settings)) as client:
        pages = [client.get(f"/week?date={_first_raise_day(path)}").text, client.get("/plan").text]
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/checkin").text)
        assert token
        checked_in = client.post(
            "/checkin",
            data={
                "csrf_token": token.group(1),
                "date": (first - timedelta(days=1)).isoformat(),
                "pain_during": "7",
            },
        )
        assert checked_in.status_code == 200, checked_in.text
        pages.append(checked_in.text)
    _name_raises_as(kind, pages)


def test_the_why_and_progress_pages_name_the_flat_floor_raise(diary) -> None:
    """The "Why?" page and the Progress page (a set logged of the raise named "on a step")."""
    from calfcoach.services import diary as diary_service

    kind, path = diary
    database = context.open_database(f"sqlite:///{path}")
    first = date.fromisoformat(_first_raise_day(path))
    planned = _plan_ids(path)
    stepped = next(
        ex.id for ex in default_catalog().exercises if RAISED.search(ex.name) and ex.id in planned
    )
    request = diary_service.LogRequest(stepped, 1, 12, "0", None, None, both_sides=True)
    diary_service.log_sets(database, None, first, request, first)
    settings = WebSettings(database, lambda: first)
    with TestClient(create_app(settings)) as client:
        pages = [client.get(f"/explain?date={first}").text, client.get("/progress").text]
    _name_raises_as(kind, pages)


def _plan_ids(path: Path) -> set[str]:
    from calfcoach.services import diary_views

    plan = diary_views.plan_view(context.open_database(f"sqlite:///{path}"), None, TODAY)
    return {
        ex["exercise"]
        for week in plan.document["weeks"]
        for day in week["days"]
        for session in day["sessions"]
        for ex in session["exercises"]
    }


def _name_raises_as(kind: str, pages: list[str]) -> None:
    """Each page names a raise; for insertional pain never with a raised set-up, for
    midportion pain with the catalog's own name."""
    for page in pages:
        assert "raise" in page.lower()
        if kind == "insertional":
            assert not RAISED.search(page), RAISED.search(page)
        else:
            assert RAISED.search(page)
