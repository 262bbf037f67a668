"""Readers of watch files (FIT, GPX, TCX, gzipped, in folders and zips). They return values
and never touch the database; the import service stores each file in its own transaction."""

from __future__ import annotations

import re


class Rejected(ValueError):
    """A file that cannot be imported, with the reason a person can act on."""


# A damaged file is reported alike whatever its format: "damaged (what the damage is): "
# then what was kept and what skipped, or that none of it was imported. (A new user's trial,
# issue 13: "not readable … the session read before the damage kept" left them guessing.)
def damaged(what: str, outcome: str) -> str:
    """The words for a damaged file: ``what`` the damage is, then the ``outcome``."""
    return f"damaged ({what}): {outcome}"


def xml_damage(message: str) -> str:
    """What is wrong with an XML file, from the parser's message (expat's words, with the
    line and column): cut off where the XML stops before its closing tags, else not
    well-formed there."""
    found = re.search(r"(?:.*: )?(.+?): line (\d+), column (\d+)", message)
    if found is None:
        return f"not well-formed XML: {message[:80]}"
    problem, line, column = found.groups()
    if problem in ("no element found", "unclosed token"):
        return f"truncated: the XML stops at line {line}, column {column}, before its end"
    return f"not well-formed XML at line {line}, column {column}: {problem[:60]}"
