"""The attacks of the trust review, each as Telegram would deliver it, against
``meetbridge serve`` on a TrueConf sandbox: each is refused and changes nothing
on the server or in the links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import (
    ANONYMOUS_ADMIN,
    CHANNEL_BOT,
    FakeTelegram,
    FakeTelegramServer,
    channel,
    person,
)
from tests.support.telegram_chat import SECRET, Chat, buttons

pytestmark = pytest.mark.timeout(180)

ROOT = person(900, "root")  # a bridge admin (BRIDGE_ADMINS)
ALICE = person(901, "alice")
BOB = person(902, "bobby")
EVE = person(903, "eve")  # the attacker
STRANGER = person(904, "stranger")
NEWCOMER = person(905, "newcomer")  # never pressed Start in a chat with the bot
ASKER = person(906, "asker")  # has a private chat with the bot, no TrueConf link

COMPANY = -4001  # the company's group, on the allowlist; ROOT administers it
EVES_LISTED = -4002  # a listed group EVE administers: the policy holds there too
EVES_OWN = -4003  # a group EVE made herself and added the bot to: not listed
DISCUSSION = -4004  # a channel's discussion group, where channels post
CHANNEL_A = channel(-1004101, "News A")
CHANNEL_B = channel(-1004102, "News B")
# ROOT's private chat is not listed: a bridge admin's own chat passes all the same.
ALLOWED = f"{COMPANY},{EVES_LISTED},{DISCUSSION}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegramServer]:
    state = FakeTelegram(scale=0.05)
    state.admins = {COMPANY: {ROOT["id"]}, EVES_LISTED: {EVE["id"]}, EVES_OWN: {EVE["id"]}}
    state.strangers = {NEWCOMER["id"]}
    with FakeTelegramServer(state) as server:
        yield server


@pytest.fixture(scope="module")
def served(
    telegram: FakeTelegramServer, sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    env = {
        "TRUECONF_SERVER_URL": sandbox.base_url,
        "TRUECONF_CLIENT_ID": sandbox.client_id,
        "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
        "TRUECONF_OWNER": "admin",
        "TELEGRAM_BOT_TOKEN": telegram.state.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_ALLOWED_CHATS": ALLOWED,
        "BRIDGE_ADMINS": f"telegram:{ROOT['id']}",
    }
    with ServeProcess(env=env, cwd=Path(tmp_path_factory.mktemp("trust"))) as process:
        yield process
    assert "Traceback" not in process.log


@pytest.fixture(scope="module")
def chats(telegram: FakeTelegramServer, served: ServeProcess) -> dict[int, Chat]:
    """Every chat of the module, so what each has seen carries over between tests."""
    ids = [COMPANY, EVES_LISTED, EVES_OWN, DISCUSSION]
    ids += [p["id"] for p in (ROOT, ALICE, BOB, EVE, STRANGER, NEWCOMER, ASKER)]
    return {chat_id: Chat(telegram, served, chat_id) for chat_id in ids}


def conferences(sandbox: SandboxServer) -> dict[str, dict[str, Any]]:
    state = sandbox.state
    return {i: c for i in state.conference_ids() if (c := state.raw_conference(i)) is not None}


def number(card_text: str) -> str:
    found = re.search(r"#(\d+)", card_text)
    assert found is not None, card_text
    return found[1]


def wait_for_log(served: ServeProcess, text: str, count: int = 1) -> None:
    wait_until(lambda: served.log.count(text) >= count, timeout=20, what=f"{text!r} in the log")


# ---- who may use it ---------------------------------------------------------------


def test_a_stranger_in_a_private_chat_creates_nothing_and_is_answered_once(
    chats: dict[int, Chat], sandbox: SandboxServer, served: ServeProcess
) -> None:
    before = conferences(sandbox)
    private = chats[STRANGER["id"]]

    answer = private.say("/meet now Secret call", STRANGER)
    assert str(STRANGER["id"]) in answer.text
    assert "TELEGRAM_ALLOWED_CHATS" in answer.text
    assert conferences(sandbox) == before

    # Silent after that one answer: no reply loop, however often they try.
    for text in ("/meet now Secret call", "/help", "/meet list"):
        private.send(text, STRANGER)
    wait_for_log(served, f"ignored an update from chat {STRANGER['id']}:", 3)
    assert private.unseen() == []
    assert conferences(sandbox) == before


def test_a_self_made_group_is_not_listed_so_its_admin_changes_nothing(
    chats: dict[int, Chat], sandbox: SandboxServer, served: ServeProcess
) -> None:
    before = conferences(sandbox)
    answer = chats[EVES_OWN].say("/meet link alice", EVE)
    assert str(EVES_OWN) in answer.text
    chats[EVES_OWN].send("/meet now Mine", EVE)
    wait_for_log(served, f"ignored an update from chat {EVES_OWN}:", 1)
    assert chats[EVES_OWN].unseen() == []
    assert conferences(sandbox) == before


# ---- account links are bot-wide ----------------------------------------------------


def test_a_group_admin_linking_herself_to_alice_only_asks(
    chats: dict[int, Chat], sandbox: SandboxServer
) -> None:
    group, roots = chats[EVES_LISTED], chats[ROOT["id"]]
    group.send("/meet link alice", EVE)
    # She is answered privately; the request with its button is the bridge admin's.
    assert (
        "linked to TrueConf user alice waits for a bridge admin" in chats[EVE["id"]].wait()[0].text
    )
    request = roots.wait()[0]
    assert "eve would like to be linked to TrueConf user alice" in request.text
    assert "Approve" in buttons(request)

    # Her next meeting is not alice's: the request owns nothing.
    card = group.say("/meet now Eve sync", EVE)
    (made,) = [c for c in conferences(sandbox).values() if c["topic"] == "Eve sync"]
    assert made["owner"] == "admin"
    assert "Eve sync" in card.text
    assert "alice" not in card.text  # the group never saw the login she asked for

    # Nor can she approve her own request, admin of this group as she is.
    group.press(card, buttons(request)["Approve"]["callback_data"], EVE, "eve-approve")
    assert "bridge admin" in group.answer("eve-approve").params["text"]


def test_linking_or_unlinking_someone_else_from_a_self_made_group_is_refused(
    chats: dict[int, Chat], sandbox: SandboxServer
) -> None:
    linked = chats[COMPANY].say("/meet link @bobby bob", ROOT)  # a bridge admin may
    assert "bobby is now linked to TrueConf user bob" in linked.text

    eves = chats[EVES_LISTED]
    eve_private = chats[EVE["id"]]
    for attack in ("/meet link @bobby carol", "/meet unlink @bobby"):
        eves.send(attack, EVE)
        refused = eve_private.wait()[0]  # the refusal is hers alone
        assert "Only a bridge admin" in refused.text
    assert eves.unseen() == []

    # The link is what the bridge admin made: @bobby still invites bob.
    chats[COMPANY].say("/meet now Check @bobby", ALICE)
    (made,) = [c for c in conferences(sandbox).values() if c["topic"] == "Check"]
    assert "bob" in made["invitations"]
    assert "carol" not in made["invitations"]


# ---- identities ---------------------------------------------------------------------


def test_a_channel_poster_cannot_cancel_another_channels_meeting(
    chats: dict[int, Chat], sandbox: SandboxServer
) -> None:
    group = chats[DISCUSSION]
    card = group.say("/meet tomorrow 10:00 Channel A briefing", CHANNEL_BOT, sender_chat=CHANNEL_A)
    meeting = number(card.text)
    (conference_id,) = [
        i for i, c in conferences(sandbox).items() if c["topic"] == "Channel A briefing"
    ]

    refused = group.say(f"/meet cancel {meeting}", CHANNEL_BOT, sender_chat=CHANNEL_B)
    assert "Only the person who created" in refused.text
    anonymous = group.say(f"/meet cancel {meeting}", ANONYMOUS_ADMIN, sender_chat=group_chat())
    assert "Only the person who created" in anonymous.text
    assert conference_id in conferences(sandbox)

    # The channel that made it is its creator, and may.
    done = group.say(f"/meet cancel {meeting}", CHANNEL_BOT, sender_chat=CHANNEL_A)
    assert "cancelled" in done.text
    assert conference_id not in conferences(sandbox)


def group_chat() -> dict[str, object]:
    return {"id": DISCUSSION, "type": "supergroup", "title": "Team"}


def test_a_channel_cannot_link_and_is_never_a_bridge_admin(chats: dict[int, Chat]) -> None:
    group = chats[DISCUSSION]
    answer = group.say("/meet link @bobby carol", CHANNEL_BOT, sender_chat=CHANNEL_A)
    assert "on behalf of a chat" in answer.text
    answer = group.say("/meet link alice", ANONYMOUS_ADMIN, sender_chat=group_chat())
    assert "on behalf of a chat" in answer.text


# ---- private answers stay private ------------------------------------------------


@pytest.mark.usefixtures("sandbox")
def test_a_guest_link_goes_to_the_person_not_the_group(chats: dict[int, Chat]) -> None:
    group = chats[COMPANY]
    card = group.say("/meet tomorrow 12:00 Planning", ALICE)
    group.press(card, buttons(card)["Guest link"]["callback_data"], BOB, "guest-bob")
    (private,) = chats[BOB["id"]].wait()
    assert "Guest link" in private.text
    guest_url = re.findall(r'href="([^"]+)"', private.text)[0]
    assert group.answer("guest-bob")
    assert all(guest_url not in m.text for m in group.telegram.state.sent(COMPANY))

    # An error that concerns one person goes to that person too.
    group.send(f"/meet cancel {number(card.text)}", BOB)
    assert "Only the person who created" in chats[BOB["id"]].wait()[0].text
    assert group.unseen() == []


def test_someone_who_never_started_the_bot_gets_a_start_link_that_delivers_once(
    chats: dict[int, Chat], telegram: FakeTelegramServer
) -> None:
    group = chats[COMPANY]
    card = group.say("/meet tomorrow 13:00 Review", ALICE)
    pointer = group.say(f"/meet guest {number(card.text)}", NEWCOMER)
    found = re.search(r"t\.me/MeetBridgeBot\?start=([A-Za-z0-9_-]+)", pointer.text)
    assert found is not None, pointer.text
    token = found[1]
    assert "Guest link" not in pointer.text
    assert len(token) >= 20

    # Someone else presenting the token gets nothing of it.
    other = chats[BOB["id"]].say(f"/start {token}", BOB)
    assert "Nothing is waiting" in other.text
    assert "Guest link" not in other.text

    with telegram.state.lock:
        telegram.state.strangers.discard(NEWCOMER["id"])  # they press Start
    private = chats[NEWCOMER["id"]]
    delivered = private.say(f"/start {token}", NEWCOMER)
    assert "Guest link" in delivered.text
    again = private.say(f"/start {token}", NEWCOMER)
    assert "Nothing is waiting" in again.text


def test_a_link_request_in_a_group_goes_to_the_bridge_admin_privately(
    chats: dict[int, Chat], sandbox: SandboxServer
) -> None:
    group, roots, askers = chats[COMPANY], chats[ROOT["id"]], chats[ASKER["id"]]
    group.send("/meet link carol", ASKER)
    told = askers.wait()[0]
    assert "Your request to be linked to TrueConf user carol waits for a bridge admin" in told.text
    request = roots.wait()[0]
    assert "asker would like to be linked to TrueConf user carol" in request.text

    # The group saw neither the login nor a button.
    assert group.unseen() == []

    roots.press(request, buttons(request)["Approve"]["callback_data"], ROOT, "root-approve")
    assert "asker is now linked to TrueConf user carol" in roots.wait()[0].text
    group.say("/meet now Carol check @asker", ROOT)
    (made,) = [c for c in conferences(sandbox).values() if c["topic"] == "Carol check"]
    assert "carol" in made["invitations"]


def test_only_the_creator_or_an_admin_of_that_group_may_edit(
    chats: dict[int, Chat], sandbox: SandboxServer
) -> None:
    group = chats[COMPANY]
    card = group.say("/meet tomorrow 14:00 Edit check", ALICE)
    ref = number(card.text)
    (conference_id,) = [i for i, c in conferences(sandbox).items() if c["topic"] == "Edit check"]

    # A member who did not make it is told privately; the group sees nothing.
    group.send(f"/meet edit {ref} Hijacked", BOB)
    assert "Only the person who created" in chats[BOB["id"]].wait()[0].text
    # The admin of another listed group, from there: no such meeting in her group.
    chats[EVES_LISTED].send(f"/meet edit {ref} Hijacked", EVE)
    assert f"There is no meeting {ref} in this chat" in chats[EVE["id"]].wait()[0].text
    assert group.unseen() == []
    assert conferences(sandbox)[conference_id]["topic"] == "Edit check"

    # This group's admin may: one card in the group says what changed.
    edited = group.say(f"/meet edit {ref} for 30m Edit check v2", ROOT)
    assert f"Meeting #{ref} changed" in edited.text
    assert "Topic: “Edit check” → “Edit check v2”" in edited.text
    assert "Duration: 1 h → 30 min" in edited.text
    held = conferences(sandbox)[conference_id]
    assert held["topic"] == "Edit check v2"
    assert held["schedule"]["duration"] == 30 * 60
