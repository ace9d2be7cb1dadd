"""Settings: names as documented, wrong values refused, secrets never shown.
The core's and each edge's, read together (``meetbridge.config``)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from adapters.slack.config import slack_config
from adapters.slack.edge import EDGE as SLACK
from adapters.telegram.config import TelegramConfig
from adapters.telegram.edge import EDGE as TELEGRAM
from adapters.trueconf.edge import EDGE as TRUECONF
from adapters.trueconf_chat.config import Endpoint
from bot.errors import ConfigError
from bot.settings import Settings, http_url, redact_url, url_password
from meetbridge.config import Config, load_config


def make(**values: Any) -> Settings:
    """Settings from these values as a person would write them (pydantic converts)."""
    return Settings(_env_file=None, **values)


def config(**values: object) -> Config:
    return load_config(env_file=None, values=values)


def test_secrets_and_database_password_stay_out_of_repr_and_str() -> None:
    settings = config(
        database_url="postgresql+asyncpg://bridge:hunter2@db.internal:5432/meetbridge",
        trueconf_client_secret="tc-secret-1",
        slack_bot_token="slack-token-2",
        slack_signing_secret="slack-signing-3",
        telegram_bot_token="tg-token-4",
        telegram_webhook_secret="tg-hook-5",
        callaba_token="callaba-6",
    )

    shown = repr(settings) + str(settings)

    for secret in ("hunter2", "tc-secret-1", "slack-token-2", "slack-signing-3", "tg-token-4"):
        assert secret not in shown
    assert "bridge:***@db.internal:5432" in shown
    assert settings.core.database_url.endswith("hunter2@db.internal:5432/meetbridge")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:p@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite+aiosqlite:///./meetbridge.db", "sqlite+aiosqlite:///./meetbridge.db"),
        ("postgresql://:p%40ss@h:5432/db", "postgresql://:***@h:5432/db"),
        # Read as SQLAlchemy reads it: "/", "?" and "#" belong to the password.
        ("postgresql://meet:Ab3/xY9+zQ1=@h:5432/db", "postgresql://meet:***@h:5432/db"),
        ("postgresql://meet:a#b?c@h/db", "postgresql://meet:***@h/db"),
        # The query's values: a setting may carry what no log should hold.
        (
            "postgresql://u:p@h/db?sslmode=require&x=1",
            "postgresql://u:***@h/db?sslmode=require&x=***",
        ),
        # sslmode's words are shown (what "rejected SSL upgrade" is about); no other value is.
        ("postgresql://u@h/db?sslmode=hunter2", "postgresql://u@h/db?sslmode=***"),
        (
            "postgresql://u@h/db?target_session_attrs=read-write",
            "postgresql://u@h/db?target_session_attrs=read-write",
        ),
        # Except where it is (several hosts), which names no secret.
        (
            "postgresql://meet:a#b?c@/db?host=h1:5432&host=h2&port=",
            "postgresql://meet:***@/db?host=h1:5432&host=h2&port=",
        ),
        (
            "postgresql://u@h/db?application_name=a%20b&flag",
            "postgresql://u@h/db?application_name=***&flag",
        ),
        ("sqlite+aiosqlite:///./m.db?mode=ro", "sqlite+aiosqlite:///./m.db?mode=***"),
        # A password longer than what follows it up to the query: the query
        # is found in the URL as shown (from an attacker's trial).
        (
            "postgresql://u:averyveryverylongpassword123@h/db?krbsrvname=SECRET",
            "postgresql://u:***@h/db?krbsrvname=***",
        ),
        (
            "postgresql://u:long-pa?ss@word-here@h:5432/db?application_name=SECRET",
            "postgresql://u:***@h:5432/db?application_name=***",
        ),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("default_timezone", "Mars/Olympus"),
        ("trueconf_server_timezone", "Europe"),
        ("trueconf_api_version", "3.10"),
        ("trueconf_server_url", "video.example.com"),
        ("default_language", "de"),
        ("default_duration_minutes", 0),
    ],
)
def test_wrong_values_are_refused_naming_the_variable(field: str, value: object) -> None:
    with pytest.raises(ConfigError) as raised:
        config(**{field: value})
    assert f"  {field.upper()}: " in str(raised.value)


def test_defaults_and_the_sandbox_switch() -> None:
    settings = config(trueconf_server_url="sandbox")
    trueconf = settings.of(TRUECONF)
    assert trueconf.uses_sandbox
    assert trueconf.api_version == "v3.10"
    assert settings.core.database_url.startswith("sqlite+aiosqlite:///")
    other = config(trueconf_server_url="https://video.example.com/").of(TRUECONF)
    assert not other.uses_sandbox
    assert other.server_url == "https://video.example.com"


def test_reminder_leases_are_renewed_at_least_twice_before_they_run_out() -> None:
    settings = make()
    assert (settings.reminder_lease_seconds, settings.reminder_renew_seconds) == (15, 5.0)
    assert make(reminder_lease_seconds=10, reminder_renew_seconds=5).reminder_renew_seconds == 5
    with pytest.raises(ValidationError) as raised:
        make(reminder_lease_seconds=10, reminder_renew_seconds=6)
    assert "REMINDER_RENEW_SECONDS=6 must be at most half of REMINDER_LEASE_SECONDS=10" in str(
        raised.value
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://bridge:hunter2@video.example.com:99999",
        "https://bridge:hunter2@video.example.com:tls",
        "https://bridge:hunter2@[video.example.com",
        "https://bridge:hunter2@:443",
    ],
)
def test_a_bad_url_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(ValueError, match="is not an http") as refused:
        http_url(url)
    assert "hunter2" not in str(refused.value)
    assert "***@" in str(refused.value)


def test_a_bad_chat_bot_url_is_named_without_its_password() -> None:
    with pytest.raises(ConfigError, match="TRUECONF_CHATBOT_URL") as refused:
        Endpoint.parse("https://bot:hunter2@video.example.com:99999")
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("bogus", "no scheme"),
        ("video.example.com", "no scheme"),
        ("ftp://video.example.com", "the scheme 'ftp' is neither https nor http"),
        ("https://", "no host"),
        ("https://video.example.com:0", "port 0"),
    ],
)
def test_a_chat_bot_url_that_is_no_server_address_says_what_is_wrong(url: str, why: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Endpoint.parse(url)
    assert str(refused.value).startswith(f"TRUECONF_CHATBOT_URL={url!r} is not a server address")
    assert why in str(refused.value)


@pytest.mark.parametrize("variable", ["SLACK_API_URL", "TELEGRAM_API_URL"])
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:abc/api/", "Port could not be cast"),
        ("https://api:hunter2@slack.example:99999/api/", "Port out of range"),
        ("slack.example/api", "is not an http(s) URL"),
        ("sandbox", "only the conference servers have one"),
        ("https://api.example/bot path/", "it holds a space"),
        ("https://slack.com@evil.example/api/", "a user or password in this URL is not used"),
    ],
)
def test_a_messenger_api_url_that_is_no_address_is_a_settings_error(
    variable: str, url: str, why: str
) -> None:
    # Before, each was taken as it was, and every call to the API then failed.
    with pytest.raises(ConfigError) as refused:
        config(**{variable.lower(): url})
    assert f"{variable}: " in str(refused.value)
    assert why in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_a_valid_messenger_api_url_is_where_the_edges_call() -> None:
    given = config(
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
        slack_api_url="HTTPS://slack.example/api/",
        telegram_bot_token="1:t",
        telegram_api_url=" http://[::1]:8082/\n",
        telegram_polling=True,
        telegram_allowed_chats="*",
    )
    slack = slack_config(given.of(SLACK))
    assert slack is not None
    assert slack.api_url == "https://slack.example/api/"
    telegram = TelegramConfig.from_settings(given.of(TELEGRAM), None)
    assert telegram.api_url == "http://[::1]:8082"


def test_a_database_url_that_does_not_parse_still_hides_its_password() -> None:
    broken = "postgresql://bridge:hunter2@[::1:5432/meet"
    assert url_password(broken) == "hunter2"
    assert "hunter2" not in redact_url(broken)
    assert url_password("postgresql://bridge:hunter2@db/meet") == "hunter2"
    assert url_password("postgresql://bridge@db/meet") is None


def test_a_database_password_with_slashes_is_a_secret_as_written_and_decoded() -> None:
    settings = config(database_url="postgresql://meet:Ab3/xY9%2B=@db.internal/meetbridge")
    assert {"Ab3/xY9%2B=", "Ab3/xY9+="} <= set(settings.secrets())


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://host\x01x.example", "a control or non-ASCII character"),
        ("https://\u2603.example", "write an international host name in its xn-- form"),
        ("https://host\u200b.example", "a control or non-ASCII character"),
        ("https://xn--.example", "idna"),
        ("https://video.example?x=1", "it has a ? or # part"),
        ("https://video.example/#top", "it has a ? or # part"),
    ],
)
def test_a_url_the_http_clients_would_refuse_later_is_refused_now(url: str, why: str) -> None:
    # Before, each was taken, and serve or doctor stopped with a traceback
    # (httpx.InvalidURL, an IDNA error) or called the wrong path.
    with pytest.raises(ValueError, match=r"is not an? ") as refused:
        http_url(url)
    assert why in str(refused.value)


def test_a_server_url_takes_no_user_part_while_public_url_still_may() -> None:
    with pytest.raises(ConfigError) as refused:
        config(trueconf_server_url="https://admin:hunter2@video.example")
    assert "TRUECONF_SERVER_URL: " in str(refused.value)
    assert "hunter2" not in str(refused.value)
    assert config(public_url="https://bridge:hunter2@bridge.example").core.public_url
    assert http_url("https://xn--n3h.example") == "https://xn--n3h.example"
    assert http_url("https://[::1]:8443/") == "https://[::1]:8443"


@pytest.mark.parametrize(
    "url",
    [
        "https://video.example/api/v3.10",
        "https://video.example/api/v3.10/",
        "https://video.example/api/v4",
        "https://video.example/api",
        "https://video.example/tc/api/v3.9/",
    ],
)
def test_a_trueconf_server_url_with_the_api_path_in_it_is_refused_with_the_fix(url: str) -> None:
    # Pasted from the API reference: every call then went to /api/v3.10/api/v3.10/…
    # and doctor said only "notFound: No such API method".
    with pytest.raises(ConfigError) as refused:
        config(trueconf_server_url=url)
    said = str(refused.value)
    assert "TRUECONF_SERVER_URL: " in said
    assert "without the API's path" in said
    assert "TRUECONF_API_VERSION" in said
    assert f"'{url.partition('/api')[0]}'" in said


def test_a_trueconf_server_behind_a_path_prefix_is_taken() -> None:
    trueconf = config(trueconf_server_url="https://proxy.example/trueconf/").of(TRUECONF)
    assert trueconf.server_url == "https://proxy.example/trueconf"


def test_a_password_holding_an_at_sign_is_hidden_whole_when_shown() -> None:
    # SQLAlchemy reads "secretpa" as the password and "ssword@db" as the
    # host: shown, everything before the last "@" of the address is hidden.
    url = "postgresql+asyncpg://bridge:secretpa@ssword@db:5432/meet?sslmode=require"
    shown = redact_url(url)
    assert "ssword" not in shown
    assert "secretpa" not in shown
    assert shown.startswith("postgresql+asyncpg://bridge:***@db:5432/meet?")
