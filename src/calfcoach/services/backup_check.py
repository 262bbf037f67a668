"""Restore's check of a backup's records with the rules of the commands that make them: each
set as `log` takes it, each check-in as `checkin`, each test as `assess` (the models of
core.inputs, their limits in core.limits), a set's exercise in the catalog, none of them
after today, and each athlete's profile as the diary reads it back (core.profile).

A hand-edited backup passed the backup format's own checks and restored a diary that every
command then refused ("stored profile of Pat ... is out of range") or showed as nonsense
("inf lb × 0", "also logged: #3 moon-hops", sets dated years ahead): issue 13's trial.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from calfcoach.errors import FieldError, InputError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from calfcoach.services.backup_format import (
        AssessmentBackup,
        AssessmentRow,
        AthleteBackup,
        AthleteRows,
        BackupDocument,
        BackupDocumentV2,
        CheckInBackup,
        CheckInRow,
        SetBackup,
        SetRow,
    )

# A model's field by its name in a backup record, where the two differ.
_MODEL_NAMES = {"day": "date", "left_reps": "left", "right_reps": "right"}
_BACKUP_NAMES = {model: backup for backup, model in _MODEL_NAMES.items()}
# The fields of a test of each kind, by their names in a backup record.
_TEST_FIELDS = {
    "heel_raise": ("day", "left_reps", "right_reps", "pain"),
    "hop": ("day", "pain"),
    "seated_1rm": ("day", "value_kg"),
}


def check_records(backup: BackupDocument | BackupDocumentV2, source: str, today: date) -> None:
    """:raises InputError: the first record that `init`, `log`, `checkin` or `assess` would
    refuse, as one line: the file ``source``, the field's path in it, the line of a profile
    where known, and what is allowed."""
    from calfcoach.core.inputs import (
        ALLOWED,
        CheckInInput,
        HeelRaiseInput,
        HopInput,
        SeatedInput,
        SetInput,
    )
    from calfcoach.core.limits import ONE_RM_KG
    from calfcoach.core.profile import ProfileError
    from calfcoach.data import default_catalog
    from calfcoach.services.context import parse_stored_profile

    catalog = default_catalog()
    tests: dict[str, type[BaseModel]] = {
        "heel_raise": HeelRaiseInput,
        "hop": HopInput,
        "seated_1rm": SeatedInput,
    }
    athletes: Sequence[AthleteBackup | AthleteRows] = backup.athletes  # (either version)
    for i, athlete in enumerate(athletes):
        where = f"athletes.{i}"
        sets: Sequence[SetBackup | SetRow] = athlete.sets
        for j, s in enumerate(sets):
            path = f"{where}.sets.{j}"
            values = {
                "day": s.day,
                "exercise": s.exercise,
                "reps": s.reps,
                "load_kg": s.load_kg,
                "rpe": s.rpe,
                "side": s.side,
                "hold_s": s.hold_s,
            }
            _check(source, path, SetInput, values)
            if s.exercise not in catalog:
                raise _refusal(
                    source,
                    f"{path}.exercise",
                    f"{s.exercise!r} is not in the catalog",
                    ALLOWED["exercise"],
                )
            _not_after(source, path, s.day, today)
        checkins: Sequence[CheckInBackup | CheckInRow] = athlete.checkins
        for j, c in enumerate(checkins):
            path = f"{where}.checkins.{j}"
            values = {
                "day": c.day,
                "pain_during": c.pain_during,
                "pain_next_morning": c.pain_next_morning,
                "pain_before": c.pain_before,
                "red_flag": c.red_flag,
                "cleared_by_clinician": c.cleared_by_clinician,
            }
            _check(source, path, CheckInInput, values)
            _not_after(source, path, c.day, today)
        assessments: Sequence[AssessmentBackup | AssessmentRow] = athlete.assessments
        for j, t in enumerate(assessments):
            path = f"{where}.assessments.{j}"
            given = {
                "day": t.day,
                "left_reps": t.left_reps,
                "right_reps": t.right_reps,
                "value_kg": t.value_kg,
                "pain": t.pain,
            }
            fields = _TEST_FIELDS[t.kind]
            other = next((f for f in given if f not in fields and given[f] is not None), None)
            if other is not None:
                # `assess` stores none (a hop test with reps would be shown as a heel raise's).
                raise _refusal(
                    source,
                    f"{path}.{other}",
                    f"is not a field of a {t.kind} test",
                    f"{', '.join(fields)} (or null)",
                )
            _check(source, path, tests[t.kind], given)
            if t.kind == "seated_1rm" and t.value_kg is None:
                # (`assess seated-1rm` without a value stores its estimate, never nothing.)
                raise _refusal(source, f"{path}.value_kg", "is missing", ONE_RM_KG.allowed())
            _not_after(source, path, t.day, today)
        try:
            parse_stored_profile(
                athlete.profile_toml,
                f"{source}: {where}.profile_toml (the profile of {athlete.name})",
                today,
            )
        except ProfileError as exc:
            raise InputError(exc.one_line(), f"{where}.profile_toml") from None


def _check(source: str, path: str, model: type[BaseModel], values: dict[str, Any]) -> None:
    """``values`` (named as in a backup record; None: not given) as ``model`` takes them."""
    from calfcoach.core.inputs import InvalidInput, validated

    try:
        validated(model, **{_MODEL_NAMES.get(k, k): v for k, v in values.items() if v is not None})
    except InvalidInput as exc:
        field = _BACKUP_NAMES.get(exc.field, exc.field)
        raise _refusal(source, f"{path}.{field}", exc.problem, exc.allowed) from None


# How far a diary's day may be ahead of the restoring machine's: the web app dates sets and
# check-ins by the browser's day (web.clock), and time zones span 26 hours (UTC−12 to UTC+14),
# so a club server's backup may hold a phone's "today" two dates ahead of another machine's.
_ZONES_AHEAD = timedelta(days=2)


def _not_after(source: str, path: str, day: date, today: date) -> None:
    """As `log`, `checkin` and `assess`: a set, a check-in or a test is done, not planned (up
    to the span of the time zones ahead: a review found a phone's day refused)."""
    from calfcoach.services.inputs import check_day

    try:
        check_day(day, "day")
    except FieldError as exc:
        raise _refusal(source, f"{path}.day", exc.problem, exc.allowed) from None
    if day > today + _ZONES_AHEAD:
        ahead = f"today, or up to {(today + _ZONES_AHEAD).isoformat()} (a time zone ahead)"
        raise _refusal(source, f"{path}.day", f"{day} is after today ({today})", ahead)


def _refusal(source: str, path: str, problem: str, allowed: str) -> InputError:
    return InputError(f"{source}: field {path}: {problem}; allowed: {allowed}", path)
