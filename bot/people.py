"""Turning mentions into conference-server accounts."""

from __future__ import annotations

from bot.chat import Mention, UserRef
from bot.errors import UserError
from bot.meeting import Invitee
from bot.ports import UserDirectory, UserLinkRepository


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


async def resolve(
    mention: Mention, speaker: UserRef, links: UserLinkRepository, directory: UserDirectory
) -> Invitee:
    """An explicit link wins; then the messenger's e-mail; then a login equal to the
    typed handle. Anyone left is returned unmapped, to be named in the reply."""
    user_id = mention.user_id or ""
    login = await links.get(mention_user(mention, speaker))
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


async def resolve_all(
    mentions: tuple[Mention, ...],
    speaker: UserRef,
    links: UserLinkRepository,
    directory: UserDirectory | None,
) -> tuple[Invitee, ...]:
    """The invitees; with no ``directory`` (a server without accounts) the
    people stay chat mentions, and nobody is looked up."""
    if len(mentions) > MAX_MENTIONS:
        raise UserError("error.too_many_people", count=len(mentions), limit=MAX_MENTIONS)
    if directory is None:
        return tuple(Invitee(handle=m.handle, user_id=m.user_id or "") for m in mentions)
    return tuple([await resolve(m, speaker, links, directory) for m in mentions])
