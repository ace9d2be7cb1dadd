"""The python-telegram-bot ``Application``: the Bot API client with the rate
limiter, and the handlers for commands, buttons and retried updates."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from adapters.telegram.allowlist import ChatAllowlist
from adapters.telegram.callbacks import CallbackHandlers
from adapters.telegram.config import TelegramConfig
from adapters.telegram.handlers import Bridge, CommandHandlers
from adapters.telegram.ratelimit import TelegramRateLimiter
from adapters.telegram.tracing import TracingUpdateProcessor
from bot.metrics import Metrics
from bot.ports import SharedWindows

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query")


TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    config: TelegramConfig,
    bridge: Bridge,
    metrics: Metrics | None = None,
    shared_limits: SharedWindows | None = None,
) -> TelegramApplication:
    limiter = TelegramRateLimiter(config.limits, metrics=metrics, shared=shared_limits)
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(f"{config.api_url}/bot")
        .base_file_url(f"{config.api_url}/file/bot")
        .rate_limiter(limiter)
        # Chats are served side by side; one slow conference server must not
        # hold every other chat up.
        .concurrent_updates(TracingUpdateProcessor(32))
    )
    if not config.polling:
        builder = builder.updater(None)
    application = builder.build()
    commands = CommandHandlers(bridge)
    callbacks = CallbackHandlers(bridge)
    # First of all: chats not on TELEGRAM_ALLOWED_CHATS go no further.
    allowlist = ChatAllowlist(
        config.allowed_chats, bridge.uow, frozenset(bridge.admins.telegram_ids())
    )
    application.add_handler(TypeHandler(Update, allowlist), group=-2)
    application.add_handler(TypeHandler(Update, commands.dedupe), group=-1)
    # New messages only: an edited "/meet now" must not create a second meeting.
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("meet", commands.on_meet, filters=new_messages))
    application.add_handler(CommandHandler("help", commands.on_help, filters=new_messages))
    application.add_handler(CommandHandler("start", commands.on_start, filters=new_messages))
    # A plain line in a private chat (new, text, no command): what was meant.
    # Groups get nothing: people talk there.
    plain = new_messages & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(plain, commands.on_plain_text))
    application.add_handler(CallbackQueryHandler(callbacks.on_callback))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, commands.on_migrate))
    application.add_error_handler(_log_error)
    return application


async def _log_error(_update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("handling a Telegram update failed", exc_info=context.error)
