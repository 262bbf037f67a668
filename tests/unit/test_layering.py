"""The layering is a test too (issue 13): every Python package has its ``__init__.py``, so the
import-linter contracts in ``make lint`` see every module."""

from __future__ import annotations

from tests.conftest import ROOT


def test_every_directory_of_python_modules_is_a_package() -> None:
    source = ROOT / "src" / "calfcoach"
    missing = [
        str(folder.relative_to(ROOT))
        for folder in [source, *(p for p in source.rglob("*") if p.is_dir())]
        if any(folder.glob("*.py")) and not (folder / "__init__.py").is_file()
    ]
    assert missing == []
