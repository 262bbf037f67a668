"""Commands built when they are used: a run of ``calfcoach plan`` imports and builds ``plan``
alone, not the twenty other commands' modules and click parameters (issue 13 item 7).

Building every command up front cost about a tenth of ``calfcoach plan --format json``: Typer
reads each command's signature (``typing.get_type_hints`` compiles every string annotation)
and makes its click parameters. Here a command is a name and a way to build it;
``calfcoach --help`` builds them all, in the order given, for their one-line help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from typer.core import TyperGroup

# What click calls a command; Typer's vendored click does not export the type by this name.
Command = Any


class LazyCommands(MutableMapping[str, Command]):
    """Command name → click command, each built by its builder on first look-up.

    Iterating (``keys()``, ``list()``, ``in``) gives the names in the builders' order and
    builds nothing: click's suggestions for a mistyped command only need the names.
    """

    def __init__(self, builders: dict[str, Callable[[], Command]]) -> None:
        self._builders = dict(builders)
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            self._built[name] = self._builders[name]()  # KeyError: no such command
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._builders.setdefault(name, lambda: command)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._builders[name]
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._builders

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


class LazyCommandGroup(TyperGroup):
    """A Typer group that lists its commands by name, so listing builds none of them.

    (Typer's own ``list_commands`` reads ``commands.items()``, which would build them all.)
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)
