"""``/meet tz <zone>`` and ``/meet lang en|ru``: settings of the chat."""

from __future__ import annotations

from dataclasses import replace

from bot.commands import SetLanguage, SetTimezone
from bot.context import Deps, Request
from bot.grammar import keys
from bot.grammar.manage import parse_lang, parse_tz
from bot.handlers.spec import CommandSpec
from bot.i18n import Translator
from bot.reply import Reply, Text


async def handle_timezone(command: SetTimezone, request: Request, deps: Deps) -> Reply:
    async with deps.uow() as uow:
        current = await uow.chat_settings.get(request.input.chat)
        await uow.chat_settings.save(request.input.chat, replace(current, zone=command.zone))
        await uow.commit()
    return Reply((Text(request.t("tz.done", zone=command.zone)),))


async def handle_language(command: SetLanguage, request: Request, deps: Deps) -> Reply:
    async with deps.uow() as uow:
        current = await uow.chat_settings.get(request.input.chat)
        await uow.chat_settings.save(request.input.chat, replace(current, lang=command.lang))
        await uow.commit()
    # Confirm in the language just chosen.
    return Reply((Text(Translator(command.lang)("lang.done")),))


TIMEZONE = CommandSpec(
    SetTimezone,
    "tz",
    handle_timezone,
    keys.EX_TZ,
    en=("tz", "timezone", "zone"),
    ru=("пояс", "зона", "часовой"),  # "часовой пояс": the parser reads its "пояс"
    parse=parse_tz,
)
LANGUAGE = CommandSpec(
    SetLanguage,
    "lang",
    handle_language,
    keys.EX_LANG,
    en=("lang", "language"),
    ru=("язык",),
    parse=parse_lang,
)
