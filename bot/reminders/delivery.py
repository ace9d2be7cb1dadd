"""Carrying out one claimed ledger row: send the reminder, or switch the room,
or decide it is too late. The dispatcher (outside the core) claims rows and
records what this returns; nothing here knows about leases or SQL."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from bot.context import Deps
from bot.errors import BackendError, DeliveryError
from bot.meeting import Meeting, MeetingStatus
from bot.messengers import Messengers
from bot.ports import ChatSettings
from bot.reminders.message import reminder_reply
from bot.reminders.plan import ActionKind, plan_following
from bot.reminders.planning import timing_for
from bot.schedule import Weekly

log = logging.getLogger(__name__)

DowntimePolicy = Literal["late", "expire"]


class Status(StrEnum):
    """Where a row ends: ``late`` was sent late (after downtime), ``expired``
    came too late to be of use, ``failed`` ran out of attempts."""

    SENT = "sent"
    LATE = "late"
    EXPIRED = "expired"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ClaimedAction:
    """A ledger row this process holds the lease of."""

    id: int
    meeting_id: int
    kind: ActionKind
    occurrence_start: datetime
    offset: timedelta
    recipient: str
    fire_at: datetime
    attempts: int  # including this one


@dataclass(frozen=True, slots=True)
class Done:
    status: Status
    error: str | None = None
    # The meeting repeats: plan its next start now that this row is done.
    roll_forward: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Retry:
    at: datetime
    error: str


Outcome = Done | Retry


class ClaimStore(Protocol):
    """The ledger as the dispatcher sees it: claim due rows under a lease,
    record what happened. Implementations commit before returning, so no
    database lock is held while a message is being sent."""

    async def claim(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[ClaimedAction]: ...

    async def finish(
        self, action_id: int, owner: str, status: Status, now: datetime, error: str | None = None
    ) -> bool: ...

    async def finish_many(
        self, owner: str, done: Sequence[tuple[int, Status, str | None]], now: datetime
    ) -> int:
        """``finish`` for many rows in one statement per outcome."""
        ...

    async def retry(self, action_id: int, owner: str, at: datetime, error: str) -> bool: ...

    async def next_available(self) -> datetime | None: ...

    async def release(self, owner: str, now: datetime) -> int: ...


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    downtime: DowntimePolicy = "late"
    # Past this, a row is overdue: it came due while nothing was running.
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
    def __init__(self, deps: Deps, messengers: Messengers, policy: DeliveryPolicy) -> None:
        self._deps = deps
        self._messengers = messengers
        self._policy = policy

    async def perform(self, action: ClaimedAction) -> Outcome:
        now = self._deps.clock.now()
        async with self._deps.uow() as uow:
            meeting = await uow.meetings.get(action.meeting_id)
            settings = None if meeting is None else await uow.chat_settings.get(meeting.chat)
        if meeting is None or meeting.status is not MeetingStatus.SCHEDULED or settings is None:
            return Done(Status.EXPIRED, "the meeting is gone")
        outcome = await self._attempt(action, meeting, settings, now)
        if isinstance(outcome, Done) and isinstance(meeting.schedule, Weekly):
            return replace(outcome, roll_forward=True)
        return outcome

    async def _attempt(
        self, action: ClaimedAction, meeting: Meeting, settings: ChatSettings, now: datetime
    ) -> Outcome:
        overdue = now - action.fire_at > self._policy.late_after
        if overdue and self._too_late(action, meeting, now):
            return Done(Status.EXPIRED, "came due while nothing was running")
        try:
            if action.kind is ActionKind.REMIND:
                defaults = self._deps.defaults
                reply = reminder_reply(
                    meeting,
                    action.occurrence_start,
                    now=now,
                    zone=settings.zone or defaults.zone,
                    lang=settings.lang or defaults.lang,
                    late=overdue,
                )
                await self._messengers.for_chat(meeting.chat).send(meeting.chat, reply)
            else:
                activation = self._deps.activation.get(meeting.backend)
                if activation is None:
                    return Done(Status.FAILED, f"no room activation for {meeting.backend}")
                active = action.kind is ActionKind.ACTIVATE
                await activation.set_active(meeting.conference_id, active)
        except DeliveryError as exc:
            return self._failed(action, now, exc.reason, exc.retry_after, exc.permanent)
        except BackendError as exc:
            return self._failed(action, now, exc.reason, None, False)
        return Done(Status.LATE if overdue else Status.SENT)

    def _too_late(self, action: ClaimedAction, meeting: Meeting, now: datetime) -> bool:
        """The downtime policy: a late reminder still helps until the start; a
        room is still worth switching on until the end; switching it off always is."""
        if action.kind is ActionKind.DEACTIVATE:
            return False
        if self._policy.downtime == "expire":
            return True
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
        if permanent or action.attempts >= self._policy.max_attempts:
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

    async def roll_forward(self, action: ClaimedAction) -> int:
        """Plan a weekly meeting's next start(s) once a row of this one is done."""
        now = self._deps.clock.now()
        async with self._deps.uow() as uow:
            meeting = await uow.meetings.get(action.meeting_id)
            if meeting is None or meeting.id is None:
                return 0
            timing = timing_for(meeting, self._deps)
            actions = plan_following(meeting, action.occurrence_start, now, timing)
            added = await uow.ledger.add(meeting.id, actions) if actions else 0
            await uow.commit()
        return added
