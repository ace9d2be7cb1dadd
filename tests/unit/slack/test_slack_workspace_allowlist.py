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
from adapters.slack.settings import SlackSettings
from bot.errors import ConfigError


def _oauth(allowlist: str | None) -> SlackSettings:
    fields: dict[str, object] = {
        "signing_secret": SecretStr("signing-secret"),
        "client_id": "1.2",
        "client_secret": SecretStr("client-secret"),
        "state_secret": SecretStr("state-secret"),
        "encryption_key": SecretStr(Fernet.generate_key().decode()),
    }
    if allowlist is not None:
        fields["workspace_allowlist"] = allowlist
    return SlackSettings.model_validate(fields)


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
    settings = SlackSettings.model_validate(
        {"signing_secret": SecretStr("s"), "bot_token": SecretStr("not-a-token")}
    )
    config = slack_config(settings)
    assert config is not None
    assert config.allows("T0ITS")
