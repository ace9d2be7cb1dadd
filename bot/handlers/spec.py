"""How a command declares itself, once, beside its handler.

A ``CommandSpec`` names the command's type, its canonical name (the metric
label and the audit kind), its English and Russian words, the parser of what
follows them, its typed handler, its example and help topic (its help text is
``help.<topic>``), and whether its
answer is for the person alone. ``bot.catalogue`` gathers every spec; the
grammar, the help, the dispatch, the metrics and the audit derive from it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from bot.card_buttons import CardButton
from bot.commands import Command
from bot.context import Deps, Request
from bot.grammar import ArgsParser
from bot.reply import Reply

C = TypeVar("C", bound=Command)


@dataclass(frozen=True, slots=True)
class Button(Generic[C]):
    """How a command rides in a button: a short code and its arguments as
    words (``cal`` and ``("12",)``: ``m2:cal:12``), and back. ``build`` gets
    arguments anyone could have sent: it checks them, ``None`` when they do
    not make this command."""

    code: str
    args: Callable[[C], tuple[str, ...]]
    build: Callable[[tuple[str, ...]], C | None]
    # On a meeting's card: its label, place and when it is offered.
    card: CardButton | None = None


_REF = re.compile(r"[0-9]{1,18}")


def meeting_button(
    code: str,
    make: Callable[[str], C],
    ref: Callable[[C], str],
    *,
    card: CardButton | None = None,
) -> Button[C]:
    """A button for a command about one meeting, by its bridge number;
    ``card``: its place on the meeting's card (label, place, when offered),
    ``None`` for a command pressed elsewhere only."""

    def build(args: tuple[str, ...]) -> C | None:
        return make(args[0]) if len(args) == 1 and _REF.fullmatch(args[0]) else None

    return Button(code, lambda command: (ref(command),), build, card)


@dataclass(frozen=True, slots=True)
class CommandSpec(Generic[C]):
    command: type[C]
    # The command's one name: metric label, audit kind, and its help topic
    # unless ``help_topic`` says otherwise.
    name: str
    handle: Callable[[C, Request, Deps], Awaitable[Reply]]
    # Catalog key of one right command line, shown with every usage error.
    example: str
    en: tuple[str, ...] = ()
    ru: tuple[str, ...] = ()
    # Reads what follows one of the words; None for a command reached another
    # way (a new meeting has no command word; ``remind default`` is ``remind``'s).
    parse: ArgsParser | None = None
    help_topic: str | None = None
    # More words for ``help <word>`` than the command's own (a new meeting's forms).
    help_words: Mapping[str, str] = field(default_factory=dict)
    # The answer concerns the person who asked alone (a guest link, a calendar
    # file): a button press gets it privately, never in the channel.
    personal: bool = False
    # How a card's button carries this command; None: no button runs it.
    button: Button[C] | None = None
    # Catalog keys of problems only this command's parser names (the
    # grammar's common ones are in ``bot.grammar.keys``).
    problems: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return self.en + self.ru

    @property
    def help_topics(self) -> Mapping[str, str]:
        """Each word ``help <word>`` knows through this command, and its topic."""
        own = dict.fromkeys(self.words, self.help_topic or self.name)
        return {**own, **self.help_words}

    @property
    def button_code(self) -> str | None:
        return self.button.code if self.button else None

    @property
    def card_button(self) -> CardButton | None:
        return self.button.card if self.button else None

    def button_args(self, command: Command) -> tuple[str, ...]:
        if self.button is None or not isinstance(command, self.command):
            raise ValueError(f"{type(command).__name__} has no button of {self.name}")
        return self.button.args(command)

    def from_button(self, args: tuple[str, ...]) -> Command | None:
        return self.button.build(args) if self.button else None

    async def run(self, command: Command, request: Request, deps: Deps) -> Reply:
        if not isinstance(command, self.command):
            raise TypeError(f"{self.name} does not serve {type(command).__name__}")
        return await self.handle(command, request, deps)


class Entry(Protocol):
    """Any command's spec, whatever its command type: what the catalogue keeps."""

    @property
    def command(self) -> type[Command]: ...
    @property
    def name(self) -> str: ...
    @property
    def example(self) -> str: ...
    @property
    def parse(self) -> ArgsParser | None: ...
    @property
    def personal(self) -> bool: ...
    @property
    def words(self) -> tuple[str, ...]: ...
    @property
    def help_topics(self) -> Mapping[str, str]: ...
    @property
    def button_code(self) -> str | None: ...
    @property
    def card_button(self) -> CardButton | None: ...
    @property
    def problems(self) -> tuple[str, ...]: ...

    def button_args(self, command: Command) -> tuple[str, ...]: ...
    def from_button(self, args: tuple[str, ...]) -> Command | None: ...

    async def run(self, command: Command, request: Request, deps: Deps) -> Reply: ...
