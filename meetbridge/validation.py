"""The settings checks ``serve`` makes before it starts anything, in one
place, so ``doctor`` refuses exactly what ``serve`` refuses: no setting
passes one and fails the other. Each edge brings its own check."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from bot.errors import ConfigError
from bot.zone_names import old_zone
from meetbridge.backends import default_backend
from meetbridge.config import Config
from storage.db import normalize_url


def _database(config: Config) -> None:
    normalize_url(config.core.database_url)


def _default_backend(config: Config) -> None:
    if config.configured_backends():
        default_backend(config)


def _problem(check: Callable[[Config], None], config: Config) -> str | None:
    try:
        check(config)
    except ConfigError as exc:
        return str(exc)
    return None


def settings_problems(config: Config) -> list[str]:
    """Every problem, one sentence each naming the setting (empty: all good).
    The conference servers first (a missing one is what most installations
    meet first; one not configured is asked only when none is), the
    database, each messenger turned on, and DEFAULT_BACKEND."""
    problems = [edge.problem(config.of(edge), config) for edge in config.backends()]
    problems.append(_problem(_database, config))
    problems += [edge.problem(config.of(edge), config) for edge in config.messengers()]
    problems.append(_problem(_default_backend, config))
    return [problem for problem in problems if problem is not None]


async def refuse_unsafe(config: Config) -> None:
    """Each messenger turned on asks what its settings alone cannot tell
    (TrueConf chat: that its server is the conference server); the first
    refusal is a ``ConfigError``."""
    for edge in config.messengers():
        await edge.preflight(config.of(edge), config)


def start_warnings(config: Config, *, host: str | None = None) -> list[str]:
    """What ``serve`` starts with all the same and logs, and ``doctor``
    warns of: names that look like settings and are none, a DEFAULT_TIMEZONE
    that is no place's clocks ("EST"), no messenger turned on (a bridge
    no chat reaches), and /metrics open to anyone beyond loopback. ``host``:
    where serve listens (``serve --host``), else HOST."""
    warnings = list(config.unknown)
    host = config.core.host if host is None else host
    warnings.extend(_open_metrics(config, host))
    zone = config.core.default_timezone
    cities = old_zone(zone)
    if cities is not None:
        # Warned, not refused: a set-up that had one keeps starting; /meet tz
        # refuses it from people.
        instead = (
            f"set the zone of a city, such as {', '.join(cities)}"
            if cities
            else "set a city's zone"
        )
        warnings.append(
            f"DEFAULT_TIMEZONE={zone} keeps no place's clocks (a fixed offset or an old rule "
            f"without the summer time people there keep): {instead}"
        )
    if not config.messengers():
        warnings.append(
            "no messenger is turned on, so no chat reaches this bridge: "
            f"set {_switches(config)}; the README says what else each one needs"
        )
    return warnings


def _open_metrics(config: Config, host: str) -> list[str]:
    """/metrics (serve's at ``host``, work's at WORK_METRICS_HOST) open to
    anyone beyond loopback: without METRICS_TOKEN, one line for each."""
    core = config.core
    if core.metrics_token is not None:
        return []
    open_at = [(f"{host}:{core.port}", "")] if not is_loopback(host) else []
    if core.work_metrics_port is not None and not is_loopback(core.work_metrics_host):
        where = f"{core.work_metrics_host}:{core.work_metrics_port}"
        open_at.append((where, " of meetbridge work"))
    return [
        f"METRICS_TOKEN is not set, so /metrics{whose} answers anyone who reaches {where};"
        " set it (`openssl rand -hex 32`) and give it to the scraper"
        for where, whose in open_at
    ]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (an empty one, every address, is not)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may be any address


def _switches(config: Config) -> str:
    """What turns each messenger on: "A (Slack), B (Telegram) or C (TrueConf chat)"."""
    named = [edge.settings.turned_on_by for edge in config.edges.messengers]
    *first, last = [words for words in named if words]
    return f"{', '.join(first)} or {last}" if first else last


def refuse_invalid(config: Config) -> None:
    """Raise the first problem as a ``ConfigError`` (``serve`` stops on it)."""
    problems = settings_problems(config)
    if problems:
        raise ConfigError(problems[0])
