"""``meetbridge serve`` driven as Telegram drives it: updates posted to the
webhook, replies read from a fake Bot API, conferences on the TrueConf sandbox."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person
from tests.support.telegram_chat import SECRET, Chat, buttons, post

pytestmark = pytest.mark.timeout(120)

ALICE = person(501, "alice", lang="en")
BOB = person(502, "bobby", lang="en")  # no TrueConf login of that name
ADMIN = person(503, "root", lang="en")
IVAN = person(504, "ivan", lang="ru")
_chats = itertools.count(-1001)


def new_group(telegram: FakeTelegramServer) -> int:
    """A group of its own for each test; ADMIN administers it."""
    chat_id = next(_chats)
    with telegram.state.lock:
        telegram.state.admins[chat_id] = {ADMIN["id"]}
    return chat_id


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as server:
        yield server


@pytest.fixture(scope="module")
def served(
    telegram: FakeTelegramServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    env = {
        "TELEGRAM_BOT_TOKEN": telegram.state.token,
        "TELEGRAM_ALLOWED_CHATS": "*",
        "BRIDGE_ADMINS": f"telegram:{ADMIN['id']}",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram.url,
    }
    with ServeProcess(env=env, cwd=Path(tmp_path_factory.mktemp("tg"))) as process:
        yield process


@pytest.fixture
def group(telegram: FakeTelegramServer, served: ServeProcess) -> Chat:
    return Chat(telegram, served, new_group(telegram))


def test_meet_at_the_bot_in_a_group_answers_with_escaped_html_and_buttons(group: Chat) -> None:
    text = "/meet@MeetBridgeBot tomorrow 15:00 for 1h <b>Review</b> & plan @bob"
    card = group.say(text, ALICE)

    assert card.params["parse_mode"] == "HTML"
    assert "<b>&lt;b&gt;Review&lt;/b&gt; &amp; plan</b>" in card.text
    assert "<b>Review</b>" not in card.text
    labels = buttons(card)
    assert labels["Join"]["url"].startswith("http")
    data = [b["callback_data"] for b in labels.values() if "callback_data" in b]
    assert set(labels) >= {"Join", "Add to calendar", "Guest link", "Cancel"}
    assert all(len(d.encode()) <= 64 for d in data)
    # No app link can be a button without PUBLIC_URL: it is shown to copy.
    assert "<code>trueconf:" in card.text


def test_a_command_for_another_bot_is_ignored(group: Chat) -> None:
    group_id = group.chat_id
    update = message_update("/meet@OtherBot now Sync", chat_id=group_id, sender=ALICE)
    update["update_id"] = group.telegram.state.next_update_id()
    assert post(group.served, update) == 200
    listing = group.say("/meet list", ALICE)  # processed after the ignored one
    assert "No meetings scheduled here" in listing.text
    assert len(group.telegram.state.sent(group_id)) == 1


def test_a_wrong_or_missing_secret_gets_401_and_nothing_is_done(group: Chat) -> None:
    forged = message_update("/meet now Forged", chat_id=group.chat_id, sender=ALICE)
    forged["update_id"] = group.telegram.state.next_update_id()
    assert post(group.served, forged, secret="guessed-secret-value") == 401
    assert post(group.served, forged, secret=None) == 401
    assert post(group.served, forged, secret="") == 401

    listing = group.say("/meet list", ALICE)
    assert "No meetings scheduled here" in listing.text
    assert len(group.telegram.state.sent(group.chat_id)) == 1
    assert "guessed-secret-value" not in group.served.log


def test_a_retried_update_creates_no_second_conference(group: Chat) -> None:
    update = message_update("/meet now Incident", chat_id=group.chat_id, sender=ALICE)
    update["update_id"] = group.telegram.state.next_update_id()
    assert post(group.served, update) == 200
    assert post(group.served, update) == 200  # Telegram retries the same update
    card = group.wait()[0]
    assert "Incident" in card.text

    listing = group.say("/meet list", ALICE)
    assert listing.text.count("Incident") == 1
    assert len(group.telegram.state.sent(group.chat_id)) == 2


def test_russian_from_the_users_language_then_from_the_chat_setting(
    telegram: FakeTelegramServer, served: ServeProcess
) -> None:
    group = Chat(telegram, served, new_group(telegram))
    assert "Здесь нет запланированных встреч" in group.say("/meet list", IVAN).text
    assert "No meetings scheduled here" in group.say("/meet list", ALICE).text

    assert "русский" in group.say("/meet lang ru", ALICE).text
    assert "Здесь нет запланированных встреч" in group.say("/meet list", ALICE).text


@pytest.mark.usefixtures("served")
def test_the_command_menu_is_registered_in_english_and_russian(
    telegram: FakeTelegramServer,
) -> None:
    menus = {
        c.params.get("language_code", ""): json.loads(c.params["commands"])
        for c in telegram.state.called("setMyCommands")
    }
    assert set(menus) >= {"", "en", "ru"}
    assert [c["command"] for c in menus["ru"]] == ["meet", "help"]
    assert "встречу TrueConf" in menus["ru"][0]["description"]
    assert "TrueConf meeting" in menus["en"][0]["description"]
    assert menus[""] == menus["en"]


def test_guest_button_gives_a_fresh_link_each_time_privately(
    group: Chat, telegram: FakeTelegramServer, served: ServeProcess
) -> None:
    card = group.say("/meet tomorrow 10:00 Planning", ALICE)
    guest = buttons(card)["Guest link"]["callback_data"]
    private = Chat(telegram, served, BOB["id"])  # the link is a credential: for him alone
    private.seen = len(telegram.state.sent(BOB["id"]))

    group.press(card, guest, BOB, "g1")
    first = private.wait()[0]
    assert group.answer("g1")
    group.press(card, guest, BOB, "g2")
    second = private.wait()[0]
    assert group.answer("g2")
    assert group.unseen() == []

    links = [re.findall(r'href="([^"]+)"', m.text) for m in (first, second)]
    assert links[0]
    assert links[1]
    assert links[0] != links[1]


def test_buttons_of_the_previous_release_still_work(group: Chat) -> None:
    card = group.say("/meet tomorrow 10:30 Old keyboard", ALICE)
    number = re.search(r"#(\d+)", card.text)
    assert number is not None
    assert buttons(card)["Cancel"]["callback_data"] == f"m2:cancel:{number[1]}"
    group.press(card, f"m1:cancel:{number[1]}", ALICE, "old1")
    assert "cancelled" in group.wait()[0].text
    assert group.answer("old1")


def test_calendar_button_sends_the_ics_and_the_calendar_links(group: Chat) -> None:
    card = group.say("/meet weekly mon,wed 10:00 for 30m Standup", ALICE)
    group.press(card, buttons(card)["Add to calendar"]["callback_data"], BOB, "c1")

    message, document = group.wait(2)
    assert group.answer("c1")
    assert "Google" in message.text
    assert "RRULE%3AFREQ%3DWEEKLY%3BBYDAY%3DMO%2CWE" in message.text
    # Without PUBLIC_URL Outlook has no way to take a weekly rule from a link
    # (it would land as one event): Outlook imports the file instead.
    assert "Outlook" not in message.text
    assert document.method == "sendDocument"
    ((name, content),) = document.files.values()
    assert name == "Standup.ics"
    assert b"BEGIN:VCALENDAR" in content
    assert b"METHOD:PUBLISH" in content
    assert b"RRULE:FREQ=WEEKLY;BYDAY=MO,WE" in content


def test_only_the_creator_or_an_admin_may_cancel(group: Chat) -> None:
    card = group.say("/meet tomorrow 11:00 Retro", ALICE)
    cancel = buttons(card)["Cancel"]["callback_data"]

    group.press(card, cancel, BOB, "x1")
    refused = group.answer("x1")
    assert refused.params.get("show_alert") == "true"
    assert "Only the person who created" in refused.params["text"]

    group.press(card, cancel, ADMIN, "x2")
    assert "cancelled" in group.wait()[0].text
    assert group.answer("x2")
    assert "No meetings scheduled here" in group.say("/meet list", ALICE).text


def test_a_button_with_unknown_data_is_answered(group: Chat) -> None:
    card = group.say("/meet tomorrow 12:00 Lunch", ALICE)
    group.press(card, "not-ours", ALICE, "u1")
    assert "no longer works" in group.answer("u1").params["text"]


def private_chat(group: Chat, person: dict[str, Any]) -> Chat:
    """``person``'s private chat with the bot, from now on."""
    chat = Chat(group.telegram, group.served, person["id"])
    chat.seen = len(group.telegram.state.sent(chat.chat_id))
    return chat


def test_a_self_link_waits_for_an_admin(group: Chat) -> None:
    bobs, admins = private_chat(group, BOB), private_chat(group, ADMIN)
    group.send("/meet link carol", BOB)
    # The request is the admins' business: to them privately, not to the group.
    request = admins.wait()[0]
    assert "would like to be linked to TrueConf user carol" in request.text
    assert "waits for a bridge admin" in bobs.wait()[0].text
    assert group.unseen() == []
    approve = buttons(request)["Approve"]["callback_data"]
    assert len(approve.encode()) <= 64

    # Pending: bobby is not carol yet, so mentioning @bobby invites nobody.
    pending = group.say("/meet tomorrow 13:00 Sync @bobby", ALICE)
    assert "Not on the server" in pending.text

    admins.press(request, approve, ALICE, "l1")  # alice is no admin
    assert "Only a bridge admin" in admins.answer("l1").params["text"]
    admins.press(request, approve, ADMIN, "l2")
    assert "is now linked to TrueConf user carol" in admins.wait()[0].text

    linked = group.say("/meet tomorrow 14:00 Sync @bobby", ALICE)
    assert "Not on the server" not in linked.text


def test_a_name_only_mention_is_a_person_not_a_bad_mention(group: Chat) -> None:
    card = group.say("/meet tomorrow 16:00 Demo", ALICE)
    number = re.search(r"#(\d+)", card.text)
    assert number is not None
    text = f"/meet invite {number[1]} Dave Smith"
    dave = {"id": 777, "is_bot": False, "first_name": "Dave", "last_name": "Smith"}
    start = len(f"/meet invite {number[1]} ")
    mention = {"type": "text_mention", "offset": start, "length": 10, "user": dave}
    answer = group.say(text, ALICE, entities=[mention])
    assert "Dave Smith" in answer.text
    assert "not a mention" not in answer.text.lower()
    assert "/meet link" in answer.text  # named, with the way to fix it


def test_the_log_has_no_token_and_no_traceback(
    telegram: FakeTelegramServer, served: ServeProcess
) -> None:
    # getMe answered (the bot runs); at INFO httpx's request lines are quiet,
    # and at DEBUG they are masked (test_observability reads those).
    ready = f"Telegram bot @{telegram.state.username} is ready"
    wait_until(lambda: ready in served.log, timeout=20, what="the bot to connect")
    assert "HTTP Request:" not in served.log
    assert telegram.state.token not in served.log
    assert "Traceback" not in served.log


def test_a_bare_hour_is_asked_with_a_button_per_reading_pressed_once(
    telegram: FakeTelegramServer, served: ServeProcess
) -> None:
    carol = person(505, "carol", lang="en")
    private = Chat(telegram, served, carol["id"])
    question = private.say("/meet tomorrow at 3 Sync", carol)
    assert "“3”: am or pm?" in question.text
    assert "/meet tomorrow at 15:00 Sync" in question.text  # the line to type, too
    answers = {label: b["callback_data"] for label, b in buttons(question).items()}
    [afternoon] = [data for label, data in answers.items() if "15:00" in label]
    [morning] = [data for label, data in answers.items() if "03:00" in label]
    assert afternoon.startswith("m2:pick:")

    private.press(question, afternoon, carol, "pick1")
    card = private.wait()[0]
    assert "15:00" in card.text
    assert "Sync" in card.text
    assert private.answer("pick1")

    private.press(question, morning, carol, "pick2")
    refused = private.answer("pick2")  # an error on a press is the press's alert
    assert "answered already" in refused.params["text"]
