"""Slack people as the core needs them: e-mail, zone, language and admin
rights from ``users.info`` (e-mail needs the ``users:read.email`` scope)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from cachetools import TTLCache
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat import Lang, Mention

log = logging.getLogger(__name__)

# ``<@U123>`` / ``<@U123|name>`` as Slack sends them in escaped command text.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,20})(?:\|[^<>]*)?>")
# One command never asks Slack about more people than the core would resolve.
MAX_LOOKUPS = 100
# A profile (zone, language, e-mail) is reused this long: people rarely change
# them, and ``users.info`` is rate-limited per workspace, which a busy channel
# of commands would otherwise reach.
PROFILE_TTL_SECONDS = 300.0
PROFILES_KEPT = 10_000


@dataclass(frozen=True, slots=True)
class Profile:
    user_id: str
    name: str = ""
    email: str | None = None
    zone: str | None = None
    lang: Lang | None = None
    is_admin: bool = False


def profile_from(user: dict[str, Any]) -> Profile:
    info = user.get("profile") or {}
    locale = str(user.get("locale") or "")
    lang: Lang | None = "ru" if locale.startswith("ru") else "en" if locale else None
    name = info.get("display_name") or info.get("real_name") or user.get("name") or user["id"]
    return Profile(
        user_id=str(user["id"]),
        name=str(name),
        email=info.get("email") or None,
        zone=user.get("tz") or None,
        lang=lang,
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )


async def lookup(client: AsyncWebClient, user_id: str) -> Profile:
    """The person's profile; only the id when Slack will not say more (a
    missing scope, a deleted user): the core then falls back to its defaults."""
    try:
        answer = await client.users_info(user=user_id, include_locale=True)
    except SlackApiError as exc:
        log.warning("users.info failed: %s", exc.response.get("error"))
        return Profile(user_id=user_id)
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("users.info unreachable: %s", type(exc).__name__)
        return Profile(user_id=user_id)
    user = answer.get("user")
    return profile_from(user) if isinstance(user, dict) else Profile(user_id=user_id)


class ProfileCache:
    """``lookup`` answers kept for ``ttl`` seconds per (workspace, person).
    Only answers Slack gave are kept: a failed lookup is asked again next time."""

    def __init__(
        self,
        *,
        ttl: float = PROFILE_TTL_SECONDS,
        maxsize: int = PROFILES_KEPT,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._kept: TTLCache[tuple[str, str], Profile] = TTLCache(maxsize, ttl, timer=timer)

    def kept(self, team_id: str, user_id: str) -> Profile | None:
        """The profile if it is at hand, without asking Slack."""
        return self._kept.get((team_id, user_id))

    async def lookup(self, client: AsyncWebClient, team_id: str, user_id: str) -> Profile:
        key = (team_id, user_id)
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        profile = await lookup(client, user_id)
        if profile != Profile(user_id=user_id):  # Slack answered with more than the id
            self._kept[key] = profile
        return profile

    async def mentions_in(
        self, text: str, client: AsyncWebClient, team_id: str
    ) -> tuple[Mention, ...]:
        """Every ``<@U…>`` in the text with its name and e-mail."""
        return await self.mentions_of(USER_MENTION.findall(text), client, team_id)

    async def mentions_of(
        self, user_ids: Sequence[str], client: AsyncWebClient, team_id: str
    ) -> tuple[Mention, ...]:
        """The people with these ids, with their names and e-mails."""
        ids = list(dict.fromkeys(user_ids))[:MAX_LOOKUPS]
        profiles = await asyncio.gather(*(self.lookup(client, team_id, u) for u in ids))
        return tuple(as_mention(p) for p in profiles)


def as_mention(profile: Profile) -> Mention:
    return Mention(
        handle=profile.name or profile.user_id, user_id=profile.user_id, email=profile.email
    )
