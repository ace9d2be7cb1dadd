"""TrueConf's answer to "whose is this e-mail?", reused for a short while.

A line with mentions asks the server once per unlinked person, and the same
people are mentioned again and again in one channel. The answer is reused for
``FOUND_TTL_SECONDS`` (a person found) or ``MISSING_TTL_SECONDS`` (nobody has
that e-mail), per e-mail, in this process only.

Why that is safe: the answer only chooses whom a new meeting invites; it is
never a grant of rights (the speaker's own login comes from their link, never
from here), and the server still checks every invitation it is sent. What a
stale answer can do is bounded by the time it is kept: for at most a minute
after an administrator gives the e-mail to another account, a meeting may
invite the account that had it (its owner sees the invitation, as they would
have a minute earlier). A person just created on the server is found at most
``MISSING_TTL_SECONDS`` later, so "not found" is kept much shorter. A refused
or failed lookup is never kept. ``find_by_login`` is passed through: the link
command checks a login that must exist now.
"""

from __future__ import annotations

from collections.abc import Callable

from cachetools import TTLCache

from bot.meeting import DirectoryUser
from bot.ports import UserDirectory

FOUND_TTL_SECONDS = 60.0
MISSING_TTL_SECONDS = 10.0
ANSWERS_KEPT = 4_096


class CachedDirectory:
    """A ``UserDirectory`` whose ``find_by_email`` answers are reused (see the
    module's note)."""

    def __init__(
        self,
        directory: UserDirectory,
        *,
        timer: Callable[[], float],
        found_ttl: float = FOUND_TTL_SECONDS,
        missing_ttl: float = MISSING_TTL_SECONDS,
        maxsize: int = ANSWERS_KEPT,
    ) -> None:
        self._directory = directory
        self._found: TTLCache[str, DirectoryUser] = TTLCache(maxsize, found_ttl, timer=timer)
        self._missing: TTLCache[str, bool] = TTLCache(maxsize, missing_ttl, timer=timer)

    async def find_by_login(self, login: str) -> DirectoryUser | None:
        return await self._directory.find_by_login(login)

    async def find_by_email(self, email: str) -> DirectoryUser | None:
        key = email.strip().casefold()
        found = self._found.get(key)
        if found is not None:
            return found
        if key in self._missing:
            return None
        answer = await self._directory.find_by_email(email)  # a refusal is not kept
        if answer is None:
            self._missing[key] = True
        else:
            self._found[key] = answer
        return answer
