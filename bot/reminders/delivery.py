"""Carrying out one claimed ledger row: send the reminder, or switch the room,
or decide it is too late. The dispatcher (outside the core) claims rows and
records what this returns; nothing here knows about leases or SQL.

A weekly meeting's outcome carries the rows of its next start(s): the store
records the outcome and writes those rows in one transaction, so no crash can
leave an occurrence done and the next one unplanned."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.card_buttons import CardButton
from bot.context import Deps
from bot.errors import BackendError, DeliveryError
from bot.i18n import Translator
from bot.live.model import LiveView
from bot.live.poller import LivePoller
from bot.meeting import Meeting, MeetingStatus
from bot.messengers import Messengers
from bot.ports import ChatSettings
from bot.ports.ledger import ActionKind, ClaimedAction, PlannedAction, Status
from bot.reminders.correction import correct_rule, correction_note
from bot.reminders.message import reminder_reply
from bot.reminders.plan import plan_following
from bot.reminders.planning import timing_for
from bot.schedule import Weekly

log = logging.getLogger(__name__)

DowntimePolicy = Literal["late", "expire"]

# Rows carried out however late they come: switching a room off, and
# correcting a server's weekly rule.
_NEVER_TOO_LATE = frozenset({ActionKind.DEACTIVATE, ActionKind.CORRECT})


@dataclass(frozen=True, slots=True)
class Done:
    status: Status
    error: str | None = None
    # The meeting repeats: the rows of its next start(s), written with this outcome.
    following: tuple[PlannedAction, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Retry:
    at: datetime
    error: str


@dataclass(frozen=True, slots=True)
class Again:
    """Not done: claim the row again at ``at`` (a watched meeting's next poll)."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Forfeited:
    """Not carried out, and nothing to record: the row stopped being this
    process's before its effect (``still_ours`` said so). Whoever holds it
    now carries it out."""


Outcome = Done | Retry | Again | Forfeited


def _always_ours() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Due:
    """What carrying out a row reads: its meeting, the chat's settings, and
    what the meeting's live card shows (``None``: no card, or not watched)."""

    meeting: Meeting
    settings: ChatSettings
    shown: LiveView | None = None


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    downtime: DowntimePolicy = "late"
    # Past this, a row is overdue: judged by the downtime policy if it came
    # due while no dispatcher was alive, as a takeover otherwise.
    late_after: timedelta = timedelta(minutes=1)
    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=5)  # doubles each attempt
    max_backoff: timedelta = timedelta(minutes=10)

    def retry_at(self, now: datetime, attempts: int, asked: float | None) -> datetime:
        wait = min(self.backoff * float(2 ** max(0, attempts - 1)), self.max_backoff)
        if asked is not None:
            wait = max(wait, timedelta(seconds=asked))
        return now + wait


class ActionPerformer:
    def __init__(
        self,
        deps: Deps,
        messengers: Messengers,
        policy: DeliveryPolicy,
        card_buttons: Sequence[CardButton] = (),
    ) -> None:
        """``card_buttons``: the catalogue's, for the live cards it edits."""
        self._deps = deps
        self._messengers = messengers
        self._policy = policy
        self._live = LivePoller(deps, messengers, card_buttons)

    async def read(self, actions: Sequence[ClaimedAction]) -> dict[int, Due]:
        """What the rows' meetings are now, for a whole claim in one read (a
        few statements however many rows), by meeting id; a meeting no longer
        stored is left out."""
        ids = {action.meeting_id for action in actions}
        # Reads only: outside a transaction (on PostgreSQL each statement
        # sees what is committed anyway).
        async with self._deps.uow(transaction=False) as uow:
            meetings = await uow.meetings.get_many(ids)
            settings = await uow.chat_settings.get_many({m.chat for m in meetings.values()})
            # What a watched meeting's live card shows (a reminder says the
            # same); a live poll reads its card itself, in its turn.
            reminded = {a.meeting_id for a in actions if a.kind is ActionKind.REMIND}
            watched = [
                i for i, m in meetings.items() if i in reminded and self._deps.watched(m.backend)
            ]
            cards = await uow.live.get_many(watched) if watched else {}
        return {
            i: Due(m, settings[m.chat.key], cards[i].shown if i in cards else None)
            for i, m in meetings.items()
        }

    async def perform(
        self,
        action: ClaimedAction,
        due: Due | None = None,
        still_ours: Callable[[], bool] = _always_ours,
    ) -> Outcome:
        """``due``: the meeting as ``read`` found it (read here if not given).
        ``still_ours`` is asked last thing before any effect (a message, a
        room switched, a card edited): ``False`` and the row is forfeited, so
        a process that stalled past its claim does not repeat what the row's
        new holder does."""
        if due is None:
            due = (await self.read([action])).get(action.meeting_id)
        now = self._deps.clock.now()
        if due is None or due.meeting.status is not MeetingStatus.SCHEDULED:
            return Done(Status.EXPIRED, "the meeting is gone")
        meeting, settings = due.meeting, due.settings
        shown = due.shown if action.kind is ActionKind.REMIND else None
        if not still_ours():
            return Forfeited()
        if action.kind is ActionKind.LIVE:
            watch = await self._live.poll(meeting, action.occurrence_start, settings, now)
            if watch.next_at is not None:
                return Again(watch.next_at)
            outcome: Outcome = Done(Status.SENT, watch.note or None)
        else:
            outcome = await self._attempt(action, meeting, settings, now, shown)
        if isinstance(outcome, Done) and isinstance(meeting.schedule, Weekly):
            following = plan_following(
                meeting, action.occurrence_start, now, timing_for(meeting, self._deps)
            )
            return Done(outcome.status, outcome.error, tuple(following))
        return outcome

    async def _attempt(
        self,
        action: ClaimedAction,
        meeting: Meeting,
        settings: ChatSettings,
        now: datetime,
        shown: LiveView | None,
    ) -> Outcome:
        overdue = now - action.fire_at > self._policy.late_after
        # Late only after downtime: a row taken over from a dead holder (or
        # retried) is sent as usual while it is still of use.
        late = overdue and not action.attended
        if overdue and action.attended and self._past_use(action, meeting, now):
            return Done(Status.EXPIRED, "too late: the meeting had begun")
        if late and self._too_late(action, meeting, now):
            return Done(Status.EXPIRED, "came due while nothing was running")
        try:
            match action.kind:
                case ActionKind.REMIND:
                    await self._remind(action, meeting, settings, now, late=late, shown=shown)
                case ActionKind.CORRECT:
                    await self._correct(meeting, settings, now)
                case _:
                    activation = self._deps.activation.get(meeting.backend)
                    if activation is None:
                        return Done(Status.FAILED, f"no room activation for {meeting.backend}")
                    active = action.kind is ActionKind.ACTIVATE
                    await activation.set_active(meeting.conference_id, active)
        except DeliveryError as exc:
            return self._failed(action, now, exc.reason, exc.retry_after, exc.permanent)
        except BackendError as exc:
            return self._failed(action, now, exc.reason, None, False)
        return Done(Status.LATE if late else Status.SENT)

    async def _remind(
        self,
        action: ClaimedAction,
        meeting: Meeting,
        settings: ChatSettings,
        now: datetime,
        *,
        late: bool,
        shown: LiveView | None,
    ) -> None:
        defaults = self._deps.defaults
        messenger = self._messengers.for_chat(meeting.chat)
        reply = reminder_reply(
            meeting,
            action.occurrence_start,
            now=now,
            zone=settings.zone or defaults.zone,
            lang=settings.lang or defaults.lang,
            capabilities=messenger.capabilities,
            late=late,
            shown=shown,
        )
        await messenger.send(meeting.chat, reply)

    async def _correct(self, meeting: Meeting, settings: ChatSettings, now: datetime) -> None:
        """Put the server's weekly rule in step; the chat hears of a change once."""
        backend = self._deps.backends.get(meeting.backend)
        if backend is None or not isinstance(meeting.schedule, Weekly):
            raise BackendError("noSchedule", f"no {meeting.backend} server keeps this rule")
        defaults = self._deps.defaults
        done = await correct_rule(meeting, backend, defaults.server_zone, now)
        if not done.changed:
            return
        t = Translator(settings.lang or defaults.lang)
        note = correction_note(meeting, done, zone=settings.zone or defaults.zone, t=t, now=now)
        try:
            await self._messengers.for_chat(meeting.chat).send(meeting.chat, note)
        except DeliveryError as exc:
            # The rule is right; telling again on a retry would tell of nothing.
            log.warning("meeting %d: rule corrected, the chat not told: %s", meeting.id, exc.reason)

    def _too_late(self, action: ClaimedAction, meeting: Meeting, now: datetime) -> bool:
        """The downtime policy, for rows that came due while nothing ran."""
        if action.kind in _NEVER_TOO_LATE:
            return False
        return self._policy.downtime == "expire" or self._past_use(action, meeting, now)

    @staticmethod
    def _past_use(action: ClaimedAction, meeting: Meeting, now: datetime) -> bool:
        """A reminder still helps until the start; a room is still worth
        switching on until the end; switching it off always is, and so is
        correcting a server's rule (every later week needs it)."""
        if action.kind in _NEVER_TOO_LATE:
            return False
        limit = action.occurrence_start
        if action.kind is ActionKind.ACTIVATE:
            limit += meeting.duration or timedelta(0)
        return now >= limit

    def _failed(
        self,
        action: ClaimedAction,
        now: datetime,
        reason: str,
        asked: float | None,
        permanent: bool,
    ) -> Outcome:
        # A rule correction is tried until the start it is for, however often.
        persist = action.kind is ActionKind.CORRECT and now < action.occurrence_start
        if permanent or (action.attempts >= self._policy.max_attempts and not persist):
            log.warning(
                "action %d (%s of meeting %d) failed after %d attempts: %s",
                action.id,
                action.kind.value,
                action.meeting_id,
                action.attempts,
                reason,
            )
            return Done(Status.FAILED, reason)
        return Retry(self._policy.retry_at(now, action.attempts, asked), reason)
