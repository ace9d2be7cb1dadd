"""TrueConf's own chat as an edge of the bridge: its settings, component and checks."""

from __future__ import annotations

from adapters.edge import Configuration, MessengerEdge, Wiring
from adapters.findings import Finding
from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf_chat import demo
from adapters.trueconf_chat.component import TrueConfChatComponent
from adapters.trueconf_chat.config import TrueConfChatConfig, TrueConfChatSettings
from adapters.trueconf_chat.confirm import ConfirmingService
from adapters.trueconf_chat.doctor import check_chat
from adapters.trueconf_chat.handlers import ChatBridge, Handlers
from adapters.trueconf_chat.inbound import PLATFORM
from adapters.trueconf_chat.lease import ConnectionLeases
from adapters.trueconf_chat.requests import OpenRequests
from adapters.trueconf_chat.same_server import mismatch
from bot.context import Deps
from bot.errors import ConfigError
from bot.messengers import Messengers
from bot.service import CommandService
from bot.settings import SANDBOX


def _config(settings: TrueConfChatSettings, config: Configuration) -> TrueConfChatConfig:
    return TrueConfChatConfig.from_settings(settings, config.settings_of(TrueConfSettings))


def enabled(settings: TrueConfChatSettings) -> bool:
    # A password alone is a chat meant to be on: it is named, not ignored.
    return bool(settings.login or settings.password or settings.token or settings.url == SANDBOX)


def validate(settings: TrueConfChatSettings, config: Configuration) -> None:
    _config(settings, config)


async def preflight(settings: TrueConfChatSettings, config: Configuration) -> None:
    """serve refuses a chat-bot server that is not the conference server."""
    server = config.settings_of(TrueConfSettings)
    problem = await mismatch(settings, server, _config(settings, config))
    if problem is not None:
        raise ConfigError(problem)


def component(settings: TrueConfChatSettings, wiring: Wiring) -> TrueConfChatComponent:
    config = _config(settings, wiring.config)
    workspace = config.endpoint.workspace if config.endpoint is not None else SANDBOX
    bridge = ChatBridge(
        wiring.service,
        wiring.deps.uow,
        workspace,
        config.allowed_chats,
        wiring.deps.defaults.lang,
        wiring.deps.clock,
        wiring.messengers,
        wiring.deps.defaults.zone,
    )
    # One process at a time holds the bot's connection (a built-in sandbox is
    # each process's own, so it needs no lease).
    shared = config.endpoint is not None
    return TrueConfChatComponent(
        config,
        Handlers(bridge),
        wiring.messengers,
        lease=ConnectionLeases(wiring.engine) if shared else None,
        # Link requests taken by any replica are put by the holder.
        requests=OpenRequests(wiring.engine) if shared else None,
        clock=wiring.deps.clock,
    )


def wrap_service(
    settings: TrueConfChatSettings, service: CommandService, messengers: Messengers, deps: Deps
) -> CommandService:
    """Link requests from the other messengers are also put to the TrueConf
    user they name, whose Confirm makes the link (``confirm``)."""
    return ConfirmingService(service, messengers, deps.uow, deps.defaults.lang)


def allowlist_findings(settings: TrueConfChatSettings, loaded: Configuration) -> list[Finding]:
    config = _config(settings, loaded)
    if config.allowed_chats is None:
        detail = (
            "every chat of the server's users may use the bot "
            "(TRUECONF_CHATBOT_ALLOWED_CHATS=*; accounts of other servers are not served)"
        )
    else:
        detail = f"{len(config.allowed_chats)} chat(s) in TRUECONF_CHATBOT_ALLOWED_CHATS"
    return [Finding("trueconf chat allowlist", True, detail)]


EDGE = MessengerEdge(
    name=PLATFORM,
    settings=TrueConfChatSettings,
    enabled=enabled,
    validate=validate,
    preflight=preflight,
    component=component,
    settings_findings=allowlist_findings,
    doctor=check_chat,
    wrap_service=wrap_service,
    demo=demo.run,
)
