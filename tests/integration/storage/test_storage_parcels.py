"""Private parcels (the Telegram hand-over), on both databases: handed over
once, only to their recipient, only before they expire."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.chat import UserRef
from storage.uow import SqlUnitOfWorkFactory

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
PAT = UserRef("telegram", "77", "501", "pat")
EVE = UserRef("telegram", "77", "666", "eve")


async def _put(uow_factory: SqlUnitOfWorkFactory, key: str, expires: datetime) -> None:
    async with uow_factory() as uow:
        await uow.parcels.put(key, PAT, '["the guest link"]', expires)
        await uow.commit()


async def _take(
    uow_factory: SqlUnitOfWorkFactory, key: str, who: UserRef, now: datetime
) -> str | None:
    async with uow_factory() as uow:
        payload = await uow.parcels.take(key, who, now)
        await uow.commit()
    return payload


async def test_a_parcel_goes_to_its_recipient_once(uow_factory: SqlUnitOfWorkFactory) -> None:
    await _put(uow_factory, "k1", NOW + timedelta(minutes=10))
    assert await _take(uow_factory, "k1", EVE, NOW) is None  # someone else: nothing
    assert await _take(uow_factory, "k1", PAT, NOW) == '["the guest link"]'
    assert await _take(uow_factory, "k1", PAT, NOW) is None  # once


async def test_an_expired_parcel_is_not_handed_over_and_is_dropped(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    await _put(uow_factory, "old", NOW)
    await _put(uow_factory, "new", NOW + timedelta(minutes=10))
    assert await _take(uow_factory, "old", PAT, NOW) is None
    async with uow_factory() as uow:
        assert await uow.parcels.drop_expired(NOW) == 1
        await uow.commit()
    assert await _take(uow_factory, "new", PAT, NOW) == '["the guest link"]'


async def test_two_takes_at_once_hand_it_over_once(uow_factory: SqlUnitOfWorkFactory) -> None:
    await _put(uow_factory, "race", NOW + timedelta(minutes=10))
    taken = await asyncio.gather(*(_take(uow_factory, "race", PAT, NOW) for _ in range(4)))
    assert taken.count('["the guest link"]') == 1
