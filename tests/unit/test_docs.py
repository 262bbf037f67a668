"""The README stays true: its first command, its test command, and every CLI command."""

from __future__ import annotations

import re

from calfcoach.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def code_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```(?:bash|toml|)\n(.*?)```", text, re.S)]


def test_first_block_sets_up_and_plans_the_sample() -> None:
    first = code_blocks(README)[0]
    assert len(first.splitlines()) == 1
    assert "pip install" in first and "calfcoach plan --profile examples/profile.toml" in first
    assert (ROOT / "examples" / "profile.toml").is_file()


def test_ci_runs_the_readme_test_command() -> None:
    tests_section = README.split("## Tests", 1)[1]
    command = code_blocks(tests_section)[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert command in ci.splitlines()


def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    commands = [
        (c.name or c.callback.__name__, c.callback)
        for c in app.registered_commands
        if c.callback is not None
    ]
    assert commands
    for name, callback in commands:
        assert callback.__doc__
        assert "Example:" in callback.__doc__
        assert f"calfcoach {name}" in README


def test_every_rule_is_in_the_readme_table() -> None:
    for n in range(1, 14):
        assert f"| R{n} |" in README
