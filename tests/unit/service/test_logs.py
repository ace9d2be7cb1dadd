"""Log lines: secrets masked whichever logger wrote them (message, traceback,
extra fields), the request id on every line, text or one JSON object a line."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
import traceback
from collections.abc import Callable, Iterator

import pytest
from pydantic import SecretStr

from adapters.logs import REDACTED, Redactor
from adapters.logs import lines as lines_module
from adapters.logs.redact import MIN_SECRET_LENGTH
from bot.tracing import current_request_id, request_scope
from meetbridge.config import load_config
from meetbridge.logs import configured_logging
from tests.support.tokens import slack_token, telegram_token

TOKEN = telegram_token()
SLACK_BOT = slack_token()
SLACK_APP = slack_token("xapp")
SETTINGS = load_config(
    env_file=None,
    database_url="postgresql+asyncpg://bridge:db-pass-9f8e@db.internal/meetbridge",
    trueconf_server_url="https://video.example.com",
    trueconf_client_secret=SecretStr("tc-client-secret-1"),
    callaba_url="https://rooms.example.com",
    callaba_token=SecretStr("callaba-token-2"),
    slack_bot_token=SecretStr(SLACK_BOT),
    slack_signing_secret=SecretStr("slack-signing-4"),
    slack_app_token=SecretStr(SLACK_APP),
    slack_client_secret=SecretStr("slack-client-6"),
    slack_state_secret=SecretStr("slack-state-7"),
    slack_encryption_key=SecretStr("fernet-key-8"),
    telegram_bot_token=SecretStr(TOKEN),
    telegram_webhook_secret=SecretStr("tg-webhook-9"),
    link_secret=SecretStr("link-secret-10"),
)
ALL_SECRETS = {
    "db-pass-9f8e",
    "tc-client-secret-1",
    "callaba-token-2",
    SLACK_BOT,
    "slack-signing-4",
    SLACK_APP,
    "slack-client-6",
    "slack-state-7",
    "fernet-key-8",
    TOKEN,
    "tg-webhook-9",
    "link-secret-10",
}


def test_every_configured_secret_is_known_to_the_redactor() -> None:
    assert set(SETTINGS.secrets()) == ALL_SECRETS


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"POST https://api.telegram.org/bot{TOKEN}/sendMessage", "/sendMessage"),
        (f"POST https://api.telegram.org/bot{telegram_token(987)}/getMe", "/getMe"),
        ("GET /api?access_token=eyJ.abc.def&page_id=1", "page_id=1"),
        ("body grant_type=client_credentials&client_secret=other-secret", "grant_type"),
        ("GET /c/0012?pin=4321 HTTP/1.1", "/c/0012"),
        ("headers={'Authorization': 'Bearer tok.en-value-42'}", "Authorization"),
        (f"token {slack_token()} of another workspace", "of another workspace"),
        ("connect postgresql://bridge:hunter22@db/x", "postgresql://bridge:"),
    ],
)
def test_secret_shapes_are_masked_without_knowing_the_value(text: str, kept: str) -> None:
    masked = Redactor()(text)
    assert REDACTED in masked
    assert kept in masked
    for secret in ("Zz_unknown-token", "eyJ.abc.def", "other-secret", "4321", "tok.en-value"):
        assert secret not in masked
    assert "abcdef" not in masked
    assert "hunter22" not in masked


@pytest.fixture
def log_output() -> Iterator[tuple[io.StringIO, logging.Logger]]:
    out = io.StringIO()
    json_settings = SETTINGS.with_values(log_format="json")
    with configured_logging(json_settings, level="DEBUG", stream=out):
        yield out, logging.getLogger("tests.logs")


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_mask_messages_tracebacks_and_extra_fields(
    log_output: tuple[io.StringIO, logging.Logger],
) -> None:
    out, log = log_output
    log.info("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")

    def refused() -> None:
        raise RuntimeError("refused client_secret tc-client-secret-1 for slack-signing-4")

    try:
        refused()
    except RuntimeError:
        log.exception("request failed")
    log.debug("form %s", {"x-access-token": "callaba-token-2"}, extra={"url": "link-secret-10"})
    text = out.getvalue()
    for secret in ALL_SECRETS:
        assert secret not in text
    records = lines(out)
    assert len(records) == 3  # one JSON object a line, tracebacks included
    assert "RuntimeError" in str(records[1]["exception"])
    assert records[2]["url"] == REDACTED


def test_the_request_id_follows_the_work_into_every_logger(
    log_output: tuple[io.StringIO, logging.Logger],
) -> None:
    out, log = log_output
    log.info("before")
    with request_scope() as request_id:
        log.info("command", extra={"event": "command", "kind": "new"})
        logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/x")
    assert current_request_id() is None
    before, command, call = lines(out)
    assert "request_id" not in before
    assert command["request_id"] == call["request_id"] == request_id
    assert command["event"] == "command"
    assert command["kind"] == "new"


def test_text_lines_are_for_people_and_name_the_request() -> None:
    out = io.StringIO()
    with configured_logging(SETTINGS, level="INFO", stream=out), request_scope("abc123"):
        logging.getLogger("bot.service").info("command new in slack:C1: ok in 3.0 ms")
    line = out.getvalue().strip()
    assert line.endswith("INFO bot.service [req=abc123]: command new in slack:C1: ok in 3.0 ms")
    assert not line.startswith("{")


def _fail() -> None:
    raise ValueError("boom")


def test_a_text_line_stays_one_line_whatever_its_message_holds() -> None:
    """A server's answer or a peer's field in a message cannot forge a line
    of its own (a newline, a carriage return, an ESC sequence, a bidi
    override): they are shown escaped. A traceback keeps its lines."""
    out = io.StringIO()
    forged = (
        "unreachable: 503\n2026-01-01 00:00:00,000 INFO bot.service: admin linked\r\x1b[2J\u202e"
    )
    with configured_logging(SETTINGS, level="INFO", stream=out):
        logging.getLogger("adapters.http.readiness").warning("readiness: x fails: %s", forged)
        try:
            _fail()
        except ValueError:
            logging.getLogger("bot.service").exception("failed\nagain")
    first, *traceback = out.getvalue().splitlines()
    assert first.endswith(
        "readiness: x fails: unreachable: 503\\n2026-01-01 00:00:00,000 INFO bot.service:"
        " admin linked\\r\\x1b[2J\\u202e"
    )
    assert traceback[0].endswith("failed\\nagain")
    assert traceback[1] == "Traceback (most recent call last):"
    assert traceback[-1] == "ValueError: boom"


class _PeerError(Exception):
    pass


def _fail_inner() -> None:
    raise KeyError("inner\n2026-01-01 00:00:00,000 INFO bot.service: cause forged")


def _fail_with_peer_text() -> None:
    try:
        _fail_inner()
    except KeyError as inner:
        raise _PeerError(
            "server said: 500\n2026-01-01 00:00:00,000 INFO bot.service: admin linked\x1b[2J"
        ) from inner


def test_a_traceback_keeps_a_peers_text_in_its_exception_line() -> None:
    """An exception's message often carries a server's answer: its newlines
    and escapes are shown escaped in the traceback's last line (and in the
    cause's), so it cannot forge a record after the traceback."""
    out = io.StringIO()
    with configured_logging(SETTINGS, level="INFO", stream=out):
        try:
            _fail_with_peer_text()
        except _PeerError:
            logging.getLogger("bot.service").exception("failed")
    lines = out.getvalue().splitlines()
    assert not [line for line in lines if line.startswith("2026-01-01")]
    assert not [line for line in lines if "\x1b" in line]
    assert lines[-1].endswith(
        "_PeerError: server said: 500\\n2026-01-01 00:00:00,000 INFO bot.service:"
        " admin linked\\x1b[2J"
    )
    assert "KeyError: 'inner\\n2026-01-01 00:00:00,000 INFO bot.service: cause forged'" in lines


FORGED = "2026-01-01 00:00:00,000 INFO bot.service: admin linked"


def _fail_in_a_group() -> None:
    """A task group's failure: a peer's text in each sub-exception's
    message, a cause's and a nested group's too."""
    try:
        _fail_inner()
    except KeyError as inner:
        caused = _PeerError(f"server said: 502\n{FORGED}\x1b[2J")
        caused.__cause__ = inner
    nested = ExceptionGroup(f"nested\n{FORGED}", [ValueError(f"deep\n\n{FORGED}")])
    raise ExceptionGroup("two calls failed", [caused, nested, OSError(f"refused\n{FORGED}")])


def _group_logged(log_format: str, fail: Callable[[], None] | None = None) -> list[str]:
    """The traceback's lines of what ``fail`` raised, as the log shows them
    in ``log_format``."""
    out = io.StringIO()
    settings = SETTINGS.with_values(log_format=log_format)
    with configured_logging(settings, level="INFO", stream=out):
        try:
            (fail or _fail_in_a_group)()
        except Exception:
            logging.getLogger("bot.service").exception("failed")
    if log_format == "text":
        return out.getvalue().splitlines()
    [record] = [json.loads(line) for line in out.getvalue().splitlines()]
    return str(record["exception"]).splitlines()


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_group_traceback_keeps_each_sub_exceptions_text_on_its_line(log_format: str) -> None:
    """Each sub-exception's line is escaped as a lone exception's is: its
    text cannot forge a record after the traceback, in either format."""
    traceback = _group_logged(log_format)

    assert not [line for line in traceback if line.lstrip(" |").startswith("2026-01-01")]
    assert not [line for line in traceback if "\x1b" in line]
    kept = [line.lstrip(" |") for line in traceback]
    assert any(k.endswith(f"_PeerError: server said: 502\\n{FORGED}\\x1b[2J") for k in kept)
    assert any(k.endswith(f"ValueError: deep\\n\\n{FORGED}") for k in kept)
    assert any(k.endswith(f"OSError: refused\\n{FORGED}") for k in kept)
    assert any(k.endswith(f"ExceptionGroup: nested\\n{FORGED} (1 sub-exception)") for k in kept)
    assert "KeyError: 'inner\\n2026-01-01 00:00:00,000 INFO bot.service: cause forged'" in kept


def _raise_group_with(text: str) -> None:
    raise ExceptionGroup("one call failed", [OSError(text)])


def _raise_group_of(texts: list[str]) -> None:
    raise ExceptionGroup("calls failed", [OSError(text) for text in texts])


# Each of what str.splitlines ends a line at, which traceback's group margin
# is written after (textwrap.indent), "\n" aside.
_LINE_ENDS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("end", _LINE_ENDS)
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_group_members_text_with_a_line_end_of_its_own_is_escaped(
    log_format: str, end: str
) -> None:
    """A carriage return (or another end of line but "\\n") in a member's
    text: traceback writes the group's margin after it, and the line was no
    longer found, so the text stayed as sent, its escapes too: on a terminal
    ESC[2K ESC[G then wrote a record of the peer's own over the line."""
    out = io.StringIO()
    settings = SETTINGS.with_values(log_format=log_format)
    with configured_logging(settings, level="INFO", stream=out):
        try:
            _raise_group_with(f"refused{end}\x1b[2K\x1b[G{FORGED}")
        except ExceptionGroup:
            logging.getLogger("bot.service").exception("failed")
    text = out.getvalue()
    if log_format == "json":
        [record] = [json.loads(line) for line in text.splitlines()]
        text = str(record["exception"])
    assert not [c for c in text if c in _LINE_ENDS or c == "\x1b"]
    escaped = end.encode("unicode_escape").decode()
    assert any(
        line.endswith(f"OSError: refused{escaped}\\x1b[2K\\x1b[G{FORGED}")
        for line in text.split("\n")
    )


def _raise_group() -> None:
    raise ExceptionGroup("one call failed", [OSError(f"refused\n{FORGED}")])


def _unwrap_a_group() -> None:
    """A group's member raised again out of its handler: the member's
    context is the group that holds it (a loop a traceback stops at)."""
    try:
        _raise_group()
    except ExceptionGroup as group:
        raise group.exceptions[0]  # noqa: B904 - the unwrap under test


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_member_raised_out_of_its_group_is_logged(log_format: str) -> None:
    """The record is written, its member's line escaped, not lost to a
    RecursionError in the formatter (logging's 'Logging error' instead)."""
    lines = _group_logged(log_format, _unwrap_a_group)
    assert any(line.endswith(f"OSError: refused\\n{FORGED}") for line in lines)
    assert not [line for line in lines if line.lstrip(" |").startswith("2026-01-01")]


class _Counted(Exception):
    """Counts how often its text is read (each time a traceback is made)."""

    reads = 0

    def __str__(self) -> str:
        _Counted.reads += 1
        return f"refused\n{FORGED}"


def test_a_wide_group_costs_what_its_traceback_shows() -> None:
    """A group of thousands of failures (one per recipient) is shown with
    its first 15 members and 'and N more'; only those are read again to be
    escaped, not each of the thousands, whose compares grew as their
    square (seconds on the event loop for 20 000)."""
    out = io.StringIO()
    group = ExceptionGroup("sends failed", [_Counted() for _ in range(5000)])
    _Counted.reads = 0
    traceback.format_exception(group)
    by_traceback = _Counted.reads  # it reads every member once, shown or not
    with configured_logging(SETTINGS, level="INFO", stream=out):
        try:
            raise group
        except ExceptionGroup:
            _Counted.reads = 0
            logging.getLogger("bot.service").exception("failed")
    lines = out.getvalue().splitlines()
    assert any(line.endswith(f"_Counted: refused\\n{FORGED}") for line in lines)
    assert not [line for line in lines if line.lstrip(" |").startswith("2026-01-01")]
    # Formatted once for the text and once for its redaction: each time the
    # traceback's own reads, and one more of each member it shows.
    assert _Counted.reads <= 2 * (by_traceback + 16)


def test_long_members_are_written_out_once_for_each_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each member's text is laid out behind a margin once, not once for
    each line of the traceback that has one: fifteen members of 2 000 lines
    each took 68 s, their square, on the event loop."""
    written = lines_module._written
    calls = 0

    def counted(raw: str, margin: str) -> list[str]:
        nonlocal calls
        calls += 1
        return written(raw, margin)

    monkeypatch.setattr(lines_module, "_written", counted)
    try:
        _raise_group_of([f"{i}\n" + "x\n" * 200 for i in range(15)])
    except ExceptionGroup:
        text = lines_module.exception_text(sys.exc_info())
    assert text.count("\n") < 100  # each member on one line
    assert calls <= 3 * 16  # the group and its members, each behind none, the group's, theirs


def test_the_previous_handlers_come_back_afterwards() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    with configured_logging(SETTINGS, stream=io.StringIO()) as handler:
        assert root.handlers == [handler]
    assert root.handlers == before


def test_at_info_httpx_and_apscheduler_say_only_warnings() -> None:
    out = io.StringIO()
    with configured_logging(SETTINGS, level="INFO", stream=out):
        logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/x")
        logging.getLogger("apscheduler.scheduler").info("Added job to job store")
        logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
        logging.getLogger("adapters.httpclient").info("trueconf GET /api/v3.10/conferences: 200")
    text = out.getvalue()
    assert "HTTP Request" not in text
    assert "Added job" not in text
    assert "Run time of job was missed" in text
    assert "trueconf GET /api/v3.10/conferences: 200" in text  # the bridge's own line
    assert logging.getLogger("httpx").level == logging.NOTSET  # restored afterwards


OPEN_LINK = (
    "GET /open?to=intent%3A%2F%2Fc%2F0042%3Fpassword%3Dp4ss-w0rd%26autoclose%3D1"
    "%23Intent%3Bscheme%3Dtrueconf%3Bend&fallback=https%3A%2F%2Fvideo%2Fc%2F0042"
    "%3Ftoken%3DTk-123456%26lang%3Den&sig=ab12"
)


@pytest.mark.parametrize(
    ("text", "secrets", "kept"),
    [
        (OPEN_LINK, ("p4ss-w0rd", "Tk-123456"), ("autoclose%3D1", "lang%3Den", "sig=ab12")),
        ("next=%2Fcb%3Ftoken%253DTk-123456%2526page%253D2", ("Tk-123456",), ("page%253D2",)),
        ("intent://c/1#Intent;S.password=p4ss-w0rd;end", ("p4ss-w0rd",), (";end",)),
        ("form PASSWORD%3dp4ss-w0rd&x=1", ("p4ss-w0rd",), ("x=1",)),
    ],
)
def test_percent_encoded_secret_fields_are_masked(
    text: str, secrets: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    masked = Redactor()(text)  # the values are not known: the shapes mask them
    for secret in secrets:
        assert secret not in masked
    for part in kept:
        assert part in masked


def test_a_configured_secret_is_masked_in_its_percent_encoded_forms() -> None:
    secret = "s3cr/et+key=="
    redact = Redactor([secret])
    for form in ("s3cr/et+key==", "s3cr%2Fet%2Bkey%3D%3D", "s3cr%252Fet%252Bkey%253D%253D"):
        assert redact(f"to={form}&x=1") == f"to={REDACTED}&x=1"


def test_a_secret_shorter_than_the_minimum_does_not_mask_its_characters() -> None:
    short = "x" * (MIN_SECRET_LENGTH - 1)
    redact = Redactor(["e", short, "tg-webhook-9"])
    line = "the webhook xxxxxxx answered: secret tg-webhook-9 accepted"
    assert redact(line) == f"the webhook xxxxxxx answered: secret {REDACTED} accepted"
    # Where a short secret stands as a field, its shape still masks it.
    assert redact("token=e&next=1") == f"token={REDACTED}&next=1"


def _pool_failed(error: BaseException) -> str:
    out = io.StringIO()
    with configured_logging(SETTINGS, level="INFO", stream=out):
        pool = logging.getLogger("sqlalchemy.pool.impl.AsyncAdaptedQueuePool")
        # As the pool logs it: from its except block, the error in hand.
        pool.error("Exception during reset or similar", exc_info=(type(error), error, None))
    return out.getvalue()


def test_a_connection_given_back_by_a_cancelled_task_is_one_line_at_info() -> None:
    """A stop cancels every task; SQLAlchemy's pool then logged an ERROR with
    a traceback for a connection it rightly dropped (a stop's e2e log)."""
    logged = _pool_failed(asyncio.CancelledError())
    assert "Traceback" not in logged
    assert "ERROR" not in logged
    assert "INFO sqlalchemy.pool" in logged


def test_a_real_pool_error_keeps_its_traceback() -> None:
    logged = _pool_failed(OSError("connection reset"))
    assert "ERROR sqlalchemy.pool" in logged
    assert "OSError: connection reset" in logged
