"""The data files shipped in the package, read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from calfcoach.core.catalog import Catalog, parse_catalog
from calfcoach.core.norms import Norms, parse_norms
from calfcoach.core.profile import EQUIPMENT


def read_data(name: str) -> str:
    # Beside this module, as pip unpacks every wheel: importlib.resources would also serve a
    # zipped package, at ~4 ms of imports on each start (issue 13), and none is shipped zipped.
    return Path(__file__).with_name(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_norms() -> Norms:
    """The norms of ``norms.toml``. :raises NormsError: the shipped file is broken."""
    return parse_norms(read_data("norms.toml"))


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The catalog of ``exercises.toml``. :raises CatalogError: the shipped file is broken."""
    return parse_catalog(read_data("exercises.toml"), default_norms(), EQUIPMENT)
