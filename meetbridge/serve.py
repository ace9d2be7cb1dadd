"""``meetbridge serve``: one ASGI server for every messenger and the dispatcher."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from adapters.http import Component, build_web_app
from adapters.http.open_link import OpenLinkComponent, OpenLinks, open_links_from
from adapters.slack.component import SlackComponent
from adapters.slack.config import slack_config
from adapters.telegram.component import TelegramComponent, TelegramConfig
from adapters.telegram.handlers import Bridge
from bot.settings import Settings
from meetbridge.compose import App, build_app
from meetbridge.reminders import ReminderComponent

log = logging.getLogger(__name__)


class GracefulServer(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, which would
    kill the process before the bridge closes its database and releases its
    work. Here a signal only asks the server to stop; the bridge then shuts
    down in order and exits 0."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def components_for(app: App) -> list[Component]:
    """The parts this configuration turns on, in start order."""
    components: list[Component] = []
    links = open_links_from(app.settings)
    if links is not None:
        components.append(OpenLinkComponent(links))
    slack = slack_config(app.settings)
    if slack is not None:
        components.append(
            SlackComponent(
                slack,
                app.service,
                app.deps.uow,
                app.messengers,
                database_url=app.settings.database_url,
                public_url=app.settings.public_url,
                open_links=links,
            )
        )
    if app.settings.telegram_bot_token is not None:
        components.append(telegram_component(app, links))
    # Last: it sends through the messengers the components above register.
    components.append(ReminderComponent(app.settings, app.deps, app.messengers))
    return components


def telegram_component(app: App, links: OpenLinks | None) -> TelegramComponent:
    bridge = Bridge(app.service, app.deps.uow, links.url_for if links else None)
    return TelegramComponent(TelegramConfig.from_settings(app.settings), bridge, app.messengers)


async def serve(settings: Settings, *, host: str, port: int) -> None:
    async with build_app(settings) as app:
        web = build_web_app(components_for(app))
        config = uvicorn.Config(
            web,
            host=host,
            port=port,
            log_level=settings.log_level.lower(),
            access_log=False,  # request lines can carry ids people consider private
            lifespan="on",
        )
        server = GracefulServer(config)
        log.info("meetbridge serving on http://%s:%d", host, port)
        await server.serve()
