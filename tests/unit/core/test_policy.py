"""Who may do what (``bot.policy``), through the service as a messenger calls it."""

from __future__ import annotations

import pytest

from bot.chat import ChatRef, Identity, Standing, UserRef
from bot.commands import CommandInput
from bot.policy import BridgeAdmins
from bot.reply import Capabilities, Reply
from tests.fakes import FakeBackend
from tests.unit.core.conftest import SHAPES, Bridge, make_bridge

pytestmark = pytest.mark.timeout(30)

GROUP = ChatRef("telegram", "77", "-1001")
ROOT = UserRef("telegram", "77", "1", "root", handle="root")
EVE = UserRef("telegram", "77", "3", "eve", handle="eve")
BOB = UserRef("telegram", "77", "2", "bob", handle="bob")
CHANNEL_A = UserRef("telegram", "77", "-1004101", "News A")
CHANNEL_B = UserRef("telegram", "77", "-1004102", "News B")


@pytest.fixture(params=sorted(SHAPES))
def bridge(request: pytest.FixtureRequest) -> Bridge:
    return make_bridge(SHAPES[request.param](), admins=BridgeAdmins.parse("telegram:1"))


async def say(
    bridge: Bridge,
    text: str,
    user: UserRef,
    *,
    standing: Standing = Standing.MEMBER,
    identity: Identity = Identity.PERSON,
) -> Reply:
    command = CommandInput(text=text, chat=GROUP, user=user, standing=standing, identity=identity)
    return await bridge.service.handle(command, Capabilities(buttons=True))


# ---- BRIDGE_ADMINS ------------------------------------------------------------------


def test_bridge_admins_name_people_per_messenger() -> None:
    admins = BridgeAdmins.parse(" telegram:42, slack:T1:U2 ,console")
    assert admins.includes(UserRef("telegram", "any-bot", "42"))
    assert not admins.includes(UserRef("telegram", "any-bot", "43"))
    assert admins.includes(UserRef("slack", "T1", "U2"))
    assert not admins.includes(UserRef("slack", "T9", "U2"))  # another workspace's U2
    assert admins.includes(UserRef("console", "local", "whoever"))
    assert not BridgeAdmins.parse("").includes(UserRef("console", "local", "you"))


def test_the_telegram_admins_are_listed_by_id() -> None:
    admins = BridgeAdmins.parse("slack:T1:U1, telegram:42, console, telegram:7")
    assert admins.telegram_ids() == (7, 42)


@pytest.mark.parametrize("bad", ["telegram:alice", "slack:U2", "root", "telegram:1:2", "*"])
def test_a_wrong_bridge_admin_entry_is_named(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        BridgeAdmins.parse(f"telegram:1,{bad}")


# ---- account links are bot-wide --------------------------------------------------


async def test_a_chat_admin_linking_herself_only_asks(bridge: Bridge) -> None:
    reply = await say(bridge, "link alice", EVE, standing=Standing.CHAT_ADMIN)
    assert "eve would like to be linked to TrueConf user alice" in reply.admin_notes[0].plain_text()
    assert bridge.uow.state.links[EVE.key].pending
    async with bridge.uow() as uow:
        assert await uow.links.get(EVE) is None  # owns nothing, invites nobody


@pytest.mark.parametrize("attack", ["link @bob carol", "unlink @bob", "link @eve"])
async def test_a_chat_admin_cannot_link_unlink_or_approve(bridge: Bridge, attack: str) -> None:
    await say(bridge, "link @bob bob", ROOT)
    await say(bridge, "link alice", EVE)  # a request she would approve herself
    before = dict(bridge.uow.state.links)

    reply = await say(bridge, attack, EVE, standing=Standing.CHAT_ADMIN)
    assert reply.is_error
    assert "Only a bridge admin" in reply.plain_text()
    assert bridge.uow.state.links == before


async def test_a_bridge_admin_links_approves_and_unlinks_and_each_is_audited() -> None:
    bridge = make_bridge(FakeBackend("trueconf"), admins=BridgeAdmins.parse("telegram:1"))
    await say(bridge, "link alice", EVE)
    assert "linked to TrueConf user alice" in (await say(bridge, "link @eve", ROOT)).plain_text()
    await say(bridge, "link @bob bob", ROOT)
    await say(bridge, "unlink @bob", ROOT)

    trail = [(c, by, d) for _, c, _, by, d in bridge.uow.state.audit if c.startswith("link.")]
    assert trail == [
        ("link.request", EVE.key, f"{EVE.key} -> alice"),
        ("link.approve", ROOT.key, f"{EVE.key} -> alice"),
        ("link.set", ROOT.key, "telegram:77:bob -> bob"),  # a typed @bob: by handle
        ("link.remove", ROOT.key, "telegram:77:bob"),
    ]


async def test_each_link_action_is_one_audit_line_named_for_what_it_did() -> None:
    bridge = make_bridge(FakeBackend("trueconf"), admins=BridgeAdmins.parse("telegram:1"))
    await say(bridge, "link alice", EVE)
    await say(bridge, "link @eve", ROOT)
    await say(bridge, "link @bob bob", ROOT)
    await say(bridge, "unlink @bob", ROOT)
    await say(bridge, "unlink @bob", ROOT)  # nothing left to remove: the command's own line
    await say(bridge, "link @carol", ROOT)  # refused: nothing pending

    assert [(c, o) for _, c, o, _, _ in bridge.uow.state.audit] == [
        ("link.request", "ok"),
        ("link.approve", "ok"),
        ("link.set", "ok"),
        ("link.remove", "ok"),
        ("unlink", "ok"),
        ("link", "link.nothing_pending"),
    ]


async def test_a_slack_workspace_admin_links_people_of_that_workspace() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    admin = UserRef("slack", "T1", "UADMIN", "helen")
    command = CommandInput(
        text="link <@U2|pat> carol",
        chat=ChatRef("slack", "T1", "C1"),
        user=admin,
        standing=Standing.WORKSPACE_ADMIN,
    )
    reply = await bridge.service.handle(command, Capabilities())
    assert "linked to TrueConf user carol" in reply.plain_text()
    assert list(bridge.uow.state.links) == ["slack:T1:U2"]  # in the admin's own workspace


# ---- meetings: the creator, the chat's admins ------------------------------------


async def test_a_chat_admin_manages_the_chats_meetings(bridge: Bridge) -> None:
    await say(bridge, "tomorrow 10:00 Sync", BOB)
    refused = await say(bridge, "cancel 1", EVE)
    assert "Only the person who created" in refused.plain_text()
    done = await say(bridge, "cancel 1", EVE, standing=Standing.CHAT_ADMIN)
    assert "cancelled" in done.plain_text()


# ---- identities --------------------------------------------------------------------


async def test_one_channel_cannot_cancel_another_channels_meeting(bridge: Bridge) -> None:
    await say(bridge, "tomorrow 10:00 Briefing", CHANNEL_A, identity=Identity.CHAT)
    conferences = dict(bridge.backend.conferences)

    refused = await say(bridge, "cancel 1", CHANNEL_B, identity=Identity.CHAT)
    assert "Only the person who created" in refused.plain_text()
    assert bridge.backend.conferences == conferences

    done = await say(bridge, "cancel 1", CHANNEL_A, identity=Identity.CHAT)
    assert "cancelled" in done.plain_text()


async def test_a_chat_identity_is_never_an_admin_even_if_listed() -> None:
    bridge = make_bridge(
        FakeBackend("trueconf"), admins=BridgeAdmins(frozenset({"telegram:-1004101"}))
    )
    await say(bridge, "tomorrow 10:00 Sync", BOB)
    reply = await say(
        bridge, "cancel 1", CHANNEL_A, identity=Identity.CHAT, standing=Standing.CHAT_ADMIN
    )
    assert "Only the person who created" in reply.plain_text()


@pytest.mark.parametrize("text", ["link alice", "link @bob carol", "unlink", "guest 1"])
async def test_a_chat_identity_gets_no_links_and_no_guest_links(bridge: Bridge, text: str) -> None:
    await say(bridge, "tomorrow 10:00 Sync", CHANNEL_A, identity=Identity.CHAT)
    reply = await say(bridge, text, CHANNEL_A, identity=Identity.CHAT)
    assert reply.is_error
    assert "on behalf of a chat" in reply.plain_text()
    assert bridge.uow.state.links == {}


async def test_who_cannot_be_told_apart_reads_but_changes_nothing(bridge: Bridge) -> None:
    unknown = UserRef("telegram", "77", "136817688", "Channel")
    assert not (await say(bridge, "list", unknown, identity=Identity.UNKNOWN)).is_error
    reply = await say(bridge, "now Call", unknown, identity=Identity.UNKNOWN)
    assert "cannot tell who sent this" in reply.plain_text()
    assert bridge.backend.conferences == {}
    assert bridge.uow.state.meetings == {}


# ---- UNLINKED_MAY_CREATE -----------------------------------------------------------


@pytest.mark.parametrize("shape", sorted(SHAPES))
async def test_unlinked_people_are_told_how_to_link_when_they_may_not_create(shape: str) -> None:
    bridge = make_bridge(
        SHAPES[shape](), admins=BridgeAdmins.parse("telegram:1"), unlinked_may_create=False
    )
    reply = await say(bridge, "now Call", BOB)
    assert reply.is_error
    assert "/meet link" in reply.plain_text()
    assert bridge.backend.conferences == {}

    await say(bridge, "link @bob bob", ROOT)
    card = await say(bridge, "now Call", BOB)
    assert not card.is_error
    (conference,) = bridge.backend.conferences.values()
    if bridge.accounts:  # owned by their own account, not TRUECONF_OWNER
        assert conference.spec.owner_login == "bob"


def test_another_messengers_admin_is_named_by_platform_and_user_id() -> None:
    admins = BridgeAdmins.parse("fakechat:alice@example.com, telegram:1")
    assert admins.includes(UserRef("fakechat", "srv", "alice@example.com"))
    assert not admins.includes(UserRef("fakechat", "srv", "bob@example.com"))
    assert not admins.includes(UserRef("otherchat", "srv", "alice@example.com"))
    with pytest.raises(ValueError, match="'telegram:alice'"):
        BridgeAdmins.parse("telegram:alice")  # a known messenger keeps its own form
