"""Where the bridge keeps each watched meeting's card and what it has seen.
(What a server tells of a conference's life is a backend capability:
``bot.ports.backend.ConferenceActivity``.)"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.live.model import LiveRecord


class LiveCards(Protocol):
    """Each meeting's card and live state (joins the unit of work)."""

    async def get(self, meeting_id: int) -> LiveRecord | None: ...

    async def get_many(self, meeting_ids: Collection[int]) -> dict[int, LiveRecord]:
        """``get`` for many in one read: the watched ones by meeting id."""
        ...

    async def save(self, record: LiveRecord) -> None:
        """Insert the meeting's record, or replace what a poll moves on (its
        card's message id stays: ``set_card`` alone changes it, so a poll that
        read the record before the card was posted cannot forget it)."""
        ...

    async def save_turn(self, record: LiveRecord, turn: datetime) -> bool:
        """``save`` by the poll that took its turn at ``turn``, only while no
        later poll has taken one; ``False``: a later poll (which read the
        record before this one wrote it) has it, and this one's older
        record is not written over what that one saw."""
        ...

    async def set_card(self, meeting_id: int, message_id: str) -> bool:
        """Where the card is now (``""``: nowhere editable); ``False`` when the
        meeting is not watched."""
        ...

    async def take_turn(self, meeting_id: int, now: datetime, not_since: datetime) -> bool:
        """Mark the meeting polled at ``now`` unless it was polled after
        ``not_since``; ``False``: someone else polled it, so this poll is
        not made (a second poller of one meeting stops here)."""
        ...
