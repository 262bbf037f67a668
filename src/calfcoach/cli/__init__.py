"""The ``calfcoach`` command line: parse, call a service, render.

``app`` lists the commands (one module per command group: plans, diary, log, assess, imports,
exports, serve, users, club), builds only the one that runs (``lazy``) and turns errors into
exit codes; ``options`` declares the shared options once; ``output`` writes JSON and files;
``presenters`` renders with Rich.
"""

from typing import Any

from calfcoach.cli.app import main
from calfcoach.cli.options import OPTION_NAMES

# Importing the submodule bound the name ``app`` here to it; ``calfcoach.cli.app`` has always
# been the Typer app (the submodule stays importable by its full name), so the name goes to
# ``__getattr__`` below, which builds the whole app when it is first asked for.
del app  # type: ignore[name-defined]  # noqa: F821

__all__ = ["OPTION_NAMES", "app", "main"]


def __getattr__(name: str) -> Any:
    # ``from calfcoach.cli import app``: the whole Typer app, imported only when asked for, so
    # running one command does not import the others (PEP 562).
    if name == "app":
        from calfcoach.cli.app import full_app

        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
