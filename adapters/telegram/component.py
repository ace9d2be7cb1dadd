"""The Telegram part of ``meetbridge serve``: a python-telegram-bot
``Application`` embedded in the shared ASGI service, in webhook or polling mode.

PTB's own web server is not used: the service routes ``/telegram/webhook`` here
and this component initialises, starts and stops the application with the
service. On start it registers the command menu and its ``Messenger``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    TypeHandler,
    filters,
)

from adapters.telegram.callbacks import CallbackHandlers
from adapters.telegram.handlers import Bridge, CommandHandlers
from adapters.telegram.menu import register_commands
from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from adapters.telegram.redact import TokenRedactor
from adapters.telegram.webhook import PATH, webhook_route
from bot.errors import ConfigError
from bot.messengers import Messengers
from bot.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
ALLOWED_UPDATES = ("message", "callback_query")


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: str
    api_url: str
    webhook_secret: str | None
    polling: bool
    public_url: str | None
    limits: Limits = field(default_factory=Limits)
    # Long-poll wait of getUpdates; short enough to stop promptly.
    poll_timeout: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramConfig:
        if settings.telegram_bot_token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
        secret = settings.telegram_webhook_secret
        polling = settings.telegram_polling
        if not polling and secret is None:
            # An open webhook would let anyone post updates as any person.
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook "
                "(or run `meetbridge serve --telegram-polling`)"
            )
        return cls(
            token=settings.telegram_bot_token.get_secret_value(),
            api_url=(settings.telegram_api_url or DEFAULT_API_URL).rstrip("/"),
            webhook_secret=secret.get_secret_value() if secret else None,
            polling=polling,
            public_url=settings.public_url,
        )

    def __repr__(self) -> str:
        return f"TelegramConfig(api_url={self.api_url!r}, polling={self.polling})"


TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(config: TelegramConfig, bridge: Bridge) -> TelegramApplication:
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(f"{config.api_url}/bot")
        .base_file_url(f"{config.api_url}/file/bot")
        .rate_limiter(TelegramRateLimiter(config.limits))
        # Chats are served side by side; one slow conference server must not
        # hold every other chat up.
        .concurrent_updates(32)
    )
    if not config.polling:
        builder = builder.updater(None)
    application = builder.build()
    commands = CommandHandlers(bridge)
    callbacks = CallbackHandlers(bridge)
    application.add_handler(TypeHandler(Update, commands.dedupe), group=-1)
    # New messages only: an edited "/meet now" must not create a second meeting.
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("meet", commands.on_meet, filters=new_messages))
    application.add_handler(
        CommandHandler(["help", "start"], commands.on_help, filters=new_messages)
    )
    application.add_handler(CallbackQueryHandler(callbacks.on_callback))
    application.add_error_handler(_log_error)
    return application


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("handling a Telegram update failed", exc_info=context.error)


class TelegramComponent:
    def __init__(self, config: TelegramConfig, bridge: Bridge, messengers: Messengers) -> None:
        self._config = config
        self._bridge = bridge
        self._messengers = messengers
        self._redactor = TokenRedactor(config.token)
        self.application = build_application(config, bridge)
        self._routes: list[BaseRoute] = []
        if config.webhook_secret is not None and not config.polling:
            self._routes.append(webhook_route(self.application, config.webhook_secret))

    @property
    def name(self) -> str:
        return "telegram (polling)" if self._config.polling else "telegram (webhook)"

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return self._routes

    async def start(self) -> None:
        self._redactor.install()
        application = self.application
        await application.initialize()  # getMe: the bot's id and @name
        await register_commands(application.bot)
        if self._config.polling:
            assert application.updater is not None
            await application.updater.start_polling(
                timeout=self._config.poll_timeout, allowed_updates=list(ALLOWED_UPDATES)
            )
        elif self._config.public_url and self._config.webhook_secret:
            await application.bot.set_webhook(
                f"{self._config.public_url}{PATH}",
                secret_token=self._config.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        await application.start()
        self._messengers.register(TelegramMessenger(application.bot, self._bridge.open_link))
        log.info("Telegram bot @%s is ready", application.bot.username)

    async def stop(self) -> None:
        self._messengers.unregister("telegram")
        application = self.application
        try:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
        finally:
            self._redactor.uninstall()
