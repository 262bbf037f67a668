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
        if private:
            _private_stdout()
        sys.stdout.buffer.write(data)
        return
    from calfcoach.services.exporting import write_file

    write_file(out, data, private=private)


def _private_stdout() -> None:
    """Standard output redirected to a regular file of ours (``export > backup.json``, as the
    README shows it): readable by its owner alone, as ``--out`` writes it (a trial found the
    shell's file readable by everyone, though it holds password hashes). A pipe, a terminal
    or someone else's file is left as it is."""
    import os
    import stat

    try:
        fd = sys.stdout.fileno()
        found = os.fstat(fd)
        if stat.S_ISREG(found.st_mode) and found.st_uid == os.geteuid():
            os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR)
    except (OSError, ValueError, AttributeError):
        pass  # (no file descriptor: a test's captured output; the write says the rest)
