"""The plan: which ledger rows a meeting needs, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.chat import ChatRef, UserRef
from bot.meeting import Meeting, MeetingStatus
from bot.ports.ledger import ActionKind
from bot.reminders.plan import Timing, plan_following, plan_new
from bot.schedule import Instant, Once, Weekday, Weekly
from bot.timerules import to_zone

pytestmark = pytest.mark.timeout(10)

NOW = datetime(2026, 10, 14, 12, 0, tzinfo=UTC)  # Wednesday
NO_ROOM = Timing(activation_lead=None)
M10, H1, D1 = timedelta(minutes=10), timedelta(hours=1), timedelta(days=1)


def meeting(schedule: object, reminders: tuple[timedelta, ...] = (M10,)) -> Meeting:
    return Meeting(
        backend="trueconf",
        conference_id="0001",
        chat=ChatRef("console", "local", "room"),
        creator=UserRef("console", "local", "helen"),
        topic="Standup",
        schedule=schedule,  # type: ignore[arg-type]
        duration=timedelta(minutes=30),
        owner_login="helen",
        created_at=NOW,
        reminders=reminders,
        id=1,
    )


def test_once_gets_one_row_per_offset_before_its_start() -> None:
    start = NOW + timedelta(days=2)
    rows = plan_new(meeting(Once(start, "UTC"), (M10, H1, D1)), NOW, NO_ROOM)
    assert sorted(r.fire_at for r in rows) == [start - D1, start - H1, start - M10]
    assert {r.kind for r in rows} == {ActionKind.REMIND}
    assert {r.recipient for r in rows} == {"console:local:room"}


def test_offsets_whose_moment_has_passed_are_left_out() -> None:
    start = NOW + timedelta(minutes=30)  # the 1-hour reminder would be in the past
    rows = plan_new(meeting(Once(start, "UTC"), (M10, H1)), NOW, NO_ROOM)
    assert [r.offset for r in rows] == [M10]


def test_instant_past_and_cancelled_meetings_get_nothing() -> None:
    assert plan_new(meeting(Instant()), NOW, NO_ROOM) == []
    assert plan_new(meeting(Once(NOW - H1, "UTC")), NOW, NO_ROOM) == []
    cancelled = meeting(Once(NOW + D1, "UTC")).with_changes(status=MeetingStatus.CANCELLED)
    assert plan_new(cancelled, NOW, NO_ROOM) == []


def test_weekly_materialises_the_next_start_only() -> None:
    rule = Weekly(frozenset({Weekday.MONDAY}), time(9, 0), "Europe/Berlin")
    rows = plan_new(meeting(rule), NOW, NO_ROOM)
    assert [r.occurrence_start for r in rows] == [datetime(2026, 10, 19, 7, 0, tzinfo=UTC)]


def test_weekly_roll_forward_across_dst_keeps_the_local_time() -> None:
    # Berlin leaves summer time on Sunday 25 October 2026.
    rule = Weekly(frozenset({Weekday.MONDAY}), time(9, 0), "Europe/Berlin")
    first = plan_new(meeting(rule), NOW, NO_ROOM)[0]
    after = datetime(2026, 10, 19, 6, 51, tzinfo=UTC)  # the reminder was just sent
    following = plan_following(meeting(rule), first.occurrence_start, after, NO_ROOM)
    assert len(following) == 1
    second = following[0]
    assert second.fire_at - first.fire_at == timedelta(days=7, hours=1)  # UTC moved
    for row in (first, second):
        local = to_zone(row.fire_at, "Europe/Berlin")
        assert (local.hour, local.minute) == (8, 50)  # wall clock did not


def test_daily_with_a_day_ahead_reminder_plans_the_following_start_too() -> None:
    rule = Weekly(frozenset(Weekday), time(9, 0), "UTC")
    rows = plan_new(meeting(rule, (D1,)), NOW, NO_ROOM)
    # Tomorrow's start reminds today at 09:00 UTC... which is past at noon;
    # the day after tomorrow's reminds tomorrow at 09:00.
    starts = sorted(r.occurrence_start for r in rows)
    assert starts == [datetime(2026, 10, 16, 9, 0, tzinfo=UTC)]


def test_roll_forward_after_a_long_outage_skips_starts_already_past() -> None:
    rule = Weekly(frozenset({Weekday.MONDAY}), time(9, 0), "UTC")
    old_start = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
    rows = plan_following(meeting(rule), old_start, NOW, NO_ROOM)
    assert [r.occurrence_start for r in rows] == [datetime(2026, 10, 19, 9, 0, tzinfo=UTC)]


def test_room_actions_for_backends_that_need_activation() -> None:
    start = NOW + D1
    timing = Timing(activation_lead=timedelta(minutes=5))
    rows = {r.kind: r for r in plan_new(meeting(Once(start, "UTC"), ()), NOW, timing)}
    assert rows[ActionKind.ACTIVATE].fire_at == start - timedelta(minutes=5)
    assert rows[ActionKind.DEACTIVATE].fire_at == start + timedelta(minutes=30)
    assert rows[ActionKind.ACTIVATE].recipient == ""


# Monday 10:00 in Berlin against a Moscow server (no DST): the server's rule
# is 12:00 in winter and must be 11:00 from the first Monday in CEST.
BERLIN_MONDAY = Weekly(frozenset({Weekday.MONDAY}), time(10, 0), "Europe/Berlin")
MOSCOW_SERVER = Timing(activation_lead=None, server_zone="Europe/Moscow")


def test_a_server_kept_rule_gets_its_correction_before_the_first_drifting_week() -> None:
    rows = plan_new(meeting(BERLIN_MONDAY, ()), NOW, MOSCOW_SERVER)

    [row] = rows
    assert row.kind is ActionKind.CORRECT
    # 25 Oct 2026 Berlin goes back to CET: the first Monday after is 26 Oct,
    # 09:00 UTC. The old rule (11:00 Moscow) would start it at 08:00 UTC, an
    # hour early: the row fires an hour before that.
    assert row.occurrence_start == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert row.fire_at == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert row.recipient == ""


def test_an_earlier_drift_moves_the_correction_before_the_old_rules_start() -> None:
    spring = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    [row] = plan_new(meeting(BERLIN_MONDAY, ()), spring, MOSCOW_SERVER)

    assert row.occurrence_start == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # CEST
    # The old rule (12:00 Moscow = 09:00 UTC) would start it an hour late:
    # the row fires an hour before the right start.
    assert row.fire_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def test_each_correction_plans_the_next_one() -> None:
    first = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    rows = plan_following(meeting(BERLIN_MONDAY, ()), first, first, MOSCOW_SERVER)

    assert [(r.kind, r.occurrence_start) for r in rows] == [
        (ActionKind.CORRECT, datetime(2027, 3, 29, 8, 0, tzinfo=UTC))
    ]


@pytest.mark.parametrize(
    "timing",
    [
        Timing(activation_lead=None),  # no server keeps the rule
        Timing(activation_lead=None, server_zone="Europe/Berlin"),  # the same zone
        Timing(activation_lead=None, server_zone="Europe/Paris"),  # the same changes
    ],
    ids=["bridge-timed", "same-zone", "same-changes"],
)
def test_no_correction_where_nothing_drifts(timing: Timing) -> None:
    assert plan_new(meeting(BERLIN_MONDAY, ()), NOW, timing) == []


def test_a_cancelled_meeting_plans_no_correction() -> None:
    cancelled = meeting(BERLIN_MONDAY, ()).with_changes(status=MeetingStatus.CANCELLED)
    assert plan_new(cancelled, NOW, MOSCOW_SERVER) == []
