"""What the commands write: JSON (one writer for every command), text and bytes to a file or
standard output."""

from __future__ import annotations

import sys
from pathlib import Path


def json_text(data: object) -> str:
    """JSON text and a newline. Pretty for a person at a terminal; compact (the C encoder,
    several times faster on a year-long plan) when a program or a file receives it."""
    import json

    indent = 2 if sys.stdout.isatty() else None
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def print_json(data: object) -> None:
    """JSON on stdout."""
    sys.stdout.write(json_text(data))


def write_text(out: Path | None, text: str, *, private: bool = False) -> None:
    write_bytes(out, text.encode("utf-8"), private=private)


def write_bytes(out: Path | None, data: bytes, *, private: bool = False) -> None:
    """To ``out`` whole (a temporary file renamed into place), or to standard output;
    ``private``: a new file readable by its owner alone (services.exporting.write_file)."""
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    from calfcoach.services.exporting import write_file

    write_file(out, data, private=private)
