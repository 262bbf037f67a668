"""The command line builds only the command it runs (issue 13 item 7), and says the same as
Typer's whole app: every command listed in the same order, with the same help."""

from __future__ import annotations

from typing import Any

import pytest
import typer

from calfcoach.cli.app import COMMANDS, command_line, full_app
from calfcoach.cli.lazy import LazyCommands


def help_text(command: Any, name: str, parent: Any = None) -> str:
    context = command.context_class(command, info_name=name, parent=parent)
    return str(command.get_help(context))


def test_listing_the_commands_builds_none_of_them() -> None:
    group = command_line()
    context = group.context_class(group, info_name="calfcoach")
    assert group.list_commands(context) == list(COMMANDS)
    assert "plan" in group.commands and "nosuch" not in group.commands
    assert isinstance(group.commands, LazyCommands)
    assert group.commands._built == {}  # nothing was built by listing or asking for names


def test_running_one_command_builds_that_one_alone() -> None:
    group = command_line()
    group.main(["plan", "--help"], prog_name="calfcoach", standalone_mode=False)
    assert isinstance(group.commands, LazyCommands)
    assert list(group.commands._built) == ["plan"]


def test_the_help_is_the_whole_apps_word_for_word() -> None:
    lazy = command_line()
    eager = typer.main.get_command(full_app())
    assert help_text(lazy, "calfcoach") == help_text(eager, "calfcoach")
    lazy_context = lazy.context_class(lazy, info_name="calfcoach")
    eager_context = eager.context_class(eager, info_name="calfcoach")
    assert list(COMMANDS) == list(eager.commands)  # the table is the whole app, in order
    for name in COMMANDS:
        ours, theirs = lazy.commands[name], eager.commands[name]
        assert help_text(ours, name, lazy_context) == help_text(theirs, name, eager_context)
        for sub in getattr(theirs, "commands", {}):  # a group's commands: log, assess, …
            assert help_text(ours.commands[sub], sub, lazy_context) == help_text(
                theirs.commands[sub], sub, eager_context
            )


def test_an_unknown_command_is_not_built_and_is_a_key_error() -> None:
    commands = LazyCommands({"plan": lambda: "the plan command"})
    with pytest.raises(KeyError):
        commands["plna"]
    assert commands.get("plna") is None
    assert list(commands) == ["plan"] and len(commands) == 1
    assert commands["plan"] == "the plan command"


def test_a_command_is_built_once() -> None:
    built: list[str] = []

    def build() -> str:
        built.append("plan")
        return "the plan command"

    commands = LazyCommands({"plan": build})
    assert commands["plan"] is commands["plan"]
    assert built == ["plan"]
