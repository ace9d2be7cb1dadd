"""Mentions cost the slowest lookup, not the sum: the directory is asked about
every unlinked person at once (bounded), and e-mail answers are reused briefly."""

from __future__ import annotations

import asyncio

import pytest

from adapters.trueconf.directory_cache import (
    FOUND_TTL_SECONDS,
    MISSING_TTL_SECONDS,
    CachedDirectory,
)
from bot.chat import Mention, UserRef
from bot.errors import BackendError
from bot.meeting import DirectoryUser, Invitee
from bot.people import CONCURRENT_LOOKUPS, resolve_all
from tests.fakes import FakeDirectory, MemoryUnitOfWorkFactory

pytestmark = pytest.mark.timeout(30)

SPEAKER = UserRef("slack", "T1", "U0", display_name="helen")


def person(n: int) -> DirectoryUser:
    return DirectoryUser(login=f"user{n}", display_name=f"User {n}", email=f"u{n}@example.com")


def mention(n: int) -> Mention:
    return Mention(handle=f"u{n}", user_id=f"U{n}", email=f"u{n}@example.com")


class GatedDirectory:
    """Each e-mail lookup waits until ``release`` is set; counts those in flight."""

    def __init__(self, users: list[DirectoryUser], fail: frozenset[str] = frozenset()) -> None:
        self.users = {u.email: u for u in users}
        self.fail = fail
        self.release = asyncio.Event()
        self.in_flight = 0
        self.most_in_flight = 0
        self.asked: list[str] = []
        self.changed = asyncio.Condition()

    async def find_by_login(self, login: str) -> DirectoryUser | None:
        return None

    async def find_by_email(self, email: str) -> DirectoryUser | None:
        self.asked.append(email)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        async with self.changed:
            self.changed.notify_all()
        try:
            await self.release.wait()
        finally:
            self.in_flight -= 1
        if email in self.fail:
            raise BackendError("serverError", f"refused {email}")
        return self.users.get(email)


async def wait_for_in_flight(directory: GatedDirectory, count: int) -> None:
    async with asyncio.timeout(5.0), directory.changed:
        await directory.changed.wait_for(lambda: directory.in_flight == count)


async def test_every_unlinked_mention_is_looked_up_at_once_and_the_order_is_kept() -> None:
    directory = GatedDirectory([person(n) for n in range(3)])
    uow = MemoryUnitOfWorkFactory()
    async with uow(transaction=False) as unit:
        task = asyncio.ensure_future(
            resolve_all(tuple(mention(n) for n in range(3)), SPEAKER, unit.links, directory)
        )
        # All three are asked before any answers: the line waits for the slowest.
        await wait_for_in_flight(directory, 3)
        directory.release.set()
        found = await task
    assert found == tuple(Invitee(f"u{n}", login=f"user{n}", user_id=f"U{n}") for n in range(3))


async def test_lookups_in_flight_are_bounded() -> None:
    many = CONCURRENT_LOOKUPS + 5
    directory = GatedDirectory([person(n) for n in range(many)])
    uow = MemoryUnitOfWorkFactory()
    async with uow(transaction=False) as unit:
        task = asyncio.ensure_future(
            resolve_all(tuple(mention(n) for n in range(many)), SPEAKER, unit.links, directory)
        )
        await wait_for_in_flight(directory, CONCURRENT_LOOKUPS)
        for _ in range(20):  # give any extra lookup every chance to start
            await asyncio.sleep(0)
        assert directory.in_flight == CONCURRENT_LOOKUPS
        directory.release.set()
        found = await task
    assert [i.login for i in found] == [f"user{n}" for n in range(many)]
    assert directory.most_in_flight == CONCURRENT_LOOKUPS


async def test_a_linked_person_is_not_looked_up() -> None:
    directory = GatedDirectory([person(1)])
    directory.release.set()
    uow = MemoryUnitOfWorkFactory()
    linked = UserRef("slack", "T1", "U0")
    async with uow() as unit:
        await unit.links.set(
            UserRef("slack", "T1", "U0", display_name="u0"), "linked0", linked_by=linked
        )
        await unit.commit()
    async with uow(transaction=False) as unit:
        found = await resolve_all((mention(0), mention(1)), SPEAKER, unit.links, directory)
    assert [i.login for i in found] == ["linked0", "user1"]
    assert directory.asked == ["u1@example.com"]


async def test_the_first_refusal_in_the_order_mentioned_fails_the_line() -> None:
    directory = GatedDirectory(
        [person(n) for n in range(3)], fail=frozenset({"u1@example.com", "u2@example.com"})
    )
    directory.release.set()
    uow = MemoryUnitOfWorkFactory()
    async with uow(transaction=False) as unit:
        with pytest.raises(BackendError, match=r"refused u1@example\.com"):
            await resolve_all(tuple(mention(n) for n in range(3)), SPEAKER, unit.links, directory)


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_found_answer_is_reused_for_a_minute_then_asked_again() -> None:
    inner = FakeDirectory([person(1)])
    timer = Timer()
    cached = CachedDirectory(inner, timer=timer)
    assert await cached.find_by_email("u1@example.com") == person(1)
    assert await cached.find_by_email(" U1@Example.com ") == person(1)  # same person
    assert inner.lookups == ["u1@example.com"]
    timer.now += FOUND_TTL_SECONDS + 0.1
    assert await cached.find_by_email("u1@example.com") == person(1)
    assert inner.lookups == ["u1@example.com", "u1@example.com"]


async def test_nobody_found_is_kept_shorter_so_a_new_account_is_found_soon() -> None:
    inner = FakeDirectory([])
    timer = Timer()
    cached = CachedDirectory(inner, timer=timer)
    assert await cached.find_by_email("new@example.com") is None
    inner.users.append(DirectoryUser(login="new", display_name="New", email="new@example.com"))
    assert await cached.find_by_email("new@example.com") is None  # still the kept answer
    timer.now += MISSING_TTL_SECONDS + 0.1
    assert MISSING_TTL_SECONDS < FOUND_TTL_SECONDS
    found = await cached.find_by_email("new@example.com")
    assert found is not None
    assert found.login == "new"


async def test_a_refused_lookup_is_not_kept_and_logins_are_always_asked() -> None:
    class Flaky(FakeDirectory):
        def __init__(self) -> None:
            super().__init__([person(1)])
            self.refuse = True

        async def find_by_email(self, email: str) -> DirectoryUser | None:
            if self.refuse:
                self.refuse = False
                raise BackendError("serverError", "down")
            return await super().find_by_email(email)

    inner = Flaky()
    cached = CachedDirectory(inner, timer=Timer())
    with pytest.raises(BackendError):
        await cached.find_by_email("u1@example.com")
    assert await cached.find_by_email("u1@example.com") == person(1)
    assert await cached.find_by_login("user1") == person(1)
    assert await cached.find_by_login("user1") == person(1)
    assert inner.lookups == ["u1@example.com", "user1", "user1"]
