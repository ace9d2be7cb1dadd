"""``build_app(settings)``: every object the bridge needs, built from settings.

Nothing is constructed at import time; everything built here is closed when
the ``async with`` block ends.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from adapters.http.calendar_feed import CalendarFeedLinks, calendar_feeds_from
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.directory_cache import CachedDirectory
from bot.clock import Clock, SystemClock
from bot.context import Defaults, Deps
from bot.errors import ConfigError
from bot.messengers import Messengers
from bot.metrics import Metrics, NoMetrics
from bot.service import CommandService
from bot.settings import Settings
from meetbridge.backends import Backends, build_backends
from meetbridge.failures import database_unusable
from meetbridge.trueconf_setup import TrueConfEndpoint
from storage import SqlUnitOfWorkFactory, build_engine, build_session_factory, upgrade


@dataclass(frozen=True)
class App:
    settings: Settings
    deps: Deps
    service: CommandService
    backend: TrueConfBackend | None  # when TrueConf is configured
    trueconf: TrueConfEndpoint | None
    messengers: Messengers
    backends: Backends
    feeds: CalendarFeedLinks | None  # the public .ics links, with PUBLIC_URL


def defaults_from(settings: Settings) -> Defaults:
    return Defaults(
        zone=settings.default_timezone,
        lang=settings.default_language,
        duration=timedelta(minutes=settings.default_duration_minutes),
        owner_login=settings.trueconf_owner,
        server_zone=settings.trueconf_server_timezone,
        reminders=settings.reminder_defaults,
        calendar_host=urlsplit(settings.public_url or "").hostname or "meetbridge.local",
        unlinked_may_create=settings.unlinked_may_create,
    )


@asynccontextmanager
async def build_app(
    settings: Settings, *, clock: Clock | None = None, metrics: Metrics | None = None
) -> AsyncIterator[App]:
    clock = clock or SystemClock()
    metrics = metrics or NoMetrics()
    async with AsyncExitStack() as stack:
        backends = await build_backends(settings, clock, stack, metrics)
        try:
            await upgrade(settings.database_url)  # migrations are applied on start
        except ConfigError:
            raise
        except Exception as exc:  # a driver's error: one line that names the setting
            raise database_unusable(exc, settings.database_url) from None
        engine = build_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        uow = SqlUnitOfWorkFactory(build_session_factory(engine), clock=clock)
        feeds = calendar_feeds_from(settings)
        directory = None
        if backends.trueconf is not None:  # user lookups are TrueConf's alone
            directory = CachedDirectory(backends.trueconf, timer=time.monotonic)
        deps = Deps(
            backends=backends.by_name,
            default_backend=backends.default,
            directory=directory,
            uow=uow,
            clock=clock,
            defaults=defaults_from(settings),
            activation=backends.activation,
            activation_lead=timedelta(minutes=settings.callaba_activation_lead_minutes),
            metrics=metrics,
            feeds=feeds,
            admins=settings.admins,
        )
        yield App(
            settings,
            deps,
            CommandService(deps),
            backends.trueconf,
            backends.trueconf_endpoint,
            Messengers(),
            backends,
            feeds,
        )
