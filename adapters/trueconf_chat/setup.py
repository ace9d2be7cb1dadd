"""Building the TrueConf chat component from its settings, for ``serve``."""

from __future__ import annotations

from adapters.trueconf_chat.component import TrueConfChatComponent
from adapters.trueconf_chat.config import TrueConfChatConfig, TrueConfChatSettings
from adapters.trueconf_chat.handlers import ChatBridge, Handlers
from bot.chat import Lang
from bot.messengers import Messengers
from bot.ports import UnitOfWorkFactory
from bot.service import CommandService
from bot.settings import SANDBOX, Settings


def chat_config(settings: Settings) -> TrueConfChatConfig | None:
    """The adapter's configuration; ``None`` when it is not turned on
    (no ``TRUECONF_CHATBOT_LOGIN``/``_TOKEN``, and ``_URL`` not ``sandbox``).
    ``ConfigError`` names what is wrong."""
    chat = TrueConfChatSettings()
    if not chat.enabled:
        return None
    return TrueConfChatConfig.from_settings(
        chat, settings.trueconf_server_url, settings.trueconf_ca_bundle
    )


def chat_component(
    settings: Settings,
    service: CommandService,
    uow: UnitOfWorkFactory,
    messengers: Messengers,
) -> TrueConfChatComponent | None:
    config = chat_config(settings)
    if config is None:
        return None
    workspace = config.endpoint.workspace if config.endpoint is not None else SANDBOX
    lang: Lang = settings.default_language
    bridge = ChatBridge(service, uow, workspace, config.allowed_chats, lang)
    return TrueConfChatComponent(config, Handlers(bridge), messengers)
