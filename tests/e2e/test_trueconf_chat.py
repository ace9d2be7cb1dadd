"""``meetbridge serve`` with TrueConf's own chat, through the real
``python-trueconf-bot`` code path, against the chat-bot sandbox on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer, StoredMessage
from bot.catalogue import CATALOGUE
from bot.commands import CancelMeeting, GuestLink, meeting_ref_of
from tests.support.serve import ServeProcess
from tests.support.trueconf_chat import bot_messages, chat_sandbox, chatbot_env

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def chat() -> Iterator[ChatSandboxServer]:
    yield from chat_sandbox()


def _serve(chat: ChatSandboxServer, cwd: Path, database_url: str, **env: str) -> ServeProcess:
    return ServeProcess(
        env={
            "DATABASE_URL": database_url,
            **chatbot_env(chat),
            # Only linked people create meetings: here everyone is, by the
            # server's word, with no /meet link.
            "UNLINKED_MAY_CREATE": "false",
            **env,
        },
        cwd=cwd,
    )


def _bot_says(chat: ChatSandboxServer, chat_id: str, *words: str, after: int = 0) -> StoredMessage:
    def found(messages: list[StoredMessage]) -> StoredMessage | None:
        mine = [m for m in messages if m.chat_id == chat_id and m.author == BOT_LOGIN]
        return next((m for m in mine[after:] if all(w in m.text for w in words)), None)

    try:
        message: StoredMessage = chat.state.wait_for(found, timeout=30)
    except TimeoutError:
        said = [(m.author, m.text[:200], m.labels()) for m in chat.state.messages(chat_id)]
        raise AssertionError(f"no message from the bot with {words} in {chat_id}: {said}") from None
    return message


def _reconnect(chat: ChatSandboxServer) -> None:
    """Drop the bot's connection, as a server restart does; until it is back."""
    connects = chat.hub.connects
    chat.drop_connections()
    chat.state.wait_for(lambda _: chat.hub.connects > connects and chat.hub.bot_online)


def _connected(chat: ChatSandboxServer) -> None:
    chat.state.wait_for(lambda _: chat.hub.bot_online, timeout=30)


def test_a_group_command_makes_a_card_owned_by_its_speaker(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob", "carol"])
    with _serve(chat, tmp_path, database_url) as served:
        _connected(chat)
        chat.say(
            "alice",
            team,
            f"/meet tomorrow 15:00 Incident review {chat.mention('bob')}",
            parse_mode="html",
        )
        card = _bot_says(chat, team, "Incident review")
        # Bob is invited by his id: no lookup, nobody left unmapped.
        assert "Bob Baker" in card.text, card.text
        assert "Not on the server" not in card.text
        labels = card.labels()
        # Url buttons open the browser and the app (trueconf: natively);
        # presses that change the meeting are not offered in a group.
        assert "Join" in labels
        assert "Add to calendar" in labels
        assert "Cancel" not in labels
        assert "Guest link" not in labels
        app = [b for row in card.buttons for b in row if b["type"] == "url"]
        assert any(b["url"].startswith("trueconf:") for b in app)
        assert "personal chat" in card.text
        # The calendar press is the same for everyone: its file comes to the group.
        chat.press("carol", card, "Add to calendar")
        ics = chat.state.wait_for(
            lambda ms: [m for m in ms if m.chat_id == team and m.file is not None], timeout=30
        )[0]
        assert ics.file is not None
        assert ics.file.name.endswith(".ics")
        assert b"BEGIN:VCALENDAR" in ics.file.content
    assert served.stop() == 0
    assert "Traceback" not in served.log
    assert chat.bot_password not in served.log


def test_a_personal_chat_has_every_button_and_private_answers(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob"])
    with _serve(chat, tmp_path, database_url):
        _connected(chat)
        mine = chat.say_privately("bob", "/meet tomorrow 15:00 for 30m Design review").chat_id
        card = _bot_says(chat, mine, "Design review")
        assert {"Join", "Add to calendar", "Guest link", "Cancel"} <= set(card.labels())
        # A guest link is for the presser alone: in this personal chat.
        chat.press("bob", card, "Guest link")
        guest = _bot_says(chat, mine, "http", after=1)
        assert guest.id != card.id
        # Cancel works where the presser is known.
        chat.press("bob", card, "Cancel")
        _bot_says(chat, mine, "ancel", after=2)
        # A private answer asked for in the group goes to the person's personal chat.
        chat.say("alice", team, "/meet tomorrow 16:00 Sync")
        group_card = _bot_says(chat, team, "Sync")
        number = group_card.text.split("#", 1)[1].split()[0]
        chat.say("alice", team, f"/meet guest {number}")
        alices = chat.state.personal(BOT_LOGIN, "alice")
        _bot_says(chat, alices, "Guest link for")
        # Nothing to link: the speaker is their TrueConf account.
        chat.say("alice", team, "/meet link alice")
        said = _bot_says(chat, team, "Nothing to link")
        assert "alice" in said.text
        assert [m.text for m in bot_messages(chat, team) if "Guest link for" in m.text] == []


def test_the_bot_reconnects_and_answers_what_it_missed_once(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob"])
    with _serve(chat, tmp_path, database_url) as served:
        _connected(chat)
        chat.say("alice", team, "/meet now First")
        _bot_says(chat, team, "First")
        connects = chat.hub.connects
        assert chat.drop_connections() == 1
        # Said while the bot is away or reconnecting: answered once it is back.
        chat.say("bob", team, "/meet now Second")
        chat.state.wait_for(lambda _: chat.hub.connects > connects and chat.hub.bot_online)
        _bot_says(chat, team, "Second")
        chat.say("alice", team, "/meet now Third")
        _bot_says(chat, team, "Third")
        seconds = [m for m in bot_messages(chat, team) if "Second" in m.text]
        assert len(seconds) == 1
    assert served.stop() == 0
    assert "Traceback" not in served.log


def test_a_reminder_reaches_the_group_once(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    """On the real clock: the meeting starts on the first whole minute at
    least 25 s away plus one, so its 1-minute reminder comes due 25 to 85 s
    after the command."""
    team = chat.state.group("Team", ["alice", "bob"])
    remind_at = (datetime.now(UTC) + timedelta(seconds=25 + 60)).replace(second=0, microsecond=0)
    start = remind_at + timedelta(minutes=1)
    when = start.strftime("%Y-%m-%d %H:%M")
    with _serve(chat, tmp_path, database_url, REMINDER_DEFAULT_OFFSETS="1m") as served:
        _connected(chat)
        chat.say("alice", team, f"/meet once {when} for 30m Standup")
        card = _bot_says(chat, team, "Standup")
        number = card.text.split("#", 1)[1].split()[0]
        wait = (remind_at - datetime.now(UTC)).total_seconds() + 60
        reminder = chat.state.wait_for(
            lambda ms: [m for m in ms if m.chat_id == team and f"Reminder: #{number}" in m.text],
            timeout=wait,
        )[0]
        assert "Standup" in reminder.text
        # Its buttons are the group's: join and calendar, nothing for one person.
        assert "Cancel" not in reminder.labels()
    assert served.stop() == 0
    reminders = [m for m in bot_messages(chat, team) if f"Reminder: #{number}" in m.text]
    assert len(reminders) == 1


def test_a_forged_press_in_a_group_changes_nothing(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    """Anyone in a group could make the client send any command: a cancel
    pressed there cannot say who pressed it, so it cancels nothing."""
    team = chat.state.group("Team", ["alice", "mallory"])
    with _serve(chat, tmp_path, database_url) as served:
        _connected(chat)
        chat.say("alice", team, "/meet tomorrow 15:00 Board meeting")
        card = _bot_says(chat, team, "Board meeting")
        number = card.text.split("#", 1)[1].split()[0]
        cancel = CATALOGUE.token(CancelMeeting(number))
        chat.hub.press(card, {"type": "command", "label": "Cancel", "command": cancel})
        _bot_says(chat, team, "does not say who pressed it")
        # Garbage for a command is not a command.
        chat.hub.press(card, {"type": "command", "label": "x", "command": "m2:zzz:" + "9" * 40})
        _bot_says(chat, team, "no longer works")
        chat.say("alice", team, "/meet list")
        listed = _bot_says(chat, team, "Board meeting", after=1)
        assert "cancelled" not in listed.text.lower()
    assert served.stop() == 0
    assert "Traceback" not in served.log


def test_what_only_the_history_has_is_answered_after_a_reconnect_once(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob"])
    with _serve(chat, tmp_path, database_url) as served:
        _connected(chat)
        chat.say("alice", team, "/meet now Answered live")
        _bot_says(chat, team, "Answered live")
        # Pushed to a connection that died with it: never handled.
        chat.say_unseen("bob", team, "/meet now From the history")
        for _ in range(2):  # two reconnections: each reads the history again
            _reconnect(chat)
            _bot_says(chat, team, "From the history")
        chat.say("alice", team, "/meet now After both")
        _bot_says(chat, team, "After both")
    assert served.stop() == 0
    said = [m.text for m in bot_messages(chat, team)]
    assert len([t for t in said if "From the history" in t]) == 1
    assert len([t for t in said if "Answered live" in t]) == 1


def test_a_chat_off_the_allowlist_is_told_its_id_once_and_served_nothing(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    allowed = chat.state.group("Allowed", ["alice"])
    other = chat.state.group("Other", ["alice", "bob"])
    env = {"TRUECONF_CHATBOT_ALLOWED_CHATS": allowed}
    with _serve(chat, tmp_path, database_url, **env) as served:
        _connected(chat)
        chat.say("bob", other, "/meet now Not here")
        refusal = _bot_says(chat, other, other)
        assert "TRUECONF_CHATBOT_ALLOWED_CHATS" in refusal.text
        chat.say("bob", other, "/meet now Still not here")
        chat.say("alice", allowed, "/meet now Here")
        _bot_says(chat, allowed, "Here")
    assert served.stop() == 0
    assert len(bot_messages(chat, other)) == 1
    assert "Not here" not in served.log


def test_a_group_card_is_edited_in_place_as_its_meeting_runs(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    team = chat.state.group("Team", ["alice", "bob"])
    env = {"LIVE_POLL_SECONDS": "1", "REMINDER_DEFAULT_OFFSETS": "off"}
    with _serve(chat, tmp_path, database_url, **env) as served:
        _connected(chat)
        chat.say("alice", team, "/meet tomorrow 15:00 for 1h Live review")
        card = _bot_says(chat, team, "Live review")
        number = card.text.split("#", 1)[1].split()[0]
        chat.say("alice", team, f"/meet start {number}")
        edited = chat.state.wait_for(
            lambda _: (m := chat.state.message(card.id)).edited and "Running now" in m.text and m,
            timeout=60,
        )
        # Still the group's card: its buttons and the line saying where the rest are.
        assert "Add to calendar" in edited.labels() or "Join" in edited.labels()
        assert "Cancel" not in edited.labels()
        assert "personal chat" in edited.text
    assert served.stop() == 0
    assert "Traceback" not in served.log


def test_an_account_of_another_server_is_served_nothing_by_default(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    # Federation lets mallory of another server write to the bot; with the
    # default allowlist (*, meant for the server's own users) and a
    # TRUECONF_OWNER for unlinked people, she must not make meetings here.
    mallory = "mallory@elsewhere.example"
    theirs = chat.state.personal(BOT_LOGIN, mallory)
    team = chat.state.group("Team", ["alice", mallory])
    with _serve(chat, tmp_path, database_url, UNLINKED_MAY_CREATE="true") as served:
        _connected(chat)
        chat.say(mallory, theirs, "/meet now Outsider sync")
        _bot_says(chat, theirs, "accounts of")
        chat.say(mallory, team, "/meet now Outsider group sync")
        chat.say(mallory, team, "/meet list")
        # alice, of this server, is served in the same group, after mallory.
        chat.say("alice", team, "/meet now Team sync")
        _bot_says(chat, team, "Team sync")
        said = [m.text for m in chat.state.messages() if m.author == BOT_LOGIN]
        assert not [text for text in said if "Outsider" in text], said
        assert sum("accounts of" in text for text in said) == 1, said
    assert "Traceback" not in served.log


def test_the_adapters_own_lines_speak_the_chats_language(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    """After /meet lang ru, the lines the adapter writes itself (the card's
    hint, the note on a press in a group, the live card's hint) are Russian."""
    team = chat.state.group("Team", ["alice", "bob"])
    env = {"LIVE_POLL_SECONDS": "1", "REMINDER_DEFAULT_OFFSETS": "off"}
    with _serve(chat, tmp_path, database_url, **env) as served:
        _connected(chat)
        chat.say("alice", team, "/meet lang ru")
        _bot_says(chat, team, "русский")
        chat.say("alice", team, "/meet tomorrow 15:00 for 1h Obzor")
        card = _bot_says(chat, team, "Obzor")
        assert "личный чат" in card.text, card.text
        assert "personal chat" not in card.text
        number = card.text.split("#", 1)[1].split()[0]
        cancel = CATALOGUE.token(CancelMeeting(number))
        chat.hub.press(card, {"type": "command", "label": "Cancel", "command": cancel})
        note = _bot_says(chat, team, "кто её нажал")
        assert "does not say" not in note.text
        chat.say("alice", team, "/meet link alice")
        _bot_says(chat, team, "ничего связывать не нужно")
        chat.say("alice", team, f"/meet start {number}")
        edited = chat.state.wait_for(
            lambda _: (m := chat.state.message(card.id)).edited and m, timeout=60
        )
        assert "личный чат" in edited.text, edited.text
        assert "personal chat" not in edited.text
        # Another chat keeps the default.
        other = chat.state.group("Other", ["alice"])
        chat.say("alice", other, "/meet tomorrow 16:00 Plain")
        assert "personal chat" in _bot_says(chat, other, "Plain").text
    assert served.stop() == 0
    assert "Traceback" not in served.log


def _pressed_refs(message: StoredMessage) -> set[str]:
    """The meetings the message's command buttons act on."""
    refs = set()
    for row in message.buttons:
        for button in row:
            if button["type"] == "command":
                command = CATALOGUE.pressed(button["command"])
                assert command is not None, button
                refs.add(str(meeting_ref_of(command)))
    return refs


def test_list_mine_in_a_personal_chat_offers_presses_only_on_its_own_meetings(
    chat: ChatSandboxServer, tmp_path: Path, database_url: str
) -> None:
    """A press runs in the chat it is pressed in: the buttons of a group's
    meeting in the personal chat's list could only fail, so they are not
    there; and one forged there reaches nothing of the group's."""
    team = chat.state.group("Team", ["alice", "bob"])
    with _serve(chat, tmp_path, database_url) as served:
        _connected(chat)
        chat.say(
            "alice",
            team,
            f"/meet tomorrow 15:00 Group sync {chat.mention('bob')}",
            parse_mode="html",
        )
        group_card = _bot_says(chat, team, "Group sync")
        theirs = group_card.text.split("#", 1)[1].split()[0]
        own = chat.say_privately("alice", "/meet tomorrow 16:00 Own sync").chat_id
        own_card = _bot_says(chat, own, "Own sync")
        ours = own_card.text.split("#", 1)[1].split()[0]
        chat.say("alice", own, "/meet list mine")
        listed = _bot_says(chat, own, "Group sync", "Own sync")
        assert _pressed_refs(listed) == {ours}, listed.buttons
        assert "other chats" in listed.text
        # Forged in the personal chat: the group's meeting is not found there.
        guest = CATALOGUE.token(GuestLink(theirs))
        chat.hub.press(listed, {"type": "command", "label": "Guest link", "command": guest})
        _bot_says(chat, own, f"no meeting {theirs}")
        cancel = CATALOGUE.token(CancelMeeting(theirs))
        chat.hub.press(listed, {"type": "command", "label": "Cancel", "command": cancel})
        _bot_says(chat, own, f"no meeting {theirs}", after=len(bot_messages(chat, own)) - 1)
        # Bob's list in his personal chat: alice's group meeting, no presses on it.
        bobs = chat.say_privately("bob", "/meet list mine").chat_id
        assert _pressed_refs(_bot_says(chat, bobs, "Group sync")) == set()
        said = [m.text for m in chat.state.messages() if m.author == BOT_LOGIN]
        assert not [text for text in said if "Guest link for" in text], said
        chat.say("alice", team, "/meet list")
        listed_in_group = _bot_says(chat, team, "Group sync", after=1)
        assert "cancelled" not in listed_in_group.text.lower()
    assert served.stop() == 0
    assert "Traceback" not in served.log
