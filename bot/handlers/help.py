"""``/meet help [command]``."""

from __future__ import annotations

from bot.commands import Help
from bot.context import Deps, Request
from bot.reply import Reply, Text


async def handle_help(command: Help, request: Request, deps: Deps) -> Reply:
    t = request.t
    key = f"help.{command.topic}" if command.topic else "help.overview"
    if not t.has(key):
        key = "help.overview"
    return Reply((Text(t(key)),))
