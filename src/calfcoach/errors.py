"""Errors the shells turn into one line and an exit code (DESIGN.md "Exit codes")."""

from __future__ import annotations


class CalfcoachError(Exception):
    """Base of the errors a user sees; ``exit_code`` is the process's exit code."""

    exit_code = 1


class InputError(CalfcoachError):
    """Bad input: an unreadable file or an invalid value. Exit code 2.

    The message is one line naming the file, the field, the line where known and the allowed
    values.
    """

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        # The input field at fault ("reps", "athlete.body_mass_kg"), for the JSON API's
        # {"error": {"field"}}; None when the message is about a whole file or request.
        self.field = field


class NotFoundError(InputError):
    """Bad input naming something that is not there (an athlete, a logged set): exit code 2
    on the command line, 404 in the web app."""


class FieldError(InputError):
    """Bad input in one value a person entered (a limit of core.inputs): ``field`` is its
    neutral name (``load_kg``). Each shell words it with its own name for the field
    (``--load`` on the command line, ``load`` on a page) from one table of its own."""

    def __init__(self, field: str, problem: str, allowed: str) -> None:
        super().__init__(f"{field}: {problem}; allowed: {allowed}", field)
        self.problem = problem
        self.allowed = allowed

    def worded(self, name: str) -> str:
        """The one line, with the shell's ``name`` for the field."""
        return f"{name}: {self.problem}; allowed: {self.allowed}"


class FieldNotFound(FieldError, NotFoundError):
    """A value naming something that is not there (an athlete, a logged set): worded as a
    :class:`FieldError`, answered 404 on the web as a :class:`NotFoundError`."""
