"""Reading the user's files: one clear line (the file, the problem, what is allowed) instead of
an OSError or a decoding traceback. Light on imports, so every command can use it.

Only regular files are read, and at most MAX_FILE_BYTES of them: `plan --profile /dev/zero`
or a FIFO would otherwise read (or wait) forever. Text nested deeper than MAX_NESTING brackets
is refused before any parser sees it: the TOML and JSON parsers recurse once per level and
would stop with a RecursionError (a 5,000-deep file), while real profiles, plans and backups
nest a few levels.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from calfcoach.errors import InputError

# A profile is about 2 KB, a plan of a year about 1 MB as JSON, a backup of years of training
# a few MB: 64 MB is far above any of them and far below what would hurt memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
# Profiles nest 3 deep, plans and backups about 6; 100 leaves room and stays far below the
# depth at which the parsers' recursion fails.
MAX_NESTING = 100


def read_text(path: Path, what: str) -> str:
    """The file's text.

    :raises InputError: missing, a folder, not a regular file, too large, unreadable, not
        UTF-8, or nested deeper than MAX_NESTING.
    """
    data = _read_bytes(path, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: the {what} file is not UTF-8 text (byte {exc.start}); allowed: "
            "a UTF-8 text file"
        ) from None
    _check_nesting(text, path, what)
    return text


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        # Without blocking: opening a FIFO with no writer would wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a {what} file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot read the {what} file (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} file ({exc.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a folder, not a {what} file")
        if not stat.S_ISREG(mode):
            raise InputError(
                f"{path}: not a regular file (a device, FIFO or socket); allowed: a {what} file"
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} file ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: the {what} file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
            f"allowed: a {what} file up to that size"
        )
    return data


def _check_nesting(text: str, path: Path, what: str) -> None:
    """Refuse brackets nested deeper than MAX_NESTING, counted outside quoted strings and
    comments (TOML's and JSON's strings and TOML's # comments)."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return  # cannot be that deep: the usual case costs two counts
    depth, line, quote, comment, escaped = 0, 1, "", False, False
    for char in text:
        if char == "\n":
            line += 1
            comment = False
            if quote == "'" or quote == '"':
                quote = ""  # one-line strings end at the line (multi-line ones re-open)
            continue
        if comment:
            continue
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise InputError(
                    f"{path}, line {line}: the {what} file nests brackets more than "
                    f"{MAX_NESTING} deep; allowed: up to {MAX_NESTING}"
                )
        elif char in "]}":
            depth = max(0, depth - 1)


# The most digits a whole number in a JSON file may have: far above any count, load or id a
# plan or backup holds, and far below Python's limit of 4,300 (past it, int() raised a
# ValueError the user saw as an internal error).
MAX_INTEGER_DIGITS = 30
# A \\u escape of a UTF-16 surrogate: only as a high-then-low pair does it stand for a character.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _json_integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"a whole number of {len(digits)} digits")
    return int(digits)


def read_json(path: Path, what: str, written_by: str) -> Any:
    """The parsed JSON of a file. :raises InputError: unreadable or not JSON (with the line)."""
    text = read_text(path, what)
    allowed = f"allowed: a {what} written by `{written_by}`"
    try:
        found = json.loads(text, parse_int=_json_integer)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}, line {exc.lineno}: not valid JSON ({exc.msg}); {allowed}"
        ) from None
    except ValueError as exc:  # a number _json_integer refused
        raise InputError(
            f"{path}: not a {what} ({exc}; at most {MAX_INTEGER_DIGITS} digits); {allowed}"
        ) from None
    except RecursionError:  # a second guard: _check_nesting should have refused it
        raise InputError(f"{path}: the {what} file nests too deep; {allowed}") from None
    # (Looked for only in a file with such an escape at all.)
    if _SURROGATE_ESCAPE.search(text) and holds_lone_surrogate(found):
        raise InputError(f"{path}: not valid JSON (half of a UTF-16 surrogate pair); {allowed}")
    return found


def holds_lone_surrogate(value: Any) -> bool:
    """Whether parsed JSON holds a string with half of a UTF-16 surrogate pair (a \\u escape
    Python's JSON reader takes): no file or database can encode it, and the command that
    tried later stopped with an internal error (issue 13's trial)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(holds_lone_surrogate(k) or holds_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_lone_surrogate(v) for v in value)
    return False
