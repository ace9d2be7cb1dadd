"""The linking policy: a person's own link waits for an admin's approval."""

from __future__ import annotations

import pytest

from bot.chat import Standing, UserRef
from bot.commands import CommandInput
from bot.reply import Action, ActionKind, Actions, Capabilities, Reply, Visibility
from tests.unit.core.conftest import CHAT, Bridge

pytestmark = pytest.mark.timeout(30)


def actions(reply: Reply) -> list[Action]:
    return [a for b in reply.blocks if isinstance(b, Actions) for a in b.items]


async def as_person(
    bridge: Bridge, text: str, user: UserRef, *, admin: bool = False, private: bool = False
) -> Reply:
    standing = Standing.WORKSPACE_ADMIN if admin else Standing.MEMBER
    command = CommandInput(
        text=text, chat=CHAT, user=user, standing=standing, is_private_chat=private
    )
    return await bridge.service.handle(command, Capabilities(buttons=True))


async def test_a_self_link_is_pending_until_an_admin_approves(bridge: Bridge) -> None:
    asked = await bridge.say("link carol", user="cj")
    # The person is answered privately; the request is for the admins alone.
    assert asked.visibility is Visibility.PRIVATE
    assert asked.plain_text() == (
        "Your request to be linked to TrueConf user carol waits for a bridge admin."
    )
    assert actions(asked) == []
    (for_admins,) = asked.admin_notes
    assert for_admins.plain_text().startswith("cj would like to be linked to TrueConf user carol.")
    (approve,) = actions(for_admins)
    assert approve.kind is ActionKind.APPROVE_LINK
    assert approve.subject == "cj"
    record = bridge.uow.state.links["console:local:cj"]
    assert record.pending
    assert record.login == "carol"

    refused = await bridge.say("link @cj", user="eve")
    assert refused.is_error
    assert "Only a bridge admin" in refused.plain_text()
    assert bridge.uow.state.links["console:local:cj"].pending

    approved = await bridge.say("link @cj", user="root", admin=True)
    assert approved.plain_text() == "cj is now linked to TrueConf user carol."
    assert not bridge.uow.state.links["console:local:cj"].pending


async def test_a_request_reads_right_for_the_consoles_you(bridge: Bridge) -> None:
    # The console's person is "you" unless told otherwise: the admins' line
    # must read as a sentence for that name as for any other.
    asked = await bridge.say("link carol", user="you")
    (for_admins,) = asked.admin_notes
    assert for_admins.plain_text().startswith("you would like to be linked to TrueConf user carol.")


async def test_approving_needs_a_request(bridge: Bridge) -> None:
    reply = await bridge.say("link @zed", user="root", admin=True)
    assert reply.is_error
    assert "zed has not asked for a link" in reply.plain_text()
    assert bridge.uow.state.links == {}


async def test_an_admin_links_themselves_at_once(bridge: Bridge) -> None:
    reply = await bridge.say("link alice", user="root", admin=True)
    assert reply.plain_text() == "You are now linked to TrueConf user alice."
    assert not bridge.uow.state.links["console:local:root"].pending


async def test_a_request_from_a_private_chat_goes_to_the_admins_too(bridge: Bridge) -> None:
    reply = await as_person(bridge, "link carol", UserRef("console", "local", "cj"), private=True)
    assert "waits for a bridge admin" in reply.plain_text()
    assert actions(reply) == []
    (for_admins,) = reply.admin_notes
    assert [a.kind for a in actions(for_admins)] == [ActionKind.APPROVE_LINK]


async def test_unlink_withdraws_a_request(bridge: Bridge) -> None:
    await bridge.say("link carol", user="cj")
    assert (
        await bridge.say("unlink", user="cj")
    ).plain_text() == "Your link to TrueConf is removed."
    assert bridge.uow.state.links == {}


async def test_a_typed_handle_finds_the_link_of_the_person_who_goes_by_it(bridge: Bridge) -> None:
    pat = UserRef("console", "local", "9001", "Pat", handle="pat")
    await as_person(bridge, "link carol", pat, admin=True)

    typed = UserRef("console", "local", "pat", "pat", handle="pat")  # what "@pat" names
    async with bridge.uow() as uow:
        assert await uow.links.get(typed) == "carol"
    # A pending request is no link: it invites nobody and owns nothing.
    sam = UserRef("console", "local", "9002", "Sam", handle="sam")
    await as_person(bridge, "link alice", sam)
    async with bridge.uow() as uow:
        assert await uow.links.get(UserRef("console", "local", "sam", handle="sam")) is None
        assert await uow.links.get(sam) is None
