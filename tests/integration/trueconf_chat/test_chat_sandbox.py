"""The chat-bot sandbox is strict, as the server is: what it refuses, over
real HTTP and WebSocket on loopback."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator

import httpx
import pytest
from websockets.sync.client import connect

from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer
from adapters.trueconf_chat.sandbox.app import FILES_PATH, GRANT_PATH


@pytest.fixture
def chat() -> Iterator[ChatSandboxServer]:
    with ChatSandboxServer() as sandbox:
        yield sandbox


def _grant(chat: ChatSandboxServer, body: object) -> httpx.Response:
    return httpx.post(chat.base_url + GRANT_PATH, content=json.dumps(body), timeout=5)


def test_the_token_endpoint_refuses_wrong_credentials_and_garbage(
    chat: ChatSandboxServer,
) -> None:
    good = {"client_id": "chat_bot", "grant_type": "password", "username": BOT_LOGIN}
    assert _grant(chat, {**good, "password": "wrong"}).status_code == 401
    assert _grant(chat, {**good, "password": chat.bot_password}).status_code == 200
    assert _grant(chat, [1, 2]).status_code == 400
    assert _grant(chat, {**good, "client_id": "other", "password": "x"}).status_code == 400
    answer = httpx.post(chat.base_url + GRANT_PATH, content=b"\xff{", timeout=5)
    assert answer.status_code == 400


def _call(ws: object, request_id: int, method: str, payload: object) -> object:
    ws.send(json.dumps({"type": 1, "id": request_id, "method": method, "payload": payload}))  # type: ignore[attr-defined]
    while True:
        frame = json.loads(ws.recv(timeout=5))  # type: ignore[attr-defined]
        if frame["type"] == 2 and frame["id"] == request_id:
            return frame["payload"]


def test_the_socket_refuses_calls_before_auth_bad_tokens_and_bad_buttons(
    chat: ChatSandboxServer,
) -> None:
    token = _grant(
        chat,
        {
            "client_id": "chat_bot",
            "grant_type": "password",
            "username": BOT_LOGIN,
            "password": chat.bot_password,
        },
    ).json()["access_token"]
    team = chat.state.group("Team", ["alice"])
    url = chat.base_url.replace("http://", "ws://") + "/websocket/chat_bot"
    with connect(url) as ws:
        text = {"text": "hi", "parseMode": "text"}
        assert _call(ws, 1, "sendMessage", {"chatId": team, "content": text}) == {"errorCode": 200}
        forged = token[:-4] + "AAAA"
        assert _call(ws, 2, "auth", {"token": forged, "tokenType": "JWT"}) == {"errorCode": 201}
        assert "userId" in _call(ws, 3, "auth", {"token": token, "tokenType": "JWT"})  # type: ignore[operator]
        bad_button = {**text, "buttons": [[{"type": "url", "label": "x", "url": "javascript:1"}]]}
        assert _call(ws, 4, "sendMessage", {"chatId": team, "content": bad_button}) == {
            "errorCode": 399
        }
        assert _call(ws, 5, "sendMessage", {"chatId": "nope", "content": text}) == {
            "errorCode": 304
        }
        assert _call(ws, 6, "noSuchMethod", {}) == {"errorCode": 104}
        sent = _call(ws, 7, "sendMessage", {"chatId": team, "content": text})
        assert isinstance(sent, dict)
        assert chat.state.message(sent["messageId"]).text == "hi"


def _declared_only(chat: ChatSandboxServer, path: str, declared: int) -> int:
    """A POST declaring ``declared`` bytes of body, of which 4 KiB are sent:
    the status of the answer that comes without the rest."""
    port = int(chat.base_url.rsplit(":", 1)[1])
    head = (
        f"POST {path} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head.encode() + b"a" * 4096)
        received = b""
        while b"\r\n" not in received and (chunk := conn.recv(65536)):
            received += chunk
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", received)
    assert match, received[:200]
    return int(match[1])


@pytest.mark.parametrize("path", [GRANT_PATH, FILES_PATH])
def test_an_unauthenticated_body_past_the_limit_is_refused_unread(
    chat: ChatSandboxServer, path: str
) -> None:
    assert _declared_only(chat, path, 1 << 30) == 413
    # Still serving.
    assert _grant(chat, [1, 2]).status_code == 400


def test_the_token_endpoint_refuses_json_nested_past_the_decoders_depth(
    chat: ChatSandboxServer,
) -> None:
    answer = httpx.post(chat.base_url + GRANT_PATH, content=b"[" * 100_000, timeout=5)
    assert answer.status_code == 400, answer.text
    good = {"client_id": "chat_bot", "grant_type": "password", "username": BOT_LOGIN}
    assert _grant(chat, {**good, "password": chat.bot_password}).status_code == 200


def test_the_socket_answers_after_a_frame_nested_past_the_decoders_depth(
    chat: ChatSandboxServer,
) -> None:
    url = chat.base_url.replace("http://", "ws://") + "/websocket/chat_bot"
    with connect(url) as ws:
        ws.send("[" * 100_000)
        # The connection is still served: a call before auth is refused as such.
        team = chat.state.group("Team", ["alice"])
        text = {"text": "hi", "parseMode": "text"}
        assert _call(ws, 1, "sendMessage", {"chatId": team, "content": text}) == {"errorCode": 200}
