"""Every command the bridge knows, in one list.

Each entry is declared beside its handler (``bot/handlers/*.py``); this module
only gathers them and derives what the rest of the core asks of them: the
grammar (command words and help words), the dispatch by command type, the
help topics. A test checks the list covers the ``Command`` union exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot import buttons
from bot.card_buttons import CardButton
from bot.chat import Mention
from bot.commands import Command, ParseResult
from bot.grammar import ArgsParser, Grammar
from bot.handlers.accounts import LINK, UNLINK
from bot.handlers.backends import BACKEND
from bot.handlers.calendar import CALENDAR
from bot.handlers.choices import CHOOSE
from bot.handlers.create import NEW_MEETING
from bot.handlers.edit import EDIT
from bot.handlers.guest import GUEST
from bot.handlers.help import HELP
from bot.handlers.invitations import INVITE, UNINVITE
from bot.handlers.lifecycle import CANCEL, START, STOP
from bot.handlers.listing import INFO, LIST
from bot.handlers.preferences import LANGUAGE, TIMEZONE
from bot.handlers.reminders import DEFAULT_REMINDERS, REMIND
from bot.handlers.rename import RENAME
from bot.handlers.spec import Entry


class Catalogue:
    """A set of command entries and what derives from them. Immutable once built;
    refuses two entries for one type, one name or one word."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        commands: dict[str, ArgsParser] = {}
        help_topics: dict[str, str] = {}
        for entry in entries:
            for word in entry.words:
                if word in commands or entry.parse is None:
                    raise ValueError(f"the word {word!r} is claimed twice or leads nowhere")
                commands[word] = entry.parse
            help_topics.update(entry.help_topics)
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.grammar = Grammar(commands, help_topics)
        self._by_type: Mapping[type, Entry] = {entry.command: entry for entry in entries}
        self._by_name: Mapping[str, Entry] = {entry.name: entry for entry in entries}
        if not len(self._by_type) == len(self._by_name) == len(self.entries):
            raise ValueError("a command type or name is declared twice")
        codes = [entry.button_code for entry in entries if entry.button_code]
        self._by_code = {entry.button_code: entry for entry in entries if entry.button_code}
        if len(codes) != len(self._by_code):
            raise ValueError("a button code is declared twice")
        cards = [entry.card_button for entry in entries if entry.card_button]
        if len({button.place for button in cards}) != len(cards):
            raise ValueError("two card buttons claim one place")
        # Every button a meeting's card may offer, left to right.
        self.card_buttons: tuple[CardButton, ...] = tuple(sorted(cards, key=lambda b: b.place))

    def of(self, command: Command) -> Entry:
        """The entry that serves ``command``."""
        return self._by_type[type(command)]

    def named(self, name: str) -> Entry | None:
        return self._by_name.get(name)

    def token(self, command: Command) -> str:
        """The button token that runs ``command``; ``ValueError`` when no button can."""
        entry = self.of(command)
        if entry.button_code is None:
            raise ValueError(f"no button runs {entry.name}")
        return buttons.encode(entry.button_code, entry.button_args(command))

    def pressed(self, token: str | None) -> Command | None:
        """The command a button token stands for; ``None`` for anything else."""
        read = buttons.decode(token)
        entry = self._by_code.get(read[0]) if read else None
        return entry.from_button(read[1]) if entry and read else None

    @property
    def help_topics(self) -> frozenset[str]:
        """Every topic ``help <word>`` can lead to; each has a ``help.<topic>`` text."""
        return frozenset(self.grammar.help_topics.values())

    def parse(
        self, text: str, *, now: datetime, zone: str, mentions: tuple[Mention, ...] = ()
    ) -> ParseResult:
        return self.grammar.parse(text, now=now, zone=zone, mentions=mentions)


CATALOGUE = Catalogue(
    (
        NEW_MEETING,
        LIST,
        INFO,
        CANCEL,
        START,
        STOP,
        EDIT,
        RENAME,
        INVITE,
        UNINVITE,
        GUEST,
        CALENDAR,
        LINK,
        UNLINK,
        TIMEZONE,
        LANGUAGE,
        REMIND,
        DEFAULT_REMINDERS,
        BACKEND,
        CHOOSE,
        HELP,
    )
)


def parse(
    text: str, *, now: datetime, zone: str, mentions: tuple[Mention, ...] = ()
) -> ParseResult:
    """Parse a ``/meet`` line with every command's grammar."""
    return CATALOGUE.parse(text, now=now, zone=zone, mentions=mentions)
