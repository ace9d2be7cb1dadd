"""Every route of ``meetbridge serve`` answers hostile and malformed requests
with a 4xx, reads no body past ``MAX_REQUEST_BYTES``, and goes on serving.

Each request here is one that gave a 500 with a traceback, or was read in
full, before the routes were guarded; after each one the service must still
answer the next request, and at the end its log holds no traceback.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import SIGNING_SECRET, serve_settings
from tests.support.fake_slack import TEAM, FakeSlack, signed_headers, slack_user
from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, message_update, person

pytestmark = pytest.mark.timeout(120)

WEBHOOK_SECRET = "hostile-webhook-secret"
LIMIT = 64 * 1024  # MAX_REQUEST_BYTES of the served bridge


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=[slack_user("UCREATOR", "carol", email="carol@example.com")]) as fake:
        yield fake


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(FakeTelegram(scale=0.05)) as server:
        yield server


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    slack: FakeSlack,
    sandbox: SandboxServer,
    telegram: FakeTelegramServer,
) -> Iterator[ServeProcess]:
    env = serve_settings(
        slack,
        sandbox,
        TELEGRAM_BOT_TOKEN=telegram.state.token,
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        TELEGRAM_API_URL=telegram.url,
        TELEGRAM_ALLOWED_CHATS="*",
        MAX_REQUEST_BYTES=str(LIMIT),
    )
    with ServeProcess(env=env, cwd=Path(tmp_path_factory.mktemp("hostile"))) as process:
        yield process
    assert "Traceback" not in process.log, process.log
    assert " 500 " not in process.log


def _still_serving(served: ServeProcess) -> None:
    assert httpx.get(served.url("/healthz"), timeout=5).status_code == 200


def _signed_post(served: ServeProcess, body: str | bytes, **headers: Any) -> httpx.Response:
    text = body if isinstance(body, str) else body.decode("latin-1")
    signed = {**signed_headers(SIGNING_SECRET, text), **headers}
    return httpx.post(served.url("/slack/events"), content=body, headers=signed, timeout=10)


def _command(**fields: str) -> str:
    base = {
        "team_id": TEAM,
        "user_id": "UCREATOR",
        "channel_id": "C0GENERAL",
        "command": "/meet",
        "text": "list",
        "trigger_id": "trigger.hostile",
        "response_url": "http://127.0.0.1:9/unused",
    }
    return urlencode({k: v for k, v in {**base, **fields}.items() if v is not None})


def _without(name: str) -> str:
    """A signed-looking ``/meet`` (empty text: the form) without the field ``name``."""
    base = {
        "team_id": TEAM,
        "user_id": "UCREATOR",
        "channel_id": "C0GENERAL",
        "command": "/meet",
        "text": "",
        "trigger_id": "trigger.x",
    }
    base.pop(name)
    return urlencode(base)


SLACK_ATTACKS: dict[str, tuple[Any, dict[str, Any], int]] = {
    # name: (body, header overrides, expected status)
    "non-numeric timestamp": (_command(), {"X-Slack-Request-Timestamp": "abc"}, 401),
    "timestamp in other digits": (_command(), {"X-Slack-Request-Timestamp": "١٢٣".encode()}, 401),
    "non-ASCII signature": (_command(), {"X-Slack-Signature": "v0=é".encode()}, 401),
    "non-UTF-8 body": (b"token=x&text=\xff\xfe&team_id=T", {}, 400),
    "payload= that is not JSON": ("payload=%7Bnot+json", {}, 400),
    "payload= that is a JSON list": ("payload=%5B1%2C2%5D", {}, 400),
    # Deeper than Python's recursion limit, and under MAX_REQUEST_BYTES.
    "payload= nested 15000 deep": ("payload=" + "%5B" * 15_000, {}, 400),
    "JSON body nested 10000 deep": (
        "{" + '"a":{' * 10_000 + "}" * 10_001,
        {"Content-Type": "application/json"},
        400,
    ),
    "JSON body that is a list": ("[1]", {"Content-Type": "application/json"}, 400),
    "command without team_id": (_without("team_id"), {}, 400),
    "command without trigger_id": (_without("trigger_id"), {}, 400),
    "command without user_id": (_without("user_id"), {}, 400),
    "button without user": (
        urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "block_actions",
                        "team": {"id": TEAM},
                        "trigger_id": "t",
                        "actions": [{"action_id": "meet_cancel", "value": "1"}],
                    }
                )
            }
        ),
        {},
        400,
    ),
    "button whose team is a string": (
        urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "block_actions",
                        "team": TEAM,
                        "user": {"id": "U1"},
                        "trigger_id": "t",
                        "actions": [],
                    }
                )
            }
        ),
        {},
        400,
    ),
    "form submission without view": (
        urlencode(
            {
                "payload": json.dumps(
                    {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "U1"}}
                )
            }
        ),
        {},
        400,
    ),
    "event without event": (
        json.dumps({"type": "event_callback", "team_id": TEAM}),
        {"Content-Type": "application/json"},
        400,
    ),
    "home opened without user": (
        json.dumps(
            {"type": "event_callback", "team_id": TEAM, "event": {"type": "app_home_opened"}}
        ),
        {"Content-Type": "application/json"},
        400,
    ),
    "options request": (
        urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "block_suggestion",
                        "team": {"id": TEAM},
                        "user": {"id": "U1"},
                        "action_id": "x",
                        "value": "a",
                    }
                )
            }
        ),
        {},
        400,  # the bridge offers no options menus: refused before bolt reads it
    ),
}


@pytest.mark.parametrize("attack", list(SLACK_ATTACKS))
def test_hostile_slack_requests_get_their_4xx_and_the_service_goes_on(
    served: ServeProcess, slack: FakeSlack, attack: str
) -> None:
    body, headers, expected = SLACK_ATTACKS[attack]
    before = len(slack.responses())
    answer = _signed_post(served, body, **headers)
    assert answer.status_code == expected, answer.text
    _still_serving(served)
    assert len(slack.responses()) == before  # nothing was worked on


def test_a_signed_command_is_still_served_after_the_attacks(
    served: ServeProcess, slack: FakeSlack
) -> None:
    name = "after-attacks"
    body = _command(text="list", response_url=slack.response_url(name))
    assert _signed_post(served, body).status_code == 200
    slack.wait_for_responses(name, 1)


def _raw_request(served: ServeProcess, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Sends ``head`` and ``body`` on a fresh connection and reads the answer
    until the server closes it; returns the status and everything read."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", received)
    assert match, received[:200]
    return int(match[1]), received


def _bytes_read_logged(served: ServeProcess, path: str, count: int) -> list[int]:
    """The ``read N bytes`` of the service's refusals for ``path``, once ``count`` are logged."""
    pattern = re.compile(rf"refused a request to {re.escape(path)}: .*read (\d+) bytes")
    wait_until(
        lambda: len(pattern.findall(served.log)) >= count,
        timeout=10,
        what=f"{count} refusal(s) of {path} in the log",
    )
    return [int(n) for n in pattern.findall(served.log)]


def test_an_unsigned_50_mb_body_is_refused_without_being_read(served: ServeProcess) -> None:
    declared = 50 * 1024 * 1024
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: bridge\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {declared}"
    )
    # Only the first 4 KiB are sent: the answer must come without the rest,
    # and the server must say it read none of them.
    status, answer = _raw_request(served, head, b"a" * 4096)
    assert status == 413
    assert b"connection: close" in answer.lower()
    assert _bytes_read_logged(served, "/slack/events", 1)[-1] == 0
    _still_serving(served)


def test_a_chunked_body_is_cut_off_at_the_limit(served: ServeProcess) -> None:
    # A little past the limit and never finished (no last chunk): the answer
    # comes while the body is still open, so it was cut off, not read whole.
    chunk = b"a" * 8192
    framed = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 8192 + 2))
    head = (
        "POST /telegram/webhook HTTP/1.1\r\nHost: bridge\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked"
    )
    before = len(_bytes_read_logged(served, "/telegram/webhook", 0))
    status, _ = _raw_request(served, head, framed)
    assert status == 413
    read = _bytes_read_logged(served, "/telegram/webhook", before + 1)[-1]
    assert LIMIT < read <= LIMIT + 2 * 8192
    _still_serving(served)


@pytest.mark.parametrize(
    "head",
    [
        # Unsigned: its body is read before the signature can be checked.
        "POST /slack/events HTTP/1.1\r\nHost: bridge\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000",
        "POST /telegram/webhook HTTP/1.1\r\nHost: bridge\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000",
    ],
    ids=["slack", "telegram"],
)
def test_a_client_gone_before_its_body_arrived_leaves_no_traceback(
    served: ServeProcess, head: str
) -> None:
    # A tenth of the declared body, then the connection is closed: anyone can
    # do this as often as they like, so it must not write a traceback each time.
    path = head.split()[1]
    gone = f"went away before its request body to {path} arrived"
    before = served.log.count(gone)
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n\r\n" + b"a" * 100)
    wait_until(
        lambda: served.log.count(gone) > before or "Traceback" in served.log,
        timeout=10,
        what="the closed connection in the log",
    )
    assert "Traceback" not in served.log
    _still_serving(served)


def _telegram(served: ServeProcess, body: bytes, secret: str | bytes = WEBHOOK_SECRET) -> int:
    token = secret if isinstance(secret, bytes) else secret.encode("ascii")
    headers = {b"X-Telegram-Bot-Api-Secret-Token": token, b"Content-Type": b"application/json"}
    answer = httpx.post(served.url("/telegram/webhook"), content=body, headers=headers, timeout=10)
    return answer.status_code


HUGE = 10**23  # past a signed 64-bit integer, and so past a BIGINT column


def _meet_now(*path_and_value: tuple[tuple[str | int, ...], Any]) -> bytes:
    """A ``/meet now`` that would create a conference, with each field at
    ``path`` (keys from the update down) set to its hostile value."""
    update: dict[str, Any] = {
        "update_id": 900,
        **message_update(
            "/meet now Hostile plan",
            chat_id=-100900,
            sender=person(900, "mallory"),
            sender_chat={"id": -100900, "type": "supergroup", "title": "Team"},
        ),
    }
    for path, value in path_and_value:
        *parents, last = path
        node: Any = update
        for key in parents:
            node = node[key]
        node[last] = value
    return json.dumps(update).encode()


TELEGRAM_ATTACKS: dict[str, bytes] = {
    "array nested 30000 deep": b"[" * 30_000 + b"]" * 30_000,
    "message nested 5000 deep": (
        '{"update_id": 5, "message": ' + '{"a":' * 5000 + "1" + "}" * 5000 + "}"
    ).encode(),
    "not JSON": b"{not json",
    "not UTF-8": b'{"update_id": 1, "message": "\xff"}',
    "a JSON list": b"[1, 2]",
    "no update_id": b'{"message": {}}',
    "a message of the wrong type": b'{"update_id": 7, "message": "hello"}',
    "a date past the calendar": json.dumps(
        {
            "update_id": 8,
            "message": {
                "message_id": 1,
                "date": 10**18,
                "chat": {"id": 1, "type": "private"},
                "text": "/meet list",
            },
        }
    ).encode(),
    # A bool is an int in Python, and PTB keeps whatever number it is given.
    "update_id true": _meet_now((("update_id",), True)),
    "update_id past 64 bits": _meet_now((("update_id",), 2**63)),
    "message_id true": _meet_now((("message", "message_id"), True)),
    "message_id past 64 bits": _meet_now((("message", "message_id"), HUGE)),
    "date true": _meet_now((("message", "date"), True)),
    "chat id true": _meet_now((("message", "chat", "id"), True)),
    "chat id past 64 bits": _meet_now((("message", "chat", "id"), HUGE)),
    "chat id below 64 bits": _meet_now((("message", "chat", "id"), -HUGE)),
    "chat id a float": _meet_now((("message", "chat", "id"), 1e23)),
    "user id true": _meet_now((("message", "from", "id"), True)),
    "user id past 64 bits": _meet_now((("message", "from", "id"), HUGE)),
    "sender_chat id past 64 bits": _meet_now((("message", "sender_chat", "id"), HUGE)),
    "entity offset past 64 bits": _meet_now((("message", "entities", 0, "offset"), HUGE)),
    "callback from a user past 64 bits": json.dumps(
        {
            "update_id": 901,
            "callback_query": {
                "id": "4382",
                "chat_instance": "1",
                "data": "x",
                "from": person(HUGE, "mallory"),
            },
        }
    ).encode(),
}


@pytest.mark.parametrize("attack", list(TELEGRAM_ATTACKS))
def test_hostile_telegram_bodies_get_400_and_the_service_goes_on(
    served: ServeProcess, sandbox: SandboxServer, telegram: FakeTelegramServer, attack: str
) -> None:
    conferences = sandbox.state.conference_ids()
    assert _telegram(served, TELEGRAM_ATTACKS[attack]) == 400
    _still_serving(served)
    # The next update is served, and by then nothing the attack asked for was done.
    chat_id = 8000 + list(TELEGRAM_ATTACKS).index(attack)
    update = message_update("/meet list", chat_id=chat_id, sender=person(chat_id, "eve"))
    update["update_id"] = telegram.state.next_update_id()
    assert _telegram(served, json.dumps(update).encode()) == 200
    wait_until(lambda: telegram.state.sent(chat_id) != [], timeout=20, what="the next answer")
    assert sandbox.state.conference_ids() == conferences
    assert telegram.state.sent(-100900) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [("/meet now Plan \ud800 review", 10), ("/meet now \udfff\ud83d", 5)],
)
def test_a_lone_surrogate_gets_an_answer_that_says_where_it_is(
    served: ServeProcess, telegram: FakeTelegramServer, text: str, place: int
) -> None:
    """JSON's ``\\ud800`` escape decodes to a lone surrogate: the person hears
    which character could not be read (it used to get no answer at all)."""
    chat_id = 7000 + place
    update = message_update(text, chat_id=chat_id, sender=person(chat_id, "eve"))
    update["update_id"] = telegram.state.next_update_id()
    # json.dumps writes the surrogate as "\\ud800", exactly as a sender would.
    assert _telegram(served, json.dumps(update).encode()) == 200
    wait_until(lambda: telegram.state.sent(chat_id) != [], timeout=20, what="the answer")
    [answer] = telegram.state.sent(chat_id)
    assert "could not be read" in answer.text
    assert f"number {place}" in answer.text
    _still_serving(served)


def test_a_webhook_call_without_the_secret_is_refused_before_its_body_is_read(
    served: ServeProcess,
) -> None:
    assert _telegram(served, b"[" * 30_000, secret="wrong") == 401
    assert _telegram(served, b"{}", secret="é".encode()) == 401


OPEN_ATTACKS = {
    "non-ASCII sig": "é" * 64,
    "non-hex sig": "z" * 64,
    "short sig": "ab",
    "upper-case hex": "A" * 64,
    "sig with a newline": "a" * 64 + "\n",
}


@pytest.mark.parametrize("attack", list(OPEN_ATTACKS))
def test_open_refuses_signatures_that_are_not_its_hex_with_404(
    served: ServeProcess, attack: str
) -> None:
    params = {"to": "trueconf:c/1@video#vcs", "fallback": "", "sig": OPEN_ATTACKS[attack]}
    assert httpx.get(served.url("/open"), params=params, timeout=5).status_code == 404
    _still_serving(served)


def test_open_survives_undecodable_query_strings(served: ServeProcess) -> None:
    status, _ = _raw_request(
        served, "GET /open?to=%ff%fe&sig=%c3%28&fallback=%ED%A0%80 HTTP/1.1\r\nHost: b"
    )
    assert status == 404
    _still_serving(served)


ROUTES = (
    "/healthz",
    "/readyz",
    "/metrics",
    "/open",
    "/ics/1-0123456789abcdef0123456789abcdef.ics",
    "/ics/%C3%A9-%ff.ics",
    "/slack/events",
    "/telegram/webhook",
)


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_refuses_garbage_with_a_4xx(served: ServeProcess, path: str) -> None:
    statuses = {
        "garbage POST": httpx.post(served.url(path), content=b"\x00\xff" * 64, timeout=10),
        "DELETE": httpx.request("DELETE", served.url(path), timeout=10),
        "GET with a body": httpx.request("GET", served.url(path), content=b"{", timeout=10),
    }
    for case, answer in statuses.items():
        assert 400 <= answer.status_code < 500 or (
            case == "GET with a body" and answer.status_code in (200, 503)
        ), (case, answer.status_code)
    # A declared body past the limit is refused on every route, unread.
    head = f"POST {path} HTTP/1.1\r\nHost: b\r\nContent-Length: {LIMIT + 1}"
    status, _ = _raw_request(served, head)
    assert status == 413
    _still_serving(served)


def test_the_telegram_attacks_differ_from_a_served_meet_now_only_in_their_number(
    served: ServeProcess, sandbox: SandboxServer, telegram: FakeTelegramServer
) -> None:
    """The control: the same ``/meet now`` with sane numbers creates its
    conference, so the attacks above were refused for their numbers alone."""
    conferences = sandbox.state.conference_ids()
    update_id = telegram.state.next_update_id()
    assert _telegram(served, _meet_now((("update_id",), update_id))) == 200
    wait_until(
        lambda: len(sandbox.state.conference_ids()) == len(conferences) + 1,
        timeout=20,
        what="the conference",
    )
