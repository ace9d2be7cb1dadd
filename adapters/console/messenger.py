"""The console as a ``Messenger``: reminders are printed when they come due."""

from __future__ import annotations

from typing import TextIO

from adapters.console.chat import CONSOLE_CAPABILITIES
from adapters.console.render import render
from adapters.console.texts import LangOf
from bot.chat import ChatRef, Platform
from bot.reply import Capabilities, Reply


class ConsoleMessenger:
    def __init__(self, out: TextIO, lang_of: LangOf) -> None:
        self._out = out
        self._lang_of = lang_of

    @property
    def platform(self) -> Platform:
        return "console"

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return CONSOLE_CAPABILITIES

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        self._out.write("\n" + render(reply, await self._lang_of(chat)) + "\n\n")
        self._out.flush()

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        """A terminal cannot change what it printed: the card is printed
        again, marked as the change of the one posted before."""
        rendered = render(reply, await self._lang_of(chat))
        self._out.write(f"\n~ {message_id} changed:\n" + rendered + "\n\n")
        self._out.flush()
