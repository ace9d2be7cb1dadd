"""The bot's WebSocket connections and what the sandbox pushes to them.

A push is a request, ``{"type": 1, "id", "method", "payload"}``, which the
library acknowledges with ``{"type": 2, "id"}``. Pushes may be made from any
thread: each connection takes them on its own loop.

A message for the bot while none of its connections is authorized stays
unread; a connection that authorizes with ``receiveUnread`` gets them right
after the answer to ``auth`` (GUESS: the order is not documented).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from adapters.trueconf_chat.sandbox.state import BOT_LOGIN, ChatSandboxState, StoredMessage
from adapters.trueconf_chat.sandbox.wire import envelope

CLOSE = object()


@dataclass(eq=False)
class Connection:
    id: str
    loop: asyncio.AbstractEventLoop
    outbox: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    login: str | None = None  # set once authorized
    wants_unread: bool = False
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000))

    def put(self, item: Any) -> None:
        self.loop.call_soon_threadsafe(self.outbox.put_nowait, item)

    def push(self, method: str, payload: dict[str, Any]) -> None:
        self.put({"type": 1, "id": next(self._ids), "method": method, "payload": payload})


class Hub:
    def __init__(self, state: ChatSandboxState) -> None:
        self.state = state
        self._lock = threading.Lock()
        self._connections: set[Connection] = set()
        self._ids = itertools.count(1)
        self.connects = 0  # connections opened so far
        self.most_bots = 0  # the most connections the bot had authorized at once
        # The bot's connections in the order they authorized (their ids, as
        # the messages sent over them name them).
        self.bot_connections: list[str] = []

    def open(self, loop: asyncio.AbstractEventLoop) -> Connection:
        with self._lock:
            self.connects += 1
            connection = Connection(f"conn-{next(self._ids)}", loop)
            self._connections.add(connection)
            return connection

    def close(self, connection: Connection) -> None:
        with self._lock:
            self._connections.discard(connection)
        self.state.changed()

    def _bots(self) -> list[Connection]:
        with self._lock:
            return [c for c in self._connections if c.login == BOT_LOGIN]

    @property
    def bot_online(self) -> bool:
        return bool(self._bots())

    def authorized(self, connection: Connection) -> None:
        """After the answer to ``auth``: what waited, when asked for."""
        if connection.login == BOT_LOGIN:
            with self._lock:
                self.bot_connections.append(connection.id)
        self.most_bots = max(self.most_bots, len(self._bots()))
        self.state.changed()
        if connection.login == BOT_LOGIN and connection.wants_unread:
            for message in self.state.take_unread():
                connection.push("sendMessage", envelope(self.state, message))

    def deliver(self, message: StoredMessage) -> None:
        """A person's message to every connection of the bot; unread without one."""
        bots = self._bots()
        if not bots:
            return
        self.state.mark_read(message.id)
        for connection in bots:
            connection.push("sendMessage", envelope(self.state, message))

    def press(self, message: StoredMessage, button: dict[str, Any]) -> None:
        """A command button pressed. As in server 5.5.6 the event names the
        message and the button's command, not who pressed it, and carries no
        ``commandId``. GUESS: the ``type`` values."""
        payload = {
            "commandSource": {
                "type": "button",
                "message": envelope(self.state, message),
                "buttonId": button.get("id"),
            },
            "commandPayload": {
                "type": "command",
                "command": button["command"],
                "customData": button.get("customData"),
            },
        }
        for connection in self._bots():
            connection.push("command", payload)

    def drop_all(self) -> int:
        """Close every connection, as a server restart does; how many there were."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.put(CLOSE)
        return len(connections)
