"""Every conference server the settings configure, by name, and the default one."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from adapters.callaba.backend import CallabaBackend
from adapters.trueconf.backend import TrueConfBackend
from bot.clock import Clock
from bot.errors import ConfigError
from bot.metrics import Metrics
from bot.ports import ConferenceBackend, RoomActivation
from bot.settings import Settings
from meetbridge.callaba_setup import CallabaEndpoint, build_callaba
from meetbridge.trueconf_setup import TrueConfEndpoint, build_trueconf


@dataclass(frozen=True)
class Backends:
    by_name: dict[str, ConferenceBackend]
    default: str
    trueconf: TrueConfBackend | None = None
    trueconf_endpoint: TrueConfEndpoint | None = None
    callaba: CallabaBackend | None = None
    callaba_endpoint: CallabaEndpoint | None = None
    # Backends without a schedule of their own, whose rooms the ledger switches.
    activation: dict[str, RoomActivation] = field(default_factory=dict)


def default_backend(settings: Settings, configured: list[str]) -> str:
    """DEFAULT_BACKEND when set (and configured); else TrueConf first, then Callaba."""
    if settings.default_backend is not None:
        if settings.default_backend not in configured:
            upper = settings.default_backend.upper()
            setting = "TRUECONF_SERVER_URL" if upper == "TRUECONF" else "CALLABA_URL"
            raise ConfigError(
                f"DEFAULT_BACKEND={settings.default_backend} but {setting} is not set."
            )
        return settings.default_backend
    return configured[0]


async def build_backends(
    settings: Settings, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None = None
) -> Backends:
    if settings.trueconf_server_url is None and settings.callaba_url is None:
        # Names TrueConf's setting first: most installations start there.
        await build_trueconf(settings, clock, stack)  # raises the ConfigError that says how
    by_name: dict[str, ConferenceBackend] = {}
    trueconf = trueconf_endpoint = callaba = callaba_endpoint = None
    if settings.trueconf_server_url is not None:
        trueconf, trueconf_endpoint = await build_trueconf(settings, clock, stack, metrics)
        by_name[trueconf.name] = trueconf
    if settings.callaba_url is not None:
        callaba, callaba_endpoint = await build_callaba(settings, clock, stack, metrics)
        by_name[callaba.name] = callaba
    return Backends(
        by_name=by_name,
        default=default_backend(settings, list(by_name)),
        trueconf=trueconf,
        trueconf_endpoint=trueconf_endpoint,
        callaba=callaba,
        callaba_endpoint=callaba_endpoint,
        activation={
            name: backend.activation
            for name, backend in by_name.items()
            if backend.activation is not None
        },
    )
