"""The configuration read from the environment: every variable keeps the name
it had when the core's settings held them all (people's .env files, systemd
units and Kubernetes objects use them), each edge reads its own, and a wrong
value is named by its variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.callaba.edge import EDGE as CALLABA
from adapters.slack.edge import EDGE as SLACK
from adapters.telegram.edge import EDGE as TELEGRAM
from adapters.trueconf.edge import EDGE as TRUECONF
from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf_chat.edge import EDGE as TRUECONF_CHAT
from bot.errors import ConfigError
from bot.settings import Settings
from meetbridge.config import fields, load_config
from meetbridge.edges import EDGES, Edges
from meetbridge.validation import settings_problems
from tests.support.tokens import slack_token

# Every variable the edges read, as it was named before they read their own.
EDGE_VARIABLES = {
    "trueconf": [
        "TRUECONF_SERVER_URL",
        "TRUECONF_CLIENT_ID",
        "TRUECONF_CLIENT_SECRET",
        "TRUECONF_API_VERSION",
        "TRUECONF_CA_BUNDLE",
        "TRUECONF_OWNER",
        "TRUECONF_SERVER_TIMEZONE",
        "TRUECONF_TIMEOUT_SECONDS",
    ],
    "callaba": [
        "CALLABA_URL",
        "CALLABA_TOKEN",
        "CALLABA_ACTIVATION_LEAD_MINUTES",
        "CALLABA_TIMEOUT_SECONDS",
        "CALLABA_PUBLIC_URL",
    ],
    "trueconf_chat": [
        "TRUECONF_CHATBOT_LOGIN",
        "TRUECONF_CHATBOT_PASSWORD",
        "TRUECONF_CHATBOT_TOKEN",
        "TRUECONF_CHATBOT_URL",
        "TRUECONF_CHATBOT_ALLOWED_CHATS",
    ],
    "slack": [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_STATE_SECRET",
        "SLACK_ENCRYPTION_KEY",
        "SLACK_WORKSPACE_ALLOWLIST",
        "SLACK_ALLOWED_CHANNELS",
        "SLACK_COMMANDS_AT_ONCE",
        "SLACK_COMMANDS_QUEUED",
        "SLACK_COMMANDS_LEASE_SECONDS",
    ],
    "telegram": [
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_WEBHOOK_SECRET",
        "TELEGRAM_API_URL",
        "TELEGRAM_POLLING",
        "TELEGRAM_ALLOWED_CHATS",
    ],
}


def test_each_edge_reads_its_variables_under_their_old_names() -> None:
    for edge in EDGES.all:
        names = sorted(edge.settings.env_names().values())
        assert names == sorted(EDGE_VARIABLES.get(edge.name, [])), edge.name
    every = {name.upper() for name in Settings.model_fields}
    every |= {name for names in EDGE_VARIABLES.values() for name in names}
    assert set(fields()) == every


def test_the_core_holds_only_what_the_core_uses() -> None:
    edges = ("trueconf_", "callaba_", "slack_", "telegram_")
    assert not [name for name in Settings.model_fields if name.startswith(edges)]
    # 25, and the live cards' two (LIVE_POLL_SECONDS, IDLE_STOP_MINUTES):
    # every server and messenger has them; and WORK_PROCESS, how serve runs
    # the work of any messenger that hands it to a process of its own; and
    # the database's two session limits (DATABASE_STATEMENT_TIMEOUT,
    # DATABASE_IDLE_IN_TRANSACTION_TIMEOUT), the database being the core's;
    # and where a work process run apart serves its metrics (WORK_METRICS_PORT,
    # WORK_METRICS_HOST), and the token their scraper sends (METRICS_TOKEN).
    assert len(Settings.model_fields) <= 33


def test_a_dotenv_file_with_the_old_names_configures_every_edge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in fields():
        monkeypatch.delenv(name, raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text(
        "TRUECONF_SERVER_URL=https://video.example.com/\n"
        "TRUECONF_SERVER_TIMEZONE=Europe/Moscow\n"
        "CALLABA_URL=sandbox\n"
        "CALLABA_ACTIVATION_LEAD_MINUTES=7\n"
        "SLACK_BOT_TOKEN=not-a-token-from-the-file\n"
        "SLACK_COMMANDS_AT_ONCE=3\n"
        "TELEGRAM_POLLING=true\n"
        "TELEGRAM_ALLOWED_CHATS=-100123,42\n"
        "DEFAULT_TIMEZONE=Asia/Tokyo\n"
    )
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:from-the-environment")
    config = load_config(env_file=env_file)
    assert config.of(TRUECONF).server_url == "https://video.example.com"
    assert config.of(TRUECONF).server_timezone == "Europe/Moscow"
    assert config.of(CALLABA).uses_sandbox
    assert config.of(CALLABA).activation_lead_minutes == 7
    assert config.of(SLACK).bot_token == SecretStr("not-a-token-from-the-file")
    assert config.of(SLACK).commands_at_once == 3
    telegram = config.of(TELEGRAM)
    assert telegram.polling is True
    assert telegram.allowed_chats == "-100123,42"
    assert telegram.bot_token == SecretStr("1:from-the-environment")
    assert config.core.default_timezone == "Asia/Tokyo"
    assert [edge.name for edge in config.messengers()] == ["slack", "telegram"]
    assert config.configured_backends() == ["trueconf", "callaba"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TELEGRAM_ALLOWED_CHATS", "general"),
        ("SLACK_COMMANDS_AT_ONCE", "0"),
        ("CALLABA_URL", "rooms.example.com"),
        ("TRUECONF_TIMEOUT_SECONDS", "never"),
        ("REMINDER_MAX_ATTEMPTS", "0"),
    ],
)
def test_every_wrong_value_is_named_by_its_variable(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_config(env_file=None)
    assert f"\n  {variable}: " in str(raised.value)
    assert str(raised.value).count("\n") == 1  # that one, nothing else


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(TypeError, match="no setting is named TRUECONF_SERVER"):
        load_config(env_file=None, trueconf_server="sandbox")


def test_two_edges_cannot_share_a_name() -> None:
    with pytest.raises(ValueError, match="two edges are named slack"):
        Edges(backends=EDGES.backends, messengers=(*EDGES.messengers, SLACK))


def test_a_default_backend_the_bridge_does_not_know_is_named() -> None:
    config = load_config(env_file=None, trueconf_server_url="sandbox", default_backend="jitsi")
    assert settings_problems(config) == [
        "DEFAULT_BACKEND=jitsi is not a conference server (trueconf, callaba)."
    ]


def test_an_edge_reads_another_edges_settings_as_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in fields():
        monkeypatch.delenv(name, raising=False)
    config = load_config(
        env_file=None,
        trueconf_server_url="https://video.example.com",
        trueconf_chatbot_login="meetbot",
        trueconf_chatbot_password="bot-password",
    )
    assert config.settings_of(TrueConfSettings) is config.of(TRUECONF)
    # TrueConf chat finds its endpoint in TRUECONF_SERVER_URL given here, not
    # in the environment (where it is not set).
    assert TRUECONF_CHAT.problem(config.of(TRUECONF_CHAT), config) is None
    assert TRUECONF_CHAT.problem(config.of(TRUECONF_CHAT), load_config(env_file=None)) == (
        "TRUECONF_CHATBOT_URL or TRUECONF_SERVER_URL must say where the TrueConf "
        "chat-bot API is (https://video.example.com, or sandbox)."
    )


def test_a_chat_bot_password_without_its_login_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in fields():
        monkeypatch.delenv(name, raising=False)
    config = load_config(
        env_file=None,
        trueconf_server_url="https://video.example.com",
        trueconf_client_id="bridge",
        trueconf_client_secret="client-secret",
        trueconf_chatbot_password="bot-password",
    )
    assert settings_problems(config) == [
        "TRUECONF_CHATBOT_PASSWORD is set without TRUECONF_CHATBOT_LOGIN: name the "
        "bot's own account on the TrueConf server (e.g. meetbot)."
    ]


def test_zones_and_log_words_are_read_as_people_type_them() -> None:
    # The chat's /meet tz takes "europe/moscow"; the settings did not, nor "debug".
    config = load_config(
        env_file=None,
        default_timezone="utc",
        trueconf_server_timezone="europe/moscow",
        log_level="debug",
        log_format="JSON",
    )
    assert config.core.default_timezone == "UTC"
    assert config.of(TRUECONF).server_timezone == "Europe/Moscow"
    assert (config.core.log_level, config.core.log_format) == ("DEBUG", "json")
    with pytest.raises(ConfigError, match="'Mars/Olympus' is not an IANA time zone"):
        load_config(env_file=None, default_timezone="Mars/Olympus")


@pytest.mark.parametrize(("kind", "named"), [("xoxp", "a user token"), ("xapp", "an app-level")])
@pytest.mark.parametrize("around", ["", " ", '"'])
def test_a_slack_token_of_another_kind_is_named(
    monkeypatch: pytest.MonkeyPatch, kind: str, named: str, around: str
) -> None:
    # Pasted from the wrong line of the app's pages: it would post as a person,
    # or be refused by every Web API call.
    for name in fields():
        monkeypatch.delenv(name, raising=False)
    token = f"{around}{slack_token(kind)}{around}"
    config = load_config(
        env_file=None,
        trueconf_server_url="sandbox",
        slack_bot_token=token,
        slack_signing_secret="signing-secret",
    )
    [problem] = settings_problems(config)
    assert problem.startswith(f"SLACK_BOT_TOKEN is {named}")
    assert "Bot User OAuth Token (xoxb-" in problem
    assert token not in problem


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        (
            "DATABASE_STATEMENT_TIMEOUT",
            "30s",
            "'30s' is not a number; give a number of seconds without a unit, "
            "from 0 to 86400, e.g. 30",
        ),
        ("WORK_METRICS_PORT", "9100x", "'9100x' is not a number; give a port number 1–65535"),
        ("WORK_METRICS_PORT", "70000", "'70000' is out of range; give a port number 1–65535"),
        ("PORT", "80.5", "'80.5' is not a whole number; give a port number 1–65535"),
        (
            "CALLABA_ACTIVATION_LEAD_MINUTES",
            "5m",
            "'5m' is not a number; give a whole number of minutes without a unit, "
            "from 0 to 1440, e.g. 5",
        ),
        (
            "SLACK_COMMANDS_AT_ONCE",
            "0",
            "'0' is out of range; give a whole number, from 1 to 256, e.g. 8",
        ),
        (
            "TRUECONF_TIMEOUT_SECONDS",
            "0",
            "'0' is out of range; give a number of seconds without a unit, "
            "more than 0 and at most 120, e.g. 10",
        ),
        ("READINESS_STRICT", "maybe", "'maybe' is not true or false; give true or false"),
    ],
)
def test_a_wrong_number_or_flag_names_the_value_and_what_is_wanted(
    variable: str, value: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From a new user's trial: "Input should be a valid number, unable to
    # parse string as a number" named neither the value nor what to give.
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_config(env_file=None)
    assert str(raised.value).splitlines()[1] == f"  {variable}: {says}"
