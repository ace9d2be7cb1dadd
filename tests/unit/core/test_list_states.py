"""``list`` says where each meeting stands and leaves ended one-time meetings
out (``list all`` shows them); ``list mine`` is the person's next meetings,
soonest first, found by their linked login too."""

from __future__ import annotations

from datetime import timedelta

from bot.chat import ChatRef, UserRef
from bot.commands import CommandInput, GuestLink
from bot.meeting import LiveState
from bot.reply import Action, ActionKind, Actions, Capabilities, Reply
from tests.unit.core.conftest import CHAT, Bridge


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


async def test_each_state_is_named_and_an_ended_one_time_meeting_leaves_the_list(
    bridge: Bridge,
) -> None:
    await bridge.say("today 12:00 for 30m Soon")  # 09:00 UTC; now is 08:00 UTC
    await bridge.say("weekly mon 10:00 for 30m Weekly")
    await bridge.say("now Incident")
    listing = lines((await bridge.say("list")).plain_text())
    assert [line.split(" — ")[0] for line in listing] == ["#1 Soon", "#2 Weekly", "#3 Incident"]
    assert "· scheduled ·" in listing[0]
    assert "· scheduled ·" in listing[1]
    assert "· running ·" in listing[2]

    bridge.clock.advance(timedelta(hours=1, minutes=10))  # Soon runs by its schedule
    assert "· running ·" in lines((await bridge.say("list")).plain_text())[0]

    bridge.clock.advance(timedelta(minutes=30))  # and has ended
    shown = (await bridge.say("list")).plain_text()
    assert "Soon" not in shown
    assert "Ended: 1. See them with /meet list all" in shown
    everything = lines((await bridge.say("list all")).plain_text())
    assert "#1 Soon" in everything[0]
    assert "(past) · ended ·" in everything[0]


async def test_a_stopped_weekly_meeting_is_scheduled_for_its_next_occurrence(
    bridge: Bridge,
) -> None:
    await bridge.say("weekly mon 11:00 for 1h Weekly")  # Monday 11:00 Moscow: now
    bridge.clock.advance(timedelta(minutes=5))
    assert "· running ·" in lines((await bridge.say("list")).plain_text())[0]
    # TrueConf starts it on schedule, Callaba's room is opened by the ledger:
    # the server has it running, or it would refuse the stop.
    [conference_id] = bridge.backend.conferences
    await bridge.backend.start(conference_id)

    await bridge.say("stop 1")

    line = lines((await bridge.say("list")).plain_text())[0]
    assert "· scheduled ·" in line
    assert "next: Mon 30 Nov 2026" in line


async def test_the_number_in_is_shown_while_it_runs(bridge: Bridge) -> None:
    await bridge.say("now Incident")
    async with bridge.uow() as uow:
        await uow.meetings.record_state(1, LiveState.RUNNING, since=bridge.clock.now(), people_in=4)
        await uow.commit()

    assert "· running, 4 in ·" in (await bridge.say("list")).plain_text()


async def test_list_mine_is_in_start_order_not_creation_order(bridge: Bridge) -> None:
    await bridge.say("fri 10:00 Friday")
    await bridge.say("tomorrow 10:00 Tuesday")
    await bridge.say("weekly wed 10:00 Wednesdays")
    await bridge.say("today 12:00 for 30m Past")
    bridge.clock.advance(timedelta(hours=2))  # "Past" has ended

    mine = lines((await bridge.say("list mine")).plain_text())

    assert [line.split(" — ")[0] for line in mine] == ["#2 Tuesday", "#3 Wednesdays", "#1 Friday"]
    every = lines((await bridge.say("list mine all")).plain_text())
    assert [line.split(" — ")[0] for line in every][-1] == "#4 Past"


async def test_list_mine_shows_the_first_twenty_and_says_how_many_more(bridge: Bridge) -> None:
    for day in range(25, 0, -1):  # created latest first
        await bridge.say(f"{day}.12.2026 10:00 Day {day}")

    text = (await bridge.say("list mine")).plain_text()

    shown = lines(text)
    assert len(shown) == 20
    assert shown[0].startswith("#25 Day 1 —")
    assert shown[-1].startswith("#6 Day 20 —")
    assert "…and 5 more" in text


async def test_list_mine_finds_a_meeting_the_person_was_invited_to_by_their_login(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    # bob is linked to the server account "bob"; helen invites "@bob" by name.
    async with bridge.uow() as uow:
        bob = UserRef("console", "local", "bob", "bob")
        await uow.links.set(bob, "bob", linked_by=bob)
        await uow.commit()
    await bridge.say("tomorrow 10:00 Review @bob")
    invitee = bridge.uow.state.meetings[1].invitees[0]
    assert (invitee.login, invitee.user_id) == ("bob", "")  # no messenger account on it

    mine = (await bridge.say("list mine", user="bob")).plain_text()
    assert "#1 Review" in mine
    assert "#1 Review" not in (await bridge.say("list mine", user="carol")).plain_text()


async def test_a_run_started_by_hand_ends_with_its_scheduled_end(bridge: Bridge) -> None:
    await bridge.say("today 12:00 for 30m Early")  # 09:00-09:30 UTC; now 08:00
    await bridge.say("weekly mon 12:00 for 30m Weekly")
    await bridge.say("start 1")
    await bridge.say("start 2")
    listing = lines((await bridge.say("list")).plain_text())
    assert all("· running ·" in line for line in listing)

    bridge.clock.advance(timedelta(hours=1, minutes=40))  # 09:40 UTC: both have ended

    [weekly] = lines((await bridge.say("list")).plain_text())  # "Early" has ended
    assert "· scheduled ·" in weekly
    assert "next: Mon 30 Nov 2026, 12:00" in weekly
    assert "(past) · ended" in (await bridge.say("list all")).plain_text()

    # Next Monday, 12:10 in Moscow: that occurrence runs by itself.
    bridge.clock.advance(timedelta(days=7, minutes=-30))
    assert "· running ·" in lines((await bridge.say("list")).plain_text())[0]


async def test_a_meeting_started_ahead_of_its_time_says_so_beside_that_time(
    bridge: Bridge,
) -> None:
    await bridge.say("lang en")
    await bridge.say("tomorrow 12:00 for 30m Review")  # now: Monday 11:00 Moscow
    await bridge.say("weekly fri 12:00 for 30m Weekly")
    await bridge.say("start 1")
    await bridge.say("start 2")

    listing = lines((await bridge.say("list")).plain_text())
    assert listing[0].startswith(
        "#1 Review — Tue 24 Nov 2026, 12:00 (Europe/Moscow), started early: Mon 23 Nov 2026, 11:00"
    )
    assert "started early: Mon 23 Nov 2026, 11:00" in listing[1]
    card = (await bridge.say("show 1")).plain_text()
    assert "When: Tue 24 Nov 2026, 12:00 (Europe/Moscow), started early: Mon 23 Nov" in card

    await bridge.say("stop 2")  # the weekly one: scheduled again, started by nobody
    assert "started early" not in lines((await bridge.say("list")).plain_text())[1]


async def test_list_mine_in_another_chat_offers_no_presses_on_meetings_that_live_elsewhere(
    bridge: Bridge,
) -> None:
    # A press runs in the chat it is made in: a button on another chat's meeting
    # could only answer "no meeting #1 in this chat".
    await bridge.say("tomorrow 10:00 Room meeting")  # in CHAT, by helen
    private = ChatRef("console", "local", "helen-private")

    async def mine_in(chat: ChatRef, capabilities: Capabilities) -> Reply:
        command_input = CommandInput(
            text="list mine",
            chat=chat,
            user=UserRef("console", "local", "helen", "helen"),
            # Read where it is asked (the other test: asked in a group).
            is_private_chat=True,
        )
        return await bridge.service.handle(command_input, capabilities)

    def presses(reply: Reply) -> list[Action]:
        return [a for block in reply.blocks if isinstance(block, Actions) for a in block.items]

    buttons = Capabilities(buttons=True)
    elsewhere = await mine_in(private, buttons)
    assert "#1 Room meeting" in elsewhere.plain_text()
    assert presses(elsewhere) == []
    assert "Meetings of other chats have no buttons here" in elsewhere.plain_text()

    at_home = await mine_in(CHAT, buttons)
    assert presses(at_home), "the meeting's own chat keeps its buttons"
    assert "other chats" not in at_home.plain_text()

    # Slack's App Home takes a press to the meeting's own channel.
    routed = await mine_in(private, Capabilities(buttons=True, presses_find_meeting=True))
    assert {a.kind for a in presses(routed)} == {a.kind for a in presses(at_home)}


async def test_list_mine_asked_in_a_group_offers_no_presses_where_its_answer_lands(
    bridge: Bridge,
) -> None:
    """From a group, without ephemeral messages (Telegram, TrueConf chat), the
    list goes to the person's private chat, where a press runs: a button on
    the group's meeting (a guest link) could only answer "no meeting" there.
    Slack's ephemeral list stays in the channel and keeps them."""
    await bridge.say("tomorrow 10:00 Room meeting")  # in CHAT (a group), by helen

    async def mine(capabilities: Capabilities) -> Reply:
        command_input = CommandInput(
            text="list mine", chat=CHAT, user=UserRef("console", "local", "helen", "helen")
        )
        return await bridge.service.handle(command_input, capabilities)

    def kinds(reply: Reply) -> set[ActionKind]:
        return {a.kind for b in reply.blocks if isinstance(b, Actions) for a in b.items}

    moved = await mine(Capabilities(buttons=True))
    assert "#1 Room meeting" in moved.plain_text()
    assert kinds(moved) == set(), "no guest link, no cancel on a meeting of another chat"
    assert "Meetings of other chats have no buttons here" in moved.plain_text()

    ephemeral = await mine(Capabilities(buttons=True, ephemeral=True))
    assert ActionKind.CANCEL in kinds(ephemeral)
    assert "other chats" not in ephemeral.plain_text()


async def test_a_forged_guest_press_for_another_chats_meeting_is_refused(
    bridge: Bridge,
) -> None:
    """Anyone can send any button data: a guest link asked in one chat for a
    meeting of another is "no meeting", and the server is not asked."""
    await bridge.say("tomorrow 10:00 Room meeting")  # in CHAT, by helen
    elsewhere = ChatRef("console", "local", "helen-private")
    forged = CommandInput(
        text="",
        command=GuestLink("1"),
        chat=elsewhere,
        user=UserRef("console", "local", "helen", "helen"),
        is_private_chat=True,
    )
    reply = await bridge.service.handle(forged, Capabilities(buttons=True))
    assert reply.is_error
    assert "no meeting 1" in reply.plain_text().lower()
    assert "guest_access" not in bridge.backend.calls
