"""The link requests still open to a TrueConf question, as the process that
holds the bot's connection reads them: a Slack or Telegram person's pending
``/meet link <login>`` made within ``CONFIRM_WITHIN``. Whichever replica took
the request, the holder puts the question (once: ``Confirmations.ask``), so
no other process needs a connection of its own. The table is the storage's
(``user_links``); the adapter reads it through the bridge's database pool,
as the connection lease does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, String, select, table
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.trueconf_chat.confirm import CONFIRM_WITHIN
from adapters.trueconf_chat.inbound import PLATFORM
from bot.chat import UserRef

LINKS = table(
    "user_links",
    Column("platform", String(16)),
    Column("workspace_id", String(100)),
    Column("user_id", String(100)),
    Column("login", String(255)),
    Column("status", String(16)),
    Column("linked_at", DateTime(timezone=True)),
    Column("handle", String(100)),
    Column("display_name", String(255)),
)
# At most this many questions are put per round (a flood waits its turn).
BATCH = 50


class OpenRequests:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def recent(self, now: datetime, settled: timedelta) -> list[tuple[UserRef, str]]:
        """The requesters and the logins they asked for, oldest first; only
        requests at least ``settled`` old (the process that took one asks at
        once if it holds the connection: not twice at the same moment)."""
        since = (now - CONFIRM_WITHIN).astimezone(UTC)
        before = (now - settled).astimezone(UTC)
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                select(LINKS)
                .where(
                    LINKS.c.status == "pending",
                    LINKS.c.platform != PLATFORM,
                    LINKS.c.linked_at >= since,
                    LINKS.c.linked_at <= before,
                )
                .order_by(LINKS.c.linked_at)
                .limit(BATCH)
            )
            return [
                (
                    UserRef(
                        row.platform,
                        row.workspace_id,
                        row.user_id,
                        row.display_name or "",
                        handle=row.handle or "",
                    ),
                    row.login,
                )
                for row in rows
            ]
