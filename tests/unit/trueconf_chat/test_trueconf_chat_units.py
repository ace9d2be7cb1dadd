"""The TrueConf chat adapter's pure parts: reading messages (mentions by id,
markup, the bot's name) and rendering replies (escaping, buttons by chat)."""

from __future__ import annotations

from adapters.trueconf_chat.confirm import pressed as confirm_pressed
from adapters.trueconf_chat.confirm import who_asks
from adapters.trueconf_chat.handlers import without_choices
from adapters.trueconf_chat.inbound import Reader
from adapters.trueconf_chat.render import buttons, render, withheld
from bot.catalogue import CATALOGUE
from bot.chat import Mention, UserRef
from bot.commands import CancelMeeting, GuestLink, LinkAccount, MeetingCalendar, PickChoice
from bot.reply import Action, ActionKind, Actions, Link, LinkKind, Links, Reply, Text, Title

ME = "meetbot@video.example.com/conn-1"


def _reader() -> Reader:
    return Reader("video.example.com", ME)


def test_a_mention_is_a_resolved_mention_by_login() -> None:
    text = '/meet now Sync <a href="trueconf:bob@video.example.com">Bob Baker</a>'
    found = _reader().command(text, "html", mentioned=False)
    assert found == ("now Sync <@bob|Bob Baker>", (Mention("Bob Baker", user_id="bob"),))


def test_a_mention_of_another_servers_account_invites_nobody() -> None:
    text = '/meet now Sync <a href="trueconf:eve@elsewhere.org">Eve</a>'
    assert _reader().command(text, "html", mentioned=False) == ("now Sync Eve", ())


def test_the_bots_own_mention_calls_it() -> None:
    text = '<a href="trueconf:meetbot@video.example.com">Bot</a> tomorrow 15:00 Review'
    assert _reader().command(text, "html", mentioned=True) == ("tomorrow 15:00 Review", ())


def test_other_messages_are_not_for_the_bot() -> None:
    assert _reader().command("hello /meet", "text", mentioned=False) is None
    assert _reader().command("/help", "text", mentioned=False) == ("help", ())


def test_a_forged_placeholder_is_only_text() -> None:
    assert _reader().command("/meet now \x009\x00 x", "html", mentioned=False) == ("now 9 x", ())


def test_markup_and_entities_are_read_as_text() -> None:
    found = _reader().command("/meet now <b>A&amp;B</b><br>x", "html", mentioned=False)
    assert found == ("now A&B\nx", ())


def test_the_speaker_on_this_server_is_their_login() -> None:
    user = _reader().user("alice@video.example.com/web-1")
    assert (user.platform, user.workspace_id, user.user_id) == (
        "trueconf_chat",
        "video.example.com",
        "alice",
    )
    assert _reader().user("eve@elsewhere.org").user_id == "eve@elsewhere.org"


def _card() -> Reply:
    return Reply(
        (
            Title("<script>Sync & co</script>"),
            Links(
                (
                    Link("Browser", "https://video.example.com/c/1", LinkKind.BROWSER),
                    Link("Open in TrueConf app", "trueconf:c/1@video.example.com", LinkKind.APP),
                    Link("Android", "intent://c/1#Intent;end", LinkKind.ANDROID),
                )
            ),
            Actions(
                (
                    Action(ActionKind.JOIN, "Join", 1),
                    Action(ActionKind.CALENDAR, "Add to calendar", 1, command=MeetingCalendar("1")),
                    Action(ActionKind.GUEST, "Guest link", 1, command=GuestLink("1")),
                    Action(ActionKind.CANCEL, "Cancel", 1, command=CancelMeeting("1")),
                )
            ),
        )
    )


def test_what_people_typed_is_escaped() -> None:
    (message,) = render(_card(), personal=True)
    assert "&lt;script&gt;Sync &amp; co&lt;/script&gt;" in message.text
    assert "<script>" not in message.text
    # trueconf: opens in the chat itself; intent: does not, it stays text.
    assert '<a href="trueconf:c/1@video.example.com">' in message.text
    assert '<a href="intent:' not in message.text


def test_a_personal_chat_gets_every_press_a_group_only_the_calendar() -> None:
    personal = [b for row in buttons(_card(), personal=True) for b in row]
    group = [b for row in buttons(_card(), personal=False) for b in row]
    assert [b["label"] for b in personal] == [
        "Join",
        "Open in TrueConf app",
        "Add to calendar",
        "Guest link",
        "Cancel",
    ]
    assert [b["label"] for b in group] == ["Join", "Open in TrueConf app", "Add to calendar"]
    calendar = group[2]
    assert CATALOGUE.pressed(calendar["command"]) == MeetingCalendar("1")
    assert withheld(_card(), personal=False)
    assert not withheld(_card(), personal=True)


def test_a_long_reply_is_split_with_the_buttons_on_the_last_message() -> None:
    long = Reply((Text("x" * 3000 + "\n" + "y" * 3000), *_card().blocks[1:]))
    messages = render(long, personal=True)
    assert len(messages) == 2
    assert all(len(m.text) <= 4096 for m in messages)
    assert messages[0].buttons == ()
    assert messages[1].buttons


def test_only_well_formed_confirm_and_refuse_buttons_are_read() -> None:
    token = "A" * 43
    assert confirm_pressed(f"link-ok:{token}") == (True, token)
    assert confirm_pressed(f"link-no:{token}") == (False, token)
    assert confirm_pressed("link-ok:short") is None
    assert confirm_pressed(f"link-ok:{token}:x") is None
    assert confirm_pressed("m2:cal:1") is None
    assert confirm_pressed(None) is None


def test_a_link_question_names_the_requester_by_what_nobody_else_has() -> None:
    impostor = UserRef("telegram", "", "777", "Alice Smith", handle="mallory")
    alice = UserRef("telegram", "", "4242", "Alice Smith", handle="")
    assert who_asks(impostor) == "Alice Smith (@mallory, id 777)"
    assert who_asks(alice) == "Alice Smith (id 4242)"
    assert who_asks(UserRef("slack", "T1", "U9", "", handle="U9")) == "id U9"


# A question's answer button, and a link approval's.
CHOOSE = Action(ActionKind.CHOOSE, "Mon 7 Dec, 15:00", 0, command=PickChoice("k", 1))
APPROVE = Action(
    ActionKind.APPROVE_LINK,
    "Approve",
    0,
    subject="bob",
    command=LinkAccount("", Mention("b", user_id="bob")),
)


def test_a_question_or_link_approval_keeps_its_buttons_and_no_other_chats_note() -> None:
    for action in (CHOOSE, APPROVE):
        reply = Reply((Text("Which one?"), Actions((action,))))
        (sent,) = render(reply, personal=True)
        assert sent.text == "Which one?"
        assert [b["label"] for row in sent.buttons for b in row] == [action.label]


def test_a_groups_question_moved_to_the_personal_chat_loses_only_its_answer_buttons() -> None:
    # Its answers are bound to the group: a press in the personal chat finds nothing.
    reply = Reply((Text("Which one?"), Actions((CHOOSE, APPROVE))))
    (sent,) = render(without_choices(reply), personal=True)
    assert sent.text == "Which one?"
    assert [b["label"] for row in sent.buttons for b in row] == ["Approve"]
