"""A fake Telegram Bot API on loopback, reached through ``TELEGRAM_API_URL``.

It answers the methods the bridge uses, keeps what it was sent (messages,
documents, callback answers, menus), serves queued updates to ``getUpdates``,
knows who administers which chat, and enforces Telegram's flood limits as
sliding windows (one message a second per chat, 20 a minute per group, 30 a
second overall; ``scale`` shortens every window alike): a send over a limit
gets 429 with ``retry_after``, as Telegram answers.
"""

from __future__ import annotations

import asyncio
import email.message
import email.parser
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from adapters.loopback import LoopbackServer
from tests.support.tokens import telegram_token

SEND_METHODS = frozenset({"sendMessage", "sendDocument"})
# Counted against the flood limits as Telegram counts them: sends and edits.
LIMITED_METHODS = SEND_METHODS | {"editMessageText"}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]]
    at: float

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def markup(self) -> dict[str, Any]:
        raw = self.params.get("reply_markup")
        return json.loads(raw) if raw else {}


class _Window:
    def __init__(self, count: int, seconds: float) -> None:
        self.count, self.seconds = count, seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        return 0.0 if len(self.times) < self.count else self.times[0] + self.seconds - now


@dataclass
class FakeTelegram:
    """The fake's state; the server thread and the test share it under a lock."""

    token: str = field(default_factory=telegram_token)
    bot_id: int = 123456
    username: str = "MeetBridgeBot"
    scale: float = 1.0
    admins: dict[int, set[int]] = field(default_factory=dict)
    # People who never pressed Start: the bot may not write to them first.
    strangers: set[int] = field(default_factory=set)
    # Groups upgraded to supergroups: old id -> new id.
    migrated: dict[int, int] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    refused: list[Call] = field(default_factory=list)  # 429s
    updates: list[dict[str, Any]] = field(default_factory=list)
    started_at: float = field(default_factory=time.monotonic)
    # A slow Telegram: messages ``hold`` picks wait until ``release`` is set.
    # One whose sender hung up meanwhile was never delivered: it goes to
    # ``abandoned``, not to ``calls``.
    hold: Callable[[Call], bool] | None = None
    release: threading.Event = field(default_factory=threading.Event)
    holding: list[Call] = field(default_factory=list)
    abandoned: list[Call] = field(default_factory=list)
    # The webhook as getWebhookInfo tells it: setWebhook and deleteWebhook
    # change the URL; a test sets the pending count and the last error.
    webhook_url: str = ""
    pending_updates: int = 0
    last_error_date: int | None = None
    last_error_message: str | None = None

    def __post_init__(self) -> None:
        # The bot's messages, by (chat id, message id): text and markup, as
        # editMessageText compares them.
        self.messages: dict[tuple[int, int], tuple[str, str]] = {}
        self.lock = threading.Lock()
        self._message_ids = iter(range(1000, 10**9))
        self._update_ids = iter(range(1, 10**9))
        self._overall = _Window(30, 1.0 * self.scale)
        self._chats: dict[int, _Window] = {}
        self._groups: dict[int, _Window] = {}
        self.exceeded: list[str] = []

    # ---- what the test reads -------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Messages and documents the fake took, oldest first."""
        with self.lock:
            return [
                c
                for c in self.calls
                if c.method in SEND_METHODS and (chat_id is None or c.chat_id == chat_id)
            ]

    def called(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    # ---- what the test does --------------------------------------------------

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id."""
        with self.lock:
            update = {"update_id": next(self._update_ids), **update}
            self.updates.append(update)
        return update

    def next_update_id(self) -> int:
        with self.lock:
            return next(self._update_ids)

    # ---- the server side -----------------------------------------------------

    def _limit(self, chat_id: int, now: float) -> float:
        windows = [self._overall]
        chat = self._chats.setdefault(chat_id, _Window(1, 1.0 * self.scale))
        windows.append(chat)
        if chat_id < 0:
            windows.append(self._groups.setdefault(chat_id, _Window(20, 60.0 * self.scale)))
        wait = max(w.wait(now) for w in windows)
        if wait <= 0:
            for w in windows:
                w.times.append(now)
        return wait

    def record(self, call: Call) -> float:
        """Keep the call; for a message, the wait a flood limit demands (0: taken)."""
        with self.lock:
            if call.method in LIMITED_METHODS:
                wait = self._limit(call.chat_id, call.at)
                if wait > 0:
                    self.refused.append(call)
                    return wait
            self.calls.append(call)
            return 0.0

    def message_id(self) -> int:
        with self.lock:
            return next(self._message_ids)

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """Someone deleted the bot's message: it can be edited no more."""
        with self.lock:
            self.messages.pop((chat_id, message_id), None)

    def edit(self, params: dict[str, Any]) -> str | None:
        """editMessageText as Telegram takes it; the refusal's description, or None."""
        key = (int(params["chat_id"]), int(params["message_id"]))
        new = (str(params.get("text", "")), str(params.get("reply_markup") or ""))
        with self.lock:
            old = self.messages.get(key)
            if old is None:
                return "Bad Request: message to edit not found"
            if _same(old, new):
                return NOT_MODIFIED
            self.messages[key] = new
        return None

    def take_updates(self, offset: int) -> list[dict[str, Any]]:
        with self.lock:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            return list(self.updates)


def _same(old: tuple[str, str], new: tuple[str, str]) -> bool:
    """Telegram compares the message as shown: its text, and its markup as data."""
    markups = [json.loads(m) if m else {} for m in (old[1], new[1])]
    return old[0] == new[0] and markups[0] == markups[1]


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Person"}
    return {"id": chat_id, "type": "supergroup", "title": "Team"}


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str, **parameters: Any) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


async def _params(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    body = await request.body()
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        message = email.parser.BytesParser().parsebytes(
            b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body
        )
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        parts = message.get_payload()
        assert isinstance(parts, list)
        for part in parts:
            assert isinstance(part, email.message.Message)
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            filename = part.get_filename()
            if filename:
                files[str(name)] = (filename, payload)
            else:
                params[str(name)] = payload.decode()
        return params, files
    if kind.startswith("application/json"):
        return (json.loads(body) if body else {}), {}
    return dict(parse_qsl(body.decode())), {}


def build_app(state: FakeTelegram) -> Starlette:
    async def method(request: Request) -> JSONResponse:
        arrived = time.monotonic()  # before the body is read: as Telegram would count
        if request.path_params["token"] != state.token:
            return _error(401, "Unauthorized")
        name = request.path_params["method"]
        params, files = await _params(request)
        call = Call(name, params, files, arrived)
        if name in SEND_METHODS and call.chat_id in state.strangers:
            return _error(403, "Forbidden: bot can't initiate conversation with a user")
        if name in SEND_METHODS and call.chat_id in state.migrated:
            return _error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=state.migrated[call.chat_id],
            )
        held = name in SEND_METHODS and state.hold is not None and state.hold(call)
        if held and not await _held(request, call):
            return _error(500, "the sender hung up")  # nobody reads this
        wait = state.record(call)
        if name == "getUpdates":
            return await _get_updates(params)
        if wait > 0:
            # Telegram's retry_after is a whole number >= 1; a scaled fake keeps
            # milliseconds but never 0, which the client would not read as a wait.
            retry = max(1, math.ceil(wait)) if state.scale >= 1 else max(0.001, round(wait, 3))
            return _error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        return _answer(name, params, files)

    async def _held(request: Request, call: Call) -> bool:
        """Wait for ``release``; False when the sender went away first."""
        with state.lock:
            state.holding.append(call)
        try:
            while not state.release.is_set():
                if await request.is_disconnected():
                    with state.lock:
                        state.abandoned.append(call)
                    return False
                await asyncio.sleep(0.01)  # the fake's own poll, as in getUpdates
            return True
        finally:
            with state.lock:
                state.holding.remove(call)

    async def _get_updates(params: dict[str, Any]) -> JSONResponse:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        while True:
            updates = state.take_updates(offset)
            if updates or time.monotonic() >= deadline:
                return _ok(updates)
            await asyncio.sleep(0.02)

    def _answer(name: str, params: dict[str, Any], files: dict[str, Any]) -> JSONResponse:
        if name == "getMe":
            return _ok(
                {
                    "id": state.bot_id,
                    "is_bot": True,
                    "first_name": "MeetBridge",
                    "username": state.username,
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,  # privacy mode on
                    "supports_inline_queries": False,
                }
            )
        if name in SEND_METHODS:
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": state.message_id(),
                "date": int(time.time()),
                "chat": _chat(chat_id),
                "from": {"id": state.bot_id, "is_bot": True, "first_name": "MeetBridge"},
            }
            if name == "sendMessage":
                message["text"] = params.get("text", "")
                with state.lock:
                    state.messages[chat_id, message["message_id"]] = (
                        str(params.get("text", "")),
                        str(params.get("reply_markup") or ""),
                    )
            else:
                filename = next(iter(files.values()))[0] if files else "file"
                message["document"] = {
                    "file_id": "f1",
                    "file_unique_id": "u1",
                    "file_name": filename,
                }
            return _ok(message)
        if name == "editMessageText":
            refused = state.edit(params)
            if refused is not None:
                return _error(400, refused)
            chat_id = int(params["chat_id"])
            return _ok(
                {
                    "message_id": int(params["message_id"]),
                    "date": int(time.time()),
                    "edit_date": int(time.time()),
                    "chat": _chat(chat_id),
                    "from": {"id": state.bot_id, "is_bot": True, "first_name": "MeetBridge"},
                    "text": params.get("text", ""),
                }
            )
        if name == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            with state.lock:
                admin = user_id in state.admins.get(chat_id, set())
            user = {"id": user_id, "is_bot": False, "first_name": "Member"}
            if admin:
                return _ok(
                    {
                        "status": "administrator",
                        "user": user,
                        "can_be_edited": False,
                        "is_anonymous": False,
                        "can_manage_chat": True,
                        "can_delete_messages": True,
                        "can_manage_video_chats": True,
                        "can_restrict_members": True,
                        "can_promote_members": False,
                        "can_change_info": True,
                        "can_invite_users": True,
                        "can_post_stories": False,
                        "can_edit_stories": False,
                        "can_delete_stories": False,
                    }
                )
            return _ok({"status": "member", "user": user})
        if name == "setWebhook":
            with state.lock:
                state.webhook_url = str(params.get("url", ""))
            return _ok(True)
        if name == "deleteWebhook":
            with state.lock:
                state.webhook_url = ""
            return _ok(True)
        if name == "getWebhookInfo":
            with state.lock:
                info: dict[str, Any] = {
                    "url": state.webhook_url,
                    "has_custom_certificate": False,
                    "pending_update_count": state.pending_updates,
                }
                if state.last_error_date is not None:
                    info["last_error_date"] = state.last_error_date
                    info["last_error_message"] = state.last_error_message or ""
            return _ok(info)
        # setMyCommands, answerCallbackQuery, ...
        return _ok(True)

    return Starlette(routes=[Route("/bot{token}/{method}", method, methods=["GET", "POST"])])


class FakeTelegramServer(LoopbackServer):
    """Serves a ``FakeTelegram`` from a background thread on a free loopback port."""

    def __init__(self, state: FakeTelegram | None = None) -> None:
        self.state = state or FakeTelegram()
        # A deep backlog: bursts open a connection per send in flight.
        super().__init__(lambda: build_app(self.state), name="fake Bot API", backlog=256)

    @property
    def url(self) -> str:
        return self.base_url


# ---- updates as Telegram sends them -------------------------------------------


def person(
    user_id: int, username: str | None, *, lang: str = "en", name: str = ""
) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": name or (username or "Person").title(),
        "language_code": lang,
    }
    if username:
        user["username"] = username
    return user


def message_update(
    text: str,
    *,
    chat_id: int,
    sender: dict[str, Any],
    entities: list[dict[str, Any]] | None = None,
    message_id: int = 1,
    sender_chat: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message with its leading /command marked, as Telegram marks it.
    ``sender_chat``: posted on behalf of that chat (a channel, or the group
    itself for an anonymous admin); ``sender`` is then Telegram's stand-in."""
    command = text.split(maxsplit=1)[0] if text.startswith("/") else ""
    marked = [{"type": "bot_command", "offset": 0, "length": len(command)}] if command else []
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": _chat(chat_id) if chat_id < 0 else {**_chat(chat_id), "id": chat_id},
        "from": sender,
        "text": text,
        "entities": marked + (entities or []),
    }
    if sender_chat is not None:
        message["sender_chat"] = sender_chat
    return {"message": message}


# Telegram's stand-ins for messages sent on behalf of a chat.
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


def channel(chat_id: int, title: str) -> dict[str, Any]:
    return {"id": chat_id, "type": "channel", "title": title}


def callback_update(
    data: str, *, message: dict[str, Any], sender: dict[str, Any], query_id: str = "q1"
) -> dict[str, Any]:
    """A press on a button of ``message`` (a message the bot sent)."""
    return {
        "callback_query": {
            "id": query_id,
            "from": sender,
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
    }


def bot_message(call: Call, state: FakeTelegram) -> dict[str, Any]:
    """The message a ``sendMessage`` call produced, as a callback carries it."""
    return {
        "message_id": 1,
        "date": int(time.time()),
        "chat": _chat(call.chat_id),
        "from": {"id": state.bot_id, "is_bot": True, "first_name": "MeetBridge"},
        "text": call.text,
    }
