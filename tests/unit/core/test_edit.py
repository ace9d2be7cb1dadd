"""``/meet edit``: each field on both shapes of server, what the reply says,
who may edit, and what is refused (a running conference, a kind change)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.chat import Standing, UserRef
from bot.commands import CommandInput, MeetingForm
from bot.meeting import LiveState
from bot.ports.ledger import ActionKind
from bot.reply import Capabilities, Reply, Text, Title, Visibility
from bot.schedule import Once, Weekday, Weekly
from tests import fakes
from tests.unit.core.conftest import CHAT, Bridge


def reminders_at(bridge: Bridge, meeting_id: int = 1) -> list[datetime]:
    return sorted(
        action.fire_at
        for (m, action), status in bridge.uow.state.ledger.items()
        if m == meeting_id and status == "pending" and action.kind is ActionKind.REMIND
    )


async def test_a_new_date_and_time_moves_the_meeting_and_its_reminders(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 for 1h Review")  # 12:00 UTC, reminder 10 min before
    assert reminders_at(bridge) == [datetime(2026, 11, 24, 11, 50, tzinfo=UTC)]
    bridge.backend.calls.clear()

    reply = await bridge.say("edit 1 25.11 16:30")

    text = reply.plain_text()
    assert "Meeting #1 changed" in text
    assert (
        "When: Tue 24 Nov 2026, 15:00 (Europe/Moscow) → Wed 25 Nov 2026, 16:30 (Europe/Moscow)"
        in text
    )
    assert "Duration" not in text.split("Review")[0]  # only what changed is told
    assert bridge.backend.calls == ["edit"]
    new_start = datetime(2026, 11, 25, 13, 30, tzinfo=UTC)
    conference = next(iter(bridge.backend.conferences.values()))
    assert conference.spec.schedule == Once(new_start, "Europe/Moscow")
    assert bridge.uow.state.meetings[1].schedule == Once(new_start, "Europe/Moscow")
    assert reminders_at(bridge) == [new_start - timedelta(minutes=10)]


async def test_a_time_alone_keeps_the_date(bridge: Bridge) -> None:
    await bridge.say("fri 10:00 Planning")
    reply = await bridge.say("edit 1 at 4pm")
    assert "→ Fri 27 Nov 2026, 16:00 (Europe/Moscow)" in reply.plain_text()
    start = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert bridge.uow.state.meetings[1].schedule == Once(start, "Europe/Moscow")


@pytest.mark.parametrize(
    ("edit", "day"),
    [
        ("reschedule 1 friday", date(2026, 11, 27)),
        ("move 1 to friday", date(2026, 11, 27)),
        ("edit 1 friday", date(2026, 11, 27)),
        ("перенести 1 на пятницу", date(2026, 11, 27)),
        ("move 1 25.12", date(2026, 12, 25)),
        ("move 1 2026-12-25", date(2026, 12, 25)),
    ],
)
async def test_a_date_alone_keeps_the_time_and_the_duration(
    bridge: Bridge, edit: str, day: date
) -> None:
    # From a new user's trial: "move 1 friday" asked for a start time.
    await bridge.say("tomorrow 16:30 for 45m Review")  # 13:30 UTC
    bridge.backend.calls.clear()

    reply = await bridge.say(edit)

    assert not reply.is_error
    new_start = datetime(day.year, day.month, day.day, 13, 30, tzinfo=UTC)
    stored = bridge.uow.state.meetings[1]
    assert stored.schedule == Once(new_start, "Europe/Moscow")
    assert stored.duration == timedelta(minutes=45)
    assert bridge.backend.calls == ["edit"]
    assert reminders_at(bridge) == [new_start - timedelta(minutes=10)]


async def test_a_date_alone_tells_the_change_old_to_new(bridge: Bridge) -> None:
    await bridge.say("tomorrow 16:30 for 45m Review")
    text = (await bridge.say("move 1 friday")).plain_text()
    assert "Meeting #1 changed" in text
    assert (
        "When: Tue 24 Nov 2026, 16:30 (Europe/Moscow) → Fri 27 Nov 2026, 16:30 (Europe/Moscow)"
        in text
    )
    assert "Duration" not in text.split("Review")[0]


async def test_a_date_alone_keeps_the_wall_clock_time_across_a_clock_change(
    bridge: Bridge,
) -> None:
    london = "Europe/London"
    await bridge.say("tomorrow 16:30 Review", zone=london)  # GMT: 16:30 UTC
    await bridge.say("move 1 2027-04-01", zone=london)  # BST: 15:30 UTC
    start = datetime(2027, 4, 1, 15, 30, tzinfo=UTC)
    assert bridge.uow.state.meetings[1].schedule == Once(start, london)


async def test_a_date_alone_keeps_the_time_in_the_meetings_own_zone(bridge: Bridge) -> None:
    await bridge.say("tomorrow 16:30 Review")  # Moscow, 13:30 UTC
    await bridge.say("move 1 friday", zone="Europe/London")  # 13:30 there, not 16:30
    start = datetime(2026, 11, 27, 13, 30, tzinfo=UTC)
    assert bridge.uow.state.meetings[1].schedule == Once(start, "Europe/Moscow")


@pytest.mark.parametrize(
    ("made", "edit", "says"),
    [
        # It is 11:00 in Moscow: today at 10:00 has passed.
        (
            "tomorrow 10:00 Review",
            "move 1 today",
            "cannot move to Mon 23 Nov 2026, 10:00 (Europe/Moscow): that is already past",
        ),
        # The clocks skip 01:00-02:00 in London on 28 March 2027.
        (
            "tomorrow 01:30 Review",
            "move 1 2027-03-28",
            "2027-03-28 01:30 does not exist in Europe/London",
        ),
        # A weekly meeting is never made one-time by a date: its days are named.
        ("weekly mon,wed 10:00 Standup", "move 1 friday", "/meet edit 1 weekly fri"),
        ("weekly mon,wed 10:00 Standup", "перенести 1 на пятницу", "/meet edit 1 weekly fri"),
    ],
)
async def test_what_a_date_alone_cannot_do_is_said_and_nothing_changes(
    bridge: Bridge, made: str, edit: str, says: str
) -> None:
    london = "Europe/London" if "2027-03-28" in edit else None
    await bridge.say(made, zone=london)
    before = bridge.uow.state.meetings[1]
    bridge.backend.calls.clear()
    reply = await bridge.say(edit, zone=london)
    assert reply.is_error
    assert says in reply.plain_text()
    assert "edit" not in bridge.backend.calls
    assert bridge.uow.state.meetings[1] == before


async def test_a_date_alone_past_the_calendars_end_is_not_a_date(bridge: Bridge) -> None:
    # From an attacker's trial: 23:30 in New York on 9999-12-31 is past the
    # last day UTC has room for; the edit failed as "something went wrong".
    await bridge.say("tomorrow 23:30 Review", zone="America/New_York")
    before = bridge.uow.state.meetings[1]
    reply = await bridge.say("move 1 9999-12-31", zone="America/New_York")
    assert reply.is_error
    assert "“9999-12-31” is not a date in the calendar" in reply.plain_text()
    assert bridge.uow.state.meetings[1] == before


async def test_a_weekly_meeting_is_told_its_days_in_russian(bridge: Bridge) -> None:
    await bridge.say("язык ru")
    await bridge.say("еженедельно пн,ср 10:00 Планёрка")
    reply = await bridge.say("перенести 1 на пятницу")
    assert reply.is_error
    assert "/meet изменить 1 еженедельно пт" in reply.plain_text()


async def test_duration_and_topic(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 for 1h Sync")
    reply = await bridge.say('edit 1 for 45m "Quarterly review"')
    text = reply.plain_text()
    assert "Duration: 1 h → 45 min" in text
    assert "Topic: “Sync” → “Quarterly review”" in text
    stored = bridge.uow.state.meetings[1]
    assert (stored.duration, stored.topic) == (timedelta(minutes=45), "Quarterly review")
    assert bridge.backend.calls[-1] == "edit"


async def test_a_weekly_meeting_gets_new_days_and_time(bridge: Bridge) -> None:
    await bridge.say("weekly mon,wed 10:00 for 30m Standup")
    reply = await bridge.say("edit 1 weekly tue,thu 09:30")
    assert "→ weekly, Tue, Thu at 09:30" in reply.plain_text()
    rule = Weekly(frozenset({Weekday.TUESDAY, Weekday.THURSDAY}), time(9, 30), "Europe/Moscow")
    assert bridge.uow.state.meetings[1].schedule == rule
    assert reminders_at(bridge)[0] == datetime(2026, 11, 24, 6, 20, tzinfo=UTC)

    await bridge.say("edit 1 at 11:00")  # a time alone keeps the days
    assert bridge.uow.state.meetings[1].schedule == Weekly(rule.days, time(11), "Europe/Moscow")

    reply = await bridge.say("edit 1 weekly fri")  # days alone keep the time
    assert "→ weekly, Fri at 11:00" in reply.plain_text()
    fridays = Weekly(frozenset({Weekday.FRIDAY}), time(11), "Europe/Moscow")
    assert bridge.uow.state.meetings[1].schedule == fridays


@pytest.mark.parametrize(
    ("made", "edit", "says"),
    [
        ("weekly mon 10:00 Standup", "edit 1 tomorrow 15:00", "is weekly: a date moves"),
        ("tomorrow 15:00 Review", "edit 1 weekly mon 10:00", "is a one-time meeting"),
        ("tomorrow 15:00 Review", "edit 1 weekly mon", "is a one-time meeting"),
        ("now Incident", "edit 1 at 16:00", "started at once"),
        ("tomorrow 15:00 Review", "edit 1", "What should change in #1?"),
    ],
)
async def test_what_an_edit_cannot_do_is_said_and_nothing_is_sent(
    bridge: Bridge, made: str, edit: str, says: str
) -> None:
    await bridge.say(made)
    bridge.backend.calls.clear()
    reply = await bridge.say(edit)
    assert reply.is_error
    assert says in reply.plain_text()
    assert "edit" not in bridge.backend.calls


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ("edit 1 Review", "Meeting #1 already has the topic “Review”; nothing changed."),
        (
            "edit 1 tomorrow 15:00 for 1h",
            "Meeting #1 already has the time Tue 24 Nov 2026, 15:00 (Europe/Moscow) "
            "and the duration 1 h; nothing changed.",
        ),
        ("rename 1 Review", "Meeting #1 already has the topic “Review”; nothing changed."),
    ],
)
async def test_nothing_new_sends_nothing_and_says_what_already_is(
    bridge: Bridge, edit: str, says: str
) -> None:
    # It said "Meeting #1 already is so", and rename "“Review” is now “Review”".
    await bridge.say("tomorrow 15:00 for 1h Review")
    bridge.backend.calls.clear()
    reply = await bridge.say(edit)
    assert reply.plain_text() == says
    assert bridge.backend.calls == []


async def test_nothing_new_is_said_in_russian(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    await bridge.say("lang ru")
    reply = await bridge.say("переименовать 1 Review")
    assert reply.plain_text() == "У встречи #1 уже тема «Review»; ничего не изменилось."


async def test_a_running_trueconf_conference_refuses_and_says_which_fields(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 for 1h Review")
    await bridge.say("start 1")
    bridge.backend.calls.clear()

    reply = await bridge.say('edit 1 16:00 for 30m "New"')

    assert reply.is_error
    text = reply.plain_text()
    assert "Meeting #1 is running now" in text
    assert "the time, the duration, the topic" in text
    assert bridge.backend.calls == []  # the bridge knew: no request at all
    assert bridge.uow.state.meetings[1].topic == "Review"


async def test_the_servers_refusal_while_running_is_told_the_same_way(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review")
    # Started on the server behind the bridge's back: only the server knows.
    next(iter(bridge.backend.conferences.values())).state = "running"
    reply = await bridge.say("edit 1 New topic")
    assert reply.is_error
    assert "the server does not let the topic change" in reply.plain_text()
    assert bridge.backend.calls[-1] == "edit"
    assert bridge.uow.state.meetings[1].topic == "Review"


async def test_an_open_callaba_room_takes_every_change(callaba_bridge: Bridge) -> None:
    bridge = callaba_bridge
    await bridge.say("tomorrow 15:00 Review")
    await bridge.say("start 1")
    reply = await bridge.say("edit 1 16:00 New")
    assert not reply.is_error
    assert bridge.uow.state.meetings[1].topic == "New"


async def test_a_store_failure_leaves_neither_and_puts_the_server_back(
    bridge: Bridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bridge.say("tomorrow 15:00 Review")
    before = bridge.uow.state.meetings[1]
    planned = reminders_at(bridge)

    async def broken(*args: object) -> None:
        raise RuntimeError("the ledger is down")

    monkeypatch.setattr(fakes._Ledger, "replace_pending", broken)
    reply = await bridge.say("edit 1 16:00 New")

    assert reply.is_error
    assert "could not be saved" in reply.plain_text()
    assert bridge.uow.state.meetings[1] == before
    assert reminders_at(bridge) == planned
    assert bridge.backend.calls[-2:] == ["edit", "edit"]  # the change, then the way back
    conference = next(iter(bridge.backend.conferences.values()))
    assert conference.spec.topic == "Review"
    assert conference.spec.schedule == before.schedule


async def test_only_the_creator_a_chat_admin_or_a_bridge_admin_may_edit(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Mine", user="helen")

    refused = await bridge.say("edit 1 Theirs", user="mallory")
    assert refused.is_error
    assert bridge.uow.state.meetings[1].topic == "Mine"
    assert "edit" not in bridge.backend.calls

    admin = await bridge.say("edit 1 Admins", user="ada", standing=Standing.CHAT_ADMIN)
    assert not admin.is_error
    assert bridge.uow.state.meetings[1].topic == "Admins"


async def test_an_ended_meeting_moved_ahead_is_scheduled_again(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    await bridge.say("start 1")
    await bridge.say("stop 1")
    assert bridge.uow.state.meetings[1].state is LiveState.ENDED
    await bridge.say("edit 1 26.11 15:00")
    moved = bridge.uow.state.meetings[1]
    assert moved.state is LiveState.SCHEDULED
    assert "· scheduled ·" in (await bridge.say("list")).plain_text()


async def test_rename_is_an_edit_of_the_topic(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Sync")
    reply = await bridge.say("rename 1 Retro")
    assert reply.plain_text() == "Meeting #1 “Sync” is now “Retro”."
    assert bridge.backend.calls[-1] == "edit"


async def test_russian(bridge: Bridge) -> None:
    await bridge.say("язык ru")
    await bridge.say("завтра 15:00 на 1ч Обзор")
    reply = await bridge.say("перенести 1 в 17:00 на 30м")
    text = reply.plain_text()
    assert "Встреча #1 изменена" in text
    assert "Длительность: 1 ч → 30 мин" in text


async def test_edit_alone_opens_the_filled_in_form_where_the_messenger_has_one(
    bridge: Bridge,
) -> None:
    await bridge.say("tomorrow 15:00 for 45m Review")
    command_input = CommandInput(
        text="edit 1",
        chat=CHAT,
        user=UserRef("console", "local", "helen", "helen"),
    )
    reply = await bridge.service.handle(command_input, Capabilities(modals=True))

    assert reply.visibility is Visibility.PRIVATE
    assert reply.form == MeetingForm(
        at=time(15, 0),
        day=date(2026, 11, 24),
        duration=timedelta(minutes=45),
        topic="Review",
        meeting_ref="1",
    )

    # Submitted unchanged but for the time: an edit of the time alone.
    submitted = replace(reply.form, at=time(16, 0))
    saved = await bridge.service.handle(
        replace(command_input, text="", command=submitted), Capabilities(modals=True)
    )
    assert "When: Tue 24 Nov 2026, 15:00" in saved.plain_text()
    assert "Topic" not in saved.plain_text().split("Review")[0]
    assert bridge.uow.state.meetings[1].schedule == Once(
        datetime(2026, 11, 24, 13, 0, tzinfo=UTC), "Europe/Moscow"
    )


async def test_a_bare_hour_is_asked_with_the_line_for_each_reading(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    bridge.backend.calls.clear()

    reply = await bridge.say("edit 1 at 3")

    text = reply.plain_text()
    assert reply.visibility is Visibility.PRIVATE
    # Each reading names the meeting's day in words, as a new meeting's do.
    assert "Tue 24 Nov 2026, 03:00 (Europe/Moscow): /meet edit 1 at 03:00" in text
    assert "Tue 24 Nov 2026, 15:00 (Europe/Moscow): /meet edit 1 at 15:00" in text
    assert bridge.backend.calls == []  # nothing guessed, nothing sent


async def test_a_bare_hour_of_a_weekly_meeting_names_its_days(bridge: Bridge) -> None:
    await bridge.say("weekly mon,wed 10:00 Standup")

    text = (await bridge.say("edit 1 at 9")).plain_text()

    assert "Mon, Wed at 09:00 (Europe/Moscow): /meet edit 1 at 09:00" in text
    assert "Mon, Wed at 21:00 (Europe/Moscow): /meet edit 1 at 21:00" in text


async def test_a_bare_hour_of_no_such_meeting_is_still_asked(bridge: Bridge) -> None:
    text = (await bridge.say("edit 7 at 3")).plain_text()
    assert "03:00, on the same day (or days): /meet edit 7 at 03:00" in text


async def test_a_run_past_its_end_is_not_taken_for_running(trueconf_bridge: Bridge) -> None:
    bridge = trueconf_bridge
    await bridge.say("today 12:00 for 30m Review")  # 09:00-09:30 UTC
    await bridge.say("start 1")
    bridge.clock.advance(timedelta(hours=2))  # the server ended it at 09:30
    next(iter(bridge.backend.conferences.values())).state = "stopped"

    reply = await bridge.say("edit 1 25.11 10:00")

    assert not reply.is_error, reply.plain_text()
    assert bridge.backend.calls[-1] == "edit"
    assert bridge.uow.state.meetings[1].state is LiveState.SCHEDULED


async def test_a_weekly_form_shows_the_rule_on_the_readers_clock(bridge: Bridge) -> None:
    await bridge.say("weekly mon,wed 01:30 for 30m Early")  # Moscow: Sun, Tue 22:30 in London
    command_input = CommandInput(
        text="edit 1",
        chat=CHAT,
        user=UserRef("console", "local", "helen", "helen"),
        user_timezone="Europe/London",
    )
    reply = await bridge.service.handle(command_input, Capabilities(modals=True))
    assert reply.form is not None
    assert reply.form.at == time(22, 30)
    assert reply.form.days == frozenset({Weekday.SUNDAY, Weekday.TUESDAY})
    assert reply.form.day is None


def state_after_title(reply: Reply) -> str:
    """The line under the card's title: the meeting's state."""
    at = next(i for i, b in enumerate(reply.blocks) if isinstance(b, Title))
    following = reply.blocks[at + 1]
    assert isinstance(following, Text)
    return following.text


async def test_the_card_after_an_edit_shows_the_state_as_info_does(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")

    edited = await bridge.say("move 1 16:00")
    info = await bridge.say("info 1")

    assert not edited.is_error, edited.plain_text()
    assert state_after_title(edited) == state_after_title(info) == "● Scheduled"


async def test_the_card_after_an_edit_of_a_running_meeting_says_it_runs(
    callaba_bridge: Bridge,
) -> None:
    bridge = callaba_bridge
    await bridge.say("now Call")

    edited = await bridge.say("edit 1 New topic")
    info = await bridge.say("info 1")

    assert not edited.is_error, edited.plain_text()
    running = "▶ Running now, nobody in yet"
    assert state_after_title(edited) == state_after_title(info) == running


@pytest.mark.parametrize(
    ("made", "edit", "lang", "says"),
    [
        ("tomorrow 15:00 Review", "edit 1", "en", "/meet edit 1 <date> <time>, "),
        ("tomorrow 15:00 Review", "изменить 1", "ru", "/meet изменить 1 <дата> <время>, "),
        # The day of the date typed and the time typed: nothing made up.
        ("weekly mon 10:00 Standup", "edit 1 tomorrow 15:00", "en", "edit 1 weekly tue 15:00."),
        (
            "weekly mon 10:00 Standup",
            "изменить 1 завтра 15:00",
            "ru",
            "/meet изменить 1 еженедельно вт 15:00.",
        ),
        ("tomorrow 15:00 Review", "edit 1 weekly mon 10:00", "en", "(/meet edit 1 <date> <time>)"),
        (
            "tomorrow 15:00 Review",
            "изменить 1 еженедельно пн 10:00",
            "ru",
            "(/meet изменить 1 <дата> <время>)",
        ),
    ],
)
async def test_the_lines_shown_for_the_meeting_leave_its_time_to_give(
    bridge: Bridge, made: str, edit: str, lang: str, says: str
) -> None:
    # "edit 1" was shown "/meet edit 1 tomorrow 16:00", and a weekly meeting
    # given a date "/meet edit 1 at 10:00": copied, each moved the person's
    # meeting to a time they never chose.
    await bridge.say(made)
    await bridge.say(f"lang {lang}")
    reply = await bridge.say(edit)
    assert reply.is_error
    assert says in reply.plain_text()
    assert "16:00" not in reply.plain_text()


async def test_a_date_and_time_given_to_a_weekly_meeting_offers_its_day_and_that_time(
    bridge: Bridge,
) -> None:
    # From a new user's trial: "move 2 tue 11:00" was answered with
    # /meet edit 2 weekly <days> <time>, the day and time typed left to retype.
    await bridge.say("weekly mon 10:00 Standup")
    bridge.backend.calls.clear()
    reply = await bridge.say("move 1 fri 11:00")
    assert reply.is_error
    assert reply.plain_text().endswith("/meet edit 1 weekly fri 11:00.")
    assert "edit" not in bridge.backend.calls
    await bridge.say("edit 1 weekly fri 11:00")
    fridays = Weekly(frozenset({Weekday.FRIDAY}), time(11), "Europe/Moscow")
    assert bridge.uow.state.meetings[1].schedule == fridays
