"""One function decides what a card offers, from the meeting, its server's
features and the messenger's capabilities; every offered press works."""

from __future__ import annotations

import pytest

from bot.card_buttons import CardButton
from bot.catalogue import CATALOGUE
from bot.chat import ChatRef, UserRef
from bot.commands import CancelMeeting, CommandInput, GuestLink, MeetingCalendar, StartMeeting
from bot.i18n import CATALOG
from bot.ports import LinkRecord
from bot.reply import Action, ActionKind, Actions, Capabilities, Reply, Visibility
from tests.fakes import FakeBackend, FakeCallaba
from tests.unit.core.conftest import CHAT, Bridge, make_bridge

BUTTONS = Capabilities(buttons=True, ephemeral=True)


async def say(
    bridge: Bridge, text: str, shows: Capabilities = BUTTONS, user: str = "helen"
) -> Reply:
    command_input = CommandInput(text=text, chat=CHAT, user=UserRef("console", "local", user, user))
    return await bridge.service.handle(command_input, shows)


def actions(reply: Reply) -> list[Action]:
    return [a for block in reply.blocks if isinstance(block, Actions) for a in block.items]


@pytest.mark.parametrize("shape", [lambda: FakeBackend("trueconf"), lambda: FakeCallaba("callaba")])
async def test_a_scheduled_card_offers_calendar_guest_and_cancel_and_each_works(shape) -> None:  # type: ignore[no-untyped-def]
    bridge = make_bridge(shape())
    card = await say(bridge, "tomorrow 15:00 Review")
    offered = actions(card)
    assert [a.kind for a in offered] == [
        ActionKind.JOIN,
        ActionKind.CALENDAR,
        ActionKind.GUEST,
        ActionKind.PRESS,
        ActionKind.CANCEL,
    ]
    assert [a.command for a in offered[1:]] == [
        MeetingCalendar("1"),
        GuestLink("1"),
        StartMeeting("1"),
        CancelMeeting("1"),
    ]
    # Every button offered runs: as a press, its token decoded, nothing fails.
    for action in offered[1:]:
        assert action.command is not None
        pressed = CATALOGUE.pressed(CATALOGUE.token(action.command))
        reply = await bridge.service.handle(
            CommandInput(
                text="",
                chat=CHAT,
                user=UserRef("console", "local", "helen", "helen"),
                command=pressed,
            ),
            BUTTONS,
        )
        assert not reply.is_error, (action.kind, reply.plain_text())


async def test_a_meeting_started_at_once_has_no_calendar_button() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    card = await say(bridge, "now Incident")
    assert ActionKind.CALENDAR not in [a.kind for a in actions(card)]


async def test_a_server_without_guest_links_gets_no_guest_button() -> None:
    backend = FakeCallaba("callaba")
    backend.guests = None
    bridge = make_bridge(backend)
    card = await say(bridge, "tomorrow 15:00 Review")
    assert ActionKind.GUEST not in [a.kind for a in actions(card)]


async def test_a_messenger_without_buttons_is_offered_the_join_link_only() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    card = await say(bridge, "tomorrow 15:00 Review", shows=Capabilities())
    assert [a.kind for a in actions(card)] == [ActionKind.JOIN]


async def test_my_meetings_offer_cancel_on_my_own() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    await say(bridge, "tomorrow 15:00 Mine", user="helen")
    listing = await say(bridge, "list mine", user="helen")
    assert [a.command for a in actions(listing)] == [
        MeetingCalendar("1"),
        GuestLink("1"),
        StartMeeting("1"),
        CancelMeeting("1"),
    ]


async def test_start_now_is_offered_on_a_scheduled_meeting_not_yet_running() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    scheduled = await say(bridge, "tomorrow 15:00 Review")
    assert StartMeeting("1") in [a.command for a in actions(scheduled)]

    started = await say(bridge, "now Incident")
    assert StartMeeting("2") not in [a.command for a in actions(started)]

    pressed = await say(bridge, "start 1")
    assert not pressed.is_error
    again = await say(bridge, "info 1")
    assert StartMeeting("1") not in [a.command for a in actions(again)]


async def test_start_now_in_my_meetings_is_for_my_own() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    await say(bridge, "tomorrow 15:00 Theirs @alice", user="helen")
    alice = UserRef("console", "local", "alice", "alice")
    bridge.uow.state.links[alice.key] = LinkRecord(alice, "alice")  # invited by her login
    listing = await say(bridge, "list mine", user="alice")
    assert [a.command for a in actions(listing)] == [MeetingCalendar("1"), GuestLink("1")]


@pytest.mark.parametrize("button", CATALOGUE.card_buttons, ids=lambda b: b.label)
def test_every_card_button_is_a_command_whose_token_round_trips(button: CardButton) -> None:
    command = button.command("12")
    entry = CATALOGUE.of(command)  # declared with its command, in the catalogue
    assert entry.card_button is button
    assert CATALOGUE.pressed(CATALOGUE.token(command)) == command
    assert set(CATALOG[button.label]) == {"en", "ru"}


def test_card_buttons_come_from_the_catalogue_in_their_places() -> None:
    places = [b.place for b in CATALOGUE.card_buttons]
    assert places == sorted(places)
    assert len(set(places)) == len(places)


async def test_a_one_time_meeting_stopped_early_reads_ended_and_offers_no_join() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    await say(bridge, "tomorrow 15:00 Review")
    await say(bridge, "start 1")
    await say(bridge, "stop 1")
    info = await say(bridge, "info 1")
    assert not info.is_error, info.plain_text()
    assert "■ Ended" in info.plain_text()
    assert "Scheduled" not in info.plain_text()
    assert "(past)" not in info.plain_text()  # its time is still ahead
    assert ActionKind.JOIN not in [a.kind for a in actions(info)]
    plain = await say(bridge, "info 1", shows=Capabilities())
    assert actions(plain) == []


@pytest.mark.parametrize("shape", [lambda: FakeBackend("trueconf"), lambda: FakeCallaba("callaba")])
async def test_a_new_card_has_the_state_line_info_has(shape) -> None:  # type: ignore[no-untyped-def]
    bridge = make_bridge(shape())
    card = await say(bridge, "tomorrow 15:00 Review")
    info = await say(bridge, "info 1")
    assert "● Scheduled" in info.plain_text()
    assert "● Scheduled" in card.plain_text()


async def test_my_meetings_are_for_me_alone_in_any_chat() -> None:
    """``list mine`` shows meetings of every chat, a private channel's too:
    asked in a group, it goes to the person alone, never to the group."""
    bridge = make_bridge(FakeBackend("trueconf"))
    secret = ChatRef("console", "local", "secret-channel")
    user = UserRef("console", "local", "helen", "helen")
    made = await bridge.service.handle(
        CommandInput(text="tomorrow 15:00 Merger talks", chat=secret, user=user), BUTTONS
    )
    assert not made.is_error, made.plain_text()
    listing = await say(bridge, "list mine")  # in another chat
    assert "Merger talks" in listing.plain_text()
    assert listing.visibility is Visibility.PRIVATE
    nothing = await say(bridge, "list mine", user="zed")
    assert nothing.visibility is Visibility.PRIVATE
