"""Hostile inputs through the real CLI (issue 14): each case of the generated corpus is
imported in a subprocess with a memory cap and a timeout. It must exit 0, 1 or 2 with no
traceback, import the valid files beside it, and a refused command must change nothing
stored. The same for the profile, plan and backup readers (/dev/zero, a FIFO, a huge file,
brackets nested 5,000 deep)."""

from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from calfcoach.store.tables import metadata
from tests.conftest import ROOT, SHARED_FIXTURES, TODAY, cli_path
from tests.fixtures.hostile import generate

SAMPLE = ROOT / "examples" / "profile.toml"
# Address space for the CLI: Python, SQLAlchemy and a 32 MB file fit in a fraction of this;
# the bombs that took 1-23 GB before (issue 14) would not.
MEMORY_LIMIT = 1536 * 1024 * 1024
TIMEOUT_S = 60


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "COLUMNS": "120"}
    return subprocess.run(
        [cli_path(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        stdin=subprocess.DEVNULL,
        preexec_fn=_cap_memory,
    )


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "template.sqlite"
    made = _cli("init", "--profile", str(SAMPLE), "--db", str(path))
    assert made.returncode == 0, made.stderr
    return path


def _copy(template: Path, database: Path) -> Path:
    """A copy of the initialised database (with its write-ahead log, if one is left)."""
    for suffix in ("", "-wal"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copy(source, f"{database}{suffix}")
    return database


def _stored(database: Path) -> dict[str, list[tuple[object, ...]]]:
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return {
                table: [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {table}"))]
                for table in sorted(metadata.tables)
            }
    finally:
        engine.dispose()


CASES = generate.cases(SHARED_FIXTURES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_imports_are_refused_and_the_rest_imported(
    case: generate.Case, initialised: Path, tmp_path: Path
) -> None:
    database = _copy(initialised, tmp_path / "case.sqlite")
    paths = case.make(tmp_path)
    before = _stored(database)
    result = _cli("import", *map(str, paths), "--db", str(database), "--format", "json")
    _no_traceback(result)
    assert result.returncode in case.exit_codes, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == case.added
    assert report["failed"], "the hostile file must be reported"
    assert all(failure["reason"].strip() for failure in report["failed"])
    assert any(case.reason in failure["reason"] for failure in report["failed"]), report
    after = _stored(database)
    assert len(after["runs"]) == len(before["runs"]) + case.added
    if result.returncode == 2:
        assert after == before  # a refused command changes nothing stored
    else:
        (batch,) = [row for row in after["import_batches"] if row not in before["import_batches"]]
        # id, athlete_id, created_at, sources, files, added, failed
        assert batch[4:] == (report["files"], report["added"], len(report["failed"]))


def _fifo(folder: Path) -> Path:
    path = folder / "pipe"
    os.mkfifo(path)
    return path


def _huge(folder: Path) -> Path:
    path = folder / "huge.toml"
    with path.open("wb") as out:
        out.truncate(65 * 1024 * 1024 + 1)  # sparse: no disk used
    return path


USER_FILES = {
    "dev-zero": (lambda folder: Path("/dev/zero"), "not a regular file"),
    "fifo": (_fifo, "not a regular file"),
    "huge": (_huge, "larger than"),
    "deep-toml": (
        lambda folder: _text(folder / "deep.toml", generate.deep_toml(5000)),
        "nests brackets",
    ),
    "deep-json": (
        lambda folder: _text(folder / "deep.json", generate.deep_json(5000)),
        "nests brackets",
    ),
}


def _text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize("kind", USER_FILES)
@pytest.mark.parametrize("command", ["plan --profile", "check --plan", "restore"])
def test_hostile_user_files_exit_2_with_one_line(
    command: str, kind: str, initialised: Path, tmp_path: Path
) -> None:
    make, reason = USER_FILES[kind]
    _refused_with_one_line(command, str(make(tmp_path)), reason, initialised, tmp_path)


def _refused_with_one_line(
    command: str, path: str, reason: str, initialised: Path, tmp_path: Path
) -> None:
    """``command`` on the file ``path`` exits 2 with one line naming it and ``reason``, and
    changes nothing stored."""
    database = _copy(initialised, tmp_path / "user.sqlite")
    before = _stored(database)
    args = {
        "plan --profile": ["plan", "--profile", path],
        "check --plan": ["check", path, "--profile", str(SAMPLE)],
        "restore": ["restore", path, "--db", str(database)],
    }[command]
    result = _cli(*args)
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0] and path in lines[0], result.stderr
    assert _stored(database) == before


# Issue 13's trial: JSON that Python's reader takes but nothing after it can hold.
JSON_FILES = {
    # Half of a UTF-16 surrogate pair: a string no file or database can encode.
    "lone-surrogate": ('{"calfcoach_plan": 1, "weeks": [], "x": "\\ud800"}', "surrogate pair"),
    # Behind a NaN, which msgspec's reader stops at first (review).
    "surrogate-after-nan": ('{"calfcoach_plan": 1, "a": NaN, "x": "\\udc80"}', "surrogate pair"),
    # int() refuses more than 4,300 digits with a ValueError of its own.
    "huge-integer": ('{"calfcoach_plan": 1, "n": ' + "9" * 5000 + "}", "at most 30 digits"),
}


@pytest.mark.parametrize("kind", JSON_FILES)
@pytest.mark.parametrize("command", ["check --plan", "restore"])
def test_json_no_reader_after_the_parser_can_hold_exits_2_with_one_line(
    command: str, kind: str, initialised: Path, tmp_path: Path
) -> None:
    text, reason = JSON_FILES[kind]
    path = str(_text(tmp_path / "file.json", text))
    _refused_with_one_line(command, path, reason, initialised, tmp_path)


def test_a_profile_with_a_thousands_of_digits_number_exits_2(tmp_path: Path) -> None:
    path = _text(tmp_path / "big.toml", "[athlete]\nbody_mass_kg = " + "9" * 5000 + "\n")
    result = _cli("plan", "--profile", str(path))
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "a whole number with thousands of digits" in result.stderr


def test_a_plan_file_that_starts_after_the_profiles_race_exits_2(tmp_path: Path) -> None:
    """The rules lay the plan's weeks out for the profile: a plan starting after its race (or
    of more weeks than a plan may hold) was an internal error (issue 13's trial)."""

    def later(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (
                    (date.fromisoformat(v) + timedelta(weeks=100)).isoformat()
                    if k in ("start", "date") and isinstance(v, str)
                    else later(v)
                )
                for k, v in value.items()
            }
        return [later(v) for v in value] if isinstance(value, list) else value

    made = _cli("plan", "--profile", str(MARATHON), "--format", "json")
    path = _text(tmp_path / "later.json", json.dumps(later(json.loads(made.stdout))))
    result = _cli("check", str(path), "--profile", str(MARATHON))
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "goal.race_date" in lines[0], lines


def _sets_as_text(document: dict[str, Any]) -> None:
    _first_exercise(document)["sets"] = str(_first_exercise(document)["sets"])


BROKEN_PLAN_DOCUMENTS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "weeks-not-a-list": (lambda d: d.update(weeks="x"), "weeks"),
    # The lenient reader took "3": the diary then used it as it was (export, today: 500s).
    "sets-as-text": (_sets_as_text, "sets"),
    "lone-surrogate": (
        lambda d: d["warnings"].append(
            {"rule": None, "week": 1, "date": None, "message": "\udc80"}
        ),
        "surrogate pair",
    ),
}


@pytest.mark.parametrize("case", BROKEN_PLAN_DOCUMENTS)
def test_a_backup_whose_plan_is_no_plan_is_refused_and_changes_nothing(
    case: str, initialised: Path, tmp_path: Path
) -> None:
    """A backup edited so that a stored plan is something else restored, and every command and
    page then stopped with an internal error (issue 13's trial): refused, naming the field."""
    change, words = BROKEN_PLAN_DOCUMENTS[case]
    backup = json.loads(_cli("export", "--format", "json", "--db", str(initialised)).stdout)
    plan = backup["athletes"][0]["plans"][0]
    document = json.loads(plan["document"])
    change(document)
    plan["document"] = json.dumps(document)
    path = _text(tmp_path / "backup.json", json.dumps(backup))
    database = tmp_path / "restored.sqlite"
    result = _cli("restore", str(path), "--db", str(database))
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "athletes.0.plans.0.document" in lines[0] and words in lines[0], lines[0]
    assert "Value error" not in lines[0]
    assert not database.exists()  # (a refused backup made an empty new database file)


# --- issue 14's crash list, one case each ------------------------------------------------

MARATHON = ROOT / "examples" / "marathon.toml"
HEEL_RAISE = ["assess", "heel-raise", "--left", "20", "--right", "22"]
OUT_OF_CALENDAR = "is out of range; allowed: a date (YYYY-MM-DD) from 1900-01-01 to 2100-12-31"

# (arguments, {db} where the diary goes, words the one line must hold)
CRASH_LIST = {
    "db-empty": (["today", "--db", ""], ["option --db", "is empty"]),
    "edit-and-delete": (
        ["log", "--edit", "1", "--delete", "2", "--db", "{db}"],
        ["--edit 1", "--delete 2", "give one of them"],
    ),
    "edit-id-too-big": (
        ["log", "--edit", "9223372036854775808", "--reps", "3", "--db", "{db}"],
        ["option --edit: 9223372036854775808 is out of range"],
    ),
    "log-year-1": (
        ["log", "pogo-hops", "--reps", "5", "--date", "0001-01-01", "--db", "{db}"],
        [f"option --date: 0001-01-01 {OUT_OF_CALENDAR}"],
    ),
    "log-year-9999": (
        ["log", "pogo-hops", "--reps", "5", "--date", "9999-01-01", "--db", "{db}"],
        [f"option --date: 9999-01-01 {OUT_OF_CALENDAR}"],
    ),
    "log-load-5000": (
        ["log", "pogo-hops", "--reps", "5", "--load", "5000", "--db", "{db}"],
        ["option --load: 5000 is out of range", "up to 1000 kg"],
    ),
    "log-load-1e19": (
        ["log", "pogo-hops", "--reps", "5", "--load", "1e19", "--db", "{db}"],
        ["option --load: '1e19' is not a load"],
    ),
    "log-load-400-digits": (
        ["log", "pogo-hops", "--reps", "5", "--load", "9" * 400, "--db", "{db}"],
        ["option --load:", "is out of range"],
    ),
    "log-rpe-nan": (
        ["log", "pogo-hops", "--reps", "5", "--rpe", "nan", "--db", "{db}"],
        ["option --rpe: nan is out of range; allowed: 1 to 10"],
    ),
    "checkin-year-9999": (
        ["checkin", "--pain-during", "3", "--date", "9999-01-01", "--db", "{db}"],
        [f"option --date: 9999-01-01 {OUT_OF_CALENDAR}"],
    ),
    "checkin-pain-huge": (
        ["checkin", "--pain-during", "99999999999999999999", "--db", "{db}"],
        ["option --pain-during: 99999999999999999999 is out of range; allowed: 0 to 10"],
    ),
    "assess-year-9999": (
        [*HEEL_RAISE, "--date", "9999-01-01", "--db", "{db}"],
        [f"option --date: 9999-01-01 {OUT_OF_CALENDAR}"],
    ),
    "assess-after-today": (
        [*HEEL_RAISE, "--date", "2026-12-25", "--db", "{db}"],
        ["option --date: 2026-12-25 is after today"],
    ),
    "assess-1rm-inf": (
        ["assess", "seated-1rm", "inf", "--db", "{db}"],
        ["1RM (kg): inf is out of range; allowed: above 0 up to 1000 (kg)"],
    ),
    "today-year-9999": (
        ["today", "--date", "9999-12-31", "--db", "{db}"],
        [f"option --date: 9999-12-31 {OUT_OF_CALENDAR}"],
    ),
    "explain-year-9999": (["explain", "9999-12-31", "--db", "{db}"], [OUT_OF_CALENDAR]),
    "plan-start-9999": (
        ["plan", "--profile", str(SAMPLE), "--start", "9999-12-27"],
        [f"option --start: 9999-12-27 {OUT_OF_CALENDAR}"],
    ),
    "plan-weeks-too-many": (
        ["plan", "--profile", str(SAMPLE), "--weeks", "5000"],
        ["option --weeks: 5000 is out of range"],
    ),
    "history-weeks-too-many": (
        ["history", "--weeks", "5000", "--db", "{db}"],
        ["option --weeks: 5000 is out of range; allowed: 1 to 1000"],
    ),
    "exercises-unknown-kit": (
        ["exercises", "--equipment", "bench,anvil"],
        ["option --equipment: 'anvil' is not allowed; allowed:", "bench"],
    ),
    "race-9999": (
        ["plan", "--profile", "{marathon-9999}"],
        ["field goal.race_date", "more than 156 weeks ahead"],
    ),
}


@pytest.mark.parametrize("case", CRASH_LIST)
def test_the_crash_list_exits_2_with_one_line_and_changes_nothing(
    case: str, initialised: Path, tmp_path: Path
) -> None:
    args, words = CRASH_LIST[case]
    database = _copy(initialised, tmp_path / "crash.sqlite")
    race = tmp_path / "marathon.toml"
    race.write_text(re.sub(r"race_date = \S+", "race_date = 9999-12-31", MARATHON.read_text()))
    filled = [
        arg.replace("{db}", str(database)).replace("{marathon-9999}", str(race)) for arg in args
    ]
    before = _stored(database)
    result = _cli(*filled)
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("calfcoach: error: "), result.stderr
    assert all(word in lines[0] for word in words), lines[0]
    assert "birth" not in lines[0]  # a date is refused as a date, not by the profile
    assert _stored(database) == before


# --- profile and plan files: strict types (pydantic's lax mode took them, issue 14) ------


def _plan_with(change: Callable[[dict[str, Any]], None], folder: Path) -> Path:
    made = _cli("plan", "--profile", str(MARATHON), "--format", "json")
    assert made.returncode == 0, made.stderr
    document = json.loads(made.stdout)
    change(document)
    path = folder / "plan.json"
    path.write_text(json.dumps(document))
    return path


def _first_exercise(document: dict[str, Any]) -> dict[str, Any]:
    for week in document["weeks"]:
        for day in week["days"]:
            for session in day["sessions"]:
                if session["exercises"]:
                    return session["exercises"][0]  # type: ignore[no-any-return]
    raise AssertionError("the sample plan holds exercises")


PLAN_FILES: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "distance-42k": (
        lambda d: d["race"].update(distance="42k"),
        ["field race.distance: '42k' is not allowed; allowed: 5k, 10k, half, marathon"],
    ),
    "format-true": (
        lambda d: d.update(calfcoach_plan=True),
        ["field calfcoach_plan", "allowed: 1"],
    ),
    "reps-as-text": (
        lambda d: _first_exercise(d).update(reps="10"),
        [".reps: '10' is not a whole number; allowed: a whole number"],
    ),
    "reps-10e18": (lambda d: _first_exercise(d).update(reps=10**18), [".reps:", "out of range"]),
    "load-nan": (
        lambda d: _first_exercise(d).update(load_kg=math.nan),
        [".load_kg: nan is out of range"],
    ),
    "deload-as-1": (
        lambda d: d["weeks"][0].update(deload=1),
        ["field weeks[0].deload: 1 is not true or false"],
    ),
    "body-mass-as-text": (
        lambda d: d["athlete"].update(body_mass_kg="68"),
        ["field athlete.body_mass_kg: '68' is not a number"],
    ),
}


@pytest.mark.parametrize("case", PLAN_FILES)
def test_a_plan_file_of_the_wrong_types_is_refused_before_the_rules(
    case: str, tmp_path: Path
) -> None:
    change, words = PLAN_FILES[case]
    path = _plan_with(change, tmp_path)
    result = _cli("check", str(path), "--profile", str(MARATHON))
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], result.stderr
    assert all(word in lines[0] for word in words), lines[0]


PROFILE_FILES = {
    "body-mass-as-text": (
        ("body_mass_kg = 68", 'body_mass_kg = "68"'),
        "field athlete.body_mass_kg: '68' is not a number; allowed: a number from 30 to 250",
    ),
    "sessions-as-text": (
        ("sessions_per_week = 2", 'sessions_per_week = "2"'),
        "field strength.sessions_per_week: '2' is not a whole number; allowed: 1, 2, 3, 4",
    ),
    "pain-as-boolean": (
        ("pain_now = 0", "pain_now = true"),
        "field health.pain_now: True is not a whole number; allowed: a whole number from 0",
    ),
    "birth-year-as-float": (
        ("birth_year = 1990", "birth_year = 1990.0"),
        "field athlete.birth_year: 1990.0 is not a whole number",
    ),
}


@pytest.mark.parametrize("case", PROFILE_FILES)
def test_a_profile_of_the_wrong_types_is_refused(case: str, tmp_path: Path) -> None:
    (old, new), words = PROFILE_FILES[case]
    text = SAMPLE.read_text()
    assert old in text
    path = tmp_path / "me.toml"
    path.write_text(text.replace(old, new))
    result = _cli("plan", "--profile", str(path))
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0], result.stderr


# --- the web app: never a 500 for a request it can reject ---------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    from calfcoach.services import context
    from calfcoach.web.app import WebSettings, create_app

    settings = WebSettings(context.open_database(str(tmp_path / "web.sqlite")), lambda: TODAY)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        made = client.post(
            "/api/v1/athletes", json={"profile_toml": SAMPLE.read_text(), "start": "2026-11-30"}
        )
        assert made.status_code == 201, made.text
        yield client


WEB_DATES = [
    "/today?date=9999-12-31",
    "/week?date=9999-12-31",
    "/explain?date=9999-12-31",
    "/today?date=0001-01-01",
    "/api/v1/today?date=9999-12-31",
    "/api/v1/today?date=0001-01-01",
    "/api/v1/sets?from=0001-01-01",
]


@pytest.mark.parametrize("path", WEB_DATES)
def test_dates_out_of_the_calendar_are_422_on_pages_and_api(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 422, response.text[:300]
    assert "1900-01-01 to 2100-12-31" in response.text and "birth" not in response.text
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid_input"


WEB_BODIES: dict[str, tuple[str, str, dict[str, Any], str, str]] = {
    # case: (method, path, JSON body, field, words of the message)
    "set-year-9999": (
        "POST",
        "/api/v1/sets",
        {"date": "9999-01-01", "exercise": "pogo-hops", "reps": 3},
        "date",
        "9999-01-01 is out of range",
    ),
    "reps-as-text": (
        "POST",
        "/api/v1/sets",
        {"date": "2026-11-24", "exercise": "pogo-hops", "reps": "3"},
        "reps",
        "'3' is not a whole number; allowed: 0 to 500",
    ),
    "load-over-limit": (
        "POST",
        "/api/v1/sets",
        {"date": "2026-11-24", "exercise": "pogo-hops", "reps": 3, "load_kg": 5000},
        "load_kg",
        "5000 is out of range; allowed: 0 to 1000 (kg)",
    ),
    "pain-as-boolean": (
        "POST",
        "/api/v1/checkins",
        {"date": "2026-11-24", "pain_during": True},
        "pain_during",
        "True is not a whole number; allowed: 0 to 10",
    ),
    "checkin-year-1": (
        "POST",
        "/api/v1/checkins",
        {"date": "0001-01-01", "pain_during": 3},
        "date",
        "0001-01-01 is out of range",
    ),
    "heel-raise-after-today": (
        "POST",
        "/api/v1/assessments/heel-raise",
        {"date": "2026-12-25", "left": 20, "right": 22},
        "date",
        "2026-12-25 is after today",
    ),
    "seated-1rm-zero": (
        "POST",
        "/api/v1/assessments/seated-1rm",
        {"date": "2026-11-24", "value_kg": 0},
        "value_kg",
        "0 is out of range; allowed: above 0 up to 1000 (kg)",
    ),
    "profile-nested-5000": (
        "POST",
        "/api/v1/athletes",
        {"profile_toml": "a = " + "[" * 5000 + "]" * 5000},
        "",
        "nested too deep",
    ),
    "set-id-too-big": ("PATCH", "/api/v1/sets/9223372036854775808", {"reps": 3}, "", "out of"),
}


@pytest.mark.parametrize("case", WEB_BODIES)
def test_hostile_api_bodies_are_422_with_one_line(web: TestClient, case: str) -> None:
    method, path, body, field, words = WEB_BODIES[case]
    response = web.request(method, path, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and words in error["message"], error
    if field:
        assert error["field"] == field
    assert web.get("/api/v1/sets").json() == []  # nothing stored


def test_no_body_at_all_says_which_object_is_wanted(web: TestClient) -> None:
    """It said "request: is missing; allowed: Field required" (pydantic's words; the trial)."""
    response = web.post("/api/v1/checkins")
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.startswith("request: the JSON body is missing; allowed: a JSON object with")
    assert "pain_during" in message and "Field required" not in message


def test_a_json_body_nested_5000_deep_is_refused_not_a_500(web: TestClient) -> None:
    deep = b"[" * 5000 + b"]" * 5000
    response = web.post(
        "/api/v1/checkins", content=deep, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500, response.text


def test_a_405_says_which_methods_are_allowed(web: TestClient) -> None:
    api = web.delete("/api/v1/athletes")
    assert api.status_code == 405 and "GET" in api.headers["allow"]
    assert api.json()["error"]["code"] == "method_not_allowed"
    page = web.put("/today")
    assert page.status_code == 405 and "GET" in page.headers["allow"]


def test_a_chunked_body_over_the_cap_is_413(web: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the size shows only while reading
        for _ in range(400):
            yield b" " * 1024

    response = web.post(
        "/api/v1/athletes", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "too_large"
