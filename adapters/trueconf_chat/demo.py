"""``meetbridge demo --messenger trueconf_chat``: a group chat of the chat
sandbox's people with the bot in it, in the console.

What you type is said in the chat by the person you are (``/as bob`` to be
someone else); the bot runs through the real library against the sandbox,
and every message it posts (in the group, or privately to someone) is shown
with its buttons. ``/dm`` talks to the bot privately, ``/group`` back;
``/press <label>`` presses a button of the bot's last message here.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from html import unescape
from typing import TextIO

from adapters.edge import Wiring
from adapters.trueconf_chat.component import TrueConfChatComponent
from adapters.trueconf_chat.config import TrueConfChatConfig, TrueConfChatSettings
from adapters.trueconf_chat.handlers import ChatBridge, Handlers
from adapters.trueconf_chat.sandbox import BOT_LOGIN, ChatSandboxServer, StoredMessage
from bot.settings import SANDBOX

BANNER = (
    "meetbridge demo: TrueConf chat (the built-in chat-bot sandbox). You are {user} in "
    "the group 'Team' with {people} and the bot.\n"
    "Type /meet help. /as <name>: be someone else; /dm: talk to the bot privately, "
    "/group: back; /press <label>: press a button; /quit."
)
ANSWER_WITHIN = 15.0
# What the bot answers in a group (adapters/trueconf_chat/inbound.py): /meet,
# /help, /start, or a line that mentions it.
_FOR_THE_BOT = re.compile(rf"^\s*/(?:meet|help|start)\b|@{BOT_LOGIN}\b", re.I)
_GROUP_HINT = (
    "(no answer: in a group the bot reads only lines that start with /meet: /meet {line}; "
    "/dm talks to it privately)"
)
_TAG = re.compile(r"<[^>]+>")


def _plain(message: StoredMessage) -> str:
    if message.file is not None:
        return f"(file {message.file.name}, {len(message.file.content)} bytes)"
    text = unescape(_TAG.sub("", message.text))
    labels = " ".join(f"[{label}]" for label in message.labels())
    return f"{text}\n  {labels}" if labels else text


class ChatDemo:
    def __init__(self, sandbox: ChatSandboxServer, out: TextIO, user: str) -> None:
        self.sandbox = sandbox
        self.out = out
        people = [login for login in sandbox.state.names if login != BOT_LOGIN]
        self.user = user if user in people else people[0]
        self.people = people
        self.group = sandbox.state.group("Team", people, admins=["admin"])
        self.chat = self.group
        self._shown = 0

    def _title(self, chat_id: str) -> str:
        chat = self.sandbox.state.chats[chat_id]
        return "Team" if chat_id == self.group else f"bot -> {chat.title}"

    def show_new(self) -> int:
        """Print the bot's messages not shown yet; how many there were."""
        messages = self.sandbox.state.messages()
        fresh = [m for m in messages[self._shown :] if m.author == BOT_LOGIN]
        self._shown = len(messages)
        for message in fresh:
            self.out.write(f"[{self._title(message.chat_id)}] {_plain(message)}\n")
        self.out.flush()
        return len(fresh)

    def _bot_spoke_after(self, count: int) -> Callable[[list[StoredMessage]], bool]:
        def spoke(messages: list[StoredMessage]) -> bool:
            return any(m.author == BOT_LOGIN for m in messages[count:])

        return spoke

    async def act(self, line: str) -> bool:
        """One typed line; ``False`` to stop."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        if word in ("/quit", "/exit"):
            return False
        if word == "/as":
            if rest.strip() not in self.people:
                people = ", ".join(self.people)
                self.out.write(f"/as takes one of: {people} (you are {self.user})\n")
                return True
            self.user = rest.strip()
            self.out.write(f"you are {self.user}\n")
            return True
        if word in ("/join", "/leave"):
            self.out.write(f"{word} is the console demo's (make demo); not in this chat\n")
            return True
        if word in ("/dm", "/group"):
            state = self.sandbox.state
            self.chat = state.personal(BOT_LOGIN, self.user) if word == "/dm" else self.group
            self.out.write(f"now in {self._title(self.chat)}\n")
            return True
        before = len(self.sandbox.state.messages())
        if word == "/press" and not rest.strip():
            self.out.write("/press takes a button's label, as shown in [ ]: /press Join\n")
            return True
        if word == "/press":
            if not self._press(rest.strip()):
                return True
        elif self.chat == self.group and not _FOR_THE_BOT.match(line):
            # The bot leaves a group's talk alone: say so now, not after a wait.
            self.sandbox.say(self.user, self.chat, line)
            self.out.write(f"{_GROUP_HINT.format(line=line)}\n")
            return True
        else:
            self.sandbox.say(self.user, self.chat, line)
        try:
            await asyncio.to_thread(
                self.sandbox.state.wait_for, self._bot_spoke_after(before), ANSWER_WITHIN
            )
        except TimeoutError:
            self.out.write("(no answer)\n")
        await asyncio.sleep(0.3)  # the rest of a reply (a file, a private note)
        self.show_new()
        return True

    def _press(self, label: str) -> bool:
        mine = [
            m
            for m in self.sandbox.state.messages(self.chat)
            if m.author == BOT_LOGIN and label in m.labels()
        ]
        if not mine:
            self.out.write(f"no button {label!r} here\n")
            return False
        url = self.sandbox.press(self.user, mine[-1], label)
        if url is not None:
            self.out.write(f"(opens {url})\n")
            return False
        return True


async def run(
    _settings: TrueConfChatSettings,  # the demo runs its own sandbox
    wiring: Wiring,
    *,
    user: str,
    read_line: Callable[[], str],
    out: TextIO,
    interactive: bool,
) -> None:
    config = TrueConfChatConfig(None, "", None, None, None, None)
    bridge = ChatBridge(wiring.service, wiring.deps.uow, SANDBOX, None, wiring.deps.defaults.lang)
    component = TrueConfChatComponent(config, Handlers(bridge), wiring.messengers)
    await component.start()
    try:
        await component.wait_connected()
        sandbox = component.sandbox
        assert sandbox is not None
        demo = ChatDemo(sandbox, out, user)
        if interactive:
            others = ", ".join(p for p in demo.people if p != demo.user)
            out.write(BANNER.format(user=demo.user, people=others) + "\n")
        while True:
            if interactive:
                out.write(f"{demo.user}> ")
                out.flush()
            line = await asyncio.to_thread(read_line)
            if not line or not await demo.act(line):
                break
    finally:
        await component.stop()
