"""The console chat loop: one line in, one rendered reply out.

It reads piped stdin as well as a terminal, so a demo can be scripted.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import TextIO

from adapters.console.render import render
from adapters.console.texts import LangOf
from bot.chat import ChatRef, UserRef
from bot.commands import CommandInput
from bot.reply import Capabilities, Reply
from bot.service import CommandService

# A terminal shows trueconf:/intent: links as text the person can copy or
# open. Whoever types here is a bridge admin when BRIDGE_ADMINS names
# ``console`` (the demo does).
# A changed card is printed again, marked as the change.
CONSOLE_CAPABILITIES = Capabilities(custom_scheme_links=True, edits=True)
_NAME = re.compile(r"[\w.\-]{1,64}")
_PREFIX = re.compile(r"^/meet(@\S+)?(\s+|$)", re.IGNORECASE)


# The console's own lines besides commands: ``/join <id>`` and ``/leave <id>``
# (the demo's sandbox lets the speaker walk into a running meeting) get the
# speaker's name and the meeting's reference, and answer with a line.
DemoHook = Callable[[str, str], Awaitable[str]]
# Told of every reply printed: a meeting's card is kept (``bot.live.book``).
Printed = Callable[[Reply, str], Awaitable[None]]


def command_text(line: str) -> str | None:
    """The text after ``/meet``; ``None`` for a line that is not a command."""
    line = line.strip()
    match = _PREFIX.match(line)
    if match:
        return line[match.end() :]
    return None


class ConsoleChat:
    def __init__(
        self,
        service: CommandService,
        *,
        lang_of: LangOf,
        user: str,
        out: TextIO,
        read_line: Callable[[], str],
        prompt: bool,
        hooks: Mapping[str, DemoHook] | None = None,
        printed: Printed | None = None,
    ) -> None:
        self._hooks = hooks or {}
        self._printed = printed
        self._cards = 0
        self._service = service
        self._lang_of = lang_of
        self._user = user
        self._out = out
        self._read_line = read_line
        self._prompt = prompt
        self._chat = ChatRef("console", "local", "console")

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    async def handle_line(self, line: str) -> str | None:
        """Serve one typed line; returns the rendered reply, or ``None`` to ignore it."""
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return None
        if stripped == "/as" or stripped.startswith("/as "):
            name = stripped[3:].strip().lstrip("@")
            if not _NAME.fullmatch(name):
                return "! /as takes a name of 1 to 64 letters, digits, '.', '_' or '-': /as alice"
            self._user = name
            return f"(you are now @{self._user})"
        word, _, rest = stripped.partition(" ")
        hook = self._hooks.get(word.lower())
        if hook is not None:
            return await hook(self._user, rest.strip())
        text = command_text(stripped)
        if text is None:
            text = stripped  # a bare line is a command too: "now Standup @alice"
        command_input = CommandInput(
            text=text,
            chat=self._chat,
            user=UserRef("console", "local", self._user, self._user),
            is_private_chat=True,
        )
        reply = await self._service.handle(command_input, CONSOLE_CAPABILITIES)
        if reply.card_of is not None and self._printed is not None:
            self._cards += 1
            await self._printed(reply, f"card {self._cards}")
        return render(reply, await self._lang_of(self._chat))

    async def run(self) -> None:
        while True:
            if self._prompt:
                self._out.write(f"@{self._user}> ")
                self._out.flush()
            line = await asyncio.to_thread(self._read_line)
            if line == "":  # end of input
                return
            if line.strip() in ("/quit", "/exit"):
                return
            if self._prompt is False and line.strip():
                self._print(f"@{self._user}> {line.rstrip()}")
            rendered = await self.handle_line(line)
            if rendered:
                self._print(rendered)
                self._print("")
