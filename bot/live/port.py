"""Where the bridge keeps each watched meeting's card and what it has seen.
(What a server tells of a conference's life is a backend capability:
``bot.ports.backend.ConferenceActivity``.)"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.live.model import LiveRecord


class LiveCards(Protocol):
    """Each meeting's card and live state (joins the unit of work)."""

    async def get(self, meeting_id: int) -> LiveRecord | None: ...

    async def save(self, record: LiveRecord) -> None:
        """Insert or replace the meeting's record."""
        ...

    async def take_turn(self, meeting_id: int, now: datetime, not_since: datetime) -> bool:
        """Mark the meeting polled at ``now`` unless it was polled after
        ``not_since``; ``False``: someone else polled it, so this poll is
        not made (a second poller of one meeting stops here)."""
        ...
