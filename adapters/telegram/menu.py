"""The command menu Telegram shows beside the input field, in English and Russian."""

from __future__ import annotations

from telegram import Bot, BotCommand

from adapters.telegram.texts import translator
from bot.chat import LANGS


async def register_commands(bot: Bot) -> None:
    """English is also the menu for every language without its own."""
    for lang in LANGS:
        t = translator(lang)
        commands = [
            BotCommand("meet", t("telegram.menu.meet")),
            BotCommand("help", t("telegram.menu.help")),
        ]
        await bot.set_my_commands(commands, language_code=lang)
        if lang == "en":
            await bot.set_my_commands(commands)
