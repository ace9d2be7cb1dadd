"""``/meet help [command]``."""

from __future__ import annotations

from bot.commands import Help
from bot.context import Deps, Request
from bot.grammar.keys import help_key
from bot.reply import Reply, Text


async def handle_help(command: Help, request: Request, deps: Deps) -> Reply:
    # The grammar only lets known topics through, so every key exists.
    return Reply((Text(request.t(help_key(command.topic))),))
