"""Telegram as an edge of the bridge: its settings, component and checks."""

from __future__ import annotations

from adapters.edge import Configuration, MessengerEdge, Wiring
from adapters.telegram.component import TelegramComponent
from adapters.telegram.config import TelegramConfig
from adapters.telegram.doctor import allowlist_findings, check_telegram
from adapters.telegram.handlers import Bridge
from adapters.telegram.settings import TelegramSettings


def validate(settings: TelegramSettings, config: Configuration) -> None:
    # Deny by default: TELEGRAM_ALLOWED_CHATS, and the webhook's secret.
    TelegramConfig.from_settings(settings, config.core.public_url)


def component(settings: TelegramSettings, wiring: Wiring) -> TelegramComponent:
    links = wiring.open_links
    bridge = Bridge(
        wiring.service,
        wiring.deps.uow,
        links.url_for if links else None,
        wiring.deps.clock,
        wiring.deps.admins,
        wiring.deps.defaults.zone,
    )
    config = TelegramConfig.from_settings(settings, wiring.config.core.public_url)
    # Replicas on one bot token share Telegram's limits (the bot's id names them).
    bot_id = config.token.split(":", 1)[0]
    shared = wiring.send_windows(f"telegram:{bot_id}") if wiring.send_windows else None
    return TelegramComponent(config, bridge, wiring.messengers, wiring.deps.metrics, shared)


EDGE = MessengerEdge(
    name="telegram",
    settings=TelegramSettings,
    enabled=lambda settings: settings.bot_token is not None,
    validate=validate,
    component=component,
    settings_findings=allowlist_findings,
    doctor=check_telegram,
    public_paths=("/telegram/",),
    serve_flags={
        "--telegram-polling": (
            "fetch Telegram updates by long polling instead of the webhook",
            "polling",
        )
    },
)
