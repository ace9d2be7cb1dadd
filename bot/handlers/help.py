"""``/meet help [command]``."""

from __future__ import annotations

from bot.commands import Help
from bot.context import Deps, Request
from bot.grammar import keys
from bot.grammar.keys import help_key
from bot.grammar.manage import parse_help
from bot.handlers.spec import CommandSpec
from bot.reply import Reply, Text


async def handle_help(command: Help, request: Request, deps: Deps) -> Reply:
    # The grammar only lets known topics through, so every key exists.
    return Reply((Text(request.t(help_key(command.topic))),))


HELP = CommandSpec(
    Help,
    "help",
    handle_help,
    keys.EX_HELP,
    en=("help", "?"),
    ru=("помощь", "справка"),
    parse=parse_help,
)
