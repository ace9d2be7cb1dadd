"""The reminder dispatcher wired from settings: its own connection pool, the
claim store, the performer, on PostgreSQL the ``LISTEN`` wake-up, and beside
it the retention round (RETENTION_DAYS)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import BaseRoute

from adapters.metrics import PrometheusMetrics
from adapters.reminders import Dispatcher, DispatcherConfig
from adapters.reminders.retention import Retention
from bot.catalogue import CATALOGUE
from bot.chat import Platform
from bot.context import Deps
from bot.messengers import Messengers
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reminders.repair import LedgerRepair
from bot.settings import Settings
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.notify import ActionListener
from storage.pg_options import limits_of
from storage.retention import prune


def policy_from(settings: Settings) -> DeliveryPolicy:
    return DeliveryPolicy(
        downtime=settings.reminder_downtime_policy,
        max_attempts=settings.reminder_max_attempts,
    )


def config_from(settings: Settings) -> DispatcherConfig:
    return DispatcherConfig(
        lease=timedelta(seconds=settings.reminder_lease_seconds),
        renew_seconds=settings.reminder_renew_seconds,
        sweep_seconds=settings.reminder_sweep_seconds,
        # Half the shutdown budget for sends in flight: the rest of the service
        # stops after the dispatcher and needs time too.
        stop_timeout=settings.shutdown_timeout_seconds / 2,
    )


async def _prune(engine: AsyncEngine, cutoff: datetime) -> dict[str, int]:
    return (await prune(engine, cutoff)).counts


def _nothing(table: str, count: int) -> None:
    pass


class ReminderComponent:
    """Starts after the messengers have registered; stops first, releasing
    the rows it claimed but did not send.

    ``left_to_others``: platforms whose rows another process of this
    deployment dispatches (``serve`` leaves its work process the messengers
    that work there, so their reminders and live cards stay off the loop that
    acknowledges). ``retention``: whether this process also prunes old rows
    (one process of a deployment is enough). ``dispatches``: whether it
    dispatches at all: ``serve`` whose every messenger works in its work
    process leaves that process the rest too (rooms turned on and off), so
    the ledger's wake-ups, one or more per command written, cost the loop
    that acknowledges nothing."""

    def __init__(
        self,
        settings: Settings,
        deps: Deps,
        messengers: Messengers,
        *,
        left_to_others: frozenset[Platform] = frozenset(),
        retention: bool = True,
        dispatches: bool = True,
    ) -> None:
        self._settings = settings
        self._deps = deps
        self._messengers = messengers
        self._left_to_others = left_to_others
        self._prunes = retention
        self._dispatches = dispatches
        self._engine: AsyncEngine | None = None
        self.dispatcher: Dispatcher | None = None
        self.retention: Retention | None = None

    @property
    def name(self) -> str:
        return "reminders"

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return ()

    async def start(self) -> None:
        settings = self._settings
        self._engine = engine = build_engine(settings.database_url, limits=limits_of(settings))
        if self._dispatches:
            await self._start_dispatcher(engine)
        if not self._prunes:
            return
        metrics = self._deps.metrics
        self.retention = Retention(
            functools.partial(_prune, engine),
            self._deps.clock,
            days=settings.retention_days,
            on_pruned=metrics.rows_pruned if isinstance(metrics, PrometheusMetrics) else _nothing,
        )
        self.retention.start()

    async def _start_dispatcher(self, engine: AsyncEngine) -> None:
        settings = self._settings
        store = SqlClaimStore(build_session_factory(engine))
        performer = ActionPerformer(
            self._deps, self._messengers, policy_from(settings), CATALOGUE.card_buttons
        )
        dispatcher = Dispatcher(
            store,
            performer,
            self._deps.clock,
            config_from(settings),
            metrics=self._deps.metrics,
            repair=LedgerRepair(self._deps),
            platforms=self.claimed_platforms,
        )
        # A messenger that became deliverable here (a connection taken over)
        # has rows to claim now, not at the next sweep.
        self._messengers.watch(dispatcher.wake)
        listener = ActionListener(settings.database_url, dispatcher.notified)
        if listener.supported:
            dispatcher.attach_listener(listener)
        await dispatcher.start()
        self.dispatcher = dispatcher

    def claimed_platforms(self) -> frozenset[Platform]:
        """The platforms whose rows this process claims now."""
        return self._messengers.deliverable - self._left_to_others

    async def stop(self) -> None:
        try:
            if self.retention is not None:
                await self.retention.stop()
            if self.dispatcher is not None:
                self._messengers.unwatch(self.dispatcher.wake)
                await self.dispatcher.stop()
        finally:
            if self._engine is not None:
                await self._engine.dispose()
