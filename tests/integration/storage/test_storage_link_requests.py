"""Pending links and handles in ``user_links``, on both databases."""

from __future__ import annotations

import pytest

from bot.chat import UserRef
from bot.ports import LinkRecord
from storage import SqlUnitOfWorkFactory

pytestmark = pytest.mark.timeout(60)

PAT = UserRef("telegram", "9", "501", "Pat Smith", handle="Pat")
ROOT = UserRef("telegram", "9", "1", "root", handle="root")
TYPED_PAT = UserRef("telegram", "9", "pat", "pat", handle="pat")  # "@pat" as typed


async def test_a_pending_link_is_found_but_links_nobody(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.links.set(PAT, "carol", linked_by=PAT, pending=True)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.links.get(PAT) is None
        assert await uow.links.get(TYPED_PAT) is None
        found = await uow.links.find(TYPED_PAT)  # by handle, case folded
        assert found == LinkRecord(
            UserRef("telegram", "9", "501", "Pat Smith", handle="pat"), "carol", pending=True
        )


async def test_approval_makes_it_a_link_found_by_id_and_by_handle(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.links.set(PAT, "carol", linked_by=PAT, pending=True)
        await uow.commit()
    async with uow_factory() as uow:
        record = await uow.links.find(TYPED_PAT)
        assert record is not None
        await uow.links.set(record.user, record.login, linked_by=ROOT)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.links.get(PAT) == "carol"
        assert await uow.links.get(TYPED_PAT) == "carol"
        assert await uow.links.get(UserRef("telegram", "9", "501")) == "carol"  # by id alone
        assert await uow.links.get(UserRef("telegram", "9", "502", handle="")) is None
        assert await uow.links.get(UserRef("telegram", "8", "pat", handle="pat")) is None


async def test_an_exact_id_wins_over_a_handle(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.links.set(TYPED_PAT, "alice", linked_by=ROOT)  # an admin's "@pat alice"
        await uow.links.set(PAT, "carol", linked_by=ROOT)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.links.get(PAT) == "carol"
        assert await uow.links.get(TYPED_PAT) == "alice"
        assert await uow.links.remove(PAT) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.links.get(PAT) == "alice"  # now only the handle names Pat
