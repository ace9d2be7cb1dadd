"""What the core pushes to on its own initiative: messengers, and the public
links of the bridge's calendar files."""

from __future__ import annotations

from typing import Protocol

from bot.chat import ChatRef, Platform
from bot.meeting import Meeting
from bot.reply import Capabilities, Reply


class Messenger(Protocol):
    """Posts into a chat on the bridge's own initiative (reminders), not as the
    answer to a command. Raises ``bot.errors.DeliveryError`` when the message
    was not taken."""

    @property
    def platform(self) -> Platform: ...

    @property
    def capabilities(self) -> Capabilities:
        """What its messages can show: pushed messages are rendered with it."""
        ...

    @property
    def deliverable(self) -> bool:
        """Whether this process can post through it now. A messenger whose
        one connection another process holds (or that is still connecting)
        is not: the ledger rows for its chats are left to the process that
        can (``Messengers.deliverable``), and its ``send`` refuses."""
        ...

    async def send(self, chat: ChatRef, reply: Reply) -> None: ...

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        """Change a message it posted (the live card), where ``capabilities.edits``.
        Raises ``DeliveryError``: ``permanent`` when the message can no longer
        be edited (deleted), with ``retry_after`` when rate limited."""
        ...


class CalendarFeeds(Protocol):
    """Signed https links to the bridge's own .ics file of a meeting, under
    PUBLIC_URL; the link stays the same while the meeting changes."""

    def ics_url(self, meeting: Meeting) -> str: ...
