"""The chat sandbox's memory: accounts and their tokens, chats, messages and
files. Every method may be called from any thread (the server's loop, a test,
the demo's console): one lock guards it all, and a condition wakes whoever
waits for a message to appear.

The accounts are the TrueConf sandbox's people (password = login, a sandbox
only) and the bot's own account, whose password is made fresh each time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from adapters.trueconf.sandbox import DEFAULT_USERS, SandboxUser

DOMAIN = "trueconf.sandbox"
BOT_LOGIN = "meetbot"
BOT_NAME = "Meeting bot"
# What /api/v4/server reports; the library refuses servers before 5.5.
SERVER_VERSION = "5.5.6.1"
MAX_TEXT = 4096
MAX_FILE = 10 * 1024 * 1024

P2P, GROUP = 1, 2  # the API's chatType values
PLAIN_MESSAGE, ATTACHMENT = 200, 202  # envelope types


class SandboxError(Exception):
    """A refusal as the API gives it: ``{"errorCode": code}``."""

    def __init__(self, code: int, detail: str = "") -> None:
        super().__init__(f"[{code}] {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class StoredFile:
    id: str
    name: str
    mime_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: str
    chat_id: str
    author: str  # a login
    timestamp: int  # milliseconds
    text: str = ""
    parse_mode: str = "text"
    # Rows of buttons as the bot sent them (label, type, url/command/...).
    buttons: tuple[tuple[dict[str, Any], ...], ...] = ()
    reply_to: str | None = None
    edited: bool = False
    file: StoredFile | None = None
    edits: int = 0
    # The connection it was sent over, and each edit's: which process of the
    # bridge's spoke (empty for what the sandbox itself posts).
    sent_over: str = ""
    edited_over: tuple[str, ...] = ()

    def button(self, label: str) -> dict[str, Any]:
        for row in self.buttons:
            for button in row:
                if button.get("label") == label:
                    return button
        raise LookupError(f"no button {label!r} on message {self.id}: {self.labels()}")

    def labels(self) -> list[str]:
        return [str(b.get("label")) for row in self.buttons for b in row]


@dataclass(slots=True)
class Chat:
    id: str
    title: str
    type: int
    members: list[str]
    admins: set[str] = field(default_factory=set)


class ChatSandboxState:
    def __init__(
        self,
        users: Iterable[SandboxUser] = DEFAULT_USERS,
        *,
        clock: Callable[[], float] = time.time,
        token_lifetime: float = 3600.0,
    ) -> None:
        self.clock = clock
        self.token_lifetime = token_lifetime
        self.bot_password = secrets.token_urlsafe(16)
        self.names: dict[str, str] = {u.login: u.display_name for u in users}
        self.names[BOT_LOGIN] = BOT_NAME
        self._passwords = {login: login for login in self.names}
        self._passwords[BOT_LOGIN] = self.bot_password
        self._key = secrets.token_bytes(32)
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self.chats: dict[str, Chat] = {}
        self._messages: dict[str, StoredMessage] = {}
        self._order: list[str] = []
        self._uploads: dict[str, tuple[str, int]] = {}  # task -> (name, size)
        self._temporal: dict[str, StoredFile] = {}
        # Messages for the bot not yet pushed to a connection of its.
        self.unread: list[str] = []
        self.calls: list[str] = []  # every method the bot called, in order

    # ---- accounts -----------------------------------------------------------

    def user_id(self, login: str) -> str:
        """``alice@trueconf.sandbox``; an account of another server
        (``mallory@other.example``, reaching the bot through federation) as given."""
        return login if "@" in login else f"{login}@{DOMAIN}"

    def login_of(self, user_id: str) -> str | None:
        """``alice`` or ``alice@trueconf.sandbox``; ``None`` for anyone else."""
        login, _, domain = user_id.partition("@")
        if domain and domain.split("/")[0] != DOMAIN:
            return None
        return login if login in self.names else None

    def issue_token(self, login: str, password: str) -> str | None:
        if login not in self._passwords or not hmac.compare_digest(
            self._passwords[login].encode(), password.encode()
        ):
            return None
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {"sub": login, "exp": int(self.clock() + self.token_lifetime)}
        body = _b64(json.dumps(claims).encode())
        signature = hmac.new(self._key, f"{header}.{body}".encode(), hashlib.sha256).digest()
        return f"{header}.{body}.{_b64(signature)}"

    def token_login(self, token: Any) -> str:
        """The account a token was issued to; 201 for a token not ours, 203
        for an expired one."""
        if not isinstance(token, str) or token.count(".") != 2:
            raise SandboxError(201, "not a token")
        header, body, signature = token.split(".")
        expected = hmac.new(self._key, f"{header}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(_b64(expected), signature):
            raise SandboxError(201, "not signed here")
        claims = json.loads(base64.urlsafe_b64decode(body + "=="))
        if claims["exp"] <= self.clock():
            raise SandboxError(203, "expired")
        return str(claims["sub"])

    # ---- chats ----------------------------------------------------------------

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def group(self, title: str, members: Iterable[str], *, admins: Iterable[str] = ()) -> str:
        """A group chat of ``members`` (logins) with the bot in it; its id."""
        with self._lock:
            chat_id = self._next("group-")
            people = [*dict.fromkeys([*members, BOT_LOGIN])]
            self.chats[chat_id] = Chat(chat_id, title, GROUP, people, set(admins))
            return chat_id

    def personal(self, a: str, b: str) -> str:
        """The one personal chat of two accounts, made on first use."""
        with self._lock:
            for chat in self.chats.values():
                if chat.type == P2P and set(chat.members) == {a, b}:
                    return chat.id
            chat_id = self._next("p2p-")
            title = self.names.get(b if a == BOT_LOGIN else a, b)
            self.chats[chat_id] = Chat(chat_id, title, P2P, [a, b])
            return chat_id

    def chat(self, chat_id: Any, member: str) -> Chat:
        with self._lock:
            chat = self.chats.get(chat_id) if isinstance(chat_id, str) else None
            if chat is None:
                raise SandboxError(304, "no such chat")
            if member not in chat.members:
                raise SandboxError(305, "not a participant")
            return chat

    # ---- messages ---------------------------------------------------------------

    def post(
        self,
        chat_id: str,
        author: str,
        text: str = "",
        *,
        parse_mode: str = "text",
        buttons: tuple[tuple[dict[str, Any], ...], ...] = (),
        reply_to: str | None = None,
        file: StoredFile | None = None,
        connection: str = "",
    ) -> StoredMessage:
        chat = self.chat(chat_id, author)
        with self._lock:
            message = StoredMessage(
                id=self._next("msg-"),
                chat_id=chat.id,
                author=author,
                timestamp=int(self.clock() * 1000),
                text=text,
                parse_mode=parse_mode,
                buttons=buttons,
                reply_to=reply_to,
                file=file,
                sent_over=connection,
            )
            self._messages[message.id] = message
            self._order.append(message.id)
            if author != BOT_LOGIN and BOT_LOGIN in chat.members:
                self.unread.append(message.id)
            self._lock.notify_all()
            return message

    def edit(
        self,
        message_id: Any,
        by: str,
        text: str,
        parse_mode: str,
        buttons: tuple[tuple[dict[str, Any], ...], ...],
        *,
        connection: str = "",
    ) -> StoredMessage:
        with self._lock:
            old = self._messages.get(message_id) if isinstance(message_id, str) else None
            if old is None:
                raise SandboxError(306, "no such message")
            if old.author != by:
                raise SandboxError(303, "only the author edits a message")
            new = replace(
                old,
                text=text,
                parse_mode=parse_mode,
                buttons=buttons,
                edited=True,
                edits=old.edits + 1,
                edited_over=(*old.edited_over, connection),
            )
            self._messages[new.id] = new
            self._lock.notify_all()
            return new

    def message(self, message_id: Any) -> StoredMessage:
        with self._lock:
            found = self._messages.get(message_id) if isinstance(message_id, str) else None
            if found is None:
                raise SandboxError(306, "no such message")
            return found

    def messages(self, chat_id: str | None = None) -> list[StoredMessage]:
        with self._lock:
            every = (self._messages[i] for i in self._order)
            return [m for m in every if chat_id is None or m.chat_id == chat_id]

    def take_unread(self) -> list[StoredMessage]:
        with self._lock:
            taken = [self._messages[i] for i in self.unread]
            self.unread.clear()
            return taken

    def mark_read(self, message_id: str) -> None:
        with self._lock:
            if message_id in self.unread:
                self.unread.remove(message_id)

    def changed(self) -> None:
        """Wake whoever waits (a connection came or went)."""
        with self._lock:
            self._lock.notify_all()

    def wait_for(self, found: Callable[[list[StoredMessage]], Any], timeout: float = 10.0) -> Any:
        """What ``found`` returns of all messages once it returns something
        true; ``TimeoutError`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                result = found([self._messages[i] for i in self._order])
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the awaited message did not appear")
                self._lock.wait(left)

    # ---- files ------------------------------------------------------------------

    def upload_task(self, name: Any, size: Any) -> str:
        if not isinstance(name, str) or not name or not isinstance(size, int) or size <= 0:
            raise SandboxError(399, "fileName and fileSize are required")
        if size > MAX_FILE:
            raise SandboxError(406, "too large")
        with self._lock:
            task = self._next("upload-")
            self._uploads[task] = (name, size)
            return task

    def upload(self, task: str, name: str, mime_type: str, content: bytes) -> str:
        with self._lock:
            declared = self._uploads.pop(task, None)
            if declared is None:
                raise SandboxError(407, "no such upload task")
            if declared[1] != len(content):
                raise SandboxError(408, "the size differs from the one declared")
            temporal = self._next("tmp-")
            self._temporal[temporal] = StoredFile(self._next("file-"), name, mime_type, content)
            return temporal

    def take_upload(self, temporal: Any) -> StoredFile:
        with self._lock:
            found = self._temporal.pop(temporal, None) if isinstance(temporal, str) else None
            if found is None:
                raise SandboxError(308, "no such uploaded file")
            return found


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
