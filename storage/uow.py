"""One database transaction over every repository: the core's ``UnitOfWork``."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.live.port import LiveCards
from bot.ports import (
    ActionLedger,
    AuditLog,
    ChatMoves,
    ChatSettingsRepository,
    CommandReads,
    DeliveryLog,
    MeetingRepository,
    PlainLineHints,
    PrivateParcels,
    UserLinkRepository,
)
from storage.db import autocommit_sessions
from storage.errors import ConflictError
from storage.repositories import (
    SqlActionLedger,
    SqlAuditLog,
    SqlChatMoves,
    SqlChatSettingsRepository,
    SqlDeliveryLog,
    SqlLiveCards,
    SqlMeetingRepository,
    SqlPlainLineHints,
    SqlPrivateParcels,
    SqlUserLinkRepository,
)
from storage.repositories.context import SqlCommandReads


class SqlUnitOfWork:
    """``async with uow: …; await uow.commit()``. Leaving the block without
    ``commit()`` (or with an exception) rolls back. Used once."""

    meetings: MeetingRepository
    links: UserLinkRepository
    context: CommandReads
    chat_settings: ChatSettingsRepository
    chats: ChatMoves
    audit: AuditLog
    deliveries: DeliveryLog
    hints: PlainLineHints
    ledger: ActionLedger
    parcels: PrivateParcels
    live: LiveCards

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        fused: bool = True,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._fused = fused
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is entered once; ask the factory for another")
        session = self._session = self._session_factory()
        self.meetings = SqlMeetingRepository(session, self._clock, fused=self._fused)
        self.links = SqlUserLinkRepository(session, self._clock)
        self.context = SqlCommandReads(session, self._clock, fused=self._fused)
        self.chat_settings = SqlChatSettingsRepository(session, self._clock)
        self.chats = SqlChatMoves(session)
        self.audit = SqlAuditLog(session, self._clock)
        self.deliveries = SqlDeliveryLog(session, self._clock)
        self.hints = SqlPlainLineHints(session, self._clock)
        self.ledger = SqlActionLedger(session, self._clock)
        self.parcels = SqlPrivateParcels(session)
        self.live = SqlLiveCards(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._require_session()
        try:
            await session.rollback()  # anything not committed is dropped
        finally:
            await session.close()

    async def commit(self) -> None:
        try:
            await self._require_session().commit()
        except IntegrityError as exc:
            raise ConflictError("the change conflicts with data already stored") from exc

    def _require_session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside 'async with'")
        return self._session


class SqlUnitOfWorkFactory:
    """The core's ``UnitOfWorkFactory``: each call gives a fresh unit of work.

    ``fused`` (the default): a command's reads (settings and links) are one
    statement, and a new meeting with its invitees, ledger rows and audit line
    is one statement on PostgreSQL. ``fused=False`` runs the same work as the
    separate statements it is made of (kept to show both store the same)."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        clock: Clock | None = None,
        fused: bool = True,
    ) -> None:
        self._session_factory = session_factory
        self._autocommit = autocommit_sessions(session_factory)
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._fused = fused

    def __call__(self, *, transaction: bool = True) -> SqlUnitOfWork:
        factory = self._session_factory if transaction else self._autocommit
        return SqlUnitOfWork(factory, self._clock, fused=self._fused)
