"""``/meet calendar <id>``: the meeting for people's calendars, made by the
bridge from its own record: Google and Outlook links, the .ics file (as a
file where the messenger can upload one) and its public link and webcal://
subscription when the bridge has a public URL."""

from __future__ import annotations

from bot.calendars.files import file_name, meeting_event
from bot.calendars.ics import ics_file
from bot.calendars.links import OUTLOOK_HOSTS, google_url, outlook_url
from bot.card_buttons import CardButton
from bot.commands import MeetingCalendar
from bot.context import Deps, Request
from bot.errors import UserError
from bot.grammar import keys
from bot.grammar.manage import ref_only
from bot.handlers.lookup import find_meeting
from bot.handlers.spec import CommandSpec, meeting_button
from bot.reply import (
    ActionKind,
    Block,
    Copyable,
    File,
    Link,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
    Tone,
)
from bot.schedule import Instant

OUTLOOK_KEYS = {
    "outlook.office.com": "calendar.outlook_office",
    "outlook.live.com": "calendar.outlook",
}


def webcal(url: str) -> str:
    """The subscription form of an https .ics link: calendar apps keep it updated."""
    return "webcal://" + url.split("://", 1)[1]


async def handle_calendar(command: MeetingCalendar, request: Request, deps: Deps) -> Reply:
    t = request.t
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
    event = meeting_event(meeting, deps, t)
    if event is None:
        raise UserError("error.instant_has_no_calendar")
    ics_url = deps.feeds.ics_url(meeting) if deps.feeds is not None else ""
    links = [Link(t("calendar.google"), google_url(event), LinkKind.CALENDAR)]
    for host in OUTLOOK_HOSTS:
        url = outlook_url(event, host, ics_url)
        if url:
            links.append(Link(t(OUTLOOK_KEYS[host]), url, LinkKind.CALENDAR))
    if ics_url:
        links.append(Link(t("calendar.ics"), ics_url, LinkKind.CALENDAR))
    blocks: list[Block] = [
        Title(t("calendar.title", id=meeting.id, topic=meeting.topic)),
        Links(tuple(links)),
    ]
    if ics_url:
        subscribe = webcal(ics_url)
        if request.capabilities.custom_scheme_links:
            blocks.append(Links((Link(t("calendar.subscribe"), subscribe, LinkKind.CALENDAR),)))
        else:
            blocks.append(Copyable(t("calendar.subscribe"), (subscribe,)))
    if request.capabilities.file_upload:
        content = ics_file(event, now=request.now)
        blocks.append(File(file_name(meeting), content, "text/calendar", ics_url))
    elif not ics_url:
        blocks.append(Text(t("calendar.needs_public_url"), Tone.MUTED))
    return Reply(tuple(blocks))


CALENDAR = CommandSpec(
    MeetingCalendar,
    "calendar",
    handle_calendar,
    keys.EX_CALENDAR,
    en=("calendar", "ics"),
    ru=("календарь",),
    parse=ref_only(MeetingCalendar, keys.EX_CALENDAR),
    personal=True,
    button=meeting_button(
        "cal",
        MeetingCalendar,
        lambda command: command.meeting_ref,
        # A meeting started at once has no time to put in a calendar.
        card=CardButton(
            "card.action.calendar",
            MeetingCalendar,
            lambda offer: not isinstance(offer.meeting.schedule, Instant),
            place=10,
            kind=ActionKind.CALENDAR,
        ),
    ),
)
