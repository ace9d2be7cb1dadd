"""``build_app(settings)``: every object the bridge needs, built from settings.

Nothing is constructed at import time; everything built here is closed when
the ``async with`` block ends.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.calendar_feed import CalendarFeedLinks, calendar_feeds_from
from bot.clock import Clock, SystemClock
from bot.context import Defaults, Deps
from bot.errors import ConfigError
from bot.live.model import LiveConfig
from bot.messengers import Messengers
from bot.metrics import Metrics, NoMetrics
from bot.service import CommandService
from bot.settings import Settings, redact_url
from meetbridge.backends import Backends, build_backends
from meetbridge.config import Config
from meetbridge.failures import database_unusable
from storage import (
    SqlUnitOfWorkFactory,
    Upgraded,
    build_engine,
    build_session_factory,
    upgrade,
)
from storage.pg_options import limits_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class App:
    config: Config
    deps: Deps
    service: CommandService
    messengers: Messengers
    backends: Backends
    feeds: CalendarFeedLinks | None  # the public .ics links, with PUBLIC_URL
    # The bridge's one connection pool (the edges that keep tables use it too).
    engine: AsyncEngine

    @property
    def settings(self) -> Settings:
        return self.config.core


def defaults_from(settings: Settings, backends: Backends) -> Defaults:
    return Defaults(
        zone=settings.default_timezone,
        lang=settings.default_language,
        duration=timedelta(minutes=settings.default_duration_minutes),
        owner_login=backends.owner_login,
        server_zone=backends.server_zone,
        reminders=settings.reminder_defaults,
        calendar_host=urlsplit(settings.public_url or "").hostname or "meetbridge.local",
        unlinked_may_create=settings.unlinked_may_create,
    )


async def migrate(config: Config, engine: AsyncEngine) -> Upgraded:
    """Every migration: storage's chain (what it did is returned), then the
    tables each enabled edge keeps (its own, on the bridge's pool ``engine``)."""
    upgraded = await upgrade(config.core.database_url)
    for edge in config.messengers():
        await edge.tables(config.of(edge), engine)
    return upgraded


async def migrate_alone(config: Config) -> Upgraded:
    """``meetbridge db upgrade``: every migration, on a pool of its own for the while."""
    engine = build_engine(config.core.database_url)
    try:
        return await migrate(config, engine)
    finally:
        await engine.dispose()


def live_config(settings: Settings) -> LiveConfig | None:
    """LIVE_POLL_SECONDS and IDLE_STOP_MINUTES; ``None``: no live cards."""
    if settings.live_poll_seconds == 0:
        return None
    return LiveConfig(
        poll=timedelta(seconds=settings.live_poll_seconds),
        idle=timedelta(minutes=settings.idle_stop_minutes),
    )


@asynccontextmanager
async def build_app(
    config: Config, *, clock: Clock | None = None, metrics: Metrics | None = None
) -> AsyncIterator[App]:
    clock = clock or SystemClock()
    metrics = metrics or NoMetrics()
    settings = config.core
    async with AsyncExitStack() as stack:
        backends = await build_backends(config, clock, stack, metrics)
        engine = build_engine(settings.database_url, limits=limits_of(settings))
        stack.push_async_callback(engine.dispose)
        try:
            upgraded = await migrate(config, engine)  # migrations are applied on start
        except ConfigError:
            raise
        except Exception as exc:  # a driver's error: one line that names the setting
            raise database_unusable(exc, settings.database_url) from None
        if upgraded.before != upgraded.after:
            log.info("%s", upgraded.sentence(redact_url(settings.database_url)))
        uow = SqlUnitOfWorkFactory(build_session_factory(engine), clock=clock)
        feeds = calendar_feeds_from(settings)
        deps = Deps(
            backends=backends.by_name,
            default_backend=backends.default,
            directory=backends.directory,
            uow=uow,
            clock=clock,
            defaults=defaults_from(settings, backends),
            activation=backends.activation,
            activation_lead=backends.activation_lead,
            metrics=metrics,
            feeds=feeds,
            admins=settings.admins,
            live=live_config(settings),
        )
        yield App(config, deps, CommandService(deps), Messengers(), backends, feeds, engine)
