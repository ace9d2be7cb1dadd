"""User links, chat settings and the audit log, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import ChatRef, UserRef
from bot.clock import FrozenClock
from bot.ports import ChatSettings
from storage.models import AuditRow, UserLinkRow
from storage.uow import SqlUnitOfWorkFactory

BOB = UserRef("slack", "T0001", "U0BOB", "Bob")
BOB_OTHER_WORKSPACE = UserRef("slack", "T0002", "U0BOB", "Bob")
BOB_TELEGRAM = UserRef("telegram", "T0001", "U0BOB")


async def test_links_set_get_and_remove(uow_factory: SqlUnitOfWorkFactory, alice: UserRef) -> None:
    async with uow_factory() as uow:
        assert await uow.links.get(BOB) is None
        await uow.links.set(BOB, "bob.b", linked_by=BOB)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.links.get(BOB) == "bob.b"
        assert await uow.links.get(UserRef("slack", "T0001", "U0BOB", "renamed")) == "bob.b"
        assert await uow.links.remove(BOB) is True
        assert await uow.links.remove(BOB) is False
        assert await uow.links.get(BOB) is None
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.links.get(BOB) is None
        assert await uow.links.get(alice) is None


async def test_link_is_unique_per_platform_workspace_and_user(
    uow_factory: SqlUnitOfWorkFactory,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    alice: UserRef,
) -> None:
    async with uow_factory() as uow:
        await uow.links.set(BOB, "bob.old", linked_by=BOB)
        await uow.links.set(BOB_OTHER_WORKSPACE, "bob.t2", linked_by=BOB_OTHER_WORKSPACE)
        await uow.links.set(BOB_TELEGRAM, "bob.tg", linked_by=BOB_TELEGRAM)
        await uow.commit()
    clock.advance(timedelta(hours=1))
    async with uow_factory() as uow:
        await uow.links.set(BOB, "bob.new", linked_by=alice)  # re-link replaces, never duplicates
        await uow.commit()

    async with uow_factory() as uow:
        logins = [await uow.links.get(u) for u in (BOB, BOB_OTHER_WORKSPACE, BOB_TELEGRAM)]
    async with session_factory() as session:
        rows = (
            await session.scalars(select(UserLinkRow).where(UserLinkRow.workspace_id == "T0001"))
        ).all()
    assert logins == ["bob.new", "bob.t2", "bob.tg"]
    bob_rows = [r for r in rows if r.platform == "slack"]
    assert len(bob_rows) == 1
    assert bob_rows[0].linked_by == alice.key
    assert bob_rows[0].linked_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


async def test_chat_settings_default_to_none_and_save_replaces(
    uow_factory: SqlUnitOfWorkFactory, chat: ChatRef, other_chat: ChatRef
) -> None:
    async with uow_factory() as uow:
        assert await uow.chat_settings.get(chat) == ChatSettings()
        await uow.chat_settings.save(chat, ChatSettings(zone="Europe/Moscow", lang="ru"))
        await uow.commit()
    async with uow_factory() as uow:
        first = await uow.chat_settings.get(chat)
        untouched = await uow.chat_settings.get(other_chat)
        await uow.chat_settings.save(chat, ChatSettings(zone=None, lang="en", backend="callaba"))
        await uow.commit()
    async with uow_factory() as uow:
        second = await uow.chat_settings.get(chat)
    assert first == ChatSettings(zone="Europe/Moscow", lang="ru", backend=None)
    assert untouched == ChatSettings()
    assert second == ChatSettings(zone=None, lang="en", backend="callaba")


async def test_audit_records_are_stored_with_the_clock_time(
    uow_factory: SqlUnitOfWorkFactory,
    session_factory: async_sessionmaker[AsyncSession],
    chat: ChatRef,
    alice: UserRef,
) -> None:
    async with uow_factory() as uow:
        await uow.audit.record(chat=chat, user=alice, command="create", outcome="ok", detail="#1")
        await uow.audit.record(chat=chat, user=alice, command="cancel", outcome="not_found")
        await uow.commit()
    async with session_factory() as session:
        rows = (await session.scalars(select(AuditRow).order_by(AuditRow.id))).all()
    assert [(r.command, r.outcome, r.detail) for r in rows] == [
        ("create", "ok", "#1"),
        ("cancel", "not_found", ""),
    ]
    assert {(r.chat_key, r.user_key) for r in rows} == {(chat.key, alice.key)}
    assert all(r.at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC) for r in rows)
    assert all(r.at.tzinfo is UTC for r in rows)
