"""A messenger delivery is recorded once; its retry is recognised, even across replicas."""

from __future__ import annotations

import asyncio

import pytest

from storage.uow import SqlUnitOfWorkFactory

pytestmark = pytest.mark.timeout(30)


async def test_a_retried_delivery_is_not_first_time(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.deliveries.first_time("telegram:1", "1001") is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.deliveries.first_time("telegram:1", "1001") is False
        assert await uow.deliveries.first_time("telegram:1", "1002") is True
        assert await uow.deliveries.first_time("slack:T1", "1001") is True  # another source
        await uow.commit()


async def test_an_uncommitted_delivery_is_not_recorded(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.deliveries.first_time("telegram:1", "7") is True
        # no commit: the work failed, so the retry must be served
    async with uow_factory() as uow:
        assert await uow.deliveries.first_time("telegram:1", "7") is True


@pytest.mark.postgres
async def test_two_concurrent_replicas_see_one_first_time(
    uow_factory: SqlUnitOfWorkFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers: PostgreSQL only (SQLite serialises writers)")

    async def claim() -> bool:
        async with uow_factory() as uow:
            first = await uow.deliveries.first_time("telegram:1", "42")
            await uow.commit()
            return first

    results = await asyncio.gather(*(claim() for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
