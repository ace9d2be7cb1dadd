"""Running the chat sandbox on a free loopback port, and acting in it as its
people: say something, press a button, drop the bot's connection."""

from __future__ import annotations

from typing import Any

from adapters.loopback import LoopbackServer
from adapters.trueconf_chat.sandbox.app import build_app
from adapters.trueconf_chat.sandbox.hub import Hub
from adapters.trueconf_chat.sandbox.state import BOT_LOGIN, ChatSandboxState, StoredMessage


class ChatSandboxServer(LoopbackServer):
    """``with ChatSandboxServer() as chat:`` (or ``async with``)::

    room = chat.state.group("Team", ["alice", "bob"])
    chat.say("alice", room, "/meet now Sync")
    card = chat.state.wait_for(lambda ms: [m for m in ms if m.author == BOT_LOGIN])
    """

    def __init__(self, state: ChatSandboxState | None = None, **state_options: Any) -> None:
        if state is not None and state_options:
            raise TypeError("pass either a ChatSandboxState or its options, not both")
        self.state = state or ChatSandboxState(**state_options)
        self.hub = Hub(self.state)
        super().__init__(
            lambda: build_app(self.hub), name="trueconf-chat-sandbox", ws="websockets-sansio"
        )

    @property
    def bot_login(self) -> str:
        return BOT_LOGIN

    @property
    def bot_password(self) -> str:
        return self.state.bot_password

    def say(
        self, login: str, chat_id: str, text: str, *, parse_mode: str = "text"
    ) -> StoredMessage:
        """``login`` writes ``text`` in ``chat_id``; the bot gets it if
        connected. Clients send mentions as ``html`` links (``mention``)."""
        message = self.state.post(chat_id, login, text, parse_mode=parse_mode)
        self.hub.deliver(message)
        return message

    def say_unseen(self, login: str, chat_id: str, text: str) -> StoredMessage:
        """``login`` writes ``text``, and the server counts it as delivered
        though no connection of the bot handled it (one that was dying when
        it was pushed): only the chat's history has it. GUESS: what a server
        does with a push its connection dropped."""
        message = self.state.post(chat_id, login, text)
        self.state.mark_read(message.id)
        return message

    def say_privately(self, login: str, text: str) -> StoredMessage:
        """``login`` writes to the bot in their personal chat with it."""
        return self.say(login, self.state.personal(BOT_LOGIN, login), text)

    def press(self, login: str, message: StoredMessage, label: str) -> str | None:
        """``login`` presses the button ``label`` of ``message``: a command
        button reaches the bot (without the presser, as on the real server);
        a message button makes ``login`` send its text (GUESS: what clients
        do); a url button opens its url, which is returned."""
        current = self.state.message(message.id)
        button = current.button(label)
        match button["type"]:
            case "command":
                self.hub.press(current, button)
            case "message":
                self.say(login, current.chat_id, str(button["message"]))
            case "url":
                return str(button["url"])
        return None

    def mention(self, login: str) -> str:
        """How a client writes a mention of ``login`` (in an ``html`` message)."""
        name = self.state.names.get(login, login)
        return f'<a href="trueconf:{self.state.user_id(login)}">{name}</a>'

    def drop_connections(self) -> int:
        return self.hub.drop_all()
