"""The link requests the holder of the bot's connection puts to their users:
another messenger's pending requests made within the question's ten
minutes; not an approved link, not an old request, not TrueConf chat's own.
On both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.trueconf_chat.confirm import CONFIRM_WITHIN
from adapters.trueconf_chat.requests import OpenRequests
from bot.chat import UserRef
from bot.clock import FrozenClock
from storage import SqlUnitOfWorkFactory

PAT = UserRef("telegram", "", "4242", "Pat", handle="pat")
SAM = UserRef("slack", "T1", "U1", "Sam")
OLD = UserRef("telegram", "", "77", "Olga")
LINKED = UserRef("telegram", "", "88", "Lin")
OWN = UserRef("trueconf_chat", "sandbox", "carol", "Carol")


async def test_the_recent_pending_requests_of_other_messengers_are_open(
    engine: AsyncEngine, uow_factory: SqlUnitOfWorkFactory, clock: FrozenClock
) -> None:
    async with uow_factory() as uow:
        await uow.links.set(OLD, "olga", linked_by=OLD, pending=True)
        await uow.commit()
    clock.advance(CONFIRM_WITHIN + timedelta(seconds=1))  # Olga's has expired
    async with uow_factory() as uow:
        await uow.links.set(PAT, "alice", linked_by=PAT, pending=True)
        await uow.links.set(LINKED, "bob", linked_by=LINKED)
        await uow.links.set(OWN, "carol", linked_by=OWN, pending=True)
        await uow.commit()
    clock.advance(timedelta(seconds=5))
    async with uow_factory() as uow:
        await uow.links.set(SAM, "dave", linked_by=SAM, pending=True)
        await uow.commit()
    clock.advance(timedelta(seconds=1))
    requests = OpenRequests(engine)
    # Sam's is a second old: not yet settled for three.
    assert [u.key for u, _ in await requests.recent(clock.now(), timedelta(seconds=3))] == [PAT.key]
    found = await requests.recent(clock.now(), timedelta(0))
    assert [(user.key, login) for user, login in found] == [
        (PAT.key, "alice"),
        (SAM.key, "dave"),
    ]
    pat = found[0][0]
    assert (pat.display_name, pat.handle) == ("Pat", "pat")
