"""``/meet guest <id> [display name]``: a fresh guest link, for the asker only,
because TrueConf's guest links expire a minute after they are made."""

from __future__ import annotations

from bot.card_buttons import CardButton
from bot.cards import app_links, link_context
from bot.commands import GuestLink
from bot.context import Deps, Request
from bot.errors import UserError
from bot.grammar import keys
from bot.grammar.manage import parse_guest
from bot.handlers.lookup import find_meeting
from bot.handlers.spec import CommandSpec, meeting_button
from bot.reply import ActionKind, Link, LinkKind, Links, Reply, Title, Visibility


async def handle_guest(command: GuestLink, request: Request, deps: Deps) -> Reply:
    t = request.t
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
    guests = deps.backend_named(meeting.backend).guests
    if guests is None:
        raise UserError("guest.not_offered", id=meeting.id, backend=meeting.backend)
    name = command.display_name or t("guest.default_name")
    access = await guests.guest_access(meeting.conference_id, name)
    about = link_context(meeting, request.audience)
    app, copyables = app_links(access.app_deeplink, access.android_intent, request.audience, about)
    links = Links((Link(t("card.browser"), access.browser_url, LinkKind.GUEST), *app))
    title = t("guest.title" if access.expires else "guest.title_lasting", id=meeting.id)
    return Reply((Title(title), links, *copyables), Visibility.PRIVATE)


GUEST = CommandSpec(
    GuestLink,
    "guest",
    handle_guest,
    keys.EX_GUEST,
    en=("guest",),
    ru=("гость",),
    parse=parse_guest,
    personal=True,
    button=meeting_button(
        "guest",
        GuestLink,
        lambda command: command.meeting_ref,
        card=CardButton(
            "card.action.guest",
            GuestLink,
            lambda offer: offer.features.guests,
            place=20,
            kind=ActionKind.GUEST,
        ),
    ),
)
