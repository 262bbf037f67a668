"""The small text checks of accounts and sign-in (issue 16): names a terminal can print, and
where a sign-in may send the browser."""

from __future__ import annotations

import pytest

from calfcoach.errors import InputError
from calfcoach.services.access import strip_controls
from calfcoach.services.accounts import check_name, check_password
from calfcoach.web.auth import safe_next


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Sam", "Sam"),
        ("Sam\x1b[2J", "Sam[2J"),
        ("A\x9b31mB", "A31mB"),  # the one-byte CSI of C1
        ("tab\there", "tabhere"),
        ("Zoë Ødegård", "Zoë Ødegård"),
    ],
)
def test_control_characters_are_stripped_and_letters_kept(raw: str, shown: str) -> None:
    assert strip_controls(raw) == shown


@pytest.mark.parametrize(
    "name",
    ["", "   ", "x" * 101, "evil\x07", "new\nline", "bad name!", "sam ", "a/b", "_sam", "ça va?"],
)
def test_user_names_refused(name: str) -> None:
    with pytest.raises(InputError) as refused:
        check_name(name)
    assert "allowed: 1 to 100 letters, digits, '.', '_', '-' or '@'" in str(refused.value)


@pytest.mark.parametrize("name", ["kim", "coach-kim", "Sam_2", "zoë.ødegård@club-1", "x" * 100])
def test_user_names_taken(name: str) -> None:
    assert check_name(name) == name


def test_passwords_between_8_and_1024_characters() -> None:
    assert check_password("8 chars!") == "8 chars!"
    for bad in ("7 chars", "x" * 1025):
        with pytest.raises(InputError, match="allowed: 8 to 1024 characters"):
            check_password(bad)


@pytest.mark.parametrize(
    ("target", "went"),
    [
        ("/week?athlete=Sam", "/week?athlete=Sam"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("week", "/"),
    ],
)
def test_sign_in_goes_only_to_this_apps_pages(target: str | None, went: str) -> None:
    assert safe_next(target) == went
