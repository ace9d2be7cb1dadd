"""The whole configuration: the core's settings and each edge's, read from the
environment and ``.env`` under the names people already use."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from pydantic import SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings

from adapters.edge import BackendEdge, EdgeSettings, MessengerEdge
from bot.errors import ConfigError
from bot.settings import Settings, url_password
from meetbridge.edges import EDGES, Edges
from meetbridge.setting_errors import number_problem
from meetbridge.unknown_settings import given_names, unknown_settings

S = TypeVar("S", bound=EdgeSettings)
# Read ``.env`` from the working directory (pydantic-settings' own default).
DOTENV: Path | None = Path(".env")


@dataclass(frozen=True)
class Unread:
    """A setting given wrong (``problem`` names it and why), read at ``default``."""

    problem: str
    default: object

    @property
    def variable(self) -> str:
        return self.problem.split(":", 1)[0]

    def sentence(self) -> str:
        empty = self.default is None or self.default in ("", (), frozenset(), [])
        shown = "not set" if empty else str(self.default)
        return f"{self.problem} (the checks below take its default, {shown})"


@dataclass(frozen=True)
class Config:
    core: Settings
    edges: Edges
    # Each edge's settings, by the edge's name.
    values: Mapping[str, EdgeSettings]
    # A sentence per name given that looks like a setting and is none.
    unknown: tuple[str, ...] = ()
    # Settings given wrong, read at their defaults (``load_config(lenient=True)``).
    unread: tuple[Unread, ...] = ()

    def of(self, edge: BackendEdge[S] | MessengerEdge[S]) -> S:
        value = self.values[edge.name]
        if not isinstance(value, edge.settings):  # pragma: no cover - built together
            raise TypeError(f"{edge.name}'s settings are not {edge.settings.__name__}")
        return value

    def settings_of(self, cls: type[S]) -> S:
        """The loaded settings whose class is ``cls`` (an edge reading another's)."""
        for value in self.values.values():
            if type(value) is cls:
                return value
        raise LookupError(f"no registered edge reads {cls.__name__}")

    def messengers(self) -> list[MessengerEdge[Any]]:
        """The messengers these settings turn on."""
        return [edge for edge in self.edges.messengers if edge.enabled(self.of(edge))]

    def backends(self) -> list[BackendEdge[Any]]:
        """The conference servers these settings configure; when none is, the
        first known one, whose check then says what to set."""
        configured = [edge for edge in self.edges.backends if edge.enabled(self.of(edge))]
        return configured or [self.edges.backends[0]]

    def configured_backends(self) -> list[str]:
        return [edge.name for edge in self.edges.backends if edge.enabled(self.of(edge))]

    def value(self, variable: str) -> object:
        """A setting's value by its environment variable (``SLACK_BOT_TOKEN``)."""
        owner, field = _route(_routes(self.edges), variable)
        return getattr(self.core if owner is None else self.values[owner], field)

    def with_values(self, **overrides: object) -> Config:
        """A copy with some settings replaced, named as their variables in lower case."""
        routes = _routes(self.edges)
        core: dict[str, object] = {}
        edges: dict[str, dict[str, object]] = {}
        for key, value in overrides.items():
            owner, field = _route(routes, key)
            if owner is None:
                core[field] = value
            else:
                edges.setdefault(owner, {})[field] = value
        values = {
            name: settings.model_copy(update=edges[name]) if name in edges else settings
            for name, settings in self.values.items()
        }
        core_settings = self.core.model_copy(update=core)
        return Config(core_settings, self.edges, values, self.unknown, self.unread)

    def secrets(self) -> Iterator[str]:
        """Every secret configured: each ``SecretStr`` of the core's settings and
        every edge's, and the database password."""
        for settings in (self.core, *self.values.values()):
            for _name, value in settings:
                if isinstance(value, SecretStr) and value.get_secret_value():
                    yield value.get_secret_value()
        password = url_password(self.core.database_url)
        if password:
            # As written, and as the driver may echo it (percent-decoded).
            yield password
            yield unquote(password)


Routes = dict[str, tuple[str | None, str]]


def _routes(edges: Edges) -> Routes:
    """Each variable's name in lower case -> (its edge, or None for the core; its field)."""
    routes: Routes = {name: (None, name) for name in Settings.model_fields}
    for edge in edges.all:
        for field, env in edge.settings.env_names().items():
            routes[env.lower()] = (edge.name, field)
    return routes


def _route(routes: Routes, key: str) -> tuple[str | None, str]:
    try:
        return routes[key.lower()]
    except KeyError:
        raise TypeError(f"no setting is named {key.upper()}") from None


def settings_classes(edges: Edges = EDGES) -> Iterator[type[BaseSettings]]:
    yield Settings
    for edge in edges.all:
        yield edge.settings


def fields(edges: Edges = EDGES) -> dict[str, FieldInfo]:
    """Every setting the bridge reads, by its environment variable."""
    found: dict[str, FieldInfo] = {
        name.upper(): info for name, info in Settings.model_fields.items()
    }
    for edge in edges.all:
        for name, env in edge.settings.env_names().items():
            found[env] = edge.settings.model_fields[name]
    return found


def load_config(
    *,
    env_file: Path | str | None = DOTENV,
    edges: Edges = EDGES,
    values: Mapping[str, object] | None = None,
    lenient: bool = False,
    **overrides: object,
) -> Config:
    """The configuration from the environment and ``env_file`` (``None``: no
    file), with ``values`` and ``overrides`` named as their variables in lower
    case; a clear line per wrong setting, naming its variable. ``lenient``
    (doctor): a wrong setting with a default is read at it and named in
    ``Config.unread``, so the other checks still run."""
    routes = _routes(edges)
    given: dict[str | None, dict[str, Any]] = {}
    for key, value in {**(values or {}), **overrides}.items():
        owner, field = _route(routes, key)
        given.setdefault(owner, {})[field] = value
    problems: list[str] = []
    unread: list[Unread] | None = [] if lenient else None
    core = _read(Settings, env_file, given.get(None, {}), problems, unread)
    read: dict[str, EdgeSettings] = {}
    for edge in edges.all:
        value = _read(edge.settings, env_file, given.get(edge.name, {}), problems, unread)
        if value is not None:
            read[edge.name] = value
    readable = core is not None and len(read) == len(edges.all)
    if not readable or (problems and not lenient):
        raise ConfigError("settings are not valid:\n" + "\n".join(problems))
    assert core is not None
    unknown = unknown_settings(given_names(env_file), fields(edges))
    return Config(core, edges, read, tuple(unknown), tuple(unread or ()))


T = TypeVar("T", bound=BaseSettings)


def _read(
    cls: type[T],
    env_file: Path | str | None,
    given: dict[str, Any],
    problems: list[str],
    unread: list[Unread] | None = None,
) -> T | None:
    """``cls`` read, or ``None`` with a line per wrong setting in ``problems``.
    Given ``unread``, a wrong setting is read again at its default and told
    there (doctor checks the rest with it); one without a default still fails."""
    given = dict(given)
    while True:
        try:
            return cls(_env_file=env_file, **given)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        problems.extend(f"  {_variable(cls, err['loc'])}: {_message(cls, err)}" for err in errors)
        if unread is None:
            return None
        for err in errors:
            field = str(err["loc"][0]) if err["loc"] else ""
            info = cls.model_fields.get(field)
            if info is None or info.is_required() or field in given:
                return None  # nothing to read it as instead: the settings stay unread
            given[field] = info.get_default(call_default_factory=True)
            problem = f"{_variable(cls, err['loc'])}: {_message(cls, err)}"
            unread.append(Unread(problem, given[field]))


def _message(cls: type[BaseSettings], err: ErrorDetails) -> str:
    """A wrong number or flag in our words, else pydantic's message without
    the "Value error, " it puts before ours."""
    field = str(err["loc"][0]) if err["loc"] else ""
    said = number_problem(_variable(cls, err["loc"]), cls.model_fields.get(field), err)
    return said if said is not None else err["msg"].removeprefix("Value error, ")


def _variable(cls: type[BaseSettings], loc: tuple[int | str, ...]) -> str:
    field = str(loc[0]) if loc else ""
    if issubclass(cls, EdgeSettings):
        return cls.env_name(field)
    return field.upper()
