"""Readers of watch files (FIT, GPX, TCX, gzipped, in folders and zips). They return values
and never touch the database; the import service stores each file in its own transaction."""

from __future__ import annotations


class Rejected(ValueError):
    """A file that cannot be imported, with the reason a person can act on."""
