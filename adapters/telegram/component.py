"""The Telegram part of ``meetbridge serve``: a python-telegram-bot
``Application`` embedded in the shared ASGI service, in webhook or polling mode.

PTB's own web server is not used: the service routes ``/telegram/webhook`` here
and this component initialises, starts and stops the application with the
service. On start it registers the command menu and its ``Messenger``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from starlette.routing import BaseRoute
from telegram.error import Forbidden, InvalidToken

from adapters.http.readiness import CheckResult, failed, passed
from adapters.logs import RedactingFilter, Redactor
from adapters.reconnect import Reconnecting
from adapters.telegram.application import ALLOWED_UPDATES, build_application
from adapters.telegram.config import TelegramConfig
from adapters.telegram.handlers import Bridge
from adapters.telegram.menu import register_commands
from adapters.telegram.messenger import TelegramMessenger, capabilities
from adapters.telegram.webhook import PATH, webhook_route
from bot.chat import ChatRef, Platform
from bot.chat_moves import move_chat
from bot.errors import DeliveryError
from bot.messengers import Messengers
from bot.metrics import Metrics
from bot.ports import SharedWindows
from bot.reply import Capabilities, Reply

log = logging.getLogger(__name__)

__all__ = ["TelegramComponent", "TelegramConfig"]


class TelegramComponent:
    def __init__(
        self,
        config: TelegramConfig,
        bridge: Bridge,
        messengers: Messengers,
        metrics: Metrics | None = None,
        shared_limits: SharedWindows | None = None,
    ) -> None:
        self._config = config
        self._bridge = bridge
        self._messengers = messengers
        # The token is in every Bot API URL, which httpx logs: masked on every
        # root handler while the bot runs (serve masks it from the start too).
        self._redactor = RedactingFilter(Redactor([config.token]))
        self.application = build_application(config, bridge, metrics, shared_limits)
        self._routes: list[BaseRoute] = []
        self._connecting: Reconnecting | None = None
        if config.webhook_secret is not None and not config.polling:
            # Updates that arrive while the bot is still connecting wait in
            # the application's queue and are handled once it runs.
            self._routes.append(webhook_route(self.application, config.webhook_secret))

    @property
    def name(self) -> str:
        return "telegram (polling)" if self._config.polling else "telegram (webhook)"

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return self._routes

    async def start(self) -> None:
        """Returns at once: the Bot API is reached in the background, again
        and again until it answers, so an unreachable Telegram keeps neither
        the service nor a stop signal waiting."""
        self._redactor.install()
        self._connecting = connecting = Reconnecting("telegram", self._connect, self._problem)
        # Until connected, reminders are told to try again later (not that
        # Telegram is not configured, which would drop them).
        self._messengers.register(_NotConnected(connecting))
        connecting.start()

    async def wait_connected(self) -> None:
        """Until the bot runs (for callers that need it to, such as tests)."""
        if self._connecting is not None:
            await self._connecting.wait()

    @property
    def connected(self) -> bool:
        return self._connecting is not None and self._connecting.connected

    def _problem(self, exc: Exception) -> str:
        if isinstance(exc, InvalidToken | Forbidden):
            return "the Bot API refused TELEGRAM_BOT_TOKEN: check it with @BotFather"
        first = str(exc).strip().splitlines()
        reason = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
        return f"cannot reach the Bot API at {self._config.api_url} (TELEGRAM_API_URL): {reason}"

    async def _connect(self) -> None:
        application = self.application
        await application.initialize()  # getMe: the bot's id and @name
        await register_commands(application.bot)
        if self._config.polling:
            assert application.updater is not None
            if not application.updater.running:
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
        on_moved = functools.partial(move_chat, self._bridge.uow)
        self._messengers.register(
            TelegramMessenger(application.bot, self._bridge.open_link, on_moved=on_moved)
        )
        log.info("Telegram bot @%s is ready", application.bot.username)

    async def check_ready(self) -> CheckResult:
        """Connected, and ``getMe`` accepts the token."""
        if self._connecting is not None and not self._connecting.connected:
            return failed(f"not connected yet: {self._connecting.problem or 'connecting'}")
        try:
            me = await self.application.bot.get_me()
        except (InvalidToken, Forbidden):
            return failed("getMe refused the bot token")
        return passed(f"getMe accepts the token (@{me.username})")

    async def stop(self) -> None:
        if self._connecting is not None:
            await self._connecting.stop()
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


class _NotConnected:
    """The Telegram messenger while the bot is still connecting."""

    platform: Platform = "telegram"
    deliverable = True  # a send fails and is retried, as before

    def __init__(self, connecting: Reconnecting) -> None:
        self._connecting = connecting

    @property
    def capabilities(self) -> Capabilities:
        return capabilities(None)  # nothing is sent through it

    async def send(self, chat: ChatRef, reply: Reply) -> None:  # noqa: ARG002 (refuses all)
        raise DeliveryError(
            f"Telegram is not connected yet ({self._connecting.problem or 'connecting'})"
        )

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:  # noqa: ARG002
        await self.send(chat, reply)  # not yet: the card is edited at a later poll
