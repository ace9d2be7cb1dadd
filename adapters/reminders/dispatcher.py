"""The dispatcher: a ``Component`` of ``meetbridge serve`` (and of the console).

The database is the source of truth; this process keeps no schedule of its
own beyond one wake-up. APScheduler's ``AsyncIOScheduler`` (memory job store,
never shared) is the timer: one job at the next due time, one periodic sweep.
A wake-up claims due rows under a lease, carries them out concurrently, and
records each outcome; on PostgreSQL a ``NOTIFY`` from any process writing a
row wakes it early, and the sweep is the fallback when a notification is lost.

While it runs, a renewal round every ``renew_seconds`` extends its heartbeat
and the leases of every row it holds, so a lease can be short: a process that
dies stops renewing, and its rows are taken over once its lease runs out.

A process that only stalled (a paused VM, a starved or stopped process) comes
back to rows another one has taken over meanwhile. It sends none of them
(``adapters.leases``): a row is carried out only while this process knows its
lease to run for ``send_margin`` more, and a renewal round that no longer
finds a row this process's drops it (the store's ``renew`` returns the rows
it still holds).
On start and with each sweep, the repair pass plans weekly meetings left with
no rows ahead.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.jobstores.memory import MemoryJobStore  # type: ignore[import-untyped]
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from starlette.routing import BaseRoute

from adapters.leases import LeaseBook
from bot.chat import Platform
from bot.clock import Clock
from bot.metrics import Metrics, NoMetrics
from bot.ports.ledger import ActionKind, ClaimedAction, ClaimStore, Finished, Status
from bot.reminders.delivery import ActionPerformer, Again, Done, Due, Forfeited
from bot.tracing import request_scope

log = logging.getLogger(__name__)


class Listener(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Repair(Protocol):
    async def run(self) -> int: ...


@dataclass(frozen=True, slots=True)
class DispatcherConfig:
    # A claimed row (and the heartbeat) stays this process's for the lease,
    # renewed every ``renew_seconds``: a dead holder's rows wait at most a lease.
    lease: timedelta = timedelta(seconds=15)
    renew_seconds: float = 5.0
    sweep_seconds: float = 30.0
    batch: int = 200  # rows per claim
    concurrency: int = 64  # sends in flight at once
    # After a claim short of full (caught up), wait this long before the
    # next: rows coming due one by one are claimed a few at a time, not
    # each by a statement of its own in every process.
    gather_seconds: float = 0.05
    # A claim's meetings are read with it; a row that then waited longer than
    # this for a send slot (a slow chat service) reads its meeting again, so a
    # meeting cancelled meanwhile is not reminded of.
    fresh_seconds: float = 1.0
    # On stop, how long sends in flight may take to finish; the rest are
    # cancelled and their rows released to other processes.
    stop_timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.renew_seconds * 2 > self.lease.total_seconds():
            raise ValueError("a lease must be renewed at least twice before it runs out")

    @property
    def send_margin(self) -> timedelta:
        """How much of a row's lease must be left to start its effect: room
        for the send itself and for replicas' clocks a little apart. A fifth
        of the lease (3 s of the default 15), less where the renewals leave
        less after one failed round (a healthy process renewing every 5 s
        has 10 s left, 5 s after a failed round: it still sends)."""
        after_a_failed_round = self.lease - timedelta(seconds=2 * self.renew_seconds)
        return max(timedelta(0), min(self.lease / 5, after_a_failed_round / 2))


def process_owner() -> str:
    """A lease owner name unique to this process (host, pid, random)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


class Dispatcher:
    def __init__(
        self,
        store: ClaimStore,
        performer: ActionPerformer,
        clock: Clock,
        config: DispatcherConfig | None = None,
        *,
        owner: str | None = None,
        metrics: Metrics | None = None,
        repair: Repair | None = None,
        platforms: Callable[[], Collection[Platform]] | None = None,
    ) -> None:
        """``platforms``: the messengers this process can post to at the
        moment (``Messengers.deliverable``); rows for other platforms' chats
        are left to the processes that can. ``None``: every platform."""
        self._store = store
        self._platforms = platforms
        self._repair = repair
        self._repair_due = repair is not None
        self._metrics: Metrics = metrics or NoMetrics()
        self._performer = performer
        self._clock = clock
        self._config = config or DispatcherConfig()
        self.owner = owner or process_owner()
        self._listener: Listener | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._next_due: datetime | None = None  # when the loop is next woken to look
        self._wakeup = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(self._config.concurrency)
        self._stopping = False
        self._finished: list[Finished] = []
        self._flusher: asyncio.Task[None] | None = None
        # Rows claimed and not yet carried out; carried out and being recorded
        # (their leases still renewed, no longer checked).
        self._held = LeaseBook(self._config.send_margin)
        self._recording: set[int] = set()
        self._renewer: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return "reminders"

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return ()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def attach_listener(self, listener: Listener) -> None:
        self._listener = listener

    def wake(self) -> None:
        """Look at the ledger now (thread-safe from the event loop's callbacks)."""
        self._wakeup.set()

    @property
    def next_look(self) -> datetime | None:
        """When the loop is next woken to look at the ledger, if planned."""
        return self._next_due

    def notified(self, due: datetime | None) -> None:
        """Rows were written whose first comes due at ``due``. Due now (or
        unknown): look now. Later: make sure to look by then, and no sooner
        for it, so the rows planned for later with every command cost no claim
        and no next-due read each (the later look reads the ledger anyway)."""
        now = self._clock.now()
        if due is None or due <= now or self._scheduler is None:
            self.wake()
            return
        if self._next_due is not None and now < self._next_due <= due:
            return  # already looking by then
        self._look_at(due)

    def _look_at(self, due: datetime) -> None:
        assert self._scheduler is not None
        self._next_due = due
        self._scheduler.add_job(
            self._wake_job, "date", run_date=due, id="next-due", replace_existing=True
        )

    # The scheduler's jobs are coroutines on purpose: APScheduler runs a plain
    # function in a worker thread, where setting an asyncio.Event is not safe
    # (and where the loop's executor may already be shut down on a stop).
    async def _wake_job(self) -> None:
        self.wake()

    async def _sweep(self) -> None:
        self._repair_due = self._repair is not None
        self.wake()

    async def start(self) -> None:
        now = self._clock.now()
        await self._store.register(self.owner, now, now + self._config.lease)
        self._renewer = asyncio.create_task(self._keep_alive(), name="reminder-leases")
        scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
        scheduler.add_job(
            self._sweep,
            "interval",
            seconds=self._config.sweep_seconds,
            id="sweep",
            coalesce=True,
            max_instances=1,
        )
        scheduler.start()
        self._scheduler = scheduler
        if self._listener is not None:
            try:
                await self._listener.start()
            except Exception:  # polling still delivers, only later
                log.warning("reminder notifications unavailable; polling only", exc_info=True)
                self._listener = None
        self._loop_task = asyncio.create_task(self._run(), name="reminder-dispatcher")
        self.wake()  # rows that came due while nothing ran

    async def stop(self) -> None:
        """Claim nothing more; let the sends in flight finish (up to
        ``stop_timeout``), cancel the rest, record what finished, and release
        every row still held, so another process sends it at once instead of
        after the lease. Cancelled itself (the service's shutdown budget ran
        out), it still cancels, records and releases before it ends."""
        self._stopping = True
        self.wake()
        try:
            if self._scheduler is not None:
                self._scheduler.shutdown(wait=False)
            if self._listener is not None:
                await self._listener.stop()
            if self._loop_task is not None:
                self._loop_task.cancel()
                await asyncio.gather(self._loop_task, return_exceptions=True)
            if self._in_flight:
                log.info("finishing %d reminder send(s) in flight", len(self._in_flight))
                await asyncio.wait(self._in_flight, timeout=self._config.stop_timeout)
        finally:
            await self._abandon_and_release()

    async def _abandon_and_release(self) -> None:
        # Renewed until here: a send finishing during the stop keeps its
        # lease, so no other process sends it too meanwhile.
        if self._renewer is not None:
            self._renewer.cancel()
            await asyncio.gather(self._renewer, return_exceptions=True)
        unfinished = list(self._in_flight)
        for task in unfinished:
            task.cancel()
        if unfinished:
            log.warning("cancelled %d reminder send(s) still in flight", len(unfinished))
            await asyncio.gather(*unfinished, return_exceptions=True)
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
        released = await self._store.release(self.owner, self._clock.now())
        if released:
            log.info("released %d reminder(s) to other processes", released)

    async def _keep_alive(self) -> None:
        """Renew the heartbeat and every lease held, each ``renew_seconds``.
        A failed round is tried again at the next: a lease outlives two."""
        while True:
            await asyncio.sleep(self._config.renew_seconds)
            now = self._clock.now()
            until = now + self._config.lease
            waiting = self._held.asked()
            try:
                renewed = await self._store.renew(
                    self.owner, [*waiting, *self._recording], now, until
                )
            except Exception:
                log.warning("renewing reminder leases failed; trying again", exc_info=True)
                continue
            # One recorded meanwhile is not lost: the record tells of one that was.
            lost = self._held.note_renewed(waiting, renewed, until)
            log.debug("renewed %d reminder lease(s)", len(renewed))
            if lost:
                log.warning(
                    "%d reminder(s) were taken over by another process before this one "
                    "carried them out (it stalled past their lease): left to it",
                    lost,
                )

    async def _run_repair(self) -> None:
        self._repair_due = False
        if self._repair is None:
            return
        try:
            await self._repair.run()
        except Exception:  # the next sweep tries again
            log.exception("repairing the reminder ledger failed")

    async def _run(self) -> None:
        while not self._stopping:
            self._wakeup.clear()
            if self._repair_due:
                await self._run_repair()
            try:
                claimed, full = await self._claim_more()
            except Exception:  # a database hiccup: the sweep tries again
                log.exception("claiming reminders failed")
                claimed, full = 0, False
            if full:
                continue  # there may be more due right now
            if claimed:
                # Caught up with rows coming due one after another: let them
                # gather a moment, so the next claim (and its read, and the
                # record of their outcomes) takes many at once.
                await asyncio.sleep(self._config.gather_seconds)
                continue
            await self._schedule_next()
            await self._wakeup.wait()

    async def _claim_more(self) -> tuple[int, bool]:
        """Rows claimed, and whether to look again at once (a full claim, or
        sends in flight that made room)."""
        room = self._config.concurrency * 2 - len(self._in_flight)
        if room <= 0:
            # Enough in flight: come back when some finish.
            await asyncio.wait(self._in_flight, return_when=asyncio.FIRST_COMPLETED)
            return 0, True
        limit = min(room, self._config.batch)
        now = self._clock.now()
        claimed = await self._store.claim(
            self.owner, now, self._config.lease, limit, self._deliverable()
        )
        self._held.claimed((action.id for action in claimed), now + self._config.lease)
        dues: dict[int, Due] = {}
        if claimed:
            try:
                dues = await self._performer.read(claimed)
            except Exception:  # each row reads its own meeting instead
                log.exception("reading %d claimed reminders' meetings failed", len(claimed))
        for action in claimed:
            # A meeting not found is read again by its row, which expires it.
            task = asyncio.create_task(self._carry_out(action, dues.get(action.meeting_id)))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return len(claimed), len(claimed) == limit

    def _deliverable(self) -> frozenset[Platform] | None:
        return None if self._platforms is None else frozenset(self._platforms())

    async def _schedule_next(self) -> None:
        try:
            due = await self._store.next_available(self._deliverable())
        except Exception:
            log.exception("reading the next reminder time failed")
            return
        if due is None or self._scheduler is None:
            return
        if due <= self._clock.now():
            self.wake()
            return
        self._look_at(due)

    async def _carry_out(self, action: ClaimedAction, due: Due | None) -> None:
        # Each row is its own piece of work in the log: the send and the
        # backend calls it makes share one request id.
        read_at = time.monotonic()
        with request_scope():
            async with self._slots:
                if time.monotonic() - read_at > self._config.fresh_seconds:
                    due = None  # waited long for a slot: read the meeting as it is now
                try:
                    await self._perform(action, due)
                except BaseException:
                    # Not recorded (the database failed, or a stop cancelled
                    # it): stop renewing, so its lease runs out and another
                    # process (or the release on stop) hands it on.
                    self._held.drop(action.id)
                    self._recording.discard(action.id)
                    raise

    async def _perform(self, action: ClaimedAction, due: Due | None) -> None:
        try:
            outcome = await self._performer.perform(
                action, due, still_ours=lambda: self._held.still_ours(action.id, self._clock.now())
            )
        except Exception as exc:  # a bug or an outage: retry later, never lose the row
            log.exception("action %d failed unexpectedly", action.id)
            at = self._clock.now() + timedelta(seconds=30)
            await self._recorded(
                action, self._store.retry(action.id, self.owner, at, type(exc).__name__)
            )
            return
        if isinstance(outcome, Forfeited):
            # Its lease ran out before its effect (this process stalled).
            # Still this process's in the store (nobody took it yet): back to
            # pending, claimable at once by any process, this one included.
            log.warning(
                "%s of meeting %d: not sent, its lease ran out first",
                action.kind.value,
                action.meeting_id,
            )
            now = self._clock.now()
            await self._recorded(action, self._store.give_back(action.id, self.owner, now))
            self.wake()
            return
        self._held.drop(action.id)
        self._recording.add(action.id)
        if isinstance(outcome, Done):
            self._record(action, outcome)
            # Recorded in batches: one statement for everything that
            # finished meanwhile, the next rows of weekly meetings with it.
            # Until then the row stays "sending" under this process's
            # (renewed) lease, so nobody else sends it.
            self._finished.append(
                Finished(
                    action.id, action.meeting_id, outcome.status, outcome.error, outcome.following
                )
            )
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.create_task(self._flush())
        else:
            error = outcome.error if not isinstance(outcome, Again) else None
            await self._recorded(
                action, self._store.retry(action.id, self.owner, outcome.at, error)
            )
            self._scheduler_wake_at(outcome.at)

    async def _recorded(self, action: ClaimedAction, update: Awaitable[bool]) -> None:
        """``update`` (pending again: a retry or a give-back) awaited with
        the row's lease kept renewed until the store has it."""
        self._held.drop(action.id)
        self._recording.add(action.id)
        try:
            await update
        finally:
            self._recording.discard(action.id)

    def _record(self, action: ClaimedAction, outcome: Done) -> None:
        """The outcome in the log and, for reminders, in the metrics."""
        sent = outcome.status in (Status.SENT, Status.LATE)
        lag = (self._clock.now() - action.fire_at).total_seconds()
        log.info(
            "%s of meeting %d: %s, %.1f s after due",
            action.kind.value,
            action.meeting_id,
            outcome.status.value,
            lag,
            extra={
                "event": "scheduled_action",
                "action": action.kind.value,
                "meeting_id": action.meeting_id,
                "outcome": outcome.status.value,
                "lag_seconds": round(lag, 3),
            },
        )
        if action.kind is ActionKind.REMIND:
            self._metrics.reminder_finished(outcome.status.value, lag if sent else None)

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let the sends finishing right now join the batch
        while self._finished:
            batch, self._finished = self._finished, []
            try:
                kept = await self._store.finish_many(self.owner, batch, self._clock.now())
            except Exception:  # the lease runs out and another process resends: logged
                log.exception("recording %d finished reminders failed", len(batch))
                self._recording.difference_update(f.action_id for f in batch)
                continue
            self._recording.difference_update(f.action_id for f in batch)
            if kept < len(batch):
                log.warning(
                    "%d reminders lost their lease before being recorded", len(batch) - kept
                )

    def _scheduler_wake_at(self, at: datetime) -> None:
        if self._scheduler is not None and not self._stopping:
            self._scheduler.add_job(self._wake_job, "date", run_date=at)
