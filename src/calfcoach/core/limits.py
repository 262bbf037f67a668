"""The limits of what a person may enter, each defined once (issue 13): core.inputs' models,
the services' text parsers (a load such as "95lb") and the shells all read them here. Plain
data, so a command that only parses a number does not import pydantic."""

from __future__ import annotations

import re
from datetime import date, timedelta

import msgspec

# The calendar calfcoach keeps (issue 14): anything outside is a typo or an attack, and would
# overflow date arithmetic (a week after 9999-12-31 does not exist).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
DAYS_ALLOWED = f"a date (YYYY-MM-DD) from {FIRST_DAY} to {LAST_DAY}"
# How far ahead of the server's clock a client's clock may be (a set's client_updated_at): a
# phone's clock set by hand, or its time zone, can be hours out; a time further ahead would
# win every later edit ("kept_newer" for ever, issue 13). Generous, as a refusal is final for
# a set waiting to sync.
CLIENT_CLOCK_AHEAD = timedelta(days=1)
# An imperial profile's body_mass_kg above this is said back in pounds, in case pounds were
# typed into the kg field (a trial: 165 planned as 364 lb). A note, not a refusal: some
# runners weigh that much.
IMPERIAL_BODY_MASS_NOTE_KG = 120


class Limit(msgspec.Struct, frozen=True):
    """A closed range ``low``–``high`` (``low`` excluded when ``above``), in ``unit``."""

    low: float
    high: float
    unit: str = ""
    above: bool = False

    def contains(self, value: float) -> bool:
        """``value`` is within the limit (a text parser's check; the models say it with
        pydantic's bounds)."""
        above_low = value > self.low if self.above else value >= self.low
        return above_low and value <= self.high

    def allowed(self) -> str:
        low = f"above {self.low:g} up" if self.above else f"{self.low:g}"
        return f"{low} to {self.high:g}" + (f" ({self.unit})" if self.unit else "")


# The heaviest load a set may carry: well above any calf raise.
LOAD_KG = Limit(0, 1000, "kg")
SETS = Limit(1, 20)
REPS = Limit(0, 500)
RPE = Limit(1, 10)
HOLD_S = Limit(1, 600, "seconds")
PAIN = Limit(0, 10)
HEEL_RAISE_REPS = Limit(0, 300)
ONE_RM_KG = Limit(0, 1000, "kg", above=True)
HISTORY_WEEKS = Limit(1, 1000)


# An account's user name (issue 13: "bad name!" was taken): typed at sign-in and shown in
# account lists, the audit trail and the coach's pages. Letters of any alphabet, digits and
# . _ - @ (an e-mail address will do), beginning with a letter or digit. Accounts made before
# the rule keep their names and still sign in: only new names are checked.
USER_NAME_MAX = 100
_USER_NAME = re.compile(r"[^\W_][\w.@-]*")  # \w: the letters and digits of any alphabet, and _
USER_NAME_ALLOWED = (
    f"1 to {USER_NAME_MAX} letters, digits, '.', '_', '-' or '@', beginning with a letter or digit"
)


def is_user_name(name: str) -> bool:
    """``name`` follows the rule for a new account's user name."""
    return len(name) <= USER_NAME_MAX and _USER_NAME.fullmatch(name) is not None
