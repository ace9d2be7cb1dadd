"""The TrueConf chat messenger through the real library against the sandbox:
a card posted with its buttons, then changed in place (the live card)."""

from __future__ import annotations

from adapters.trueconf_chat.messenger import TrueConfChatMessenger
from adapters.trueconf_chat.sandbox import ChatSandboxServer
from bot.chat import ChatRef
from bot.commands import MeetingCalendar
from bot.reply import Action, ActionKind, Actions, Reply, Title
from tests.support.trueconf_chat import signed_in_bot


def _card(title: str) -> Reply:
    press = Action(ActionKind.CALENDAR, "Add to calendar", 1, command=MeetingCalendar("1"))
    return Reply((Title(title), Actions((press,))))


async def test_a_posted_card_is_changed_in_place() -> None:
    async with ChatSandboxServer() as chat:
        team = chat.state.group("Team", ["alice"])
        async with signed_in_bot(chat) as bot:
            messenger = TrueConfChatMessenger(bot, lambda _: False)
            where = ChatRef("trueconf_chat", "sandbox", team)
            await messenger.send(where, _card("Sync <scheduled>"))
            (posted,) = chat.state.messages(team)
            await messenger.edit(where, posted.id, _card("Sync <running>"))
        edited = chat.state.message(posted.id)
    assert edited.edited
    assert "Sync &lt;running&gt;" in edited.text
    assert edited.labels() == ["Add to calendar"]
    assert len(chat.state.messages(team)) == 1
