"""``meetbridge doctor`` finds what breaks: settings that serve refuses, a
token Slack or Telegram refuses, a webhook pointing elsewhere or failing, an
unreachable PUBLIC_URL, a short LINK_SECRET; one line per check with the fix,
exit code 1, and the same as JSON."""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.trueconf.sandbox import SandboxServer
from bot.errors import ConfigError
from meetbridge.cli import main
from meetbridge.config import load_config
from meetbridge.validation import refuse_invalid
from tests.support.fake_slack import FakeSlack
from tests.support.serve import free_port
from tests.support.telegram_api import FakeTelegramServer
from tests.support.tokens import slack_token

pytestmark = pytest.mark.timeout(60)

PREFIXES = ("TRUECONF_", "DATABASE_", "DEFAULT_", "SLACK_", "TELEGRAM_", "CALLABA_", "PUBLIC_")
GOOD_SLACK = slack_token()
LINK_SECRET = "a" * 40
SIGNING_SECRET = "doctor-signing-secret-0123456789"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(PREFIXES) or name in ("LINK_SECRET", "PORT", "HOST"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'doctor.db'}")
    monkeypatch.setenv("TRUECONF_SERVER_URL", "sandbox")
    monkeypatch.setenv("TRUECONF_OWNER", "admin")
    monkeypatch.setenv("PORT", str(free_port()))
    assert main(["db", "upgrade"]) == 0


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.state.valid_tokens = {GOOD_SLACK}
        yield fake


@pytest.fixture
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer() as fake:
        yield fake


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, str], str]:
    """Exit code, each check's line by name (FAIL lines win), and all output."""
    capsys.readouterr()
    code = main(["doctor", *args])
    out = capsys.readouterr().out
    lines: dict[str, str] = {}
    for line in out.splitlines():
        status, _, rest = line.partition("  ")
        name = rest.strip().partition(":")[0]
        if name not in lines or status == "FAIL":
            lines[name] = line
    return code, lines, out


def use_slack(monkeypatch: pytest.MonkeyPatch, slack: FakeSlack, token: str) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)


def use_telegram(monkeypatch: pytest.MonkeyPatch, telegram: FakeTelegramServer) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", telegram.state.token)
    monkeypatch.setenv("TELEGRAM_API_URL", telegram.url)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "doctor-webhook-secret")
    monkeypatch.setenv("TELEGRAM_ALLOWED_CHATS", "*")
    monkeypatch.setenv("TELEGRAM_POLLING", "true")


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        (
            {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_ALLOWED_CHATS": "*"},
            "TELEGRAM_WEBHOOK_SECRET is required",
        ),
        (
            {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_POLLING": "true"},
            "TELEGRAM_ALLOWED_CHATS is not set",
        ),
        ({"SLACK_BOT_TOKEN": GOOD_SLACK}, "SLACK_SIGNING_SECRET is not set"),
        (
            {
                "SLACK_SIGNING_SECRET": "signing-secret",
                "SLACK_CLIENT_ID": "1.2",
                "SLACK_CLIENT_SECRET": "client-secret",
                "SLACK_STATE_SECRET": "state-secret",
                "SLACK_ENCRYPTION_KEY": "A" * 43 + "=",
            },
            "SLACK_WORKSPACE_ALLOWLIST is not set",
        ),
        ({"DEFAULT_BACKEND": "callaba"}, "DEFAULT_BACKEND=callaba but CALLABA_URL is not set"),
    ],
    ids=[
        "telegram-webhook-secret",
        "telegram-allowlist",
        "slack-signing-secret",
        "slack-workspace-allowlist",
        "backend",
    ],
)
def test_doctor_refuses_what_serve_refuses(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: dict[str, str],
    says: str,
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=says):  # serve's own check, before it starts
        refuse_invalid(load_config())
    code, lines, out = doctor(capsys)
    assert code == 1
    assert lines["settings"].startswith("FAIL  settings: ")
    assert says in out


@pytest.mark.parametrize(
    ("unset", "settings", "says"),
    [
        ("TRUECONF_SERVER_URL", {}, "TRUECONF_SERVER_URL is not set: "),
        (None, {"DATABASE_URL": "nonsense"}, "DATABASE_URL is not a valid database URL"),
        (None, {"DATABASE_URL": "postgresql://b:pw@db:54x2/b"}, "its host:port cannot be read"),
        (None, {"DATABASE_URL": "postgresql://b:hunter2@[::1:5432/b"}, "an IPv6 address goes in"),
        (None, {"DATABASE_URL": "postgresql://b:pw@db:99999/b"}, "port 99999 is not a TCP"),
        (None, {"TRUECONF_SERVER_URL": "https://tc.example"}, "TRUECONF_CLIENT_ID and "),
    ],
    ids=[
        "no-server",
        "database-url",
        "database-port-word",
        "database-ipv6-unclosed",
        "database-port-range",
        "no-credentials",
    ],
)
def test_the_settings_line_fails_with_serves_own_words(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    unset: str | None,
    settings: dict[str, str],
    says: str,
) -> None:
    if unset is not None:
        monkeypatch.delenv(unset)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(["serve"]) == 2  # refused before anything starts
    refusal = capsys.readouterr().err.strip().removeprefix("meetbridge: ")
    assert says in refusal
    code, lines, out = doctor(capsys)
    assert code == 1
    assert lines["settings"] == f"FAIL  settings: {refusal}"
    assert "hunter2" not in refusal + out
    if "DATABASE_URL" in settings:
        # The URL is wrong, not the server: no advice about a server.
        assert lines["database"] == f"FAIL  database: not checked: {refusal}"


def test_a_token_slack_refuses_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack: FakeSlack
) -> None:
    use_slack(monkeypatch, slack, slack_token())  # not the workspace's token
    code, lines, out = doctor(capsys)
    assert code == 1
    assert lines["slack"].startswith("FAIL  slack: Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert "OAuth & Permissions" in lines["slack"]
    use_slack(monkeypatch, slack, GOOD_SLACK)
    code, lines, _ = doctor(capsys)
    assert lines["slack"].startswith("ok    slack: auth.test accepts SLACK_BOT_TOKEN")
    assert code == 0, out


def test_an_unreachable_slack_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", GOOD_SLACK)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{free_port()}/api/")
    code, lines, _ = doctor(capsys)
    assert code == 1
    assert "cannot reach http://127.0.0.1:" in lines["slack"]
    assert "(SLACK_API_URL)" in lines["slack"]


def test_a_token_telegram_refuses_is_named(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    telegram: FakeTelegramServer,
) -> None:
    use_telegram(monkeypatch, telegram)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:not-this-bot")
    code, lines, out = doctor(capsys)
    assert code == 1
    assert lines["telegram"] == (
        "FAIL  telegram: the Bot API refused TELEGRAM_BOT_TOKEN: copy the token @BotFather gave"
    )
    assert "not-this-bot" not in out


def test_a_webhook_pointing_elsewhere_or_failing_is_named(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    telegram: FakeTelegramServer,
) -> None:
    use_telegram(monkeypatch, telegram)
    monkeypatch.setenv("TELEGRAM_POLLING", "false")
    monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{os.environ['PORT']}")
    monkeypatch.setenv("LINK_SECRET", LINK_SECRET)
    expected = f"{os.environ['PUBLIC_URL']}/telegram/webhook"

    telegram.state.webhook_url = "https://other.example.com/telegram/webhook"
    code, lines, _ = doctor(capsys)
    assert code == 1
    assert lines["telegram webhook"].startswith(
        "FAIL  telegram webhook: Telegram delivers to https://other.example.com/telegram/webhook,"
        f" not {expected}"
    )

    telegram.state.webhook_url = expected
    telegram.state.pending_updates = 7
    telegram.state.last_error_date = int(time.time()) - 120
    telegram.state.last_error_message = "Connection timed out"
    code, lines, _ = doctor(capsys)
    assert code == 1
    line = lines["telegram webhook"]
    assert "last delivery to" in line
    assert "failed 2 min ago (Connection timed out)" in line
    assert "7 update(s) waiting" in line

    telegram.state.last_error_date = None
    code, lines, out = doctor(capsys)
    assert lines["telegram webhook"] == f"ok    telegram webhook: {expected}; 7 update(s) waiting"
    assert code == 0, out


def test_an_unreachable_public_url_and_a_short_link_secret_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("LINK_SECRET", "too-short")
    code, lines, _ = doctor(capsys)
    assert code == 1
    assert lines["LINK_SECRET"].startswith("FAIL  LINK_SECRET: 9 characters: too short")
    assert "openssl rand -hex 32" in lines["LINK_SECRET"]
    assert lines["PUBLIC_URL"].startswith(
        f"FAIL  PUBLIC_URL: {os.environ['PUBLIC_URL']}/healthz cannot be reached from here"
    )
    monkeypatch.delenv("LINK_SECRET")
    _, lines, _ = doctor(capsys)
    assert lines["LINK_SECRET"].startswith("FAIL  LINK_SECRET: not set although PUBLIC_URL is")


def test_a_public_url_that_leads_to_this_host_passes_and_json_says_it_all(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # No bridge runs: doctor answers on this host's PORT itself and follows PUBLIC_URL to it.
    monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{os.environ['PORT']}")
    monkeypatch.setenv("LINK_SECRET", LINK_SECRET)
    code, lines, out = doctor(capsys)
    assert lines["PUBLIC_URL"].endswith(f"reaches this host's port {os.environ['PORT']}")
    assert "PUBLIC_URL https" not in lines  # plain http on this machine: no warning
    assert code == 0, out
    code, _, out = doctor(capsys, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["ok"] is True
    names = [check["name"] for check in report["checks"]]
    assert {"settings", "database", "trueconf", "PUBLIC_URL", "LINK_SECRET"} <= set(names)
    assert all(set(check) == {"name", "ok", "detail", "warning"} for check in report["checks"])


def test_something_else_at_public_url_is_told_which_paths_the_proxy_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack: FakeSlack
) -> None:
    use_slack(monkeypatch, slack, GOOD_SLACK)
    monkeypatch.setenv("PUBLIC_URL", slack.api_url.removesuffix("/").removesuffix("/api"))
    monkeypatch.setenv("LINK_SECRET", LINK_SECRET)
    code, lines, _ = doctor(capsys)
    assert code == 1
    assert lines["PUBLIC_URL"].endswith(
        "answers, but not as meetbridge: let the reverse proxy pass /healthz "
        "(with /slack/, /open and /ics/) to the bridge"
    )


def test_doctor_prints_its_checks_without_a_log_line_per_server_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    code = main(["doctor"])
    captured = capsys.readouterr()

    assert code == 0, captured.out
    assert "ok    trueconf: built-in sandbox" in captured.out
    assert "INFO" not in captured.out + captured.err
    assert "/oauth2/v1/token" not in captured.out + captured.err


def test_names_that_look_like_settings_and_no_messenger_are_warned_of(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Slips a new installation makes: each kept its setting at the default,
    # without a word (the sandbox stayed the server, no chat was reached).
    monkeypatch.setenv("TRUECONF_SERVR_URL", "https://tc.example")
    monkeypatch.setenv("databse_url", "sqlite:///x.db")  # read without regard to case
    monkeypatch.setenv("SLACK_TOKEN_BOT", "xoxb-1")
    monkeypatch.setenv("HOSTNAME", "box")  # another program's: not ours
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TELEGRAM_BOTTOKEN=1:x\n", encoding="utf-8")
    code, _, out = doctor(capsys)
    assert code == 0, out  # warnings: doctor still passes
    warned = [line for line in out.splitlines() if line.startswith("warn  settings: ")]
    assert warned == [
        "warn  settings: DATABSE_URL is not a setting, so it is not read: "
        "did you mean DATABASE_URL?",
        "warn  settings: SLACK_TOKEN_BOT is not a setting, so it is not read (README: Settings)",
        "warn  settings: TELEGRAM_BOTTOKEN is not a setting, so it is not read: "
        "did you mean TELEGRAM_BOT_TOKEN?",
        "warn  settings: TRUECONF_SERVR_URL is not a setting, so it is not read: "
        "did you mean TRUECONF_SERVER_URL?",
        "warn  settings: no messenger is turned on, so no chat reaches this bridge: "
        "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack), TELEGRAM_BOT_TOKEN "
        "(Telegram) or TRUECONF_CHATBOT_LOGIN and TRUECONF_CHATBOT_PASSWORD "
        "(TrueConf chat); the README says what else each one needs",
    ]
    assert "HOSTNAME" not in out
    # Names only, never their values.
    assert "https://tc.example" not in out
    assert "xoxb-1" not in out


@pytest.mark.parametrize(
    ("zone", "cities"),
    [("EST", "America/New_York, America/Toronto"), ("Etc/GMT-3", "Europe/Moscow")],
)
def test_an_old_default_zone_is_warned_of_not_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], zone: str, cities: str
) -> None:
    # /meet tz refuses these (EST never switches to EDT); a set-up that had
    # one still starts, and is told what to set instead.
    monkeypatch.setenv("DEFAULT_TIMEZONE", zone)
    code, _, out = doctor(capsys)
    assert code == 0, out
    warned = [line for line in out.splitlines() if "DEFAULT_TIMEZONE" in line]
    assert len(warned) == 1, out
    assert warned[0].startswith(f"warn  settings: DEFAULT_TIMEZONE={zone} keeps no place's clocks")
    assert cities in warned[0]


def test_utc_as_the_default_zone_is_not_warned_of(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Etc/UTC")
    code, _, out = doctor(capsys)
    assert code == 0, out
    assert "DEFAULT_TIMEZONE" not in out


def test_a_line_of_env_without_its_equals_sign_is_warned_of_without_its_secret(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Read as a name holding the value: quoting it would log the secret (an
    # attacker's trial).
    token = slack_token()
    secret = secrets.token_hex(8)
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN:{token}\nSLACK_SIGNING_SECRET-{secret}\n", encoding="utf-8"
    )
    code, _, out = doctor(capsys)
    assert code == 0, out
    assert (
        "warn  settings: a name beginning SLACK_ is not a setting's name, so it is not read: "
        "a line of .env without its '='?"
    ) in out.splitlines()
    assert token.lower() not in out.lower()
    assert secret not in out.lower()


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port bound and never listening: every connection to it is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


CLIENT_SECRET = "s3cret-value"


def use_trueconf(monkeypatch: pytest.MonkeyPatch, url: str, secret: str = CLIENT_SECRET) -> None:
    monkeypatch.setenv("TRUECONF_SERVER_URL", url)
    monkeypatch.setenv("TRUECONF_CLIENT_ID", "bridge")
    monkeypatch.setenv("TRUECONF_CLIENT_SECRET", secret)
    monkeypatch.setenv("TRUECONF_TIMEOUT_SECONDS", "2")


def test_a_trueconf_server_out_of_reach_is_told_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], refusing_port: int
) -> None:
    # The name does not resolve (.invalid never does): DNS, not the server.
    use_trueconf(monkeypatch, "https://no-such-host.invalid")
    code, lines, _ = doctor(capsys)
    assert code == 1
    assert "the host name does not resolve (DNS)" in lines["trueconf"], lines["trueconf"]
    assert "TRUECONF_SERVER_URL" in lines["trueconf"]
    use_trueconf(monkeypatch, f"http://127.0.0.1:{refusing_port}")
    code, lines, _ = doctor(capsys)
    assert code == 1
    assert "connection refused" in lines["trueconf"], lines["trueconf"]
    assert "TRUECONF_SERVER_URL" in lines["trueconf"]


def test_credentials_trueconf_refuses_are_named_by_their_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with SandboxServer() as sandbox:
        use_trueconf(monkeypatch, sandbox.base_url, secret="not-the-secret")
        code, lines, out = doctor(capsys)
        assert code == 1
        assert "TRUECONF_CLIENT_ID" in lines["trueconf"], lines["trueconf"]
        assert "TRUECONF_CLIENT_SECRET" in lines["trueconf"]
        assert "not-the-secret" not in out
        use_trueconf(monkeypatch, sandbox.base_url, secret=sandbox.client_secret)
        monkeypatch.setenv("TRUECONF_CLIENT_ID", sandbox.client_id)
        code, lines, _ = doctor(capsys)
        assert lines["trueconf"].startswith("ok"), lines["trueconf"]


def test_something_else_answering_at_the_trueconf_url_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A control-panel page's URL pasted: something answers, not TrueConf's API.
    with SandboxServer() as sandbox:
        use_trueconf(monkeypatch, f"{sandbox.base_url}/some/path", secret=sandbox.client_secret)
        monkeypatch.setenv("TRUECONF_CLIENT_ID", sandbox.client_id)
        code, lines, _ = doctor(capsys)
    assert code == 1
    assert "notFound" in lines["trueconf"], lines["trueconf"]
    assert lines["trueconf"].endswith(
        "; check TRUECONF_SERVER_URL: no TrueConf Server API answers there"
    ), lines["trueconf"]


def test_an_api_version_the_server_does_not_serve_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The token comes from the right address; the API under another version does not.
    with SandboxServer() as sandbox:
        use_trueconf(monkeypatch, sandbox.base_url, secret=sandbox.client_secret)
        monkeypatch.setenv("TRUECONF_CLIENT_ID", sandbox.client_id)
        monkeypatch.setenv("TRUECONF_API_VERSION", "v3.99")
        code, lines, _ = doctor(capsys)
        assert code == 1
        assert lines["trueconf"].startswith("FAIL"), lines["trueconf"]
        assert lines["trueconf"].endswith(
            "notFound: the server answers no API v3.99; check TRUECONF_API_VERSION"
        ), lines["trueconf"]
        monkeypatch.setenv("TRUECONF_API_VERSION", "v3.9")
        code, lines, _ = doctor(capsys)
        assert lines["trueconf"].startswith("ok"), lines["trueconf"]
