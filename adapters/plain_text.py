"""A plain line typed to the bot in a personal chat, without ``/meet``: the
``/meet`` line the person most likely meant, to be shown, never run.

Each messenger says it in its own words (its ``texts``); what is read here is
the same for all: the chat's settings (its language, its zone) and whether
the line reads as a command with the grammar the service uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.catalogue import CATALOGUE
from bot.chat import ChatRef, Lang, Mention
from bot.commands import Usage
from bot.errors import UserError
from bot.grammar.tokens import clean_line
from bot.ports import UnitOfWorkFactory
from bot.reply import Copyable, Reply, Text
from bot.service import ensure_readable

HELP_LINE = "/meet help"


@dataclass(frozen=True, slots=True)
class Hint:
    line: str  # "/meet <their text>", or HELP_LINE when it reads as no command
    lang: Lang | None  # the chat's own language (/meet lang), if it has one

    @property
    def is_help(self) -> bool:
        return self.line == HELP_LINE

    def reply(self, sentence: str) -> Reply:
        """The messenger's sentence, then the line to copy (each escaped by
        the messenger's renderer: the line is the person's own text)."""
        return Reply((Text(sentence), Copyable("", (self.line,))))


def meant(text: str, *, now: datetime, zone: str, mentions: tuple[Mention, ...] = ()) -> str:
    """``/meet <text>`` when the grammar reads ``text`` as a command (or asks
    which reading was meant), else ``/meet help``."""
    # As the grammar reads it: control and bidi characters are not echoed back
    # (an override would make the offered line read backwards).
    line = " ".join(clean_line(text).split())
    if not line:
        return HELP_LINE
    try:
        ensure_readable(line)
        parsed = CATALOGUE.parse(line, now=now, zone=zone, mentions=mentions)
    except UserError:
        return HELP_LINE
    return HELP_LINE if isinstance(parsed, Usage) else f"/meet {line}"


async def hint(
    uow: UnitOfWorkFactory,
    chat: ChatRef,
    text: str,
    *,
    now: datetime,
    zone: str,
    mentions: tuple[Mention, ...] = (),
) -> Hint:
    """What to suggest in ``chat``: read in the chat's zone (else ``zone``)."""
    async with uow(transaction=False) as unit:
        settings = await unit.chat_settings.get(chat)
    line = meant(text, now=now, zone=settings.zone or zone, mentions=mentions)
    return Hint(line, settings.lang)
