"""The settings checks ``serve`` makes before it starts anything, in one
place, so ``doctor`` refuses exactly what ``serve`` refuses: no setting
passes one and fails the other."""

from __future__ import annotations

from collections.abc import Callable

from adapters.slack.config import slack_config
from adapters.slack.installations import fernet_from
from adapters.telegram.config import TelegramConfig
from bot.errors import ConfigError
from bot.settings import Settings
from meetbridge.backends import default_backend
from meetbridge.trueconf_setup import check_trueconf_settings
from storage.db import normalize_url


def _database(settings: Settings) -> None:
    normalize_url(settings.database_url)


def _trueconf(settings: Settings) -> None:
    # Checked when configured, or when no conference server is: then it is
    # TrueConf's setting that is missing (most installations start there).
    if settings.trueconf_server_url is not None or settings.callaba_url is None:
        check_trueconf_settings(settings)


def _slack(settings: Settings) -> None:
    config = slack_config(settings)
    if config is not None and config.multi_workspace and config.encryption_key is not None:
        fernet_from(config.encryption_key.get_secret_value())


def _telegram(settings: Settings) -> None:
    # Deny by default: TELEGRAM_ALLOWED_CHATS, and the webhook's secret.
    if settings.telegram_bot_token is not None:
        TelegramConfig.from_settings(settings)


def _default_backend(settings: Settings) -> None:
    servers = (("trueconf", settings.trueconf_server_url), ("callaba", settings.callaba_url))
    configured = [name for name, url in servers if url is not None]
    if configured:
        default_backend(settings, configured)


VALIDATORS: tuple[Callable[[Settings], None], ...] = (
    _trueconf,
    _database,
    _slack,
    _telegram,
    _default_backend,
)


def settings_problems(settings: Settings) -> list[str]:
    """Every problem, one sentence each naming the setting (empty: all good)."""
    problems = []
    for validate in VALIDATORS:
        try:
            validate(settings)
        except ConfigError as exc:
            problems.append(str(exc))
    return problems


def refuse_invalid(settings: Settings) -> None:
    """Raise the first problem as a ``ConfigError`` (``serve`` stops on it)."""
    problems = settings_problems(settings)
    if problems:
        raise ConfigError(problems[0])
