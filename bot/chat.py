"""Who said something, and where: neutral references to chats and people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Platform = Literal["console", "slack", "telegram"]
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
