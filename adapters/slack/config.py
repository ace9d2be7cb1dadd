"""What the Slack adapter needs from the settings, checked once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pydantic import SecretStr

from adapters.slack.gate import SLACK_HOOKS, origin_of
from adapters.slack.settings import SlackSettings
from adapters.work_pool import RUNNING, WAITING
from bot.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackConfig:
    # None in Socket Mode without an HTTP endpoint: nothing is served over HTTP then.
    signing_secret: SecretStr | None
    api_url: str
    bot_token: SecretStr | None = None  # single-workspace mode
    app_token: SecretStr | None = None  # Socket Mode
    client_id: str | None = None  # multi-workspace mode (OAuth)
    client_secret: SecretStr | None = None
    state_secret: SecretStr | None = None
    encryption_key: SecretStr | None = None
    allowlist: frozenset[str] = frozenset()
    # SLACK_ALLOWED_CHANNELS; empty: every channel.
    channels: frozenset[str] = frozenset()
    commands_at_once: int = RUNNING
    commands_queued: int = WAITING
    commands_lease: timedelta = timedelta(minutes=2)

    @property
    def multi_workspace(self) -> bool:
        return self.bot_token is None

    @property
    def response_origins(self) -> frozenset[str]:
        """Where a request's response URL may point: Slack's hooks, and the
        host of SLACK_API_URL (a stand-in for Slack serves both)."""
        return frozenset({SLACK_HOOKS, origin_of(self.api_url)})

    def allows(self, team_id: str | None) -> bool:
        return not self.allowlist or (team_id or "") in self.allowlist


# Tokens of other kinds, pasted from the wrong line of the app's pages.
_OTHER_TOKENS = {
    "xoxp-": "a user token (xoxp-…): the bridge would post as that person",
    "xapp-": "an app-level token (xapp-…): it belongs in SLACK_APP_TOKEN (Socket Mode)",
}


def _a_bot_token(token: str) -> None:
    pasted = token.strip().strip("\"'")  # as copied, with quotes or spaces around it
    for prefix, kind in _OTHER_TOKENS.items():
        if pasted.startswith(prefix):
            raise ConfigError(
                f"SLACK_BOT_TOKEN is {kind}; copy the Bot User OAuth Token (xoxb-…) "
                "from the app's OAuth & Permissions page."
            )


def slack_config(settings: SlackSettings) -> SlackConfig | None:
    """The Slack configuration, ``None`` when Slack is not configured at all;
    a half-done configuration is an error that names what is missing."""
    if not settings.configured:
        return None
    if settings.signing_secret is None and settings.app_token is None:
        raise ConfigError("SLACK_SIGNING_SECRET is not set (Slack app → Basic Information).")
    if settings.bot_token is not None:
        _a_bot_token(settings.bot_token.get_secret_value())
    if settings.bot_token is None:
        missing = [
            name
            for name, value in (
                ("SLACK_CLIENT_ID", settings.client_id),
                ("SLACK_CLIENT_SECRET", settings.client_secret),
                ("SLACK_STATE_SECRET", settings.state_secret),
                ("SLACK_ENCRYPTION_KEY", settings.encryption_key),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                f"{', '.join(missing)} not set: set SLACK_BOT_TOKEN for one workspace, "
                "or all of these for the OAuth install flow."
            )
    api_url = (settings.api_url or DEFAULT_API_URL).rstrip("/") + "/"
    allowlist = _workspaces(settings)
    return SlackConfig(
        signing_secret=settings.signing_secret,
        api_url=api_url,
        bot_token=settings.bot_token,
        app_token=settings.app_token,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        state_secret=settings.state_secret,
        encryption_key=settings.encryption_key,
        allowlist=allowlist,
        channels=_ids(settings.allowed_channels),
        commands_at_once=settings.commands_at_once,
        commands_queued=settings.commands_queued,
        commands_lease=timedelta(seconds=settings.commands_lease_seconds),
    )


EVERY_WORKSPACE = "*"
WORKSPACES_MISSING = (
    "SLACK_WORKSPACE_ALLOWLIST is not set: with the OAuth install, any workspace "
    "could install the app and its admins link people to TrueConf accounts; list "
    "the team ids that may (comma-separated, e.g. T0123ABCD; * for every workspace)."
)


def _workspaces(settings: SlackSettings) -> frozenset[str]:
    """The team ids of ``SLACK_WORKSPACE_ALLOWLIST``; empty for every workspace.
    Deny by default for the OAuth install: a stranger's own workspace, where
    they are its admin, must be let in by name (or by ``*``), never by omission.
    One workspace by its bot token is the one that made the token."""
    listed = settings.workspace_allowlist
    if listed.strip() == EVERY_WORKSPACE:
        return frozenset()
    teams = _ids(listed)
    if not teams and settings.bot_token is None:
        raise ConfigError(WORKSPACES_MISSING)
    return teams


def _ids(listed: str) -> frozenset[str]:
    return frozenset(part.strip() for part in listed.split(",") if part.strip())
