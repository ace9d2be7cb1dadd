"""What a handler gets: the request as the core understands it, and the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.chat import Lang
from bot.clock import Clock
from bot.commands import CommandInput
from bot.i18n import Translator
from bot.ports import ConferenceBackend, UnitOfWorkFactory, UserDirectory


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a messenger can show; declared by each adapter, never guessed by the core."""

    custom_scheme_links: bool = False  # can a trueconf:/intent: link be clicked?
    ephemeral: bool = False
    buttons: bool = False
    modals: bool = False
    file_upload: bool = False


@dataclass(frozen=True, slots=True)
class Defaults:
    zone: str
    lang: Lang
    duration: timedelta
    owner_login: str | None
    server_zone: str


@dataclass(frozen=True, slots=True)
class Deps:
    backend: ConferenceBackend
    directory: UserDirectory
    uow: UnitOfWorkFactory
    clock: Clock
    defaults: Defaults


@dataclass(frozen=True, slots=True)
class Request:
    """One command being served: who asked, in which zone and language, and when."""

    input: CommandInput
    zone: str
    lang: Lang
    t: Translator
    now: datetime
    capabilities: Capabilities
