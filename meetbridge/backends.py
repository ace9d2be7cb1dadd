"""Every conference server the settings configure, by name, and the default one."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta

from adapters.edge import BuiltBackend
from bot.clock import Clock
from bot.errors import ConfigError
from bot.metrics import Metrics
from bot.ports import ConferenceBackend, RoomActivation, UserDirectory
from meetbridge.config import Config

# How long before the start a room is switched on, when no server says.
ACTIVATION_LEAD = timedelta(minutes=5)


@dataclass(frozen=True)
class Backends:
    built: Mapping[str, BuiltBackend]
    default: str

    @property
    def by_name(self) -> dict[str, ConferenceBackend]:
        return {name: built.backend for name, built in self.built.items()}

    @property
    def directory(self) -> UserDirectory | None:
        """The first server's user accounts (TrueConf's)."""
        return next((b.directory for b in self.built.values() if b.directory), None)

    @property
    def activation(self) -> dict[str, RoomActivation]:
        """Servers without a schedule of their own, whose rooms the ledger switches."""
        return {
            name: b.backend.activation
            for name, b in self.built.items()
            if b.backend.activation is not None
        }

    @property
    def activation_lead(self) -> timedelta:
        leads = [b.activation_lead for b in self.built.values() if b.activation_lead is not None]
        return leads[0] if leads else ACTIVATION_LEAD

    @property
    def server_zone(self) -> str:
        return next((b.server_zone for b in self.built.values() if b.server_zone), "UTC")

    @property
    def owner_login(self) -> str | None:
        return next((b.owner_login for b in self.built.values() if b.owner_login), None)


def default_backend(config: Config) -> str:
    """DEFAULT_BACKEND when set (and configured); else the first configured one."""
    configured = config.configured_backends()
    chosen = config.core.default_backend
    if chosen is None:
        return configured[0] if configured else config.edges.backends[0].name
    edge = config.edges.backend(chosen)
    if edge is None:
        known = ", ".join(edge.name for edge in config.edges.backends)
        raise ConfigError(f"DEFAULT_BACKEND={chosen} is not a conference server ({known}).")
    if chosen not in configured:
        raise ConfigError(f"DEFAULT_BACKEND={chosen} but {edge.settings.switch} is not set.")
    return chosen


async def build_backends(
    config: Config, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None = None
) -> Backends:
    built: dict[str, BuiltBackend] = {}
    for edge in config.backends():
        settings = config.of(edge)
        edge.validate(settings)  # the ConfigError that says what to set
        built[edge.name] = await edge.build(settings, clock, stack, metrics)
    return Backends(built=built, default=default_backend(config))
