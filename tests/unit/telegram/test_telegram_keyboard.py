"""Inline keyboards: URL buttons for http(s), callback data within 64 bytes and
read back strictly."""

from __future__ import annotations

import pytest

from adapters.telegram.keyboard import keyboard
from bot.buttons import MAX_TOKEN
from bot.catalogue import CATALOGUE
from bot.chat import Mention
from bot.commands import CancelMeeting, GuestLink, LinkAccount, MeetingCalendar
from bot.reply import Action, ActionKind, Actions, Link, LinkKind, Links, Reply

pytestmark = pytest.mark.timeout(30)


def card(*actions: Action) -> Reply:
    links = Links(
        (
            Link("Browser", "https://tc.test/webrtc/7", LinkKind.BROWSER),
            Link("Open in TrueConf app", "trueconf:c7", LinkKind.APP),
        )
    )
    return Reply((links, Actions(actions)))


ALL = (
    Action(ActionKind.JOIN, "Join", 7),
    Action(ActionKind.CALENDAR, "Add to calendar", 7, command=MeetingCalendar("7")),
    Action(ActionKind.GUEST, "Guest link", 7, command=GuestLink("7")),
    Action(ActionKind.CANCEL, "Cancel", 7, command=CancelMeeting("7")),
)


def test_join_is_a_url_button_and_the_rest_are_callbacks() -> None:
    markup = keyboard(card(*ALL))
    assert markup is not None
    rows = markup.inline_keyboard
    assert rows[0][0].url == "https://tc.test/webrtc/7"
    callbacks = [b for row in rows for b in row if b.callback_data]
    assert [CATALOGUE.pressed(str(b.callback_data)) for b in callbacks] == [
        MeetingCalendar("7"),
        GuestLink("7"),
        CancelMeeting("7"),
    ]
    # Without an https page to open it, the app cannot be a button.
    assert all(b.text != "Open in TrueConf app" for row in rows for b in row)


def test_the_app_button_goes_through_the_open_page() -> None:
    markup = keyboard(card(*ALL), lambda to, back, _about: f"https://bridge.test/open?to={to}")
    assert markup is not None
    urls = {b.text: b.url for row in markup.inline_keyboard for b in row if b.url}
    assert urls["Open in TrueConf app"] == "https://bridge.test/open?to=trueconf:c7"


def test_callback_data_fits_64_bytes_at_the_largest_ids() -> None:
    person = str(2**64)
    approve = LinkAccount("", Mention(person, person))
    biggest = Action(ActionKind.APPROVE_LINK, "Approve", 0, subject=person, command=approve)
    markup = keyboard(card(biggest))
    assert markup is not None
    [[button]] = markup.inline_keyboard
    data = str(button.callback_data)
    assert len(data.encode()) <= MAX_TOKEN == 64
    assert CATALOGUE.pressed(data) == approve


@pytest.mark.parametrize(
    "data",
    [None, "", "m1", "m1:cal", "m1:cal:x", "m1:nope:1", "m3:cal:1", "m1:cal:1:x", "m1:cal:1 "],
)
def test_data_the_bridge_did_not_make_is_refused(data: str | None) -> None:
    assert CATALOGUE.pressed(data) is None
