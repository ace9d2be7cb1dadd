"""``/meet guest <id> [display name]``: a fresh guest link, for the asker only,
because TrueConf's guest links expire a minute after they are made."""

from __future__ import annotations

from bot.commands import GuestLink
from bot.context import Deps, Request
from bot.handlers.lookup import find_meeting
from bot.reply import Copyable, Link, LinkKind, Links, Reply, Title, Visibility


async def handle_guest(command: GuestLink, request: Request, deps: Deps) -> Reply:
    t = request.t
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
    name = command.display_name or t("guest.default_name")
    access = await deps.backend.guest_access(meeting.conference_id, name)
    blocks: list[Title | Links | Copyable] = [Title(t("guest.title", id=meeting.id))]
    links = [Link(t("card.browser"), access.browser_url, LinkKind.GUEST)]
    for label, url, kind in (
        (t("card.app"), access.app_deeplink, LinkKind.APP),
        (t("card.android"), access.android_intent, LinkKind.ANDROID),
    ):
        if not url:
            continue
        if request.capabilities.custom_scheme_links:
            links.append(Link(label, url, kind))
        else:
            blocks.append(Copyable(label, (url,)))
    blocks.insert(1, Links(tuple(links)))
    return Reply(tuple(blocks), Visibility.PRIVATE)
