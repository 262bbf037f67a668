"""The plan to print: HTML from a Jinja2 template, and a PDF of the same HTML printed by
headless Chromium (or Chrome).

Why Chromium and not WeasyPrint: on a year's plan (54 pages) WeasyPrint took 6–7 s here and
Chromium 1.6 s, against an aim of 3 s; Chromium is the engine the browser tests already use,
and it brings no Python dependency. What it costs: the PDF needs a Chromium or Chrome on the
computer (`--format html` and a browser's Print do without). The page is a local file with no
external references, and Chromium runs with its background networking off and every host
name unresolvable, so rendering touches no network.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from calfcoach.core.catalog import name_for
from calfcoach.core.units import dose_text
from calfcoach.core.warning_groups import group_warning_dicts
from calfcoach.data import default_catalog
from calfcoach.errors import InputError
from calfcoach.exporters.sessions import first_cue, test_line

RUN_LABEL = {
    "rest": "rest day",
    "easy": "easy run",
    "long": "long run",
    "workout": "workout",
    "race": "race",
}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("calfcoach.exporters", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    catalog = default_catalog()
    env.filters["dose"] = dose_text
    env.filters["grouped"] = group_warning_dicts
    env.filters["retest"] = lambda test, insertional=False: test_line(
        test, default_catalog(), insertional
    )
    env.filters["longdate"] = lambda d: _day(d).strftime("%a %-d %b %Y")
    env.filters["shortdate"] = lambda d: _day(d).strftime("%-d %b")
    env.filters["run"] = lambda r: RUN_LABEL.get(r, r or "no run")
    # With the flat-floor cue, the flat-floor name (core.catalog.name_for, physio review W3).
    env.globals["name"] = lambda i, insertional=False: (
        name_for(entry, insertional) if (entry := catalog.get(i)) else i
    )
    # The template passes the athlete's ``insertional`` (render's context), so the printed cue
    # is the flat-floor one ``today`` shows (DOMAIN.md §6).
    env.globals["cue"] = lambda i, insertional=False: first_cue(
        {"exercise": i}, catalog, insertional
    )
    return env


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def render(**context: Any) -> str:
    """The printable HTML; ``units`` decides the paper (A4, or Letter for imperial);
    ``insertional`` (default False) gives the flat-floor cues of insertional Achilles pain."""
    context.setdefault("insertional", False)
    context.setdefault("pairs", frozenset())  # loaded with a pair of dumbbells: "2 × 8 kg"
    weeks = context["weeks"]
    if not weeks:
        raise InputError("no plan weeks in that range; allowed: --weeks within the plan", "weeks")
    page_size = "letter" if context["units"] == "imperial" else "A4"
    first = _day(weeks[0]["start"])
    last = _day(weeks[-1]["days"][-1]["date"])
    template = _environment().get_template("printable.html")
    return template.render(page_size=page_size, first=first, last=last, **context)


# Headless, no GPU, and nothing that phones home (this machine's network is closed: without
# the background-networking flags Chromium retries refused connections at every start).
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PRINT_TIMEOUT_S = 120


def find_browser() -> str | None:
    """CALFCOACH_CHROMIUM, else the first Chromium or Chrome on PATH."""
    import os
    import shutil

    configured = os.environ.get("CALFCOACH_CHROMIUM")
    if configured:
        return shutil.which(configured) or (configured if os.path.isfile(configured) else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def pdf_bytes(html: str) -> bytes:
    """The HTML printed to PDF by headless Chromium in a throwaway profile.

    :raises InputError: no Chromium/Chrome, or it failed to print.
    """
    import subprocess
    import tempfile
    from pathlib import Path

    browser = find_browser()
    if browser is None:
        raise InputError(
            "--format pdf needs Chromium or Chrome (Debian: apt-get install chromium; or set "
            "CALFCOACH_CHROMIUM to its path); --format html and a browser's Print work without"
        )
    with tempfile.TemporaryDirectory(prefix="calfcoach-print-") as folder:
        page = Path(folder) / "plan.html"
        out = Path(folder) / "plan.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *HEADLESS_FLAGS,
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=PRINT_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(f"--format pdf: {browser} could not print the plan ({exc})") from None
        if not out.is_file() or out.stat().st_size == 0:
            raise InputError(f"--format pdf: {browser} wrote no PDF; try --format html")
        return out.read_bytes()
