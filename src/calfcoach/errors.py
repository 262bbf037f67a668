"""Errors the shells turn into one line and an exit code (DESIGN.md "Exit codes") or an HTTP
status: each class carries both, and its code word for the JSON API's ``{"error": {"code"}}``,
so the command line maps an error by ``exit_code`` and the web app by ``http_status`` alone.
"""

from __future__ import annotations


class CalfcoachError(Exception):
    """Base of the errors a user sees; ``exit_code`` is the process's exit code,
    ``http_status`` the web app's answer and ``api_code`` the JSON API's word for it.

    Not the user's input: the database is busy or cannot be opened (store.db.DatabaseError),
    so exit code 1 and "503 try again" (what the web app answered for every error that is not
    bad input before each class carried its status).
    """

    exit_code = 1
    http_status = 503
    api_code = "unavailable"


class InputError(CalfcoachError):
    """Bad input: an unreadable file or an invalid value. Exit code 2.

    The message is one line naming the file, the field, the line where known and the allowed
    values.
    """

    exit_code = 2
    # 422, not 400: a request that parsed but holds a value outside its limits, as FastAPI
    # answers for its own validation (the pages' forms answer 422 as well).
    http_status = 422
    api_code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        # The input field at fault ("reps", "athlete.body_mass_kg"), for the JSON API's
        # {"error": {"field"}}; None when the message is about a whole file or request.
        self.field = field


class NotFoundError(InputError):
    """Bad input naming something that is not there (an athlete, a logged set): exit code 2
    on the command line, 404 in the web app."""

    http_status = 404
    api_code = "not_found"


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


class ForbiddenError(CalfcoachError):
    """A signed-in account may see the athlete but not do this (a coach with view access
    writing, an athlete account adding athletes): 403 in the web app, naming what it may
    do instead. Not a 404: the account knows the athlete exists, so hiding it only
    confuses (issue 13). Exit code 2 on the command line (its local owner may do all)."""

    exit_code = 2
    http_status = 403
    api_code = "forbidden"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
