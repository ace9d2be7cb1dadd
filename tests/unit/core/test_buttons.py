"""Button tokens: every command with a button round-trips within 64 bytes, the
previous release's data still works, and nothing else decodes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.buttons import MAX_TOKEN
from bot.catalogue import CATALOGUE
from bot.chat import Mention
from bot.commands import (
    CancelMeeting,
    Command,
    GuestLink,
    LinkAccount,
    MeetingCalendar,
    PickChoice,
    StartMeeting,
    StopMeeting,
)

WITH_BUTTONS = [entry for entry in CATALOGUE.entries if entry.button_code]
# Buttons whose one argument is a meeting number or a person (a question's
# answer carries a key and a reading: test_question_buttons).
ONE_ARGUMENT = [entry for entry in WITH_BUTTONS if entry.command is not PickChoice]
LARGEST = "9" * 18


def test_the_card_and_link_request_commands_have_buttons() -> None:
    # StopMeeting: the forgotten-meeting note's Stop button.
    assert {entry.command for entry in WITH_BUTTONS} == {
        CancelMeeting,
        StopMeeting,
        GuestLink,
        MeetingCalendar,
        StartMeeting,
        LinkAccount,
        PickChoice,
    }


@pytest.mark.parametrize("code", [entry.button_code for entry in ONE_ARGUMENT])
@pytest.mark.parametrize("arg", ["1", "12", LARGEST, str(2**64)])
def test_every_button_round_trips_within_64_bytes(code: str, arg: str) -> None:
    command = CATALOGUE.pressed(f"m2:{code}:{arg}")
    if arg == str(2**64) and code != "ok":
        assert command is None  # a meeting number is at most 18 digits
        return
    assert command is not None
    token = CATALOGUE.token(command)
    assert len(token.encode()) <= MAX_TOKEN
    assert CATALOGUE.pressed(token) == command


@pytest.mark.parametrize(
    ("old", "command"),
    [
        ("m1:cal:12", MeetingCalendar("12")),
        ("m1:guest:7", GuestLink("7")),
        ("m1:cancel:3", CancelMeeting("3")),
        ("m1:ok:0:424242", LinkAccount("", Mention("424242", "424242"))),
    ],
)
def test_the_previous_release_buttons_still_work(old: str, command: Command) -> None:
    assert CATALOGUE.pressed(old) == command
    # The same command, as buttons carry it now.
    assert CATALOGUE.pressed(CATALOGUE.token(command)) == command


@pytest.mark.parametrize(
    "data",
    [
        "m2:cal",  # no meeting
        "m2:cal:12:13",  # one too many
        "m2:cal:x1",  # not a number
        "m2:cal:١٢",  # digits, but not ASCII ones
        "m2:nope:1",
        "m2:ok:",
        "m2:ok:U1:U2",
        "m1:ok:0",  # approving nobody
        "m1:cal:1:2",
        "M2:cal:1",
        " m2:cal:1",
        "m2:cal:1\n",
        "m2:cal:" + "1" * 60,
        "m2:cal:1\ud800",  # a lone surrogate: a forged press, not a crash
        "\udfff",
    ],
)
def test_data_the_bridge_did_not_make_decodes_to_nothing(data: str) -> None:
    assert CATALOGUE.pressed(data) is None


@given(st.one_of(st.text(max_size=80), st.text(st.characters(categories=["Cs", "Nd", "Po"]))))
def test_any_data_decodes_to_a_command_or_nothing(data: str) -> None:
    command = CATALOGUE.pressed(data)
    if command is not None:  # then it was one of ours, and reads back the same
        assert CATALOGUE.pressed(CATALOGUE.token(command)) == command


def test_commands_no_button_can_carry_are_refused_at_rendering() -> None:
    with pytest.raises(ValueError, match="button"):
        CATALOGUE.token(LinkAccount("carol"))  # a login is typed, never pressed
    too_long = "U" * 25
    with pytest.raises(ValueError, match="short plain words"):
        CATALOGUE.token(LinkAccount("", Mention(too_long, too_long)))
