"""``/meet calendar <id>``: the meeting for people's calendars: the server's
.ics file (as a file where the messenger can upload one) and its Google and
Outlook links."""

from __future__ import annotations

from bot.commands import MeetingCalendar
from bot.context import Deps, Request
from bot.errors import UserError
from bot.grammar import keys
from bot.grammar.manage import ref_only
from bot.handlers.lookup import find_meeting
from bot.handlers.spec import CommandSpec
from bot.reply import Block, File, Link, LinkKind, Links, Reply, Title
from bot.schedule import Instant


async def handle_calendar(command: MeetingCalendar, request: Request, deps: Deps) -> Reply:
    t = request.t
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
    if isinstance(meeting.schedule, Instant):
        raise UserError("error.instant_has_no_calendar")
    backend = deps.backend_named(meeting.backend)
    calendars = await backend.calendar_links(meeting.conference_id)
    links = [
        Link(t(key), url, LinkKind.CALENDAR)
        for key, url in (
            ("calendar.google", calendars.google),
            ("calendar.outlook", calendars.outlook),
        )
        if url
    ]
    blocks: list[Block] = [Title(t("calendar.title", id=meeting.id, topic=meeting.topic))]
    if request.capabilities.file_upload:
        ics = await backend.ics(meeting.conference_id)
        blocks.append(File(f"meeting-{meeting.id}.ics", ics, "text/calendar", calendars.ics_url))
    elif calendars.ics_url:
        links.append(Link(t("calendar.ics"), calendars.ics_url, LinkKind.CALENDAR))
    if links:
        blocks.insert(1, Links(tuple(links)))
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
)
