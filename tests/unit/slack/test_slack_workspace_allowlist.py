"""Deny by default for Slack's OAuth install: whoever can reach
``/slack/install`` can install a publicly distributed app into a workspace of
their own, where they are the workspace admin, and a workspace admin links
people to TrueConf accounts. Without ``SLACK_WORKSPACE_ALLOWLIST`` that was any
stranger linking themselves to any login; now the setting must be given."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from adapters.slack.config import slack_config
from bot.errors import ConfigError
from bot.settings import Settings


def _oauth(allowlist: str | None) -> Settings:
    fields: dict[str, object] = {
        "slack_signing_secret": SecretStr("signing-secret"),
        "slack_client_id": "1.2",
        "slack_client_secret": SecretStr("client-secret"),
        "slack_state_secret": SecretStr("state-secret"),
        "slack_encryption_key": SecretStr(Fernet.generate_key().decode()),
    }
    if allowlist is not None:
        fields["slack_workspace_allowlist"] = allowlist
    return Settings.model_validate(fields)


@pytest.mark.parametrize("allowlist", [None, "", " , "])
def test_the_oauth_install_without_a_workspace_allowlist_is_refused(allowlist: str | None) -> None:
    with pytest.raises(ConfigError, match="SLACK_WORKSPACE_ALLOWLIST is not set"):
        slack_config(_oauth(allowlist))


def test_a_listed_workspace_is_served_and_a_stranger_is_not() -> None:
    config = slack_config(_oauth("T0OURS, T0SPARE"))
    assert config is not None
    assert config.allows("T0OURS")
    assert config.allows("T0SPARE")
    assert not config.allows("T0STRANGER")
    assert not config.allows(None)


def test_every_workspace_is_said_with_a_star() -> None:
    config = slack_config(_oauth("*"))
    assert config is not None
    assert config.allows("T0ANYONE")


def test_one_workspace_by_its_bot_token_needs_no_list() -> None:
    settings = Settings.model_validate(
        {"slack_signing_secret": SecretStr("s"), "slack_bot_token": SecretStr("xoxb-1-2")}
    )
    config = slack_config(settings)
    assert config is not None
    assert config.allows("T0ITS")
