"""The ``calfcoach`` command line: parse, call a service, render.

``app`` wires the command groups (one module each: plans, diary, log, assess, imports,
exports, serve, users) and turns errors into exit codes; ``options`` declares the shared
options once; ``output`` writes JSON and files; ``presenters`` renders with Rich.
"""

from calfcoach.cli.app import app, main
from calfcoach.cli.options import OPTION_NAMES

__all__ = ["OPTION_NAMES", "app", "main"]
