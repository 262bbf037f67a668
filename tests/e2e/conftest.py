"""End-to-end fixtures: the real ``calfcoach serve`` on a free loopback port with a fresh
SQLite file, and Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from calfcoach.exporters.printable import HEADLESS_FLAGS
from tests.conftest import ROOT, cli_path

SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM_ARGS = list(HEADLESS_FLAGS)  # the flags the PDF export prints with
# A Tuesday in week 1 of a plan made that day: a strength session is planned today.
E2E_TODAY = "2026-12-01"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on an empty database; yields its base URL."""
    port = free_port()
    env = {**os.environ, "CALFCOACH_TODAY": E2E_TODAY}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [cli_path(), "serve", "--port", str(port), "--db", str(tmp_path / "e2e.sqlite")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    f"calfcoach serve did not start: {(tmp_path / 'serve.log').read_text()}"
                )
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        text = (tmp_path / "serve.log").read_text()
        assert "Traceback" not in text, text


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is not installed in CI: run the tests through make test")
        pytest.skip("no chromium on PATH: run make test (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser):
    """A 390×844 phone screen with touch."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Pages may answer 4xx on purpose (a refused form); their scripts, styles and icons may not.
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    yield page
    context.close()
    assert errors == [], errors


def screenshot(page, name: str) -> None:
    """Keep a full-page picture for a person to look at (a CI artifact, git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
