"""What an edge brings to the bridge, and what the composition root hands it.

An edge is a messenger (Slack, Telegram, the console) or a conference server
(TrueConf, Callaba). Each declares, in its own package, one ``MessengerEdge``
or ``BackendEdge``: its settings (a pydantic-settings class with its own
environment prefix), whether those settings turn it on, the check ``serve``
and ``doctor`` refuse on, its builder, its readiness and its doctor checks.
The composition root lists the edges once (``meetbridge.edges``) and asks
each of them; nothing else names an edge.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.findings import Finding
from adapters.http import Component
from adapters.http.readiness import CheckResult
from bot.clock import Clock
from bot.errors import ConfigError
from bot.metrics import Metrics
from bot.ports import (
    CommandQueue,
    ConferenceBackend,
    SharedWindows,
    UnitOfWorkFactory,
    UserDirectory,
)
from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from adapters.http.open_link import OpenLinks
    from bot.context import Deps
    from bot.messengers import Messengers
    from bot.service import CommandService


class EdgeSettings(BaseSettings):
    """An edge's settings: read from the environment and ``.env`` under the
    edge's prefix (``SLACK_``, ``TELEGRAM_``, …), so the variables keep the
    names people already have in their files."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)
    # The variable that turns the edge on, named when something needs it unset.
    switch: ClassVar[str] = ""
    # What to set to turn a messenger on, and its name for people: the
    # warning of a bridge with no messenger names these ("" for the console,
    # which no setting turns on).
    turned_on_by: ClassVar[str] = ""

    @classmethod
    def env_name(cls, field_name: str) -> str:
        """The environment variable of one of its fields."""
        return f"{cls.model_config.get('env_prefix', '')}{field_name}".upper()

    @classmethod
    def env_names(cls) -> dict[str, str]:
        """Every field's environment variable, by field name."""
        return {name: cls.env_name(name) for name in cls.model_fields}


S = TypeVar("S", bound=EdgeSettings)
T = TypeVar("T", bound=EdgeSettings)


class Configuration(Protocol):
    """The configuration as the composition root loaded it: the core's
    settings and every edge's, so an edge that reads another's variables
    (TrueConf chat reads TRUECONF_SERVER_URL) sees the same values."""

    @property
    def core(self) -> Settings: ...

    def settings_of(self, cls: type[T]) -> T:
        """The loaded settings of the edge whose settings class is ``cls``."""
        ...


def _no_problem(settings: Any, config: Configuration) -> None:
    return None


def _no_findings(settings: Any, config: Configuration) -> list[Finding]:
    return []


async def _nothing_to_ask(settings: Any, config: Configuration, clock: Clock) -> list[Finding]:
    return []


async def _nothing_to_refuse(settings: Any, config: Configuration) -> None:
    return None


async def _no_tables(settings: Any, engine: AsyncEngine) -> None:
    return None


async def _nothing_more(settings: Any, clock: Clock, built: BuiltBackend) -> list[Finding]:
    return []


@dataclass(frozen=True)
class Wiring:
    """What the composition root hands a messenger's component."""

    config: Configuration
    service: CommandService
    deps: Deps
    messengers: Messengers
    open_links: OpenLinks | None
    # The bridge's one database pool, for tables an edge keeps (Slack's
    # installations); the edge's ``tables`` made them ready before.
    engine: AsyncEngine
    # Send limits shared with the other replicas, by namespace (a bot's id),
    # when the database can hold them for every replica (PostgreSQL).
    send_windows: Callable[[str], SharedWindows] | None = None
    # The accepted-commands queue of a messenger (by its name), in the
    # bridge's database: commands acknowledged by serve, worked on by work.
    command_queue: Callable[[str], CommandQueue] | None = None


class WorkPart(Component, Protocol):
    """A messenger's part of ``meetbridge work``: it works on the commands
    its ``serve`` part accepted into the database."""

    def wake(self) -> None:
        """A command was just accepted: look for it now."""
        ...


class ServedMessenger(Component, Protocol):
    """A messenger as a part of ``serve``: routes, start and stop, and the
    readiness of its API (reported on ``/readyz`` under its name)."""

    async def check_ready(self) -> CheckResult: ...


@dataclass(frozen=True)
class MessengerEdge(Generic[S]):
    # Its platform: the first part of its chats' and people's keys.
    name: str
    settings: type[S]
    # Whether these settings turn it on (it is then part of serve and doctor).
    enabled: Callable[[S], bool]
    # Raises the ConfigError that names the wrong setting; serve and doctor
    # refuse on it. Asked only when the edge is enabled.
    validate: Callable[[S, Configuration], None] = _no_problem
    # serve's check that asks the network before anything starts: raises the
    # ConfigError that stops it (doctor reports the same from ``doctor``).
    preflight: Callable[[S, Configuration], Awaitable[None]] = _nothing_to_refuse
    # Its part of serve; None for a messenger serve does not run (the console).
    component: Callable[[S, Wiring], ServedMessenger] | None = None
    # Its part of `meetbridge work` (the work of commands serve accepted);
    # None for a messenger that works on its commands where it receives them.
    worker: Callable[[S, Wiring], WorkPart] | None = None
    # Creates or upgrades the tables it keeps in the bridge's database (its
    # own definitions and migrations, never storage's), on the pool it is
    # handed: by serve before any component starts, and by `meetbridge db upgrade`.
    tables: Callable[[S, AsyncEngine], Awaitable[None]] = _no_tables
    # doctor's lines from its settings alone (who may use it), after validate passed.
    settings_findings: Callable[[S, Configuration], list[Finding]] = _no_findings
    # doctor's lines from asking its API.
    doctor: Callable[[S, Configuration, Clock], Awaitable[list[Finding]]] = _nothing_to_ask
    # Where under PUBLIC_URL its service is reached (webhooks), for doctor's
    # advice on the reverse proxy.
    public_paths: tuple[str, ...] = ()
    # serve's command-line switches: option -> (help, the field it sets to true).
    serve_flags: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # What it changes in the command service the other messengers are handed
    # (TrueConf chat: link requests also put to the TrueConf user asked).
    wrap_service: Callable[[S, CommandService, Messengers, Deps], CommandService] | None = None
    # `meetbridge demo --messenger <name>`: its chat in the console, against
    # its own sandbox (None: the console chat serves the demo).
    demo: Callable[..., Awaitable[None]] | None = None

    def problem(self, settings: S, config: Configuration) -> str | None:
        """What is wrong with its settings, naming the variable; None: nothing."""
        try:
            self.validate(settings, config)
        except ConfigError as exc:
            return str(exc)
        return None


@dataclass(frozen=True)
class BuiltBackend:
    """A conference server built from its settings, with what the core takes from it."""

    backend: ConferenceBackend
    # Where it is, for people: its URL, or "built-in sandbox".
    where: str
    # For /readyz: raises a BridgeError when the server is unreachable or
    # refuses the credentials.
    check_ready: Callable[[], Awaitable[None]]
    # For doctor: the same, and what the server was seen to accept.
    check_credentials: Callable[[], Awaitable[None]]
    accepted: str = "credentials accepted"
    # The setting that says where the server is, named when it cannot be
    # reached or something else answers there; what the server is called.
    url_setting: str = ""
    kind: str = "conference server"
    # The edge's own description of where it is (tests reach the sandbox through it).
    endpoint: object = None
    # The server's user accounts, when it has them.
    directory: UserDirectory | None = None
    # How long before each start the ledger switches a room on (servers
    # whose rooms have no schedule of their own).
    activation_lead: timedelta | None = None
    # The zone the server keeps weekly schedules in, and who owns the
    # meetings of people not linked to an account.
    server_zone: str | None = None
    owner_login: str | None = None


# A console-only line of the demo (``/join <id>``): the speaker's name and the
# rest of the line in, the line to print out.
ConsoleHook = Callable[[str, str], Awaitable[str]]


def _no_console_hooks(built: BuiltBackend, uow: UnitOfWorkFactory) -> Mapping[str, ConsoleHook]:
    return {}


@dataclass(frozen=True)
class BackendEdge(Generic[S]):
    name: str
    settings: type[S]
    enabled: Callable[[S], bool]
    # Raises the ConfigError that names the wrong or missing setting.
    validate: Callable[[S], None]
    build: Callable[[S, Clock, AsyncExitStack, Metrics | None], Awaitable[BuiltBackend]]
    settings_findings: Callable[[S, Configuration], list[Finding]] = _no_findings
    # doctor's lines from asking the server more, once it took the credentials.
    doctor: Callable[[S, Clock, BuiltBackend], Awaitable[list[Finding]]] = _nothing_more
    # The settings that make `meetbridge demo` use its built-in sandbox.
    demo: Callable[[S], Mapping[str, object]] = lambda settings: {}
    demo_banner: str = ""
    # The console's own lines for its built-in sandbox (the demo's /join).
    console_hooks: Callable[[BuiltBackend, UnitOfWorkFactory], Mapping[str, ConsoleHook]] = (
        _no_console_hooks
    )

    def problem(self, settings: S, _config: Configuration) -> str | None:
        """What is wrong with its settings, naming the variable; None: nothing."""
        try:
            self.validate(settings)
        except ConfigError as exc:
            return str(exc)
        return None
