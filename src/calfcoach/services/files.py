"""Reading the user's files: one clear line (the file, the problem, what is allowed) instead of
an OSError or a decoding traceback. Light on imports, so every command can use it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from calfcoach.errors import InputError


def read_text(path: Path, what: str) -> str:
    """The file's text. :raises InputError: missing, a folder, unreadable or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a {what} file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot read the {what} file (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: the {what} file is not UTF-8 text (byte {exc.start}); allowed: "
            "a UTF-8 text file"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} file ({exc.strerror})") from None


def read_json(path: Path, what: str, written_by: str) -> Any:
    """The parsed JSON of a file. :raises InputError: unreadable or not JSON (with the line)."""
    text = read_text(path, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}, line {exc.lineno}: not valid JSON ({exc.msg}); allowed: a {what} "
            f"written by `{written_by}`"
        ) from None
