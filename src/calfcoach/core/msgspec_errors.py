"""Reading msgspec's validation messages back, for the one-line errors the profile and plan
readers word themselves. Pure."""

from __future__ import annotations

import re

# "Expected `int | null`, got `str` - at `$.weeks[0].days[1]`": what went wrong, and where.
_WHERE = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def split_error(message: str) -> tuple[str, list[tuple[str, str]]]:
    """msgspec's ``message`` as what went wrong and the parts of its JSON path, each a
    (field name, "") or ("", list index) pair; no parts for the document itself."""
    found = _WHERE.match(message)
    if found is None:
        return message, []
    return found["what"], _PATH_PART.findall(found["path"] or "")
