"""The browser tests' own guards (issue 13): a Playwright call that never returns is ended by
killing this worker's Chromium, and the next test gets a new one; a server that ignores SIGTERM
is killed. A CI run once sat for 15 minutes inside Playwright after one failure."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e import conftest as e2e
from tests.e2e.conftest import Chromium, stop_server


@pytest.mark.timeout(60)  # should the kill fail, the call would wait for ever
def test_a_call_that_never_returns_kills_chromium_and_the_next_test_gets_a_new_one(
    chromium: Chromium, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(e2e, "CLOSE_WITHIN_S", 1)
    browser = chromium.get()
    page = browser.new_context(service_workers="block").new_page()
    # Like a close that never returns, this call takes no timeout: a promise that never settles.
    problem = chromium.bounded(lambda: page.evaluate("() => new Promise(() => {})"), "the call")
    assert problem == "the call did not return in 1 s: Chromium was killed"
    assert not browser.is_connected()
    fresh = chromium.get()
    assert fresh is not browser
    assert fresh.is_connected()
    context = fresh.new_context(service_workers="block")
    assert context.new_page().evaluate("() => 1 + 1") == 2
    context.close()


@pytest.mark.timeout(60)
def test_a_tests_own_context_close_that_never_returns_kills_chromium_and_fails(
    chromium: Chromium, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(e2e, "CLOSE_WITHIN_S", 1)
    browser = chromium.get()
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    # The close itself hangs (as in CI once): in its place, a Playwright call that never
    # returns while Chromium lives (a promise that never settles).
    monkeypatch.setattr(
        chromium,
        "_close_context",
        lambda c, reason=None: page.evaluate("() => new Promise(() => {})"),
    )
    with chromium.bound_context_closes(), pytest.raises(pytest.fail.Exception, match="killed"):
        context.close()
    assert not browser.is_connected()
    assert chromium.get().is_connected()  # the next test's Chromium


def test_a_server_that_ignores_sigterm_is_killed_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(e2e, "SERVER_STOP_S", 0.5)
    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert stubborn.stdout is not None
    assert stubborn.stdout.readline() == b"ready\n"  # SIGTERM is ignored from here on
    with pytest.warns(UserWarning, match="ignored SIGTERM"):
        stop_server(stubborn)
    assert stubborn.returncode == -9
    stubborn.stdout.close()
