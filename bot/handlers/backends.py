"""``/meet backend [name]``: the conference server new meetings of a chat go to."""

from __future__ import annotations

from dataclasses import replace

from bot.commands import SetBackend
from bot.context import Deps, Request
from bot.grammar import keys
from bot.grammar.manage import parse_backend
from bot.handlers.spec import CommandSpec
from bot.reply import Reply, Text


async def handle_backend(command: SetBackend, request: Request, deps: Deps) -> Reply:
    names = ", ".join(deps.backends)
    async with deps.uow() as uow:
        current = await uow.chat_settings.get(request.input.chat)
        if not command.name:
            name = current.backend or deps.default_backend
            deps.backend_named(name)  # a chosen server may since have been removed
            return Reply((Text(request.t("chat_backend.current", name=name, names=names)),))
        deps.backend_named(command.name)  # a clear message when it is not configured
        await uow.chat_settings.save(request.input.chat, replace(current, backend=command.name))
        await uow.commit()
    return Reply((Text(request.t("chat_backend.done", name=command.name)),))


BACKEND = CommandSpec(
    SetBackend,
    "backend",
    handle_backend,
    keys.EX_BACKEND,
    en=("backend", "server"),
    ru=("сервер", "бэкенд"),
    parse=parse_backend,
)
