"""A question's buttons: one per reading where the messenger has buttons; a
press makes exactly that meeting, once, and only for the person who was asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import choices
from bot.catalogue import CATALOGUE
from bot.chat import ChatRef, Mention, UserRef
from bot.commands import CommandInput, EditMeeting, NewMeeting, PickChoice
from bot.reply import ActionKind, Actions, Capabilities, Reply
from bot.schedule import Instant, Once, Weekday, Weekly
from tests.fakes import FakeBackend
from tests.unit.core.conftest import CHAT, Bridge, make_bridge

BUTTONS = Capabilities(buttons=True)


def person(name: str) -> UserRef:
    return UserRef("console", "local", name, name)


async def ask(bridge: Bridge, text: str, who: str = "helen", caps: Capabilities = BUTTONS) -> Reply:
    return await bridge.service.handle(CommandInput(text=text, chat=CHAT, user=person(who)), caps)


async def press(bridge: Bridge, token: str, who: str = "helen", chat: ChatRef = CHAT) -> Reply:
    command = CATALOGUE.pressed(token)
    assert command is not None
    return await bridge.service.handle(
        CommandInput(text="", chat=chat, user=person(who), command=command), BUTTONS
    )


def tokens(reply: Reply) -> list[tuple[str, str]]:
    """(label, token) of each answer button."""
    found = []
    for block in reply.blocks:
        if isinstance(block, Actions):
            for action in block.items:
                assert action.kind is ActionKind.CHOOSE
                assert action.command is not None
                found.append((action.label, CATALOGUE.token(action.command)))
    return found


async def test_each_reading_has_a_button_that_makes_that_meeting() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    question = await ask(bridge, "tomorrow at 3 for 30m Foo")

    buttons = tokens(question)
    assert [label for label, _ in buttons] == [
        "Tue 24 Nov 2026, 03:00 (Europe/Moscow)",
        "Tue 24 Nov 2026, 15:00 (Europe/Moscow)",
    ]
    assert all(len(token.encode()) <= 64 for _, token in buttons)
    assert bridge.backend.conferences == {}  # asked, not made

    made = await press(bridge, buttons[1][1])

    assert not made.is_error
    [meeting] = bridge.uow.state.meetings.values()
    assert meeting.schedule == Once(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "Europe/Moscow")
    assert meeting.topic == "Foo"
    assert meeting.duration == timedelta(minutes=30)


async def test_a_question_is_answered_once() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    buttons = tokens(await ask(bridge, "завтра в 3 Обзор"))
    await press(bridge, buttons[0][1])

    again = await press(bridge, buttons[1][1])

    assert again.is_error
    assert "answered already" in again.plain_text() or "уже ответили" in again.plain_text()
    assert len(bridge.uow.state.meetings) == 1


async def test_only_the_person_asked_can_answer() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    buttons = tokens(await ask(bridge, "tomorrow at 3 Foo", who="helen"))

    stranger = await press(bridge, buttons[1][1], who="mallory")

    assert stranger.is_error
    assert bridge.uow.state.meetings == {}
    mine = await press(bridge, buttons[1][1], who="helen")  # still waiting for helen
    assert not mine.is_error


async def test_an_answer_pressed_in_another_chat_makes_nothing_there() -> None:
    # The asker's own key, pressed in a chat other than the one asked in (their
    # private chat, another group): the meeting was meant for the chat asked in.
    bridge = make_bridge(FakeBackend("trueconf"))
    buttons = tokens(await ask(bridge, "tomorrow at 3 Foo"))

    elsewhere = await press(bridge, buttons[1][1], chat=ChatRef("console", "local", "other"))

    assert elsewhere.is_error
    assert bridge.uow.state.meetings == {}
    here = await press(bridge, buttons[1][1])  # still waiting in the chat asked in
    assert not here.is_error
    [meeting] = bridge.uow.state.meetings.values()
    assert meeting.chat == CHAT


async def test_an_expired_question_makes_nothing() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    buttons = tokens(await ask(bridge, "tomorrow at 3 Foo"))
    bridge.clock.advance(choices.KEEP_FOR + timedelta(seconds=1))

    late = await press(bridge, buttons[0][1])

    assert late.is_error
    assert bridge.uow.state.meetings == {}


async def test_without_buttons_the_lines_to_type_are_the_answers() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    reply = await ask(bridge, "tomorrow at 3 Foo", caps=Capabilities())
    assert tokens(reply) == []
    assert "/meet tomorrow at 15:00 Foo" in reply.plain_text()


@pytest.mark.parametrize(
    "data",
    ["m2:pick:zz:0", "m2:pick:0123456789abcdef0123:x", "m2:pick:0123456789abcdef0123", "m2:pick"],
)
def test_malformed_answer_buttons_decode_to_nothing(data: str) -> None:
    assert CATALOGUE.pressed(data) is None


def test_a_made_up_key_finds_nothing_and_round_trips() -> None:
    command = PickChoice("0123456789abcdef0123", 1)
    assert CATALOGUE.pressed(CATALOGUE.token(command)) == command


@pytest.mark.parametrize(
    "command",
    [
        NewMeeting(Instant(), None, ""),
        NewMeeting(
            Once(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "Europe/Moscow"),
            timedelta(minutes=90),
            "Обзор «дизайна» 🎉",
            (Mention("alice"), Mention("Bob Name", "U1", "bob@example.com")),
            (timedelta(minutes=10), timedelta(hours=1)),
        ),
        NewMeeting(
            Weekly(frozenset({Weekday.MONDAY, Weekday.FRIDAY}), datetime(1, 1, 1, 9).time(), "UTC"),
            None,
            "Standup",
        ),
    ],
)
def test_stored_readings_come_back_exactly(command: NewMeeting) -> None:
    assert choices.load(choices.dump((command, command))) == (command, command)


@pytest.mark.parametrize("payload", ["[{}]", "[1]", '[{"schedule": 3}]'])
def test_a_damaged_payload_is_refused(payload: str) -> None:
    with pytest.raises(ValueError):
        choices.load(payload)


async def test_an_edits_readings_have_buttons_that_make_that_edit_for_the_asker_only() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    await ask(bridge, "tomorrow 10:00 for 30m Review")
    question = await ask(bridge, "edit 1 at 3 Retro")

    buttons = tokens(question)
    assert [label for label, _ in buttons] == [
        "Tue 24 Nov 2026, 03:00 (Europe/Moscow)",
        "Tue 24 Nov 2026, 15:00 (Europe/Moscow)",
    ]
    assert bridge.backend.calls == ["create"]  # asked, nothing changed

    refused = await press(bridge, buttons[1][1], who="mallory")
    assert refused.is_error
    edited = await press(bridge, buttons[1][1])

    assert not edited.is_error, edited.plain_text()
    meeting = bridge.uow.state.meetings[1]
    assert meeting.schedule == Once(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "Europe/Moscow")
    assert meeting.topic == "Retro"
    assert (await press(bridge, buttons[0][1])).is_error  # once
    assert choices.load(choices.dump((EditMeeting("1", topic="x"),))) == (
        EditMeeting("1", topic="x"),
    )
