"""The backup document (``calfcoach export --format json``): written from the rows of every
table, validated on restore, and turned back into those rows.

Version 2 holds every table a user would miss, every column, ids included (set ids, run ids
and batch numbers are what `log --edit`, `runs` and `import --undo` name), so a restored
database equals the original row for row. Version 1 (athletes, plans, sets, check-ins and
assessments, without ids or the sets' times) still restores: its rows get fresh ids in
document order, and its rows' creation times are the time of the restore.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from calfcoach.core.inputs import (
    Day,
    HeelRaiseReps,
    HoldS,
    LoadKg,
    OneRmKg,
    Pain,
    Reps,
    Rpe,
    describe,
)
from calfcoach.core.log import Assessment
from calfcoach.errors import InputError
from calfcoach.services.backup_access import AccessBackup, access_document, access_rows
from calfcoach.services.backup_club import ClubDefaultsBackup, club_document, club_rows

BACKUP_FORMAT_VERSION = 2
MAX_ID = 2**63 - 1

RowId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Count = Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
# Measures of a run: finite (a backup never holds Infinity or NaN), any sign as stored.
Measure = Annotated[StrictFloat, Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    # Finite numbers only: a backup never holds Infinity or NaN.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _a_plan_document(text: str) -> str:
    """A stored plan's JSON, checked as the diary reads it back: a backup whose plan was
    edited into something else restored, and every command and page then stopped with an
    internal error (issue 13's trial)."""
    import json

    from calfcoach.core.plan import plan_from_dict
    from calfcoach.services.files import holds_lone_surrogate

    try:
        document = json.loads(text, parse_int=_stored_integer)
    except RecursionError:
        raise ValueError("the plan document nests too deep") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"the plan document is not JSON ({exc.msg})") from None
    if holds_lone_surrogate(document):
        raise ValueError("the plan document holds half of a UTF-16 surrogate pair")
    # Strict, as a plan file is read: the diary uses the stored document as it is, and a "3"
    # for sets restored, then stopped `export` and `today` with internal errors (review).
    plan_from_dict(document, strict=True)
    return text


def _stored_integer(digits: str) -> int:
    if len(digits.lstrip("-")) > 30:  # (as services.files.read_json: int() has a limit)
        raise ValueError(f"the plan document holds a whole number of {len(digits)} digits")
    return int(digits)


# A plan as the diary stores it: its JSON document (core.plan's contract).
PlanDocument = Annotated[StrictStr, AfterValidator(_a_plan_document)]


# --- Version 1 (read only) ---------------------------------------------------------------
# Lax, as it always was. What a person enters (reps, loads, pain, ...) is checked after this,
# for both versions, with the models log, checkin and assess use (services.backup_check).


class PlanBackup(_Strict):
    created_at: datetime
    start: date
    current: bool
    document: PlanDocument


class SetBackup(_Strict):
    day: date
    exercise: str = Field(min_length=1, max_length=80)
    set: int = Field(ge=1)
    reps: int
    load_kg: float
    rpe: float | None = None
    side: Literal["left", "right"] | None = None
    hold_s: int | None = None


class CheckInBackup(_Strict):
    day: date
    pain_during: int
    pain_next_morning: int | None = None
    # Added with migration 0006; backups written before it have none of them.
    pain_before: int | None = None
    red_flag: Literal["sudden_pop", "swelling", "night_pain", "calf_swelling_redness"] | None = None
    cleared_by_clinician: bool = False


class AssessmentBackup(_Strict):
    day: date
    kind: Literal["heel_raise", "seated_1rm", "hop"]
    left_reps: int | None = None
    right_reps: int | None = None
    # (Checked against the 1RM limit of core.limits: a restored 9,000 kg set every seated
    # load, a review.)
    value_kg: float | None = None
    # Added with migration 0008; backups written before it have none.
    pain: int | None = None

    def to_core(self) -> Assessment:
        return Assessment(
            None, self.day, self.kind, self.left_reps, self.right_reps, self.value_kg, self.pain
        )


class AthleteBackup(_Strict):
    name: str = Field(min_length=1, max_length=100)
    profile_toml: str
    created_at: datetime
    plans: list[PlanBackup]
    sets: list[SetBackup]
    checkins: list[CheckInBackup]
    assessments: list[AssessmentBackup]


class BackupDocument(_Strict):
    calfcoach_backup: Literal[1]
    athletes: list[AthleteBackup]


# --- Version 2 ---------------------------------------------------------------------------
# What a person enters has the types of core.inputs (its limits, defined once in core.limits);
# services.backup_check then checks each row with the models log, checkin and assess use.


class PlanRow(_Strict):
    id: RowId
    created_at: datetime
    start: date
    current: StrictBool
    document: PlanDocument


class SetRow(_Strict):
    id: RowId
    day: Day
    exercise: StrictStr = Field(min_length=1, max_length=80)
    set: StrictInt = Field(ge=1, le=10_000)
    reps: Reps
    load_kg: LoadKg
    rpe: Rpe | None
    side: Literal["left", "right"] | None
    hold_s: HoldS | None
    created_at: datetime
    # Added with migration 0005 (the web app's idempotency key); optional for readers.
    client_id: StrictStr | None = Field(default=None, max_length=36)
    client_updated_at: datetime | None = None


class CheckInRow(_Strict):
    id: RowId
    day: Day
    pain_during: Pain
    pain_next_morning: Pain | None
    created_at: datetime
    # Added with migration 0006 (DOMAIN.md §6); optional for readers.
    pain_before: Pain | None = None
    red_flag: Literal["sudden_pop", "swelling", "night_pain", "calf_swelling_redness"] | None = None
    cleared_by_clinician: StrictBool = False


class AssessmentRow(_Strict):
    id: RowId
    day: Day
    kind: Literal["heel_raise", "seated_1rm", "hop"]
    left_reps: HeelRaiseReps | None
    right_reps: HeelRaiseReps | None
    value_kg: OneRmKg | None
    # Added with migration 0008 (pain during a heel-raise or hop test); optional for readers.
    pain: Pain | None = None
    created_at: datetime


class RunRow(_Strict):
    id: RowId
    start: datetime
    utc_offset_s: StrictInt | None = Field(ge=-86_400, le=86_400)
    sport: StrictStr = Field(min_length=1, max_length=40)
    sub_sport: StrictStr | None = Field(max_length=40)
    distance_m: Measure | None
    elapsed_s: Measure | None
    moving_s: Measure | None
    ascent_m: Measure | None
    avg_hr: Measure | None
    avg_cadence: Measure | None
    name: StrictStr | None = Field(max_length=200)
    intervals: StrictBool
    source: StrictStr
    sha256: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")
    # Added with migration 0007: a damaged file's run kept from what could be read.
    recovered: StrictBool = False


class ImportBatchRow(_Strict):
    id: RowId
    created_at: datetime
    sources: StrictStr
    files: Count
    added: Count
    failed: Count
    runs: list[RunRow]


class CalendarFeedRow(_Strict):
    id: RowId
    token: StrictStr = Field(min_length=1, max_length=64)
    created_at: datetime
    revoked_at: datetime | None


class CalendarEventRow(_Strict):
    id: RowId
    uid: StrictStr = Field(min_length=1, max_length=200)
    day: date
    sequence: StrictInt = Field(ge=0, le=2**31 - 1)
    digest: StrictStr = Field(min_length=1, max_length=64)
    cancelled: StrictBool
    summary: StrictStr


class AthleteRows(_Strict):
    id: RowId
    name: StrictStr = Field(min_length=1, max_length=100)
    profile_toml: StrictStr
    created_at: datetime
    plans: list[PlanRow]
    sets: list[SetRow]
    checkins: list[CheckInRow]
    assessments: list[AssessmentRow]
    import_batches: list[ImportBatchRow]
    calendar_feeds: list[CalendarFeedRow]
    calendar_events: list[CalendarEventRow]


class BackupDocumentV2(_Strict):
    calfcoach_backup: Literal[2]
    athletes: list[AthleteRows]
    # Added with migration 0009 (issue 16): accounts, grants and the audit trail.
    access: AccessBackup | None = None
    # Added with migration 0010 (issue 16): the club's defaults.
    club: ClubDefaultsBackup | None = None

    @model_validator(mode="after")
    def _ids_unique(self) -> BackupDocumentV2:
        """Ids are unique per table across the whole document (they are the rows' ids)."""
        for table, rows in rows_of(self).items():
            seen: set[int] = set()
            for row in rows:
                if row["id"] in seen:
                    raise ValueError(f"{table}: id {row['id']} appears twice")
                seen.add(row["id"])
        return self


def read_backup(document: Any, source: str) -> BackupDocument | BackupDocumentV2:
    """:raises InputError: not a calfcoach backup, or a bad value, naming its path."""
    if not isinstance(document, dict) or "calfcoach_backup" not in document:
        raise InputError(
            f"{source}: not a calfcoach backup; allowed: a file written by "
            "`calfcoach export --format json`"
        )
    version = document["calfcoach_backup"]
    model: type[BackupDocument] | type[BackupDocumentV2]
    if version == 1 and not isinstance(version, bool):
        model = BackupDocument
    elif version == 2 and not isinstance(version, bool):
        model = BackupDocumentV2
    else:
        raise InputError(
            f"{source}: field calfcoach_backup: {version!r} is not a backup version this "
            "calfcoach knows; allowed: 1, 2",
            "calfcoach_backup",
        )
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = ".".join(str(p) for p in error["loc"])
        problem, allowed = _worded(error)
        where = f"field {path}: " if path else ""
        raise InputError(f"{source}: {where}{problem}; allowed: {allowed}", path or None) from None


# What a backup's value may be, when nothing more precise is known: the README's one line
# says what is allowed, never the validation library's words (issue 13's trial).
_AS_EXPORTED = "what `calfcoach export --format json` writes"
# What is allowed where the document's own checks (a ValueError of a validator) refuse.
_CHECK_ALLOWED = {
    "document": "a plan as calfcoach stores it (see `calfcoach plan --format json`)",
    "equipment": "a JSON list as text",
    "preferred_days": "a JSON list as text",
    "equipment_loads": "a JSON object as text",
    "": "each id once in each table",
}
# Kinds of error core.inputs.describe does not word (its inputs hold no lists, times or
# patterns): the problem, and what is allowed.
_TYPE_WORDS = {
    "list_type": ("is not a list", "a list"),
    "datetime_type": ("is not a time", "a time as YYYY-MM-DDTHH:MM:SS+00:00"),
    "datetime_parsing": ("is not a time", "a time as YYYY-MM-DDTHH:MM:SS+00:00"),
    "datetime_from_date_parsing": ("is not a time", "a time as YYYY-MM-DDTHH:MM:SS+00:00"),
    "string_type": ("is not text", "text"),
    "string_pattern_mismatch": ("is not allowed", "64 hexadecimal digits (0-9, a-f)"),
}
# A backup's field by its name in core.inputs, where the two differ (for its ALLOWED words);
# "value": a field of another meaning under an input's name (an athlete's list of sets, the
# club's equipment as JSON text), worded without the input's ALLOWED.
_INPUT_NAMES = {"left_reps": "left", "right_reps": "right", "sets": "value", "equipment": "value"}


def _worded(error: Any) -> tuple[str, str]:
    """A pydantic error of the backup's models as the problem and what is allowed, in the
    words the input models' refusals use (core.inputs.describe)."""
    from calfcoach.core.limits import DAYS_ALLOWED

    kind = str(error["type"])
    message = str(error["msg"])
    loc = tuple(error["loc"])
    top = str(loc[-1]) if loc and not isinstance(loc[-1], int) else ""
    described = describe(
        {**error, "loc": (*loc[:-1], _INPUT_NAMES.get(top, top))} if top else error
    )
    problem, allowed = described.problem, described.allowed
    raw = error.get("input")
    if kind == "value_error" and allowed != DAYS_ALLOWED:
        # The document's own checks (a plan document, an id twice, a club row's JSON), worded
        # where they are raised.
        return message.removeprefix("Value error, "), _CHECK_ALLOWED.get(top, _AS_EXPORTED)
    fallback = _AS_EXPORTED
    if kind in _TYPE_WORDS:
        words, allowed = _TYPE_WORDS[kind]
        problem = f"{_shown(raw)} {words}"
    elif kind == "literal_error":
        fallback = str((error.get("ctx") or {}).get("expected", _AS_EXPORTED))
    elif kind == "extra_forbidden":
        allowed = "the fields `calfcoach export --format json` writes"
    if message in problem:  # describe() fell back on pydantic's words
        problem = f"{_shown(raw)} is not allowed"
    if not allowed or allowed == message:
        allowed = fallback
    return problem, allowed


def _shown(value: Any) -> str:
    """A refused value as a refusal echoes it: quoted, and never a 400-character one whole."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:16]}…{text[-8:]} ({len(text)} characters)"


# --- Rows to the document and back -------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else _utc(moment).isoformat()


def _by(rows: list[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def backup_document(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The version 2 document of every table's rows (BackupRepository.rows, in id order)."""
    plans = _by(tables["plans"], "athlete_id")
    sets = _by(tables["set_logs"], "athlete_id")
    checkins = _by(tables["checkins"], "athlete_id")
    assessments = _by(tables["assessments"], "athlete_id")
    batches = _by(tables["import_batches"], "athlete_id")
    runs = _by(tables["runs"], "batch_id")
    feeds = _by(tables["calendar_feeds"], "athlete_id")
    events = _by(tables["calendar_events"], "athlete_id")
    athletes_out = []
    for a in tables["athletes"]:
        athlete_id = a["id"]
        athletes_out.append(
            {
                "id": athlete_id,
                "name": a["name"],
                "profile_toml": a["profile_toml"],
                "created_at": _iso(a["created_at"]),
                "plans": [
                    {
                        "id": p["id"],
                        "created_at": _iso(p["created_at"]),
                        "start": p["start"].isoformat(),
                        "current": bool(p["current"]),
                        "document": p["document"],
                    }
                    for p in plans[athlete_id]
                ],
                "sets": [
                    {
                        "id": s["id"],
                        "day": s["day"].isoformat(),
                        "exercise": s["exercise"],
                        "set": s["set_number"],
                        "reps": s["reps"],
                        "load_kg": s["load_kg"],
                        "rpe": s["rpe"],
                        "side": s["side"],
                        "hold_s": s["hold_s"],
                        "created_at": _iso(s["created_at"]),
                        "client_id": s["client_id"],
                        "client_updated_at": _iso(s["client_updated_at"]),
                    }
                    for s in sets[athlete_id]
                ],
                "checkins": [
                    {
                        "id": c["id"],
                        "day": c["day"].isoformat(),
                        "pain_during": c["pain_during"],
                        "pain_next_morning": c["pain_next_morning"],
                        "created_at": _iso(c["created_at"]),
                        "pain_before": c["pain_before"],
                        "red_flag": c["red_flag"],
                        "cleared_by_clinician": bool(c["cleared_by_clinician"]),
                    }
                    for c in checkins[athlete_id]
                ],
                "assessments": [
                    {
                        "id": t["id"],
                        "day": t["day"].isoformat(),
                        "kind": t["kind"],
                        "left_reps": t["left_reps"],
                        "right_reps": t["right_reps"],
                        "value_kg": t["value_kg"],
                        "pain": t["pain"],
                        "created_at": _iso(t["created_at"]),
                    }
                    for t in assessments[athlete_id]
                ],
                "import_batches": [
                    {
                        "id": b["id"],
                        "created_at": _iso(b["created_at"]),
                        "sources": b["sources"],
                        "files": b["files"],
                        "added": b["added"],
                        "failed": b["failed"],
                        "runs": [_run_out(r) for r in runs[b["id"]]],
                    }
                    for b in batches[athlete_id]
                ],
                "calendar_feeds": [
                    {
                        "id": f["id"],
                        "token": f["token"],
                        "created_at": _iso(f["created_at"]),
                        "revoked_at": _iso(f["revoked_at"]),
                    }
                    for f in feeds[athlete_id]
                ],
                "calendar_events": [
                    {
                        "id": e["id"],
                        "uid": e["uid"],
                        "day": e["day"].isoformat(),
                        "sequence": e["sequence"],
                        "digest": e["digest"],
                        "cancelled": bool(e["cancelled"]),
                        "summary": e["summary"],
                    }
                    for e in events[athlete_id]
                ],
            }
        )
    document: dict[str, Any] = {"calfcoach_backup": BACKUP_FORMAT_VERSION, "athletes": athletes_out}
    access = access_document(tables)
    if access is not None:
        document["access"] = access
    club = club_document(tables)
    if club is not None:
        document["club"] = club
    return document


_RUN_COLUMNS = (
    "id",
    "utc_offset_s",
    "sport",
    "sub_sport",
    "distance_m",
    "elapsed_s",
    "moving_s",
    "ascent_m",
    "avg_hr",
    "avg_cadence",
    "name",
    "source",
    "sha256",
)


def _run_out(row: dict[str, Any]) -> dict[str, Any]:
    out = {column: row[column] for column in _RUN_COLUMNS}
    out["start"] = _iso(row["start"])
    out["intervals"] = bool(row["intervals"])
    out["recovered"] = bool(row["recovered"])
    return out


def rows_of(backup: BackupDocument | BackupDocumentV2) -> dict[str, list[dict[str, Any]]]:
    """The rows to insert into each table (by name), ids and links included, parents first.

    Version 1 rows get ids in document order and the restore's time as their creation time;
    a set number taken twice (concurrent loggers on PostgreSQL before revision 0004) moves to
    the next free number of that exercise and day, so no set is lost.
    """
    if isinstance(backup, BackupDocument):
        return _rows_of_v1(backup)
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in backup.athletes:
        tables["athletes"].append(
            {
                "id": a.id,
                "name": a.name,
                "profile_toml": a.profile_toml,
                "created_at": _utc(a.created_at),
            }
        )
        link = {"athlete_id": a.id}
        for p in a.plans:
            tables["plans"].append({**p.model_dump(), **link, "created_at": _utc(p.created_at)})
        for s in a.sets:
            row = s.model_dump()
            row["set_number"] = row.pop("set")
            updated = s.client_updated_at
            row["client_updated_at"] = None if updated is None else _utc(updated)
            tables["set_logs"].append({**row, **link, "created_at": _utc(s.created_at)})
        for c in a.checkins:
            tables["checkins"].append({**c.model_dump(), **link, "created_at": _utc(c.created_at)})
        for t in a.assessments:
            tables["assessments"].append(
                {**t.model_dump(), **link, "created_at": _utc(t.created_at)}
            )
        for b in a.import_batches:
            batch = b.model_dump(exclude={"runs"})
            tables["import_batches"].append({**batch, **link, "created_at": _utc(b.created_at)})
            for r in b.runs:
                tables["runs"].append(
                    {**r.model_dump(), **link, "batch_id": b.id, "start": _utc(r.start)}
                )
        for f in a.calendar_feeds:
            tables["calendar_feeds"].append(
                {
                    **f.model_dump(),
                    **link,
                    "created_at": _utc(f.created_at),
                    "revoked_at": None if f.revoked_at is None else _utc(f.revoked_at),
                }
            )
        for e in a.calendar_events:
            tables["calendar_events"].append({**e.model_dump(), **link})
    tables["set_logs"] = renumber_duplicate_sets(tables["set_logs"])
    tables.update(access_rows(backup.access))
    tables.update(club_rows(backup.club))
    return dict(tables)


def _rows_of_v1(backup: BackupDocument) -> dict[str, list[dict[str, Any]]]:
    now = datetime.now(UTC)
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for athlete_id, a in enumerate(backup.athletes, start=1):
        tables["athletes"].append(
            {
                "id": athlete_id,
                "name": a.name,
                "profile_toml": a.profile_toml,
                "created_at": _utc(a.created_at),
            }
        )
        link = {"athlete_id": athlete_id}
        for p in a.plans:
            row = {**p.model_dump(), **link, "created_at": _utc(p.created_at)}
            tables["plans"].append({"id": len(tables["plans"]) + 1, **row})
        for s in a.sets:
            row = s.model_dump()
            row["set_number"] = row.pop("set")
            tables["set_logs"].append(
                {"id": len(tables["set_logs"]) + 1, **row, **link, "created_at": now}
            )
        for c in a.checkins:
            tables["checkins"].append(
                {"id": len(tables["checkins"]) + 1, **c.model_dump(), **link, "created_at": now}
            )
        for t in a.assessments:
            tables["assessments"].append(
                {"id": len(tables["assessments"]) + 1, **t.model_dump(), **link, "created_at": now}
            )
    tables["set_logs"] = renumber_duplicate_sets(tables["set_logs"])
    return dict(tables)


def renumber_duplicate_sets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set rows with each (athlete, day, exercise, side, number) once: a later row (by id)
    with a number taken moves to the next free number of its exercise and day."""
    numbers: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for row in rows:
        numbers[_set_key(row)].add(row["set_number"])
    seen: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    out = []
    for row in sorted(rows, key=lambda r: r["id"]):
        key = _set_key(row)
        if row["set_number"] in seen[key]:
            number = max(numbers[key]) + 1
            numbers[key].add(number)
            row = {**row, "set_number": number}
        seen[key].add(row["set_number"])
        out.append(row)
    return out


def _set_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["athlete_id"], row["day"], row["exercise"], row["side"] or "")
