"""A link request names the TrueConf login as the person typed it
(``Alice``, ``alice@<this server>``); the question put to that user is filed
under the login the server gives the presser, so their Confirm makes the
link. Through the real library against the chat sandbox, on both databases."""

from __future__ import annotations

from typing import cast

import pytest

from adapters.trueconf_chat.confirm import CONFIRM
from adapters.trueconf_chat.handlers import ChatBridge, Handlers
from adapters.trueconf_chat.inbound import P2P, local_login
from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer
from adapters.trueconf_chat.sandbox.state import DOMAIN
from bot.chat import UserRef
from bot.clock import FrozenClock
from bot.service import CommandService
from storage import SqlUnitOfWorkFactory
from tests.support.trueconf_chat import bot_messages, signed_in_bot

PAT = UserRef("telegram", "", "4242", "Pat", handle="pat")


@pytest.mark.parametrize("typed", ["Alice", f"ALICE@{DOMAIN.upper()}", f"alice@{DOMAIN}"])
async def test_the_user_asked_confirms_a_login_typed_in_any_case_or_with_the_domain(
    typed: str, uow_factory: SqlUnitOfWorkFactory, clock: FrozenClock
) -> None:
    async with uow_factory() as uow:
        await uow.links.set(PAT, typed, linked_by=PAT, pending=True)
        await uow.commit()
    # Only the store, the clock and the workspace take part in a confirmation.
    service = cast(CommandService, None)
    handlers = Handlers(ChatBridge(service, uow_factory, "sandbox", clock=clock))
    async with ChatSandboxServer() as chat, signed_in_bot(chat) as bot:
        alices = await handlers.personal_chat(bot, local_login(typed, bot.me_id))
        await handlers.confirmations.ask(bot, alices, PAT, typed)
        (question,) = bot_messages(chat, alices)
        command = str(question.button("Confirm")["command"])
        handlers.chat_types[alices] = P2P
        await handlers._link_press(bot, alices, (True, command.removeprefix(CONFIRM)))
        answers = [m.text for m in bot_messages(chat, alices)]
    assert alices == chat.state.personal(BOT_LOGIN, "alice")
    assert not any("no longer open" in text for text in answers), answers
    async with uow_factory(transaction=False) as uow:
        record = await uow.links.find(PAT)
    assert record is not None
    assert (record.login, record.pending) == ("alice", False)


def test_a_login_is_filed_lowercase_without_this_servers_domain() -> None:
    me = "meetbot@video.example.com/conn1"
    assert local_login(" Alice ", me) == "alice"
    assert local_login("alice@Video.Example.COM", me) == "alice"
    # Another server's account is not this server's alice.
    assert local_login("Alice@other.example", me) == "alice@other.example"


@pytest.mark.parametrize("meanwhile", ["withdrawn", "asks another login"])
async def test_a_confirm_pressed_after_the_request_changed_makes_no_link(
    meanwhile: str, uow_factory: SqlUnitOfWorkFactory, clock: FrozenClock
) -> None:
    """Pat asks for alice, then (before alice answers) the request is refused
    by an admin or Pat asks for bob instead: alice's Confirm, still on her
    screen, does not link Pat to alice."""
    async with uow_factory() as uow:
        await uow.links.set(PAT, "alice", linked_by=PAT, pending=True)
        await uow.commit()
    service = cast(CommandService, None)
    handlers = Handlers(ChatBridge(service, uow_factory, "sandbox", clock=clock))
    async with ChatSandboxServer() as chat, signed_in_bot(chat) as bot:
        alices = await handlers.personal_chat(bot, "alice")
        await handlers.confirmations.ask(bot, alices, PAT, "alice")
        (question,) = bot_messages(chat, alices)
        command = str(question.button("Confirm")["command"])
        async with uow_factory() as uow:
            if meanwhile == "withdrawn":
                await uow.links.remove(PAT)
            else:
                await uow.links.set(PAT, "bob", linked_by=PAT, pending=True)
            await uow.commit()
        handlers.chat_types[alices] = P2P
        await handlers._link_press(bot, alices, (True, command.removeprefix(CONFIRM)))
        answers = [m.text for m in bot_messages(chat, alices)]
    assert any("no longer open" in text for text in answers), answers
    async with uow_factory(transaction=False) as uow:
        record = await uow.links.find(PAT)
    if meanwhile == "withdrawn":
        assert record is None
    else:
        assert record is not None
        assert (record.login, record.pending) == ("bob", True)
