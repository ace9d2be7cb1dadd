"""The TrueConf chat messenger through the real library against the sandbox:
a card posted with its buttons, then changed in place (the live card)."""

from __future__ import annotations

import pytest

from adapters.trueconf_chat.messenger import NotConnected, TrueConfChatMessenger
from adapters.trueconf_chat.sandbox import ChatSandboxServer
from bot.chat import ChatRef
from bot.commands import MeetingCalendar
from bot.errors import DeliveryError
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


async def test_once_the_lease_is_not_held_nothing_more_is_sent_over_the_connection() -> None:
    """The connection's lease ran out unrenewed (another process may hold
    the bot's connection now): the messenger is not deliverable and refuses,
    sending nothing; the row is tried again where the connection is held."""
    holds = True
    async with ChatSandboxServer() as chat:
        team = chat.state.group("Team", ["alice"])
        async with signed_in_bot(chat) as bot:
            messenger = TrueConfChatMessenger(bot, lambda _: False, holds=lambda: holds)
            where = ChatRef("trueconf_chat", "sandbox", team)
            assert messenger.deliverable
            await messenger.send(where, _card("Sync"))
            (posted,) = chat.state.messages(team)
            holds = False
            assert not messenger.deliverable
            with pytest.raises(DeliveryError) as refused:
                await messenger.send(where, _card("Sync again"))
            with pytest.raises(DeliveryError):
                await messenger.edit(where, posted.id, _card("Sync <running>"))
        assert not refused.value.permanent  # the holder sends it
        assert [m.id for m in chat.state.messages(team)] == [posted.id]
        assert not chat.state.message(posted.id).edited


async def test_a_process_without_the_connection_is_not_deliverable_and_refuses() -> None:
    standby = NotConnected(lambda: "another process holds the bot's connection")
    assert not standby.deliverable
    with pytest.raises(DeliveryError, match="another process holds") as refused:
        await standby.send(ChatRef("trueconf_chat", "sandbox", "g"), _card("Sync"))
    assert not refused.value.permanent
