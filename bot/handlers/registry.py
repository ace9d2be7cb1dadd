"""Which handler serves which command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot import commands
from bot.context import Deps, Request
from bot.handlers.accounts import handle_link, handle_unlink
from bot.handlers.backends import handle_backend
from bot.handlers.calendar import handle_calendar
from bot.handlers.create import handle_new_meeting
from bot.handlers.guest import handle_guest
from bot.handlers.help import handle_help
from bot.handlers.invitations import handle_invite, handle_uninvite
from bot.handlers.lifecycle import handle_cancel, handle_start, handle_stop
from bot.handlers.listing import handle_info, handle_list
from bot.handlers.preferences import handle_language, handle_timezone
from bot.handlers.reminders import handle_default_reminders, handle_remind
from bot.reply import Reply

Handler = Callable[[Any, Request, Deps], Awaitable[Reply]]

HANDLERS: Mapping[type, Handler] = {
    commands.NewMeeting: handle_new_meeting,
    commands.ListMeetings: handle_list,
    commands.MeetingInfo: handle_info,
    commands.CancelMeeting: handle_cancel,
    commands.StartMeeting: handle_start,
    commands.StopMeeting: handle_stop,
    commands.InvitePeople: handle_invite,
    commands.UninvitePeople: handle_uninvite,
    commands.GuestLink: handle_guest,
    commands.MeetingCalendar: handle_calendar,
    commands.LinkAccount: handle_link,
    commands.UnlinkAccount: handle_unlink,
    commands.SetTimezone: handle_timezone,
    commands.SetLanguage: handle_language,
    commands.RemindMeeting: handle_remind,
    commands.SetDefaultReminders: handle_default_reminders,
    commands.SetBackend: handle_backend,
    commands.Help: handle_help,
}

# Names used in the audit log and, later, in metrics.
COMMAND_KINDS: Mapping[type, str] = {
    commands.NewMeeting: "new",
    commands.ListMeetings: "list",
    commands.MeetingInfo: "info",
    commands.CancelMeeting: "cancel",
    commands.StartMeeting: "start",
    commands.StopMeeting: "stop",
    commands.InvitePeople: "invite",
    commands.UninvitePeople: "uninvite",
    commands.GuestLink: "guest",
    commands.MeetingCalendar: "calendar",
    commands.LinkAccount: "link",
    commands.UnlinkAccount: "unlink",
    commands.SetTimezone: "tz",
    commands.SetLanguage: "lang",
    commands.RemindMeeting: "remind",
    commands.SetDefaultReminders: "remind_default",
    commands.SetBackend: "backend",
    commands.Help: "help",
}
