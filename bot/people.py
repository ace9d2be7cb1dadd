"""Turning mentions into conference-server accounts."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from bot.chat import Mention, UserRef
from bot.errors import UserError
from bot.meeting import Invitee
from bot.ports import UserDirectory, UserLinkRepository, link_key


def mention_user(mention: Mention, speaker: UserRef) -> UserRef:
    """The messenger user a mention names, in the speaker's workspace."""
    return UserRef(
        platform=speaker.platform,
        workspace_id=speaker.workspace_id,
        user_id=mention.user_id or mention.handle,
        display_name=mention.handle,
        # A typed @name (no id) finds a person through the name they go by.
        handle="" if mention.user_id else mention.handle,
    )


async def linked_login(
    user: UserRef, links: UserLinkRepository, known: Mapping[str, str | None]
) -> str | None:
    """``user``'s approved login: as read with the command's settings when
    ``known`` has them (by ``link_key``), else read now."""
    key = link_key(user)
    return known[key] if key in known else await links.get(user)


async def _look_up(mention: Mention, login: str | None, directory: UserDirectory) -> Invitee:
    """``mention`` as an invitee. An explicit link (``login``) wins; then the
    messenger's e-mail; then a login equal to the typed handle. Anyone left is
    returned unmapped, to be named in the reply."""
    user_id = mention.user_id or ""
    if login:
        return Invitee(handle=mention.handle, login=login, user_id=user_id)
    if mention.email:
        found = await directory.find_by_email(mention.email)
        if found:
            return Invitee(handle=mention.handle, login=found.login, user_id=user_id)
    if not mention.user_id:
        found = await directory.find_by_login(mention.handle)
        if found:
            return Invitee(handle=mention.handle, login=found.login, user_id=user_id)
    return Invitee(handle=mention.handle, user_id=user_id)


# Each unlinked mention costs the server a lookup: bound what one line can ask.
MAX_MENTIONS = 100
# Lookups of one command in flight at once: a line of mentions costs about the
# slowest lookup, not their sum, without opening 100 requests to the server.
CONCURRENT_LOOKUPS = 8


async def resolve_all(
    mentions: tuple[Mention, ...],
    speaker: UserRef,
    links: UserLinkRepository,
    directory: UserDirectory | None,
    known: Mapping[str, str | None] | None = None,
) -> tuple[Invitee, ...]:
    """The invitees, in the order mentioned; with no ``directory`` (a server
    without accounts) the people stay chat mentions, and nobody is looked up.

    The links are read first (those in ``known``, by ``link_key``, were read
    with the command's settings; one unit of work runs one statement at a time),
    then the directory is asked about everyone left at once, at most
    ``CONCURRENT_LOOKUPS`` in flight. A refused lookup fails the whole line, as
    before: the first refusal in the order mentioned is raised."""
    if len(mentions) > MAX_MENTIONS:
        raise UserError("error.too_many_people", count=len(mentions), limit=MAX_MENTIONS)
    if directory is None:
        return tuple(Invitee(handle=m.handle, user_id=m.user_id or "") for m in mentions)
    known = known or {}
    logins = [await linked_login(mention_user(m, speaker), links, known) for m in mentions]
    gate = asyncio.Semaphore(CONCURRENT_LOOKUPS)

    async def one(mention: Mention, login: str | None) -> Invitee:
        if login:  # no lookup, no wait for a slot
            return await _look_up(mention, login, directory)
        async with gate:
            return await _look_up(mention, login, directory)

    results = await asyncio.gather(
        *(one(m, login) for m, login in zip(mentions, logins, strict=True)),
        return_exceptions=True,
    )
    invitees: list[Invitee] = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        invitees.append(result)
    return tuple(invitees)
