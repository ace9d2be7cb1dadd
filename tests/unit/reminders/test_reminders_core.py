"""The remind command, cancel and replan, delivery and the downtime policy,
through the command service and the performer on a fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import DeliveryError
from bot.ports.ledger import ActionKind as PlanKind
from bot.ports.ledger import Status
from bot.reminders.delivery import DeliveryPolicy, Done, Forfeited, Retry
from bot.reminders.repair import LedgerRepair
from bot.reply import ActionKind, Actions, Capabilities, Copyable, LinkKind, Links
from tests.unit.reminders.support import NOW, make_core

pytestmark = pytest.mark.timeout(10)

MIN = timedelta(minutes=1)
WEEK = timedelta(days=7)


async def test_new_meeting_gets_the_configured_default() -> None:
    core = make_core()
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    assert row.offset == 10 * MIN
    assert core.meeting().reminders == (10 * MIN,)


async def test_chat_default_then_remind_sets_and_replans() -> None:
    core = make_core()
    reply = await core.say("remind default 1h")
    assert "1 h" in reply.plain_text()
    await core.say("tomorrow 15:00 Review")
    assert [r.offset for r in core.ledger()] == [60 * MIN]
    await core.say("remind 1 10m,1d")
    assert sorted(r.offset for r in core.ledger()) == [10 * MIN, 24 * 60 * MIN]
    info = (await core.say("info 1")).plain_text()
    assert "Next reminder" in info
    await core.say("remind 1 off")
    assert core.ledger() == {}
    assert "no reminders" in (await core.say("info 1")).plain_text()


async def test_remind_speaks_russian_and_rejects_bad_offsets_losing_nothing() -> None:
    core = make_core()
    await core.say("lang ru")
    await core.say("завтра 15:00 Обзор")
    before = dict(core.ledger())
    reply = await core.say("напомнить 1 10x")
    assert reply.is_error
    assert "10x" in reply.plain_text()
    assert core.ledger() == before


async def test_instant_meetings_have_nothing_to_remind() -> None:
    core = make_core()
    await core.say("now Incident")
    assert core.ledger() == {}
    reply = await core.say("remind 1 10m")
    assert reply.is_error
    assert "nothing to remind" in reply.plain_text()


async def test_cancel_removes_pending_reminders() -> None:
    core = make_core()
    await core.say("tomorrow 15:00 Review")
    await core.say("remind 1 10m,1h")
    assert len(core.ledger()) == 2
    await core.say("cancel 1")
    assert core.ledger() == {}


async def test_due_reminder_is_sent_with_topic_minutes_zone_and_links() -> None:
    core = make_core()
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at)
    outcome = await core.performer.perform(core.claim(row))
    assert outcome == Done(Status.SENT)
    ((_, reply),) = core.messenger.sent
    text = reply.plain_text()
    assert "Review" in text
    assert "starts in 10 min" in text
    assert "15:00 (Europe/Moscow)" in text
    assert "https://fake.test/webrtc/" in text


@pytest.mark.parametrize("clickable", [False, True])
async def test_a_reminder_is_rendered_with_what_its_messenger_shows(clickable: bool) -> None:
    core = make_core()
    core.messenger.shows = Capabilities(custom_scheme_links=clickable, buttons=clickable)
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at)
    assert await core.performer.perform(core.claim(row)) == Done(Status.SENT)
    ((_, reply),) = core.messenger.sent
    links = [link for b in reply.blocks if isinstance(b, Links) for link in b.items]
    copyables = [v for b in reply.blocks if isinstance(b, Copyable) for v in b.values]
    actions = [a for b in reply.blocks if isinstance(b, Actions) for a in b.items]
    app = [link for link in links if link.kind is LinkKind.APP]
    if clickable:  # the app link a link, and a join button, as on a card
        assert app
        assert [a.kind for a in actions] == [ActionKind.JOIN]
    else:  # copyable text, no buttons
        assert not app
        assert any(v.startswith("trueconf:") for v in copyables)
        assert actions == []


async def test_downtime_policy_late_before_start_expired_after() -> None:
    core = make_core()
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at + 5 * MIN)  # down when due, the meeting not begun
    assert await core.performer.perform(core.claim(row)) == Done(Status.LATE)
    assert "sent late" in core.messenger.sent[-1][1].plain_text()
    core.clock.set(row.occurrence_start + MIN)  # down until after the start
    outcome = await core.performer.perform(core.claim(row))
    assert isinstance(outcome, Done)
    assert outcome.status is Status.EXPIRED
    assert len(core.messenger.sent) == 1


async def test_downtime_policy_expire_drops_every_overdue_reminder() -> None:
    core = make_core(policy=DeliveryPolicy(downtime="expire"))
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at + 5 * MIN)
    outcome = await core.performer.perform(core.claim(row))
    assert isinstance(outcome, Done)
    assert outcome.status is Status.EXPIRED
    assert core.messenger.sent == []


async def test_refusals_retry_with_backoff_then_fail() -> None:
    core = make_core(policy=DeliveryPolicy(max_attempts=3, backoff=timedelta(seconds=5)))
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at)
    core.messenger.refuse = [DeliveryError("busy", retry_after=20), DeliveryError("busy")]
    first = await core.performer.perform(core.claim(row, attempts=1))
    assert first == Retry(row.fire_at + timedelta(seconds=20), "busy")  # the wait asked for
    second = await core.performer.perform(core.claim(row, attempts=3))
    assert second == Done(Status.FAILED, "busy")
    core.messenger.refuse = [DeliveryError("kicked", permanent=True)]
    assert await core.performer.perform(core.claim(row)) == Done(Status.FAILED, "kicked")


async def test_a_weekly_outcome_carries_the_next_occurrences_rows() -> None:
    core = make_core()
    await core.say("weekly mon 10:00 Standup")
    (row,) = core.ledger()
    core.clock.set(row.fire_at)
    outcome = await core.performer.perform(core.claim(row))
    assert isinstance(outcome, Done)
    assert outcome.status is Status.SENT
    assert outcome.following == (replace(row, occurrence_start=row.occurrence_start + WEEK),)


async def test_a_one_time_outcome_carries_nothing_to_plan() -> None:
    core = make_core()
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at)
    outcome = await core.performer.perform(core.claim(row))
    assert isinstance(outcome, Done)
    assert outcome.following == ()


async def test_a_row_taken_over_from_a_dead_holder_is_sent_as_usual_before_the_start() -> None:
    core = make_core(policy=DeliveryPolicy(downtime="expire"))
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    # Some dispatcher was alive when it came due: its holder died, not the service.
    core.clock.set(row.fire_at + 5 * MIN)
    assert await core.performer.perform(core.claim(row, attended=True)) == Done(Status.SENT)
    text = core.messenger.sent[-1][1].plain_text()
    assert "sent late" not in text
    assert "starts in 5 min" in text
    core.clock.set(row.occurrence_start)  # taken over only once the meeting began
    outcome = await core.performer.perform(core.claim(row, attended=True))
    assert outcome == Done(Status.EXPIRED, "too late: the meeting had begun")
    assert len(core.messenger.sent) == 1


async def test_a_room_taken_over_late_is_still_switched_on_until_the_end() -> None:
    core = make_core(callaba=True)
    await core.say("tomorrow 15:00 for 1h Review")
    rows = {r.kind: r for r in core.ledger()}
    activate = rows[PlanKind.ACTIVATE]
    core.clock.set(activate.occurrence_start + 30 * MIN)
    assert await core.performer.perform(core.claim(activate, attended=True)) == Done(Status.SENT)
    assert core.rooms.active == {core.meeting().conference_id: True}
    core.clock.set(activate.occurrence_start + 61 * MIN)
    outcome = await core.performer.perform(core.claim(activate, attended=True))
    assert isinstance(outcome, Done)
    assert outcome.status is Status.EXPIRED
    deactivate = rows[PlanKind.DEACTIVATE]
    assert await core.performer.perform(core.claim(deactivate, attended=True)) == Done(Status.SENT)
    assert core.rooms.active == {core.meeting().conference_id: False}


async def test_the_repair_pass_plans_a_silent_weekly_meeting_once() -> None:
    core = make_core()
    await core.say("weekly mon 10:00 Standup")
    await core.say("weekly tue 10:00 Quiet")
    await core.say("remind 2 off")
    (row,) = core.ledger()
    core.uow.state.ledger[1, row] = "sent"  # done, and the next start never planned
    core.clock.set(row.fire_at + MIN)
    repair = LedgerRepair(core.deps)
    assert await repair.run() == 1
    assert core.ledger() == {
        row: "sent",
        replace(row, occurrence_start=row.occurrence_start + WEEK): "pending",
    }
    assert core.ledger(2) == {}  # nothing to plan: left alone
    assert await repair.run() == 0  # planned once


async def test_the_repair_pass_plans_a_weekly_meeting_that_never_had_rows() -> None:
    core = make_core()
    await core.say("weekly mon 10:00 Standup")
    core.uow.state.ledger.clear()
    assert await LedgerRepair(core.deps).run() == 1
    (row,) = core.ledger()
    # Monday 10:00 in Moscow has passed today (11:00): next Monday's.
    assert row.occurrence_start == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


async def test_rooms_of_backends_without_schedules_are_switched_on_and_off() -> None:
    core = make_core(callaba=True)
    await core.say("tomorrow 15:00 Review")
    rows = {r.kind: r for r in core.ledger()}
    assert set(rows) == {PlanKind.REMIND, PlanKind.ACTIVATE, PlanKind.DEACTIVATE}
    conference = core.meeting().conference_id
    core.clock.set(rows[PlanKind.ACTIVATE].fire_at)
    await core.performer.perform(core.claim(rows[PlanKind.ACTIVATE]))
    assert core.rooms.active == {conference: True}
    core.clock.set(rows[PlanKind.DEACTIVATE].fire_at)
    await core.performer.perform(core.claim(rows[PlanKind.DEACTIVATE]))
    assert core.rooms.active == {conference: False}
    assert rows[PlanKind.ACTIVATE].fire_at > NOW


def _not_ours() -> bool:
    return False


async def test_a_row_no_longer_ours_is_forfeited_before_any_effect() -> None:
    core = make_core(callaba=True)
    await core.say("tomorrow 15:00 Review")
    for row in core.ledger():
        core.clock.set(row.fire_at)
        outcome = await core.performer.perform(core.claim(row), still_ours=_not_ours)
        assert outcome == Forfeited(), row.kind
    assert core.messenger.sent == []  # no reminder
    assert core.rooms.active == {}  # no room switched either way


async def test_a_reminder_of_a_meeting_started_early_says_it_has_begun() -> None:
    core = make_core()
    await core.say("tomorrow 15:00 Review")
    (row,) = core.ledger()
    core.clock.set(row.fire_at - 5 * MIN)
    started = await core.say("start 1")
    assert "started" in started.plain_text().lower(), started.plain_text()
    core.clock.set(row.fire_at)
    # Still sent: who has not joined yet is called in.
    assert await core.performer.perform(core.claim(row)) == Done(Status.SENT)
    ((_, reply),) = core.messenger.sent
    text = reply.plain_text()
    assert "Reminder: #1 has already begun, ahead of its time" in text
    assert "starts in" not in text


async def test_a_weekly_meeting_started_early_once_starts_in_minutes_the_next_week() -> None:
    core = make_core()
    await core.say("weekly mon 10:00 Standup")
    (row,) = core.ledger()
    core.clock.set(row.fire_at - 5 * MIN)
    await core.say("start 1")
    core.clock.set(row.fire_at)
    outcome = await core.performer.perform(core.claim(row))
    assert isinstance(outcome, Done)
    (following,) = outcome.following
    core.clock.set(following.fire_at)
    await core.performer.perform(core.claim(following))
    first, second = (reply.plain_text() for _, reply in core.messenger.sent)
    assert "has already begun" in first
    assert "starts in 10 min" in second


async def test_a_day_before_reminder_during_todays_run_says_starts_in() -> None:
    # Today's standup runs (started by hand) while tomorrow's is announced:
    # tomorrow's has not begun (an independent review's case).
    core = make_core()
    await core.say("weekly mon,tue,wed,thu,fri 10:00 for 1h Standup")
    await core.say("remind 1 1d")
    rows = sorted((r for r in core.ledger() if r.kind is PlanKind.REMIND), key=lambda r: r.fire_at)
    row = next(r for r in rows if r.fire_at == r.occurrence_start - timedelta(days=1))
    core.clock.set(row.fire_at - 5 * MIN)  # today's 10:00, a few minutes early
    await core.say("start 1")
    core.clock.set(row.fire_at)
    outcome = await core.performer.perform(core.claim(row))
    assert isinstance(outcome, Done), outcome
    ((_, reply),) = core.messenger.sent
    text = reply.plain_text()
    assert "has already begun" not in text
    assert "starts in" in text


@pytest.mark.parametrize(
    ("lang", "line", "said"),
    [
        # From a new user's trial: one reminder was "reminders 15 min before".
        ("en", "remind 1 15m", "1 reminder — 15 min before the start"),
        ("en", "remind 1 15m,1h", "2 reminders — 15 min, 1 h before the start"),
        ("en", "remind default 15m", "get 1 reminder — 15 min before the start"),
        ("ru", "напомнить 1 15м", "1 напоминание — за 15 мин до начала"),
        ("ru", "напомнить 1 15м,1ч", "2 напоминания — за 15 мин, 1 ч до начала"),
        ("ru", "напомнить 1 1м,2м,3м,4м,5м", "5 напоминаний — за 1 мин, 2 мин"),
        ("ru", "напомнить по умолчанию 15м", "получат 1 напоминание — за 15 мин"),
        # From a new user's trial: "за 2 дня" was said back as "за 48 ч".
        ("en", "remind 1 1d", "1 reminder — 1 day before the start"),
        ("en", "remind 1 2d,1h", "2 reminders — 1 h, 2 days before the start"),
        ("ru", "напомнить 1 за 2 дня", "1 напоминание — за 2 дня до начала"),
        ("ru", "напомнить 1 1д", "за 1 день до начала"),
        ("ru", "напомнить 1 5д", "за 5 дней до начала"),
        ("ru", "напомнить 1 36ч", "за 36 ч до начала"),
    ],
)
async def test_reminders_are_counted_in_the_language_of_the_chat(
    lang: str, line: str, said: str
) -> None:
    core = make_core()
    await core.say(f"lang {lang}")
    await core.say("tomorrow 15:00 Review")
    reply = await core.say(line)
    assert said in reply.plain_text()
