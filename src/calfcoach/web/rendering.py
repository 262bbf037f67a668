"""Jinja2 templates for the pages, with the filters they share, and the CSRF cookie that every
rendered page carries (see web.security)."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from calfcoach.core import limits
from calfcoach.core.units import dose_text, format_load, kg_to_lb
from calfcoach.core.warning_groups import group_warning_dicts
from calfcoach.web.clock import request_today
from calfcoach.web.security import CSRF_COOKIE, new_csrf_token

VARIATION_LABEL = {
    "straight_leg": "straight-leg",
    "bent_knee": "bent-knee",
    "plyometric": "plyometric",
}
RUN_LABEL = {"rest": "rest day", "easy": "easy run", "long": "long run", "workout": "workout"}
# Beside a day that may hold a calf session: what the running is, so that a running rest day
# with a strength session does not read "rest day" above "Strength session".
RUN_BESIDE_SESSION = {
    "rest": "no run",
    "easy": "easy run",
    "long": "long run",
    "workout": "run workout",
}
# After "Running:" on the Today page, for every run of the profile contract and the race day
# (issue 13: "Running: run workout" and "Running: no run" read oddly after the label).
RUN_AFTER_LABEL = {
    "rest": "rest day",
    "easy": "easy run",
    "long": "long run",
    "workout": "workout (a hard run)",
    "race": "race day",
}


@cache
def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=str(files("calfcoach.web") / "templates"))
    env = found.env
    # The templates are part of the installed package: checking each file's time on every
    # render (Jinja's default) only costs a stat a template a request.
    env.auto_reload = False
    env.filters["load"] = format_load
    env.filters["dose"] = dose_text
    env.filters["grouped"] = group_warning_dicts
    env.filters["variation"] = lambda v: VARIATION_LABEL.get(v, v)
    env.filters["run"] = lambda r: RUN_LABEL.get(r, r or "no run")
    env.filters["running"] = lambda r: RUN_BESIDE_SESSION.get(r, r or "no run")
    env.filters["running_after_label"] = lambda r: RUN_AFTER_LABEL.get(r, r)
    env.filters["in_units"] = load_in_units
    env.filters["weekday"] = lambda d: _as_date(d).strftime("%a %-d %b")
    env.filters["longdate"] = lambda d: _as_date(d).strftime("%A %-d %B %Y")
    env.filters["red_flag"] = red_flag_words
    env.filters["on_the_page"] = on_the_page
    env.globals["unit_label"] = lambda units: "lb" if units == "imperial" else "kg"
    env.globals["catalog_name"] = catalog_name
    # The forms' min and max come from the limits the server checks (issue 13: each defined
    # once); a load's in the athlete's units (an imperial form capped 1000 lb where the
    # server takes up to 1000 kg).
    env.globals["limits"] = limits
    env.globals["account_key"] = account_key
    return found


# What the pages say for the command line's way to record a clearance (core.pain).
PAGE_CLEARANCE_HOW = '(tick "A clinician has seen me and cleared me to train" on the Check-in page)'


def on_the_page(notice: str) -> str:
    """A notice as the pages say it: a clearance is a tick on the check-in form there, not a
    command (a trial's phone was told to run `calfcoach checkin …`)."""
    from calfcoach.core.pain import CLEARANCE_HOW

    return notice.replace(CLEARANCE_HOW, PAGE_CLEARANCE_HOW)


def account_key(identity: Any) -> str:
    """Who a page is for, as the phone keeps it (``data-account``, and the
    ``X-Calfcoach-Account`` header of what waited offline): "" for nobody, the local owner's
    name, or an account's id and name (a name used again by a new account is not the old
    one). The phone's kept pages, waiting sets and rest timer are this one's (issue 13)."""
    name = getattr(identity, "name", None)
    if not isinstance(name, str):
        return ""
    user_id = getattr(identity, "user_id", None)
    return name if user_id is None else f"{user_id}:{name}"


def catalog_name(exercise_id: str, insertional: bool = False) -> str:
    """The catalog's name for an exercise id (the id itself for an unknown one);
    ``insertional``: for an athlete with insertional Achilles pain, the flat-floor name their
    cues go with (core.catalog.name_for; a coach's trial found "on a step" on the Week and
    Plan pages)."""
    from calfcoach.core.catalog import name_for
    from calfcoach.data import default_catalog

    found = default_catalog().by_id.get(exercise_id)
    return name_for(found, insertional) if found else exercise_id


def red_flag_words(flag: str) -> str:
    """A red flag in words (core.pain's names: "calf swelling with redness"), not its id."""
    from calfcoach.core.pain import RED_FLAG_NAMES

    names: dict[str, str] = dict(RED_FLAG_NAMES)
    return names.get(flag, flag.replace("_", " "))


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def load_in_units(kg: float | None, units: str) -> str:
    """A load as a bare number in the athlete's units, for a form field ("42.5")."""
    if kg is None:
        return "0"
    value = kg_to_lb(kg) if units == "imperial" else kg
    return f"{round(value, 1):g}"


def offline_pages(request: Request, context: dict[str, Any]) -> list[str]:
    """The pages the service worker keeps for offline use: Today, Week and Check-in, and each
    day of this week, for the athlete the page is about."""
    link = context.get("link")
    if link is None or context.get("hide_nav"):
        return []
    from datetime import timedelta

    today = request_today(request)
    monday = today - timedelta(days=today.weekday())
    days = [link("/today", date=(monday + timedelta(days=n)).isoformat()) for n in range(7)]
    return [link("/today"), link("/week"), link("/checkin"), *days]


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page, with the CSRF token its forms need (a fresh cookie when there was none)."""
    token = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
    response = templates().TemplateResponse(
        request,
        name,
        {
            **context,
            "csrf_token": token,
            "offline_pages": offline_pages(request, context),
            # The day the page was made for, where the server follows the browser's day
            # (web.clock; not with a fixed CALFCOACH_TODAY): the page script reloads it once
            # when the browser's own day differs and its time zone was not yet known.
            "page_today": (
                request_today(request).isoformat()
                if request.app.state.settings.browser_clock is not None
                else ""
            ),
        },
        status_code=status_code,
    )
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response
