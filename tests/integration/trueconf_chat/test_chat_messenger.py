"""The TrueConf chat messenger through the real library against the sandbox:
a card posted with its buttons, then changed in place (the live card)."""

from __future__ import annotations

import asyncio

from trueconf import Bot

from adapters.trueconf_chat.messenger import TrueConfChatMessenger
from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer
from bot.chat import ChatRef
from bot.commands import MeetingCalendar
from bot.reply import Action, ActionKind, Actions, Reply, Title


def _card(title: str) -> Reply:
    press = Action(ActionKind.CALENDAR, "Add to calendar", 1, command=MeetingCalendar("1"))
    return Reply((Title(title), Actions((press,))))


async def test_a_posted_card_is_changed_in_place() -> None:
    async with ChatSandboxServer() as chat:
        team = chat.state.group("Team", ["alice"])
        port = int(chat.base_url.rsplit(":", 1)[1])
        bot = await asyncio.to_thread(
            Bot.from_credentials,
            "127.0.0.1",
            BOT_LOGIN,
            chat.bot_password,
            https=False,
            web_port=port,
        )
        await bot.start()
        try:
            await asyncio.wait_for(bot.authorized_event.wait(), 10)
            messenger = TrueConfChatMessenger(bot, lambda _: False)
            where = ChatRef("trueconf_chat", "sandbox", team)
            await messenger.send(where, _card("Sync <scheduled>"))
            (posted,) = chat.state.messages(team)
            await messenger.edit(where, posted.id, _card("Sync <running>"))
        finally:
            await bot.shutdown(timeout=1)
        edited = chat.state.message(posted.id)
    assert edited.edited
    assert "Sync &lt;running&gt;" in edited.text
    assert edited.labels() == ["Add to calendar"]
    assert len(chat.state.messages(team)) == 1
