"""Who said something, and where: neutral references to chats and people."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

# A messenger's name ("slack", "telegram", "console", …): each messenger edge
# brings its own, and the composition root knows which exist.
Platform = str
Lang = Literal["en", "ru"]
LANGS: tuple[Lang, ...] = ("en", "ru")


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A conversation: a Slack channel in a workspace, a Telegram chat, the console."""

    platform: Platform
    workspace_id: str
    chat_id: str

    @property
    def key(self) -> str:
        """A stable string key for storage."""
        return f"{self.platform}:{self.workspace_id}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class UserRef:
    """A person on a messenger platform."""

    platform: Platform
    workspace_id: str
    user_id: str
    display_name: str = ""
    # The unique @name the platform vouches for (a Telegram username), if any:
    # typed ``@name`` mentions find a link through it.
    handle: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.workspace_id}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Mention:
    """An @mention in a command. ``user_id`` is set when the messenger resolved it
    (Slack ``<@U123>``); ``handle`` is what was typed (``alice``)."""

    handle: str
    user_id: str | None = None
    email: str | None = None


class Standing(StrEnum):
    """What the messenger vouches for about the speaker where they spoke. Bot-wide
    powers come from ``BRIDGE_ADMINS`` alone (``bot.policy``), never from here."""

    MEMBER = "member"
    CHAT_ADMIN = "chat_admin"  # administers this chat (a Telegram group)
    WORKSPACE_ADMIN = "workspace_admin"  # administers the workspace (Slack)


class Identity(StrEnum):
    """Who the speaker is, as far as the messenger can tell."""

    PERSON = "person"
    # Posted on behalf of a chat (a Telegram channel, or a group's anonymous
    # admin): the user is that chat, shared by whoever posts as it.
    CHAT = "chat"
    # The messenger cannot tell who acted: reads only.
    UNKNOWN = "unknown"
